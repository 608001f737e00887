import { configFiles, hclBlocks, jsonBlocks } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

/** RFS runs no provisioners (local-exec, remote-exec, file). */
export const noProvisioners: RfsRule = {
  id: 'no-provisioners',
  description: 'no provisioner blocks',
  check(bundle) {
    const findings: Finding[] = [];
    for (const f of configFiles(bundle)) {
      if (f.kind === 'json') {
        for (const [type, name, body] of jsonBlocks(f.json, 'resource')) {
          if ('provisioner' in body) findings.push({ rule: this.id, where: `${f.path}: resource.${type}.${name}.provisioner`, message: 'RFS does not run provisioners; do the work in the image or in user_data instead' });
        }
      } else {
        for (const p of hclBlocks(f.text, 'provisioner')) {
          findings.push({ rule: this.id, where: `${f.path}:${p.line}: provisioner "${p.labels[0] ?? ''}"`, message: 'RFS does not run provisioners; do the work in the image or in user_data instead' });
        }
      }
    }
    return findings;
  },
};
