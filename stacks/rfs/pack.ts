/**
 * The RFS rule pack: every rule a template must pass before upload to RFS 
 * ("Template Constraints and Limitations", https://support.huaweicloud.com/intl/en-us/tr-aos/rf_05_0028.html).
 * `template` runs it on what it writes; tests run it on one compliant and one violating
 * sample per rule.
 */
import type { Finding, RfsRule, TemplateBundle } from './types.js';
import { jsonSyntax } from './rules/json-syntax.js';
import { noBackend } from './rules/no-backend.js';
import { noProvisioners } from './rules/no-provisioners.js';
import { onlyHuaweicloud } from './rules/only-huaweicloud.js';
import { bannedResources } from './rules/banned-resources.js';
import { bannedFunctions } from './rules/banned-functions.js';
import { noCredentials } from './rules/no-credentials.js';
import { utf8NoBom } from './rules/utf8-no-bom.js';
import { noTfvars } from './rules/no-tfvars.js';
import { zipSize } from './rules/zip-size.js';
import { fileCount } from './rules/file-count.js';
import { countLimit } from './rules/count-limit.js';
import { localModules } from './rules/local-modules.js';

export const RFS_RULES: readonly RfsRule[] = [
  jsonSyntax, noBackend, noProvisioners, onlyHuaweicloud, bannedResources, bannedFunctions,
  noCredentials, utf8NoBom, noTfvars, zipSize, fileCount, countLimit, localModules,
];

export function checkTemplate(bundle: TemplateBundle, rules: readonly RfsRule[] = RFS_RULES): Finding[] {
  return rules.flatMap((r) => r.check(bundle));
}

/** `rfs/no-backend: main.tf.json: terraform.backend: RFS manages the state itself; ...` */
export function formatFinding(f: Finding): string {
  return `rfs/${f.rule}: ${f.where}: ${f.message}`;
}
