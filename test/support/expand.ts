/**
 * Everything an output file carries, unpacked: zip entries, and inside JSON every string, every
 * base64 string decoded, and gzip (the builder's user_data) inflated, recursively. A test that
 * greps outputs for a marker must search these, or a compressed leak would go unseen.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import JSZip from 'jszip';

const BASE64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;

async function expandBytes(bytes: Buffer, out: Buffer[]): Promise<void> {
  out.push(bytes);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return expandBytes(gunzipSync(bytes), out);
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    const zip = await JSZip.loadAsync(bytes);
    for (const entry of Object.values(zip.files)) if (!entry.dir) await expandBytes(Buffer.from(await entry.async('uint8array')), out);
    return;
  }
  const text = bytes.toString('utf8');
  // A JSON document, or a #cloud-config whose body is JSON.
  const json = text.startsWith('#cloud-config\n') ? text.slice(text.indexOf('\n') + 1) : text;
  let parsed: unknown;
  try { parsed = JSON.parse(json); } catch { return; }
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(parsed);
  for (const s of strings) {
    out.push(Buffer.from(s, 'utf8'));
    if (BASE64.test(s)) await expandBytes(Buffer.from(s, 'base64'), out);
  }
}

/** The file's bytes and everything packed inside them. */
export async function expandedContents(path: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  await expandBytes(readFileSync(path), out);
  return out;
}
