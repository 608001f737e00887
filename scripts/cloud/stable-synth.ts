/**
 * Synthesis that never disturbs a running Terraform. The pipeline synthesizes every stack before
 * each deploy, while another stack's destroy may be running in the background (the builder's,
 * once the image is captured); cdktf rewrites every file in place, so that terraform could read
 * a half-written cdk.tf.json and fail, leaving its server running. Here the app is synthesized
 * into a scratch folder, and only the files whose content changed are moved into place, each
 * atomically.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../lib/fs.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Runs `synth(scratch)`, then updates `outdir` with what changed. */
export function synthesizeStable(outdir: string, synth: (scratch: string) => void): void {
  mkdirSync(outdir, { recursive: true });
  const scratch = mkdtempSync(join(outdir, '.synth-'));
  try {
    synth(scratch);
    for (const file of filesUnder(scratch)) {
      const target = join(outdir, relative(scratch, file));
      const content = readFileSync(file);
      if (existsSync(target) && readFileSync(target).equals(content)) continue;
      writeFileAtomic(target, content);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
