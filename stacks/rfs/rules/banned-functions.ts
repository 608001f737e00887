import { configFiles, jsonStrings, lineOf } from '../config.js';
import type { Finding, RfsRule } from '../types.js';

/** Functions that read the runner's file system, which RFS bans ("Template Constraints and Limitations", https://support.huaweicloud.com/intl/en-us/tr-aos/rf_05_0028.html). */
const BANNED_FUNCTIONS = /\b(file|templatefile|fileset|fileexists|filebase64[a-z0-9]*|filemd5|filesha[a-z0-9]*|abspath|basename|dirname|pathexpand)\s*\(/g;

export const bannedFunctions: RfsRule = {
  id: 'banned-functions',
  description: 'none of the banned functions: file, templatefile, fileset, fileexists, filebase64*, filemd5, filesha*, abspath, basename, dirname, pathexpand',
  check(bundle) {
    const findings: Finding[] = [];
    const report = (where: string, fn: string) => findings.push({ rule: this.id, where, message: `RFS bans the function ${fn}(); inline the content instead (e.g. a heredoc or a variable)` });
    for (const f of configFiles(bundle)) {
      if (f.kind === 'json') {
        // In Terraform JSON only ${...} parts of strings are expressions.
        for (const [path, value] of jsonStrings(f.json)) {
          if (!value.includes('${')) continue;
          for (const m of value.matchAll(BANNED_FUNCTIONS)) report(`${f.path}: ${path}`, m[1]);
        }
      } else {
        for (const m of f.text.matchAll(BANNED_FUNCTIONS)) report(`${f.path}:${lineOf(f.text, m.index!)}`, m[1]);
      }
    }
    return findings;
  },
};
