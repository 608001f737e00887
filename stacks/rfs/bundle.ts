/** Builds a TemplateBundle from a zip, for the rule pack. */
import { basename } from 'node:path';
import JSZip from 'jszip';
import type { TemplateBundle, TemplateFile } from './types.js';

export async function bundleFromZip(bytes: Uint8Array, name = 'template.zip'): Promise<TemplateBundle> {
  const zip = await JSZip.loadAsync(bytes);
  const files: TemplateFile[] = [];
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    files.push({ path: entry.name, bytes: await entry.async('uint8array') });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const unpackedBytes = files.reduce((n, f) => n + f.bytes.length, 0);
  return { files, zip: { name: basename(name), packedBytes: bytes.length, unpackedBytes, entries: files.length } };
}
