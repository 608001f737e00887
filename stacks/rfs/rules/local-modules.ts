import { blocks, configFiles, hclBlocks, isObject } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

/** RFS loads modules from the template itself only (a path starting with ./ or ../). */
export const localModules: RfsRule = {
  id: 'local-modules',
  description: 'modules are local (source starts with ./ or ../)',
  check(bundle) {
    const findings: Finding[] = [];
    const local = (s: string) => s.startsWith('./') || s.startsWith('../');
    for (const f of configFiles(bundle)) {
      if (f.kind === 'json') {
        if (!isObject(f.json)) continue;
        for (const m of blocks(f.json.module)) {
          for (const [name, body] of Object.entries(m)) {
            for (const b of blocks(body)) {
              if (typeof b.source === 'string' && !local(b.source)) findings.push({ rule: this.id, where: `${f.path}: module.${name}.source`, message: `RFS loads local modules only, found source "${b.source}"; copy the module into the template` });
            }
          }
        }
      } else {
        for (const m of hclBlocks(f.text, 'module')) {
          const src = /\bsource\s*=\s*"([^"]*)"/.exec(f.text.slice(m.index))?.[1];
          if (src !== undefined && !local(src)) findings.push({ rule: this.id, where: `${f.path}:${m.line}: module "${m.labels[0]}"`, message: `RFS loads local modules only, found source "${src}"; copy the module into the template` });
        }
      }
    }
    return findings;
  },
};
