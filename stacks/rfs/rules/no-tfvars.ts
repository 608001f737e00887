import type { RfsRule } from '../types.js';

/** RFS takes variable values from the stack's parameters, never from .tfvars files. */
export const noTfvars: RfsRule = {
  id: 'no-tfvars',
  description: 'no .tfvars or .tfvars.json files',
  check(bundle) {
    return bundle.files
      .filter((f) => /\.tfvars(\.json)?$/i.test(f.path))
      .map((f) => ({ rule: this.id, where: f.path, message: 'RFS refuses .tfvars files; give defaults in the variable blocks and let buyers set values as stack parameters' }));
  },
};
