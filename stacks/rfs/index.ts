export type { Finding, RfsRule, TemplateBundle, TemplateFile } from './types.js';
export { RFS_RULES, checkTemplate, formatFinding } from './pack.js';
export { bundleFromZip } from './bundle.js';
