/**
 * Wall time of the example image's whole pipeline (images/nginx: build, stop, capture, boot
 * test, every copy, build.json) against the emulator, with the applier in place of Terraform and
 * the emulator's default (realistic) durations played on discrete-event time: a regression
 * figure for everything the product and the emulator do per build, minus Terraform itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { huaweiCloud } from '../../scripts/cloud/index.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { formatDuration } from '../../scripts/pipeline/clock.js';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { startEmulator } from '../emulator/support.js';
import { loopbackClock } from '../support/loopback-clock.js';

export interface NginxEmulatedResult {
  readonly wallMs: number;
  readonly simulatedMs: number;
  readonly apiCalls: number;
  readonly regions: number;
}

export async function benchNginxEmulated(): Promise<NginxEmulatedResult> {
  const root = resolve('.');
  const image = await loadNamedImage(join(root, 'images'), 'nginx', root);
  const clock = loopbackClock();
  let apiCalls = 0;
  const emu = await startEmulator({ clock, latencyMs: 200, log: () => (apiCalls += 1) });
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const sleep = (ms: number, signal?: AbortSignal) => clock.sleep(ms, signal);
  try {
    const wallStart = performance.now();
    const simStart = clock.now();
    const outcome = await build({
      image, store: new CheckpointStore(join(dir, 'builds'), dir), clock, progress: new MemoryProgress(), distDir: join(dir, 'dist'),
      cloud: (ctx) => huaweiCloud(image, ctx, emu.credentials, { kind: 'local', dir: join(dir, 'state') }, {
        endpoint: { baseUrl: emu.url, insecure: false }, sleep,
        deployer: (api) => new EmulatorApplier({ image, context: ctx, api, clock, outdir: join(dir, 'cdktf.out'), stateDir: join(dir, 'state') }),
      }),
      meta: { toolVersion: 'bench' },
    });
    if (outcome.status !== 'built') throw new Error(`bench: nginx build ended ${outcome.status}`);
    return { wallMs: performance.now() - wallStart, simulatedMs: clock.now() - simStart, apiCalls, regions: 1 + image.spec.targetRegions.length };
  } finally {
    await emu.close();
  }
}

export function printNginxEmulated(r: NginxEmulatedResult): void {
  console.log(`\nnginx pipeline on the emulator (applier in place of Terraform, discrete-event time): ${r.regions} regions, ${r.apiCalls} API calls`);
  console.log(`  wall time ${(r.wallMs / 1000).toFixed(2)} s for ${formatDuration(r.simulatedMs)} of simulated build`);
}

if (process.argv[1]?.endsWith('test/bench/nginx-emulated.ts')) printNginxEmulated(await benchNginxEmulated());
