/** Builds a TemplateBundle from files on disk or from a zip, for the rule pack. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import JSZip from 'jszip';
import type { TemplateBundle, TemplateFile } from './types.js';

/** Every file under `dir` (the zip itself excluded), with paths relative to it. */
export function bundleFromDir(dir: string, exclude: readonly string[] = []): TemplateBundle {
  const files: TemplateFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const rel = relative(dir, abs).split(sep).join('/');
      if (exclude.includes(rel)) continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else files.push({ path: rel, bytes: readFileSync(abs) });
    }
  };
  walk(dir);
  return { files };
}

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
