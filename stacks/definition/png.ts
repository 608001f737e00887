/**
 * Reads a PNG's dimensions from its header, without trusting the file name: the 8-byte
 * signature, then the first chunk, which the PNG spec (ISO/IEC 15948, 5.2 and 11.2.2) requires
 * to be IHDR with 13 data bytes: width and height as 4-byte big-endian integers.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type PngHeader = { ok: true; width: number; height: number } | { ok: false; problem: string };

export function readPngHeader(bytes: Uint8Array): PngHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) {
    return { ok: false, problem: `is not a PNG (its first bytes are ${describeMagic(buf)}, not the PNG signature)` };
  }
  // signature (8) + length (4) + type (4) + IHDR data (13) + CRC (4)
  if (buf.length < 33) return { ok: false, problem: `is a truncated PNG (${buf.length} bytes, too short for its IHDR header)` };
  const length = buf.readUInt32BE(8);
  const type = buf.toString('latin1', 12, 16);
  if (type !== 'IHDR' || length !== 13) return { ok: false, problem: `is a damaged PNG (its first chunk is "${type}" of ${length} bytes, expected IHDR of 13)` };
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width === 0 || height === 0) return { ok: false, problem: `is a damaged PNG (IHDR says ${width}x${height})` };
  return { ok: true, width, height };
}

function describeMagic(buf: Buffer): string {
  const head = buf.subarray(0, 4);
  if (head.length === 0) return 'empty';
  if (head[0] === 0xff && head[1] === 0xd8) return 'a JPEG signature';
  if (head.toString('latin1', 0, 3) === 'GIF') return 'a GIF signature';
  if (head.toString('latin1', 0, 4) === '<svg' || head.toString('latin1', 0, 4) === '<?xm') return 'SVG/XML text';
  return [...head].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
