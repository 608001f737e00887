/**
 * Synthesis benchmark: N generated image definitions with 12 target regions each, validated
 * and synthesized (3 stacks per image) into a temporary cdktf.out. Each size runs in a child
 * process of its own so its peak memory (max RSS) is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regionIds } from '../../stacks/catalogue/regions.js';

const BUILD_REGION = 'ap-southeast-3';
const TARGETS = regionIds('intl').filter((r) => r !== BUILD_REGION).slice(0, 12);

export interface SynthResult { images: number; stacks: number; wallMs: number; peakRssMiB: number }

/** Writes `count` image folders like a merchant's, each with 12 copy regions. */
function generateImages(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-images-'));
  // Definitions are ES modules, as they are inside the project (package.json "type": "module").
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `product-${String(i).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'install.sh'), `#!/bin/bash\nset -e\napt-get install -y app-${i}\n`);
    writeFileSync(join(folder, 'image.ts'), `export default ${JSON.stringify({
      product: { nameZh: `产品 ${i}`, nameEn: `Product ${i}` },
      version: 'V1.0', buildVersion: '1.0.0', site: 'intl', buildRegion: BUILD_REGION,
      targetRegions: TARGETS, baseImage: { name: 'Ubuntu 22.04 server 64bit' }, flavors: ['s7.large.2'],
      install: [{ name: 'install', script: 'install.sh' }],
      securityGroup: [{ protocol: 'tcp', ports: '443', description: 'HTTPS' }],
      build: { agencyName: 'ims_agency' },
    })};\n`);
  }
  return dir;
}

/** Child-process body: load, validate and synthesize, then report timing and peak RSS. */
async function child(imagesDir: string): Promise<void> {
  const started = performance.now();
  const { loadAllImages } = await import('../../stacks/definition/load.js');
  const { createFactoryApp } = await import('../../stacks/app.js');
  const images = await loadAllImages(imagesDir, imagesDir);
  const outdir = mkdtempSync(join(tmpdir(), 'bench-out-'));
  const { app, stacks } = createFactoryApp({ images, context: { buildId: 'bench', startedAt: new Date() }, outdir });
  app.synth();
  const wallMs = performance.now() - started;
  rmSync(outdir, { recursive: true, force: true });
  const result: SynthResult = { images: images.length, stacks: stacks.length * 3, wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

/** Runs each size `runs` times and keeps the median wall time (the machine has 2 cores; noise is real). */
export function benchSynth(sizes: number[] = [1, 10, 50], runs = 3): SynthResult[] {
  const runner = join(process.cwd(), 'scripts/bin/run-ts.mjs');
  return sizes.map((n) => {
    const dir = generateImages(n);
    try {
      const samples = Array.from({ length: runs }, () => {
        const out = execFileSync(process.execPath, [runner, fileURLToPath(import.meta.url), '--child', dir], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
        return JSON.parse(out) as SynthResult;
      });
      return samples.sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs / 2)];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

export function printSynth(results: SynthResult[]): void {
  console.log('synthesis: images with 12 target regions each (load + validate + synth, fresh process, median of 3 runs)');
  console.log('  images  stacks   wall time   per image   peak RSS');
  for (const r of results) {
    console.log(`  ${String(r.images).padStart(6)}  ${String(r.stacks).padStart(6)}  ${(r.wallMs / 1000).toFixed(2).padStart(8)} s  ${(r.wallMs / r.images).toFixed(0).padStart(7)} ms  ${r.peakRssMiB.toFixed(0).padStart(6)} MiB`);
  }
  // Growth: the cost of each added image between consecutive sizes; flat means linear.
  for (let i = 1; i < results.length; i++) {
    const [a, b] = [results[i - 1], results[i]];
    console.log(`  ${a.images} -> ${b.images} images: +${((b.wallMs - a.wallMs) / (b.images - a.images)).toFixed(0)} ms and +${((b.peakRssMiB - a.peakRssMiB) / (b.images - a.images)).toFixed(2)} MiB per added image`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
