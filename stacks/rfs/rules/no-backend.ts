import { blocks, configFiles, hclBlocks, isObject } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

/** RFS keeps the state itself: a `backend` or `cloud` block is refused. */
export const noBackend: RfsRule = {
  id: 'no-backend',
  description: 'no backend or cloud block in the terraform block',
  check(bundle) {
    const findings: Finding[] = [];
    for (const f of configFiles(bundle)) {
      if (f.kind === 'json') {
        if (!isObject(f.json)) continue;
        blocks(f.json.terraform).forEach((tf) => {
          for (const key of ['backend', 'cloud']) {
            if (key in tf) findings.push({ rule: this.id, where: `${f.path}: terraform.${key}`, message: `RFS manages the state itself; remove the ${key} block${key === 'backend' && isObject(tf.backend) ? ` (${Object.keys(tf.backend).join(', ')})` : ''}` });
          }
        });
      } else {
        for (const tf of hclBlocks(f.text, 'terraform')) {
          const body = f.text.slice(tf.index);
          for (const key of ['backend', 'cloud']) {
            const m = new RegExp(`^[ \\t]*${key}\\b[^\\n{]*\\{`, 'm').exec(body);
            if (m) findings.push({ rule: this.id, where: `${f.path}:${tf.line + body.slice(0, m.index).split('\n').length - 1}: terraform.${key}`, message: `RFS manages the state itself; remove the ${key} block` });
          }
        }
      }
    }
    return findings;
  },
};
