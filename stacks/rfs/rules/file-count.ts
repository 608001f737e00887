import type { RfsRule } from '../types.js';

const RFS_MAX_FILES = 100;

/** A template zip holds at most 100 files. */
export const fileCount: RfsRule = {
  id: 'file-count',
  description: `a zip holds at most ${RFS_MAX_FILES} files`,
  check(bundle) {
    const zip = bundle.zip;
    if (!zip || zip.entries <= RFS_MAX_FILES) return [];
    return [{ rule: this.id, where: zip.name, message: `the zip holds ${zip.entries} files, above RFS's ${RFS_MAX_FILES}; merge configuration files` }];
  },
};
