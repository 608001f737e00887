import { blocks, configFiles, hclBlocks, isObject } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

/** Provider arguments that carry credentials: RFS runs with the buyer's own (https://support.huaweicloud.com/intl/en-us/tr-aos/rf_05_0028.html). */
const CREDENTIAL_ARGUMENTS: readonly string[] = [
  'access_key', 'secret_key', 'security_token', 'token', 'password', 'user_name', 'user_id',
  'assume_role', 'shared_config_file', 'profile', 'agency_name', 'agency_domain_name',
];

export const noCredentials: RfsRule = {
  id: 'no-credentials',
  description: 'no credentials in provider blocks',
  check(bundle) {
    const findings: Finding[] = [];
    const report = (where: string, arg: string) => findings.push({ rule: this.id, where, message: `the provider sets ${arg}; RFS deploys with the buyer's credentials, so a template never carries any` });
    for (const f of configFiles(bundle)) {
      if (f.kind === 'json') {
        if (!isObject(f.json)) continue;
        for (const p of blocks(f.json.provider)) {
          for (const [name, configs] of Object.entries(p)) {
            blocks(configs).forEach((c, i) => {
              for (const arg of Object.keys(c)) if (CREDENTIAL_ARGUMENTS.includes(arg)) report(`${f.path}: provider.${name}[${i}].${arg}`, arg);
            });
          }
        }
      } else {
        for (const p of hclBlocks(f.text, 'provider')) {
          const end = f.text.indexOf('\n}', p.index);
          const body = f.text.slice(p.index, end < 0 ? undefined : end);
          for (const m of body.matchAll(/^[ \t]*([a-z_]+)\s*=/gm)) if (CREDENTIAL_ARGUMENTS.includes(m[1])) report(`${f.path}:${p.line}: provider "${p.labels[0]}".${m[1]}`, m[1]);
        }
      }
    }
    return findings;
  },
};
