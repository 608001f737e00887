import { blocks, configFiles, hclBlocks, isObject, jsonBlocks } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

const SOURCE = /^(registry\.terraform\.io\/)?huaweicloud\/huaweicloud$/i;

/** RFS templates may use the huaweicloud provider only: its provider block, its resources. */
export const onlyHuaweicloud: RfsRule = {
  id: 'only-huaweicloud-provider',
  description: 'only the huaweicloud provider (huaweicloud/huaweicloud)',
  check(bundle) {
    const findings: Finding[] = [];
    const bad = (where: string, message: string) => findings.push({ rule: this.id, where, message });
    for (const f of configFiles(bundle)) {
      if (f.kind === 'json') {
        if (!isObject(f.json)) continue;
        for (const p of blocks(f.json.provider)) {
          for (const name of Object.keys(p)) if (name !== 'huaweicloud') bad(`${f.path}: provider.${name}`, `RFS supports only the huaweicloud provider, found provider "${name}"`);
        }
        for (const tf of blocks(f.json.terraform)) {
          for (const rp of blocks(tf.required_providers)) {
            for (const [name, req] of Object.entries(rp)) {
              const source = isObject(req) && typeof req.source === 'string' ? req.source : name;
              if (name !== 'huaweicloud' || !SOURCE.test(source)) bad(`${f.path}: terraform.required_providers.${name}`, `RFS supports only huaweicloud/huaweicloud, found "${source}"`);
            }
          }
        }
        for (const kind of ['resource', 'data'] as const) {
          for (const [type, name] of jsonBlocks(f.json, kind)) {
            if (!type.startsWith('huaweicloud_')) bad(`${f.path}: ${kind}.${type}.${name}`, `RFS supports only huaweicloud resources, found ${kind} type "${type}"`);
          }
        }
      } else {
        for (const p of hclBlocks(f.text, 'provider')) {
          if (p.labels[0] !== 'huaweicloud') bad(`${f.path}:${p.line}: provider "${p.labels[0]}"`, `RFS supports only the huaweicloud provider, found provider "${p.labels[0]}"`);
        }
        for (const m of f.text.matchAll(/\bsource\s*=\s*"([^"]+)"/g)) {
          const before = f.text.slice(0, m.index);
          const inRequired = before.lastIndexOf('required_providers') > before.lastIndexOf('module');
          if (inRequired && !SOURCE.test(m[1])) bad(`${f.path}: terraform.required_providers`, `RFS supports only huaweicloud/huaweicloud, found "${m[1]}"`);
        }
        for (const kind of ['resource', 'data'] as const) {
          for (const b of hclBlocks(f.text, kind)) {
            const type = b.labels[0] ?? '';
            if (!type.startsWith('huaweicloud_')) bad(`${f.path}:${b.line}: ${kind} "${type}"`, `RFS supports only huaweicloud resources, found ${kind} type "${type}"`);
          }
        }
      }
    }
    return findings;
  },
};
