import type { Finding, RfsRule } from '../types.js';

const RFS_ZIP_MAX_BYTES = 1024 * 1024;

/** A template zip is at most 1 MB, both packed and unpacked. */
export const zipSize: RfsRule = {
  id: 'zip-size',
  description: 'a zip is at most 1 MB packed and at most 1 MB unpacked',
  check(bundle) {
    const zip = bundle.zip;
    if (!zip) return [];
    const findings: Finding[] = [];
    if (zip.packedBytes > RFS_ZIP_MAX_BYTES) findings.push({ rule: this.id, where: zip.name, message: `the zip is ${zip.packedBytes} bytes packed, above RFS's ${RFS_ZIP_MAX_BYTES} (1 MB)` });
    if (zip.unpackedBytes > RFS_ZIP_MAX_BYTES) findings.push({ rule: this.id, where: zip.name, message: `the zip unpacks to ${zip.unpackedBytes} bytes, above RFS's ${RFS_ZIP_MAX_BYTES} (1 MB)` });
    return findings;
  },
};
