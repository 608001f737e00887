import type { Finding, RfsRule } from '../types.js';

const BOM = [0xef, 0xbb, 0xbf];

/** RFS reads templates as UTF-8 and refuses a byte order mark. */
export const utf8NoBom: RfsRule = {
  id: 'utf8-no-bom',
  description: 'every file is UTF-8 without a byte order mark',
  check(bundle) {
    const findings: Finding[] = [];
    for (const f of bundle.files) {
      if (BOM.every((b, i) => f.bytes[i] === b)) {
        findings.push({ rule: this.id, where: `${f.path}: byte 0`, message: 'the file starts with a UTF-8 byte order mark (EF BB BF); save it as UTF-8 without BOM' });
      }
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(f.bytes);
      } catch {
        const at = firstInvalidByte(f.bytes);
        findings.push({ rule: this.id, where: `${f.path}: byte ${at}`, message: `the file is not valid UTF-8 (byte 0x${f.bytes[at]?.toString(16).padStart(2, '0')} at offset ${at}); save it as UTF-8` });
      }
    }
    return findings;
  },
};

function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The shortest invalid prefix: binary search on "decodes without error".
  const ok = (n: number) => { try { new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n)); return true; } catch { return false; } };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid; else hi = mid - 1;
  }
  // `lo` bytes decode; a truncated multi-byte sequence may end there, so step back to its lead byte.
  let at = lo;
  while (at > 0 && (bytes[at] & 0xc0) === 0x80) at--;
  return at;
}
