/** Unpacks a user_data bundle's write_files the way cloud-init would, under a chosen directory. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GUEST_HOME } from '../../../stacks/guest/user-data.js';

interface WriteFile { path: string; permissions: string; encoding?: string; content: string }

export function cloudConfigOf(gzipped: Buffer): { write_files: WriteFile[]; runcmd: string[][] } {
  const text = gunzipSync(gzipped).toString('utf8');
  if (!text.startsWith('#cloud-config\n')) throw new Error(`expected #cloud-config, found ${JSON.stringify(text.slice(0, 40))}`);
  return JSON.parse(text.slice('#cloud-config\n'.length));
}

/** Writes every file of the bundle, mapping GUEST_HOME to `home`; returns the runcmd. */
export function materialize(gzipped: Buffer, home: string): string[][] {
  const config = cloudConfigOf(gzipped);
  for (const f of config.write_files) {
    if (!f.path.startsWith(`${GUEST_HOME}/`)) throw new Error(`unexpected write_files path ${f.path}`);
    const dest = join(home, f.path.slice(GUEST_HOME.length + 1));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, f.encoding === 'b64' ? Buffer.from(f.content, 'base64') : f.content);
    chmodSync(dest, parseInt(f.permissions, 8));
  }
  return config.runcmd;
}
