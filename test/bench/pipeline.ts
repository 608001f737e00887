/**
 * Simulated pipeline run (discrete-event time) with 12 target regions on the emulator: the makespan
 * against its lower bound under the 5-copy limit, and the builder's billed lifetime (create to
 * delete) against its own. Wired into `npm run bench` by test/bench/index.ts:
 *
 *   import { benchPipeline, printPipeline } from './pipeline.js';
 *   printPipeline(await benchPipeline());
 *
 * The lower bound: the builder's chain up to the captured image, then the longer of the boot
 * test's chain and the optimal copy phase (copies need only the image, so the two can overlap).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMS } from '../../stacks/catalogue/ims-rules.js';
import { huaweiCloud } from '../../scripts/cloud/index.js';
import { DEFAULT_DURATIONS, type Durations } from '../../scripts/emulator/account.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import type { JobRecord } from '../../scripts/emulator/jobs.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { formatDuration, type Clock } from '../../scripts/pipeline/clock.js';
import { regionDistanceKm } from '../../scripts/pipeline/copy-order.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { makeImage } from '../support/images.js';
import { loopbackClock } from '../support/loopback-clock.js';
import { maxConcurrent, TWELVE_REGIONS } from '../support/pipeline-harness.js';
import { startEmulator, type TestEmulator } from '../emulator/support.js';

interface PipelineBenchResult {
  regions: number;
  pollIntervalMs: number;
  makespanMs: number;
  bestMakespanMs: number;
  copyPhaseMs: number;
  bestCopyPhaseMs: number;
  maxConcurrentCopies: number;
  builderLifetimeMs: number;
  /** What the builder must live through: create, boot, install, power-off, capture (IMS reads its disk), delete. */
  builderLowerBoundMs: number;
  installMs: number;
  deleteRequestedAfterCaptureMs: number;
  builderGoneAfterCaptureMs: number;
  realMs: number;
}

/** Optimal makespan of independent jobs on `m` identical machines (branch and bound; 12 jobs is small). */
export function optimalMakespan(jobs: readonly number[], m: number): number {
  const sorted = [...jobs].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  const lower = Math.max(sorted[0] ?? 0, total / m);
  let best = Infinity;
  const loads = new Array(m).fill(0);
  const place = (i: number) => {
    if (i === sorted.length) {
      best = Math.min(best, Math.max(...loads));
      return;
    }
    const seen = new Set<number>();
    for (let k = 0; k < m; k++) {
      if (seen.has(loads[k]) || loads[k] + sorted[i] >= best) continue;
      seen.add(loads[k]);
      loads[k] += sorted[i];
      place(i + 1);
      loads[k] -= sorted[i];
      if (best <= lower) return;
    }
  };
  place(0);
  return best;
}

async function oneBuild(emu: TestEmulator, clock: Clock, dir: string, buildVersion: string, durations: Durations, pollIntervalMs: number, distribution: 'alongside-test' | 'after-test' = 'alongside-test'): Promise<PipelineBenchResult> {
  const image = makeImage({ targetRegions: TWELVE_REGIONS, buildVersion, build: { agencyName: 'ims_agency', distribution } });
  const copyMs = durations.copyMs as Record<string, number>;
  const stepMs = durations.stepMs as Record<string, number>;
  const realStart = Date.now();
  const jobs = () => Object.values(emu.emulator.account.data.jobs) as JobRecord[];
  const jobsBefore = new Set(jobs().map((j) => j.job_id));
  const sleep = (ms: number, signal?: AbortSignal) => clock.sleep(ms, signal);
  const start = clock.now();
  const outcome = await build({
    image, store: new CheckpointStore(join(dir, 'builds'), dir), clock,
    cloud: (ctx) => huaweiCloud(image, ctx, emu.credentials, { kind: 'local', dir: join(dir, 'state') }, {
      endpoint: { baseUrl: emu.url, insecure: false }, sleep,
      deployer: (api) => new EmulatorApplier({ image, context: ctx, api, clock, outdir: join(dir, 'cdktf.out'), stateDir: join(dir, 'state'), pollMs: 5_000 }),
    }),
    progress: new MemoryProgress(), distDir: join(dir, 'dist'), pollIntervalMs, meta: { toolVersion: 'bench' },
  });
  const end = clock.now();
  if (outcome.status !== 'built') throw new Error(`bench build ended ${outcome.status}`);
  const d = durations;
  const install = stepMs.install + stepMs.configure;
  const bestCopy = optimalMakespan(TWELVE_REGIONS.map((r) => copyMs[r]), IMS.maxConcurrentCopies);
  // The unavoidable chain: builder network (a VPC, then its subnet, each ready after a short
  // job) and server up, install, power-off, capture, the same for the tester, test, copies.
  // Stack destroys and other API calls can overlap other work, so the best case does not count them.
  const guestUp = 2 * d.shortJobMs + d.serverCreateMs + d.bootMs;
  const best = guestUp + install + d.powerOffMs + d.captureMs + Math.max(guestUp + stepMs.smoke, bestCopy);
  const mine = jobs().filter((j) => !jobsBefore.has(j.job_id));
  const begin = (j: JobRecord) => j.beganAt ?? Date.parse(j.begin_time);
  const builderCreate = mine.find((j) => j.job_type === 'createServer')!;
  const builderId = builderCreate.payload.serverId as string;
  const builderDelete = mine.find((j) => j.job_type === 'deleteServer' && (j.payload.serverIds as string[]).includes(builderId))!;
  const capture = mine.find((j) => j.job_type === 'createImage')!;
  const copies = mine.filter((j) => j.job_type === 'copyImage' && j.payload.crossRegion).map((j) => ({ start: begin(j), end: j.doneAt }));
  return {
    regions: TWELVE_REGIONS.length,
    pollIntervalMs,
    makespanMs: end - start,
    bestMakespanMs: best,
    copyPhaseMs: Math.max(...copies.map((j) => j.end)) - Math.min(...copies.map((j) => j.start)),
    bestCopyPhaseMs: bestCopy,
    maxConcurrentCopies: maxConcurrent(copies),
    builderLifetimeMs: builderDelete.doneAt - begin(builderCreate),
    builderLowerBoundMs: d.serverCreateMs + d.bootMs + install + d.powerOffMs + d.captureMs + d.serverDeleteMs,
    installMs: install,
    deleteRequestedAfterCaptureMs: begin(builderDelete) - capture.doneAt,
    builderGoneAfterCaptureMs: builderDelete.doneAt - capture.doneAt,
    realMs: Date.now() - realStart,
  };
}

