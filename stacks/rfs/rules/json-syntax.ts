import { configFiles } from '../config.js';
import type { RfsRule } from '../types.js';

/** Every .tf.json parses: the other rules cannot see inside a file that does not. */
export const jsonSyntax: RfsRule = {
  id: 'json-syntax',
  description: 'every .tf.json file is valid JSON',
  check(bundle) {
    return configFiles(bundle)
      .filter((f) => f.kind === 'json' && f.json === undefined)
      .map((f) => ({ rule: this.id, where: f.path, message: 'the file is not valid JSON, so RFS cannot read it' }));
  },
};
