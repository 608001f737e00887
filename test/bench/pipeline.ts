/**
 * Simulated pipeline run (discrete-event time) with 12 target regions on the fake cloud: the makespan
 * against the best possible under the 5-copy limit, and the builder's billed lifetime (create
 * to delete) against the install time. Wired into `npm run bench` by test/bench/index.ts:
 *
 *   import { benchPipeline, printPipeline } from './pipeline.js';
 *   printPipeline(await benchPipeline());
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMS } from '../../stacks/catalogue/ims-rules.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { VirtualClock, formatDuration, type Clock } from '../../scripts/pipeline/clock.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { makeImage } from '../support/images.js';
import { DEFAULT_DURATIONS, FakeCloud, type FakeDurations } from '../fakes/fake-cloud.js';
import { TWELVE_REGIONS } from '../fakes/harness.js';

export interface PipelineBenchResult {
  regions: number;
  pollIntervalMs: number;
  makespanMs: number;
  bestMakespanMs: number;
  copyPhaseMs: number;
  bestCopyPhaseMs: number;
  maxConcurrentCopies: number;
  builderLifetimeMs: number;
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

async function oneBuild(cloud: FakeCloud, clock: Clock, dir: string, buildVersion: string, durations: FakeDurations, pollIntervalMs: number): Promise<PipelineBenchResult> {
  const image = makeImage({ targetRegions: TWELVE_REGIONS, buildVersion });
  const copyMs = durations.copyMs as Record<string, number>;
  const stepMs = durations.stepMs as Record<string, number>;
  const realStart = Date.now();
  const jobsBefore = cloud.copyJobs.length;
  const start = clock.now();
  const outcome = await build({
    image, cloud: (ctx) => cloud.forBuild(image, ctx), store: new CheckpointStore(join(dir, 'builds'), dir), clock,
    progress: new MemoryProgress(), distDir: join(dir, 'dist'), pollIntervalMs, meta: { toolVersion: 'bench' },
  });
  const end = clock.now();
  if (outcome.status !== 'built') throw new Error(`bench build ended ${outcome.status}`);
  const d = durations;
  const install = stepMs.install + stepMs.configure;
  const bestCopy = optimalMakespan(TWELVE_REGIONS.map((r) => copyMs[r]), IMS.maxConcurrentCopies);
  // The unavoidable chain: builder up, install, power-off, capture, tester up, test, copies.
  // Stack destroys and API calls can overlap other work, so the best case does not count them.
  const best = d.applyMs + d.bootMs + install + d.powerOffMs + d.captureMs + d.applyMs + d.bootMs + stepMs.smoke + bestCopy;
  const builder = cloud.allResources().find((r) => r.type === 'ecs' && r.stack.endsWith('-builder') && r.tags['image-factory-version'] === buildVersion);
  const captured = cloud.allResources().find((r) => r.type === 'image' && r.region === image.spec.buildRegion && r.tags['image-factory-version'] === buildVersion)!;
  const jobs = cloud.copyJobs.slice(jobsBefore);
  return {
    regions: TWELVE_REGIONS.length,
    pollIntervalMs,
    makespanMs: end - start,
    bestMakespanMs: best,
    copyPhaseMs: Math.max(...jobs.map((j) => j.end)) - Math.min(...jobs.map((j) => j.start)),
    bestCopyPhaseMs: bestCopy,
    maxConcurrentCopies: cloud.maxConcurrentCopies,
    builderLifetimeMs: builder!.deletedAt! - builder!.createdAt,
    installMs: install,
    deleteRequestedAfterCaptureMs: builder!.deleteRequestedAt! - captured.createdAt,
    builderGoneAfterCaptureMs: builder!.deletedAt! - captured.createdAt,
    realMs: Date.now() - realStart,
  };
}

/**
 * Two builds of the same product (versions 1.0.0 and 1.0.1): the first knows nothing about
 * copy times; the second orders its copies longest-first from the first one's timings.
 */
export async function benchPipeline({ pollIntervalMs = 10_000 } = {}): Promise<{ first: PipelineBenchResult; second: PipelineBenchResult }> {
  // Copy times differ by region (distance, load): 9 to 14 minutes.
  const copyMs = Object.fromEntries(TWELVE_REGIONS.map((r, i) => [r, (9 + ((i * 7) % 6)) * 60_000]));
  const stepMs = { install: 8 * 60_000, configure: 3 * 60_000, smoke: 60_000 };
  const durations: FakeDurations = { ...DEFAULT_DURATIONS, copyMs, stepMs };
  // Discrete-event time: exact figures, unaffected by machine load.
  const clock = new VirtualClock();
  const cloud = new FakeCloud({ clock, durations });
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  const first = await oneBuild(cloud, clock, dir, '1.0.0', durations, pollIntervalMs);
  const second = await oneBuild(cloud, clock, dir, '1.0.1', durations, pollIntervalMs);
  return { first, second };
}

export function printPipeline({ first, second }: { first: PipelineBenchResult; second: PipelineBenchResult }): void {
  printRun('first build (no copy history)', first);
  printRun('next version (copies longest-first from history)', second);
}

function printRun(title: string, r: PipelineBenchResult): void {
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
  console.log(`\nsimulated pipeline, ${title}: ${r.regions} target regions, ${IMS.maxConcurrentCopies}-copy limit, poll ${formatDuration(r.pollIntervalMs)}, simulated time (${r.realMs} ms real)`);
  console.log(`  makespan          ${formatDuration(r.makespanMs).padStart(8)}   best possible ${formatDuration(r.bestMakespanMs).padStart(8)}   +${pct(r.makespanMs, r.bestMakespanMs)} (target <= 10%)`);
  console.log(`  copy phase        ${formatDuration(r.copyPhaseMs).padStart(8)}   best possible ${formatDuration(r.bestCopyPhaseMs).padStart(8)}   +${pct(r.copyPhaseMs, r.bestCopyPhaseMs)}   max concurrent copies ${r.maxConcurrentCopies}`);
  console.log(`  builder billed    ${formatDuration(r.builderLifetimeMs).padStart(8)}   install time  ${formatDuration(r.installMs).padStart(8)}   x${(r.builderLifetimeMs / r.installMs).toFixed(2)}`);
  console.log(`  builder delete requested ${formatDuration(r.deleteRequestedAfterCaptureMs)} after capture (target <= one poll, ${formatDuration(r.pollIntervalMs)}); gone ${formatDuration(r.builderGoneAfterCaptureMs)} after`);
}

// Run directly: node scripts/bin/run-ts.mjs test/bench/pipeline.ts
if (process.argv[1]?.endsWith('test/bench/pipeline.ts')) printPipeline(await benchPipeline());