/** How much slower (or faster) than its distance alone each of the twelve copies runs. */
const LOAD = [0.07, -0.12, 0.15, -0.05, 0.1, -0.15, 0.02, -0.08, 0.12, -0.1, 0.05, -0.03];

type PipelineBench = { first: PipelineBenchResult; second: PipelineBenchResult; afterTest?: PipelineBenchResult };

/**
 * Two builds of the same product (versions 1.0.0 and 1.0.1) on the emulator, with the applier
 * in place of Terraform: the first plans its copy order from distance estimates; the second from
 * the first one's timings. With `afterTest`, a third (1.0.2) copies only after the boot test
 * (`build.distribution: 'after-test'`), for comparison.
 */
export async function benchPipeline({ pollIntervalMs = 10_000, afterTest = false } = {}): Promise<PipelineBench> {
  // Copy times grow with distance from the build region, and vary by region (load) by up to 15%
  // either way: about 6 to 19 minutes. The factory's own estimate (copy-order.ts) knows the
  // distances, not these coefficients or the variation.
  const buildRegion = makeImage({}).spec.buildRegion;
  const copyMs = Object.fromEntries(TWELVE_REGIONS.map((r, i) => [r, Math.round((6 * 60_000 + (regionDistanceKm(buildRegion, r)! / 1000) * 40_000) * (1 + LOAD[i]))]));
  const stepMs = { install: 8 * 60_000, configure: 3 * 60_000, smoke: 60_000 };
  const durations: Durations = { ...DEFAULT_DURATIONS, copyMs, stepMs };
  // Discrete-event time: exact figures, unaffected by machine load.
  const clock = loopbackClock();
  const emu = await startEmulator({ clock, latencyMs: 200 });
  try {
    await emu.config({ durations: durations as unknown as Record<string, number> });
    const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
    const first = await oneBuild(emu, clock, dir, '1.0.0', durations, pollIntervalMs);
    const second = await oneBuild(emu, clock, dir, '1.0.1', durations, pollIntervalMs);
    return { first, second, ...(afterTest ? { afterTest: await oneBuild(emu, clock, dir, '1.0.2', durations, pollIntervalMs, 'after-test') } : {}) };
  } finally {
    await emu.close();
  }
}

export function printPipeline({ first, second, afterTest }: PipelineBench): void {
  printRun('first build (copy order planned from distance estimates)', first);
  printRun('next version (copy order planned from the first build\'s times)', second);
  if (afterTest) printRun('a third version with build.distribution \'after-test\' (copies wait for the boot test)', afterTest);
}

function printRun(title: string, r: PipelineBenchResult): void {
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
  console.log(`\nsimulated pipeline, ${title}: ${r.regions} target regions, ${IMS.maxConcurrentCopies}-copy limit, poll ${formatDuration(r.pollIntervalMs)}, simulated time (${r.realMs} ms real)`);
  console.log(`  makespan          ${formatDuration(r.makespanMs).padStart(8)}   lower bound   ${formatDuration(r.bestMakespanMs).padStart(8)}   +${pct(r.makespanMs, r.bestMakespanMs)} (target <= 5%; bound: capture + max(test chain, optimal copy phase))`);
  console.log(`  copy phase        ${formatDuration(r.copyPhaseMs).padStart(8)}   optimal       ${formatDuration(r.bestCopyPhaseMs).padStart(8)}   +${pct(r.copyPhaseMs, r.bestCopyPhaseMs)}   max concurrent copies ${r.maxConcurrentCopies}`);
  console.log(`  builder billed    ${formatDuration(r.builderLifetimeMs).padStart(8)}   lower bound   ${formatDuration(r.builderLowerBoundMs).padStart(8)}   +${pct(r.builderLifetimeMs, r.builderLowerBoundMs)} (create, boot, install ${formatDuration(r.installMs)}, power-off, capture, delete)`);
  console.log(`  builder delete requested ${formatDuration(r.deleteRequestedAfterCaptureMs)} after capture (target <= one poll, ${formatDuration(r.pollIntervalMs)}); gone ${formatDuration(r.builderGoneAfterCaptureMs)} after`);
}

// Run directly: node scripts/bin/run-ts.mjs test/bench/pipeline.ts
if (process.argv[1]?.endsWith('test/bench/pipeline.ts')) printPipeline(await benchPipeline({ afterTest: true }));
