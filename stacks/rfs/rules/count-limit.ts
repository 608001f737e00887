import { configFiles, jsonBlocks } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

const RFS_MAX_COUNT = 1024;

/** `count` and `for_each` create at most 1,024 instances (checked where the value is literal). */
export const countLimit: RfsRule = {
  id: 'count-limit',
  description: `count and for_each at most ${RFS_MAX_COUNT}`,
  check(bundle) {
    const findings: Finding[] = [];
    for (const f of configFiles(bundle)) {
      if (f.kind !== 'json') continue;
      for (const kind of ['resource', 'data'] as const) {
        for (const [type, name, body] of jsonBlocks(f.json, kind)) {
          const count = body.count;
          if (typeof count === 'number' && count > RFS_MAX_COUNT) findings.push({ rule: this.id, where: `${f.path}: ${kind}.${type}.${name}.count`, message: `count is ${count}, above RFS's ${RFS_MAX_COUNT}` });
          const each = body.for_each;
          const size = Array.isArray(each) ? each.length : each && typeof each === 'object' ? Object.keys(each).length : 0;
          if (size > RFS_MAX_COUNT) findings.push({ rule: this.id, where: `${f.path}: ${kind}.${type}.${name}.for_each`, message: `for_each has ${size} elements, above RFS's ${RFS_MAX_COUNT}` });
        }
      }
    }
    return findings;
  },
};
