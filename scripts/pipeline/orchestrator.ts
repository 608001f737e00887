/**
 * The build pipeline: preflight, build, stop, capture, boot test, distribute, record. Each
 * stage's status is written to the checkpoint before the next starts, so `resume` picks up
 * where a killed or failed run stopped. On failure or interruption every temporary resource
 * (builder, tester, their network and EIP) is destroyed unless `keepOnFailure` is set.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { IMS } from '../../stacks/catalogue/ims-rules.js';
import { newBuildId } from '../../stacks/build-context.js';
import type { BuildContext } from '../../stacks/build-context.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { UserError } from '../../stacks/errors.js';
import { TAG } from '../../stacks/definition/tags.js';
import type { Cloud, CopyEvent, TaggedResource } from '../cloud/types.js';
import { CheckpointStore, STAGES, isComplete, newCheckpoint, nextStage, type Checkpoint, type Stage } from './checkpoint.js';
import type { Clock } from './clock.js';
import { formatDuration } from './clock.js';
import { GuestFailure, followGuest, waitForStatus } from './guest.js';
import { copyOrder } from './copy-order.js';
import { preflight } from './preflight.js';
import { findBuildImage } from './reconcile.js';
import { isTransient } from './transient.js';
import { sweep, type SweepDecision } from './sweep.js';
import type { EventStatus, ProgressSink } from './progress.js';
import { recordPath, stepHashes, writeBuildRecord, type BuildMeta } from './record.js';
import { SbomError, assembleSbom, sbomPath, writeSbom } from '../sbom/sbom.js';

export interface PipelineOptions {
  readonly image: LoadedImage;
  /** The cloud for this build; called with the build's context (its ID tags every resource). */
  readonly cloud: (context: BuildContext, copyRegions: readonly string[]) => Cloud;
  readonly store: CheckpointStore;
  readonly clock: Clock;
  readonly progress: ProgressSink;
  /** @default dist */
  readonly distDir?: string;
  /** Console and status polling interval. @default 10 s */
  readonly pollIntervalMs?: number;
  /** Keep the builder and tester after a failure, for inspection. @default false */
  readonly keepOnFailure?: boolean;
  readonly signal?: AbortSignal;
  readonly meta: BuildMeta;
  /** How long to wait for the guest's own power-off after success before stopping it. @default 3 min */
  readonly powerOffGraceMs?: number;
  /** How long a stop may take before the build fails. @default 5 min */
  readonly stopTimeoutMs?: number;
  /** @default 5 (IMS: concurrent cross-region copies per tenant) */
  readonly maxConcurrentCopies?: number;
  /** Name of the command for lock messages. @default build */
  readonly command?: string;
}

/** A temporary resource the run could not delete after its retries: still billed, named with its IDs. */
export interface Leftover {
  readonly what: 'builder' | 'tester';
  readonly region: string;
  /** The ECS instance ID, when the checkpoint knows it. */
  readonly instanceId?: string;
  readonly error: string;
}

export type Outcome =
  | { status: 'built'; checkpoint: Checkpoint; recordPath: string; leftovers?: Leftover[] }
  | { status: 'already-built'; checkpoint?: Checkpoint; recordPath: string; recordRewritten?: boolean }
  | { status: 'partial'; checkpoint: Checkpoint; recordPath: string; failedRegions: string[]; leftovers?: Leftover[] }
  | { status: 'failed'; checkpoint: Checkpoint; stage: Stage; error: string; consoleTail?: string }
  | { status: 'interrupted'; checkpoint: Checkpoint; stage: Stage };

class StageError extends Error {
  constructor(readonly stage: Stage, message: string, readonly consoleTail?: string) {
    super(message);
  }
}

/**
 * The definition's copy regions (targetRegions without the build region). Regions added by
 * `distribute --regions` are not here: they live in the checkpoint's `regions` map only.
 */
function targetRegions(image: LoadedImage): string[] {
  return image.spec.targetRegions.filter((r) => r !== image.spec.buildRegion);
}

/**
 * A finished build. Its record is written again from the checkpoint when the file is gone (a
 * clean checkout, a deleted dist/), but only from the same steps: a record says which scripts
 * and files were built and tested, so a changed folder cannot be described as this build.
 */
function alreadyBuilt(opts: PipelineOptions, cp: Checkpoint): Outcome {
  const { image } = opts;
  const path = recordPath(opts.distDir ?? 'dist', image.name, cp.version);
  if (existsSync(path)) return { status: 'already-built', checkpoint: cp, recordPath: path };
  const now = stepHashes(image);
  if (cp.stepHashes) {
    const changed = Object.keys({ ...now, ...cp.stepHashes }).filter((k) => now[k] !== cp.stepHashes![k]);
    if (changed.length) {
      throw new UserError(`${image.name} ${cp.version} is built (build ${cp.buildId}), but its record ${path} is gone and cannot be written again truthfully: ${changed.map((k) => `step ${k.replace(':', ' ')}`).join(', ')} changed since the build. Restore images/${image.name} as it was built (its commit is in the CI run or the checkpoint's build ID), or raise buildVersion for a new build`);
    }
  }
  const written = writeBuildRecord(opts.distDir ?? 'dist', image, cp, opts.meta, new Date(cp.finishedAt ?? cp.stages.record.endedAt ?? opts.clock.now()));
  cp.record = written;
  cp.stepHashes ??= now;
  opts.store.save(cp);
  return { status: 'already-built', checkpoint: cp, recordPath: written, recordRewritten: true };
}

export async function build(opts: PipelineOptions): Promise<Outcome> {
  const { image, store } = opts;
  const version = image.spec.buildVersion;
  const distDir = opts.distDir ?? 'dist';
  const existing = store.load(image.name, version);
  if (existing && isComplete(existing)) return alreadyBuilt(opts, existing);
  // A build that failed its preflight paid for nothing: it simply starts over.
  const onlyPreflight = existing && STAGES.every((s) => s === 'preflight' || existing.stages[s].status === 'pending');
  if (existing && !onlyPreflight) {
    // Another process still running this version is not a build that stopped: say who holds it.
    store.refuseIfHeld(image.name, version);
    throw new UserError(`${image.name} ${version} was started (build ${existing.buildId}) and stopped at stage "${nextStage(existing)}"; run \`image-factory resume ${image.name}\` to continue it`);
  }
  const record = recordPath(distDir, image.name, version);
  if (existsSync(record)) return { status: 'already-built', recordPath: record };
  const now = new Date(opts.clock.now());
  const cp = newCheckpoint({ image: image.name, version, productVersion: image.spec.version, buildId: newBuildId(now), startedAt: now, regions: targetRegions(image) });
  return run(opts, cp);
}

export async function resume(opts: PipelineOptions): Promise<Outcome> {
  const { image, store } = opts;
  const version = image.spec.buildVersion;
  const cp = store.load(image.name, version);
  if (!cp) throw new UserError(`${image.name} ${version} has no build to resume (no checkpoint at ${relative(process.cwd(), store.path(image.name, version))}); run \`image-factory build ${image.name}\``);
  if (isComplete(cp)) return alreadyBuilt(opts, cp);
  return run(opts, cp);
}

/**
 * Re-runs only the copies: failed and missing regions, plus `addRegions`; regions already
 * done are kept as they are.
 */
export async function distribute(opts: PipelineOptions, addRegions: readonly string[] = []): Promise<Outcome> {
  const { image, store } = opts;
  const version = image.spec.buildVersion;
  const cp = store.load(image.name, version);
  if (!cp) throw new UserError(`${image.name} ${version} has not been built here (no checkpoint); run \`image-factory build ${image.name}\` first`);
  if (cp.stages.test.status !== 'done' || !cp.privateImage) {
    store.refuseIfHeld(image.name, version);
    throw new UserError(`${image.name} ${version} has no tested image yet (stopped at stage "${nextStage(cp)}"); run \`image-factory resume ${image.name}\``);
  }
  for (const r of [...targetRegions(image), ...addRegions]) {
    if (r === image.spec.buildRegion) continue;
    cp.regions[r] ??= { status: 'pending', attempts: 0 };
  }
  const todo = Object.entries(cp.regions).filter(([, s]) => s.status !== 'done').map(([r]) => r);
  if (!todo.length && isComplete(cp)) {
    opts.progress.note(`${image.name} ${version}: every region already holds a copy (${Object.keys(cp.regions).join(', ') || 'no copy regions'}); nothing to do`);
    return alreadyBuilt(opts, cp);
  }
  cp.stages.distribute = { status: 'pending' };
  cp.stages.record = { status: 'pending' };
  cp.result = 'running';
  cp.finishedAt = undefined;
  return run({ ...opts, command: opts.command ?? 'distribute' }, cp);
}

interface RunState {
  readonly opts: PipelineOptions;
  readonly cp: Checkpoint;
  readonly cloud: Cloud;
  readonly clock: Clock;
  readonly poll: number;
  save(): void;
  /** Set once the run is cleaning up: a checkpoint that cannot be written then no longer stops the deletes. */
  cleaningUp: boolean;
  /** The first checkpoint write that failed while cleaning up (reported at the end). */
  saveError?: Error;
  /** Stack destroys running alongside later stages; awaited before the run ends. */
  readonly background: Promise<void>[];
  /** What could not be deleted after every retry. */
  readonly leftovers: Leftover[];
  emit(stage: Stage | 'cleanup', status: EventStatus, extra?: { region?: string; step?: string; message?: string; elapsedMs?: number }): void;
  iso(): string;
}

async function run(opts: PipelineOptions, cp: Checkpoint): Promise<Outcome> {
  const { image, store, clock, progress } = opts;
  const release = store.acquire(image.name, cp.version, cp.buildId, opts.command ?? 'build');
  const context: BuildContext = { buildId: cp.buildId, startedAt: new Date(cp.startedAt) };
  const cloud = opts.cloud(context, Object.keys(cp.regions));
  const st: RunState = {
    opts, cp, cloud, clock,
    poll: opts.pollIntervalMs ?? 10_000,
    save: () => {
      try {
        store.save(cp);
      } catch (err) {
        // A full disk or a read-only folder must not keep billed machines alive: while cleaning
        // up, the deletes go on and the write failure is told at the end.
        if (!st.cleaningUp) throw err;
        st.saveError ??= err as Error;
      }
    },
    cleaningUp: false,
    background: [],
    leftovers: [],
    iso: () => new Date(clock.now()).toISOString(),
    emit: (stage, status, extra = {}) => progress.emit({ time: new Date(clock.now()).toISOString(), image: image.name, version: cp.version, buildId: cp.buildId, stage, status, ...extra }),
  };
  try {
    // A deployer that cannot copy at all (the provider with custom endpoints) is refused before
    // anything is created or saved: the next build starts afresh once the route is fixed.
    const uncopied = Object.entries(cp.regions).filter(([, r]) => r.status !== 'done').map(([region]) => region);
    const refusal = cloud.deployer.copyRefusal?.(uncopied);
    if (refusal) throw new UserError(`${image.name} ${cp.version}: ${refusal}`);
    prepareResume(st);
    st.save();
    // A run that died after capture (or after the test) may have left its builder (or tester).
    if (cp.stages.capture.status === 'done' && !cp.builderDestroyed) inBackground(st, 'builder', destroyBuilder(st));
    if (cp.stages.test.status === 'done' && cp.tester && !cp.tester.destroyedAt) inBackground(st, 'tester', destroyTester(st));
    let softFailure: string[] = [];
    const ran = new Set<Stage>();
    let current: Stage = 'preflight';
    try {
      for (const stage of STAGES) {
        if (cp.stages[stage].status === 'done' || ran.has(stage)) continue;
        current = stage;
        const ends = stage === 'test' && copiesAlongsideTest(st) ? await testAlongsideCopies(st) : [await runStage(st, stage)];
        for (const end of ends) ran.add(end.stage);
        const error = ends.find((e) => e.kind === 'error');
        if (error?.kind === 'error') return await fail(st, error.stage, error.err);
        for (const end of ends) if (end.kind === 'soft') softFailure = end.failed;
        // A distribute failure still lets the record be written; nothing after it runs.
        if (softFailure.length && stage === 'record') break;
      }
      await Promise.all(st.background);
      if (st.leftovers.length) {
        // A background destroy that failed: its machine may still go by its build tag.
        const failed = st.leftovers.map((l) => ({ what: l.what, err: new Error(l.error) }));
        st.leftovers.length = 0;
        for (const line of await sweepByTag(st, failed)) opts.progress.note(line);
      }
      const path = recordPath(opts.distDir ?? 'dist', image.name, cp.version);
      const leftovers = st.leftovers.length ? [...st.leftovers] : undefined;
      if (softFailure.length) {
        cp.result = 'partial';
        cp.finishedAt = st.iso();
        st.save();
        return { status: 'partial', checkpoint: cp, recordPath: path, failedRegions: softFailure, leftovers };
      }
      cp.result = 'succeeded';
      cp.finishedAt = st.iso();
      st.save();
      return { status: 'built', checkpoint: cp, recordPath: path, leftovers };
    } catch (err) {
      // Whatever failed outside a stage's own handling (a checkpoint write on a full disk, a
      // second error while reporting the first): the same end as a failed stage, cleanup first.
      if (err instanceof UserError && current === 'preflight' && cp.stages.build.status === 'pending') throw err;
      return await fail(st, current, err);
    }
  } finally {
    release();
  }
}

type StageEnd =
  | { stage: Stage; kind: 'done' }
  /** Some regions failed to copy: the others stand, and the record is still written. */
  | { stage: Stage; kind: 'soft'; failed: string[] }
  | { stage: Stage; kind: 'error'; err: unknown };

/** Runs one stage, with its checkpoint entry and its events; a thrown error is returned, not rethrown. */
async function runStage(st: RunState, stage: Stage, runner: StageRunner = STAGE_RUNNERS[stage]): Promise<StageEnd> {
  const { cp, opts } = st;
  const startedAt = st.iso();
  cp.stages[stage] = { status: 'running', startedAt };
  st.save();
  st.emit(stage, 'start');
  try {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const failed = await runner(st);
    // A stage that ended itself (record) keeps the end it wrote down.
    const endedAt = cp.stages[stage].status === 'done' ? cp.stages[stage].endedAt ?? st.iso() : st.iso();
    const elapsedMs = Date.parse(endedAt) - Date.parse(startedAt);
    if (failed?.length) {
      // A region that failed to copy does not undo the others: record, then report.
      const error = `copies failed in ${failed.join(', ')}`;
      cp.stages[stage] = { status: 'failed', startedAt, endedAt, error };
      st.save();
      st.emit(stage, 'failed', { elapsedMs, message: error });
      return { stage, kind: 'soft', failed };
    }
    cp.stages[stage] = { status: 'done', startedAt, endedAt };
    st.save();
    st.emit(stage, 'done', { elapsedMs });
    return { stage, kind: 'done' };
  } catch (err) {
    const endedAt = st.iso();
    const message = opts.signal?.aborted === true ? 'interrupted' : (err as Error).message;
    cp.stages[stage] = { status: 'failed', startedAt, endedAt, error: message };
    st.save();
    st.emit(stage, 'failed', { elapsedMs: Date.parse(endedAt) - Date.parse(startedAt), message });
    return { stage, kind: 'error', err };
  }
}

/** The run's end after a stage failed: the guest's console, then every temporary resource deleted. */
async function fail(st: RunState, stage: Stage, err: unknown): Promise<Outcome> {
  const { cp, opts } = st;
  // From here on nothing may stop the deletes: not a checkpoint that cannot be written, not a second error.
  st.cleaningUp = true;
  const interrupted = opts.signal?.aborted === true;
  let message = interrupted ? 'interrupted' : (err as Error)?.message ?? String(err);
  cp.result = 'failed';
  st.save();
  const tail = err instanceof GuestFailure ? err.consoleTail : err instanceof StageError ? err.consoleTail : undefined;
  if (tail) opts.progress.note(`--- console log of the guest (last lines) ---\n${tail}\n--- end of console log ---`);
  await cleanup(st).catch((e: unknown) => opts.progress.note(`cleanup failed: ${(e as Error).message}`));
  if (st.saveError) {
    message += `; the checkpoint ${opts.store.path(opts.image.name, cp.version)} could not be written (${st.saveError.message}), so it may show a stage as running: the temporary resources were deleted all the same. Free space there, then run \`image-factory resume ${opts.image.name}\``;
  }
  if (interrupted) return { status: 'interrupted', checkpoint: cp, stage };
  if (err instanceof UserError && stage === 'preflight' && !st.saveError) throw err;
  return { status: 'failed', checkpoint: cp, stage, error: message, consoleTail: tail };
}

/** Whether this run's copies start at capture, alongside the boot test (the definition's `build.distribution`). */
function copiesAlongsideTest(st: RunState): boolean {
  const { cp, opts } = st;
  return opts.image.spec.build.distribution === 'alongside-test'
    && cp.stages.distribute.status !== 'done'
    && Object.values(cp.regions).some((r) => r.status !== 'done');
}

/**
 * The boot test and the copies at once: the copies need only the captured image, so the test's
 * boot and steps are hidden inside the copy phase. If the test fails, no further copy starts,
 * the tester is deleted at once, the running copies end (IMS cannot cancel a copy job) and
 * every copy of the image is deleted: nothing that failed its test stays in any region. An
 * interrupt keeps the copies that are done, for `resume`, which tests the same image again.
 */
async function testAlongsideCopies(st: RunState): Promise<StageEnd[]> {
  const stopCopies = new AbortController();
  const testing = runStage(st, 'test');
  const copies = runStage(st, 'distribute', () => copyRegions(st, stopCopies.signal));
  const test = await testing;
  const interrupted = st.opts.signal?.aborted === true;
  if (test.kind === 'error' && !interrupted) {
    stopCopies.abort();
    if (!st.opts.keepOnFailure) inBackground(st, 'tester', destroyTester(st));
    st.emit('distribute', 'progress', { message: 'the boot test failed: no further copy starts; the running ones are deleted once they end' });
  }
  const distribute = await copies;
  if (test.kind === 'error' && !interrupted) {
    await discardCopies(st);
    return [test];
  }
  return [test, distribute];
}

/**
 * Deletes every copy of an image that failed its boot test (each region whose copy stack may
 * hold one) and sets those regions back to pending. A copy that cannot be deleted is kept in
 * the checkpoint as failed, with its image ID, and named.
 */
async function discardCopies(st: RunState): Promise<void> {
  const { cp, cloud, opts } = st;
  const made = Object.entries(cp.regions).filter(([, r]) => r.imageId || r.attempts > 0).map(([region]) => region);
  const startedAt = st.iso();
  let failed: Record<string, string> = {};
  if (made.length) {
    st.emit('cleanup', 'progress', { message: `deleting the copies of the image that failed its test (${made.join(', ')})` });
    failed = await cloud.deployer.destroyCopies(made, cp.privateImage!.id).catch((err: Error) => Object.fromEntries(made.map((r) => [r, err.message])));
    // An adopted copy is in no copy stack's state: deleted through IMS itself.
    for (const region of made) {
      const r = cp.regions[region];
      if (!r.adopted || !r.imageId || failed[region]) continue;
      await cloud.sweeper.deleteImage(region, r.imageId).catch((err: Error) => { failed[region] = err.message; });
    }
  }
  for (const [region, r] of Object.entries(cp.regions)) {
    cp.regions[region] = failed[region]
      ? { ...r, status: 'failed', error: `a copy of the image that failed its boot test; deleting it failed: ${failed[region]}` }
      : { status: 'pending', attempts: r.attempts };
  }
  const error = 'cancelled: the boot test failed';
  cp.stages.distribute = { status: 'failed', startedAt: cp.stages.distribute.startedAt ?? startedAt, endedAt: st.iso(), error };
  st.save();
  const kept = Object.keys(failed);
  st.emit('distribute', 'failed', { message: `${error}; ${made.length - kept.length} of ${made.length} copies deleted` });
  if (kept.length) {
    opts.progress.note(`could not delete the copies of the untested image in ${kept.map((r) => `${r} (${cp.regions[r].imageId ?? 'image ID unknown'}: ${failed[r]})`).join(', ')}. Delete them in the IMS console, or run \`image-factory resume ${opts.image.name}\`: it tests the image again, and deletes them again if the test fails.`);
  }
}

/** Brings a checkpoint left by a crash or a failure back to a state its next stage can start from. */
function prepareResume(st: RunState): void {
  const { cp } = st;
  cp.result = 'running';
  for (const s of STAGES) if (cp.stages[s].status === 'running') cp.stages[s] = { ...cp.stages[s], status: 'failed', error: 'interrupted (process ended)' };
  // Without its builder, an uncaptured build must install again from the start.
  if (cp.builderDestroyed && cp.stages.capture.status !== 'done') {
    cp.stages.build = { status: 'pending' };
    cp.stages.stop = { status: 'pending' };
    cp.builder = undefined;
    cp.builderDestroyed = false;
  }
  for (const r of Object.values(cp.regions)) if (r.status === 'copying') r.status = 'failed';
  // The record written after a partial distribution is stale once the copies are retried.
  if (cp.stages.distribute.status !== 'done') cp.stages.record = { status: 'pending' };
}

/**
 * The waits between a destroy's attempts. A destroy is idempotent (Terraform deletes what its
 * state still holds), so a transient refusal (a 5xx, a throttled delete, a server still
 * stopping) is retried before the machine is declared left behind.
 */
const DESTROY_RETRY_WAITS_MS = [20_000, 60_000] as const;

async function withRetries(st: RunState, what: string, work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const wait = DESTROY_RETRY_WAITS_MS[attempt - 1];
      if (wait === undefined) throw new Error(`${(err as Error).message} (after ${attempt} attempts)`);
      st.opts.progress.note(`could not delete the ${what} (${(err as Error).message}); trying again in ${wait / 1000} s (attempt ${attempt + 1} of ${DESTROY_RETRY_WAITS_MS.length + 1})`);
      // Without the run's signal: after Ctrl-C the deletes must still finish.
      await st.clock.sleep(wait);
    }
  }
}

async function destroyBuilder(st: RunState): Promise<void> {
  if (st.cp.builderDestroyed) return;
  await withRetries(st, 'builder', () => st.cloud.deployer.destroyBuilder());
  st.cp.builderDestroyed = true;
  if (st.cp.builder) st.cp.builder.destroyedAt = st.iso();
  st.save();
}

async function destroyTester(st: RunState): Promise<void> {
  await withRetries(st, 'tester', () => st.cloud.deployer.destroyTester());
  if (st.cp.tester) st.cp.tester.destroyedAt = st.iso();
  st.save();
}

/** What to say of a machine that could not be deleted: its IDs, that it is billed, and the command that deletes it now. */
export function leftoverLine(l: Leftover, image: string, buildId: string): string {
  const ecs = l.instanceId ? `ECS ${l.instanceId}` : 'ECS';
  return `could not delete the ${l.what} (${ecs} in ${l.region}, with its VPC, subnet, security group and EIP): ${l.error}. It is still billed: run \`image-factory sweep --build ${buildId} --regions ${l.region}\` now to delete it (of ${image})`;
}

/** Records a machine that could not be deleted, and returns the line that says so. */
function leftover(st: RunState, what: Leftover['what'], err: unknown): string {
  const l: Leftover = { what, region: st.opts.image.spec.buildRegion, instanceId: what === 'builder' ? st.cp.builder?.instanceId : st.cp.tester?.instanceId, error: (err as Error).message };
  st.leftovers.push(l);
  return leftoverLine(l, st.opts.image.name, st.cp.buildId);
}

/** Runs a destroy alongside the next stages; a failure after its retries is a leftover the run's end deletes by tag or reports. */
function inBackground(st: RunState, what: 'builder' | 'tester', work: Promise<void>): void {
  // Told at the run's end, once the build's tag had its chance to delete it (sweepByTag).
  st.background.push(work.catch((err) => void leftover(st, what, err)));
}

async function cleanup(st: RunState): Promise<void> {
  const { cp, opts } = st;
  await Promise.all(st.background);
  const builderAlive = !cp.builderDestroyed && (cp.builder !== undefined || (cp.stages.build.status !== 'pending' && cp.stages.capture.status !== 'done'));
  const testerAlive = cp.tester !== undefined && !cp.tester.destroyedAt;
  if (opts.keepOnFailure) {
    const region = opts.image.spec.buildRegion;
    if (builderAlive && cp.builder) opts.progress.note(`kept the builder ECS ${cp.builder.instanceId} in ${region} (--keep-on-failure). It accepts no inbound connections: open it in the ECS console (Remote Login, or View Console Log). \`image-factory resume ${opts.image.name}\` starts it over; \`npx cdktf destroy ${opts.image.name}-builder\` removes it.`);
    if (testerAlive && cp.tester) opts.progress.note(`kept the test ECS ${cp.tester.instanceId} in ${region} (--keep-on-failure); \`npx cdktf destroy ${opts.image.name}-tester\` removes it.`);
    return;
  }
  const testerMayExist = testerAlive || (cp.stages.test.status === 'failed' && !cp.tester?.destroyedAt);
  // Nothing was created (a failed preflight): nothing to say about temporary resources.
  if (!builderAlive && !testerMayExist) return;
  const started = st.clock.now();
  st.emit('cleanup', 'start');
  const problems: string[] = [];
  // Servers no state holds keep their subnet in use: they go before the stacks are destroyed.
  problems.push(...await sweepUntracked(st, 'servers'));
  // Cleanup must finish even after SIGINT: it runs without the aborted signal.
  const failed: { what: Leftover['what']; err: unknown }[] = [];
  if (testerMayExist) await destroyTester(st).catch((err) => failed.push({ what: 'tester', err }));
  if (builderAlive) await destroyBuilder(st).catch((err) => failed.push({ what: 'builder', err }));
  problems.push(...await sweepByTag(st, failed));
  const elapsedMs = st.clock.now() - started;
  if (problems.length) {
    st.emit('cleanup', 'failed', { elapsedMs, message: problems.join('; ') });
    for (const p of problems) st.opts.progress.note(p);
  } else st.emit('cleanup', 'done', { elapsedMs, message: 'temporary resources deleted' });
}

/** The waits between attempts of an apply that failed on a transient cloud error (transient.ts). */
const APPLY_RETRY_WAITS_MS = [30_000, 90_000] as const;

/**
 * Runs an apply again after a transient failure (a 5xx, a throttled call, a broken connection
 * that the provider did not retry itself): Terraform keeps what the failed apply made in its
 * state, and a server whose create answer was lost, which no state holds, is deleted first
 * (the capture and copies look for their image instead: reconcile.ts).
 */
async function applyRetrying<T>(st: RunState, what: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const wait = APPLY_RETRY_WAITS_MS[attempt - 1];
      if (wait === undefined || st.opts.signal?.aborted || !isTransient(message)) throw err;
      st.opts.progress.note(`${what} failed on a transient error (${message.split('\n')[0]}); trying again in ${wait / 1000} s (attempt ${attempt + 1} of ${APPLY_RETRY_WAITS_MS.length + 1})`);
      await st.clock.sleep(wait, st.opts.signal);
      // Servers a state holds are Terraform's to keep or replace; only one no state holds goes.
      let tracked: string[];
      try {
        tracked = [...await st.cloud.deployer.trackedServers('builder'), ...await st.cloud.deployer.trackedServers('tester')];
      } catch (stateErr) {
        st.opts.progress.note(`could not read the stacks' state (${(stateErr as Error).message.split('\n')[0]}); servers of this build outside it are left for the cleanup at the end`);
        continue;
      }
      const left = await sweepUntracked(st, 'servers', tracked);
      if (left.length) throw new Error(`${message}; ${left.join('; ')}`);
    }
  }
}

/**
 * What the stacks could not destroy (a state that cannot be written on a full disk, a delete
 * refused three times) and what no state holds: deleted by the build's tag through the API
 * alone, which writes nothing locally. A stack whose resources are all gone that way counts as
 * destroyed (its state still lists them: the next destroy's refresh finds them gone). Returns
 * the lines of what is still left.
 */
async function sweepByTag(st: RunState, failed: readonly { what: Leftover['what']; err: unknown }[]): Promise<string[]> {
  const swept = await sweepUntracked(st, 'all');
  if (!failed.length) return swept;
  if (swept.length || !(await buildGone(st))) return [...failed.map((f) => leftover(st, f.what, f.err)), ...swept];
  for (const f of failed) {
    st.opts.progress.note(`the ${f.what} stack could not be destroyed (${(f.err as Error).message}); its resources were deleted by their build tag instead`);
    if (f.what === 'builder') {
      st.cp.builderDestroyed = true;
      if (st.cp.builder) st.cp.builder.destroyedAt = st.iso();
    } else if (st.cp.tester) st.cp.tester.destroyedAt = st.iso();
  }
  st.save();
  return [];
}

/** Whether nothing billed of this build is left in its region (no server, no EIP with its tag or its name). */
async function buildGone(st: RunState): Promise<boolean> {
  try {
    const region = st.opts.image.spec.buildRegion;
    const left = await st.cloud.sweeper.listTagged(region, TAG.buildId);
    if (left.some((r) => r.tags[TAG.buildId] === st.cp.buildId && (r.type === 'ecs' || r.type === 'eip'))) return false;
    return !(await st.cloud.sweeper.listNamedForBuild(region, st.cp.buildId)).some((r) => r.type === 'eip');
  } catch {
    return false;
  }
}

/**
 * Reconcile at the end of a failed run: a create whose answer was lost (a 5xx after the call
 * was applied, a timeout) made a resource that no Terraform state holds, so destroying the
 * stacks left it. Whatever in the build region still carries this build's tag goes now, in
 * sweep's dependency order. Returns a line per resource that could not be deleted.
 */
async function sweepUntracked(st: RunState, what: 'servers' | 'all', tracked: readonly string[] = []): Promise<string[]> {
  const { cp, opts } = st;
  const region = opts.image.spec.buildRegion;
  // Before the destroys, only the servers that are neither the builder nor the tester the checkpoint knows, nor in a state.
  const known = new Set([cp.builder?.instanceId, cp.tester?.instanceId, ...tracked]);
  const only = what === 'servers' ? (r: TaggedResource) => r.type === 'ecs' && !known.has(r.id) : undefined;
  let decisions: SweepDecision[];
  try {
    decisions = await sweep({ sweeper: st.cloud.sweeper, regions: [region], store: opts.store, now: new Date(st.clock.now()), dryRun: false, build: cp.buildId, ownBuild: true, only, clock: st.clock, pollIntervalMs: st.poll });
  } catch (err) {
    return [`could not look for resources of build ${cp.buildId} outside the stacks' state: ${(err as Error).message}. Run \`image-factory sweep --build ${cp.buildId} --regions ${region}\``];
  }
  const gone = decisions.filter((d) => d.deleted).map((d) => `${d.resource.type} ${d.resource.id}`);
  if (gone.length) opts.progress.note(`deleted ${gone.length} resources of this build that no Terraform state held (a create whose answer was lost): ${gone.join(', ')}`);
  return decisions.filter((d) => d.error).map((d) => `could not delete ${d.resource.type} ${d.resource.id} in ${region}, which no Terraform state holds: ${d.error}. It may be billed: run \`image-factory sweep --build ${cp.buildId} --regions ${region}\` now`);
}

/**
 * How long each region's copy took in earlier builds of this image (the latest one). Another
 * version's damaged checkpoint is named and skipped: it only orders the copies, it never stops them.
 */
function copyHistory(st: RunState): Map<string, number> {
  const took = new Map<string, number>();
  const { checkpoints, damaged } = st.opts.store.scan(st.opts.image.name);
  for (const d of damaged) {
    if (d.version !== st.cp.version) st.opts.progress.note(`skipped ${d.path} (${d.image} ${d.version}): ${d.reason}; its copy times are left out of the copy order. The file is kept as it is: fix or delete it before you resume or build ${d.image} ${d.version} again`);
  }
  for (const cp of checkpoints) {
    for (const [region, r] of Object.entries(cp.regions)) {
      if (r.status === 'done' && r.startedAt && r.endedAt) took.set(region, Date.parse(r.endedAt) - Date.parse(r.startedAt));
    }
  }
  return took;
}

/**
 * Regions an earlier attempt copied to although the checkpoint does not say so (a copy whose
 * answer was lost, a run killed while it copied): the copy found there is adopted, not made
 * again. Only regions with an attempt are looked at; `regions` narrows them further.
 */
async function adoptEarlierCopies(st: RunState, regions?: readonly string[]): Promise<void> {
  const { cp } = st;
  const tried = Object.entries(cp.regions).filter(([region, r]) => r.status !== 'done' && r.attempts > 0 && (!regions || regions.includes(region)));
  for (const [region, r] of tried) {
    const found = await findBuildImage({ client: st.cloud.preflight, clock: st.clock, region, buildId: cp.buildId, name: cp.privateImage?.name, notBefore: Date.parse(cp.startedAt), pollMs: st.poll, signal: st.opts.signal })
      .catch((err: Error) => { st.opts.progress.note(`could not look for an earlier copy in ${region}: ${err.message}`); return undefined; });
    if (!found) continue;
    cp.regions[region] = { ...r, status: 'done', imageId: found.id, endedAt: r.endedAt ?? st.iso(), error: undefined, adopted: true };
    st.save();
    st.opts.progress.note(`adopted copy ${found.id} in ${region}, which an earlier attempt of this build made: it is not copied twice`);
    st.emit('distribute', 'done', { region, message: found.id });
  }
}

type StageRunner = (st: RunState) => Promise<string[] | void>;

const STAGE_RUNNERS: Record<Stage, StageRunner> = {
  async preflight(st) {
    // Terraform and its provider first: without them nothing else can go ahead.
    await st.cloud.deployer.preflight?.();
    const placement = await preflight({
      image: st.opts.image,
      client: st.cloud.preflight,
      copyRegions: Object.keys(st.cp.regions),
    });
    st.cp.placement = { flavor: placement.flavor, availabilityZone: placement.availabilityZone };
    st.emit('preflight', 'progress', { message: `flavor ${placement.flavor}${placement.availabilityZone ? ` in ${placement.availabilityZone}` : ''}` });
  },

  async build(st) {
    const { cp, cloud, opts } = st;
    const spec = opts.image.spec;
    // A guest that already failed (kept with --keep-on-failure) is replaced by a fresh one.
    if (cp.builder && !cp.builderDestroyed && cp.installSteps.some((s) => s.status === 'fail' || s.status === 'timeout')) {
      await destroyBuilder(st);
      cp.builder = undefined;
      cp.builderDestroyed = false;
    }
    cp.installSteps = [];
    const out = await applyRetrying(st, 'the builder stack', () => cloud.deployer.deployBuilder({ placement: cp.placement, signal: opts.signal }));
    cp.builder = { instanceId: out.instanceId, sourceImageId: out.sourceImageId, sourceImageName: out.sourceImageName, createdAt: cp.builder?.createdAt ?? st.iso() };
    cp.builderDestroyed = false;
    st.save();
    st.emit('build', 'progress', { message: `builder ${out.instanceId} from ${out.sourceImageName} (${out.sourceImageId})` });
    const result = await followGuest({
      ecs: cloud.ecs, clock: st.clock, serverId: out.instanceId, region: spec.buildRegion,
      steps: spec.install, overallTimeoutMs: spec.build.timeoutMinutes * 60_000, pollIntervalMs: st.poll, signal: opts.signal,
      onStep: (s) => {
        if (s.status !== 'start') {
          cp.installSteps = [...cp.installSteps.filter((x) => x.name !== s.name), { name: s.name, status: s.status, seconds: s.seconds }];
          st.save();
        }
        st.emit('build', 'progress', { step: `${s.index}/${s.total} ${s.name}`, message: s.status === 'start' ? 'running' : `${s.status}${s.seconds !== undefined ? ` in ${formatDuration(s.seconds * 1000)}` : ''}` });
      },
    });
    cp.installSteps = result.steps;
    cp.selfcheck = result.selfcheck;
    // The SBOM is a deliverable: one lost or corrupted on the console fails the stage (cleanup removes the builder).
    try {
      cp.sbom = writeSbom(sbomPath(opts.distDir ?? 'dist', opts.image.name, cp.version), assembleSbom(result.sbomParts), {
        name: opts.image.name, version: cp.productVersion, timestamp: st.iso(), factoryVersion: opts.meta.toolVersion,
      });
    } catch (err) {
      if (err instanceof SbomError) throw new StageError('build', `the build's SBOM: ${err.message}`);
      throw err;
    }
  },

  async stop(st) {
    const { cp, cloud, opts } = st;
    const region = opts.image.spec.buildRegion;
    const id = cp.builder!.instanceId;
    // The guest powers itself off after sanitizing; give it a moment before forcing the issue.
    let status = await waitForStatus(cloud.ecs, st.clock, id, region, 'SHUTOFF', opts.powerOffGraceMs ?? 180_000, st.poll, opts.signal);
    if (status !== 'SHUTOFF') {
      st.emit('stop', 'progress', { message: `still ${status} after the guest finished; stopping it` });
      await cloud.ecs.stopServer(id, region);
      status = await waitForStatus(cloud.ecs, st.clock, id, region, 'SHUTOFF', opts.stopTimeoutMs ?? 300_000, st.poll, opts.signal);
    }
    if (status !== 'SHUTOFF') {
      throw new StageError('stop', `the builder ${id} is still ${status} after ${formatDuration(opts.stopTimeoutMs ?? 300_000)}; a running server is never captured`);
    }
  },

  async capture(st) {
    const { cp, cloud, opts } = st;
    const out = await applyRetrying(st, 'the capture', () => reconciled(st, opts.image.spec.buildRegion, undefined,
      async () => cloud.deployer.captureImage({ builderInstanceId: cp.builder!.instanceId, signal: opts.signal })));
    cp.privateImage = { id: out.imageId, name: out.imageName, region: opts.image.spec.buildRegion, capturedAt: st.iso() };
    st.save();
    st.emit('capture', 'progress', { message: `image ${out.imageId} "${out.imageName}"; deleting the builder` });
    // The builder is billed until it is gone: delete it as soon as the image exists, while
    // the boot test starts (the next stage does not need it).
    inBackground(st, 'builder', destroyBuilder(st));
  },

  async test(st) {
    const { cp, cloud, opts } = st;
    const spec = opts.image.spec;
    if (cp.tester && !cp.tester.destroyedAt) await destroyTester(st);
    cp.testSteps = [];
    const out = await applyRetrying(st, 'the tester stack', () => cloud.deployer.deployTester({ imageId: cp.privateImage!.id, placement: cp.placement, signal: opts.signal }));
    cp.tester = { instanceId: out.instanceId, createdAt: st.iso() };
    st.save();
    st.emit('test', 'progress', { message: `test ECS ${out.instanceId} from ${cp.privateImage!.id}` });
    const result = await followGuest({
      ecs: cloud.ecs, clock: st.clock, serverId: out.instanceId, region: spec.buildRegion,
      steps: spec.tests, overallTimeoutMs: Math.max(10, spec.tests.reduce((n, s) => n + s.timeoutMinutes, 10)) * 60_000, pollIntervalMs: st.poll, signal: opts.signal,
      onStep: (s) => st.emit('test', 'progress', { step: `${s.index}/${s.total} ${s.name}`, message: s.status === 'start' ? 'running' : s.status }),
    });
    cp.testSteps = result.steps;
    // The runner audits the captured image before any test step (runner.sh): a success without that report is not one.
    if (result.audit === undefined) throw new StageError('test', `the tester ${out.instanceId} reported success without the first-boot audit of the captured image (event=audit); its runner is not this factory's`);
    cp.audit = result.audit;
    // Copies do not need the tester: delete it while they run.
    inBackground(st, 'tester', destroyTester(st));
  },

  distribute: (st) => copyRegions(st),

  async record(st) {
    // The record describes the finished build, its own stage included: the stage is done when
    // the file is written (a failed write marks it failed again).
    const finishedAt = st.iso();
    st.cp.stages.record = { ...st.cp.stages.record, status: 'done', endedAt: finishedAt };
    st.cp.stepHashes = stepHashes(st.opts.image);
    const path = writeBuildRecord(st.opts.distDir ?? 'dist', st.opts.image, st.cp, st.opts.meta, new Date(finishedAt));
    st.cp.record = path;
    st.emit('record', 'progress', { message: path });
  },
};

/**
 * Creates the build's image in `region` with `create`, unless an earlier attempt already made
 * it (reconcile.ts): looked up first, and again after a failed create, whose answer may have
 * been lost while its job went on. `name` also matches untagged images (copies).
 */
async function reconciled(st: RunState, region: string, name: string | undefined, create: () => Promise<{ imageId: string; imageName: string }>): Promise<{ imageId: string; imageName: string }> {
  const lookup = { client: st.cloud.preflight, clock: st.clock, region, buildId: st.cp.buildId, name, notBefore: Date.parse(st.cp.startedAt), pollMs: st.poll, signal: st.opts.signal };
  const adopt = (found: { id: string; name: string }, when: string) => {
    st.opts.progress.note(`adopted image ${found.id} "${found.name}" in ${region}, ${when}: it is not made twice`);
    return { imageId: found.id, imageName: found.name };
  };
  const before = await findBuildImage(lookup);
  if (before) return adopt(before, 'which an earlier attempt of this build made');
  try {
    return await create();
  } catch (err) {
    if (st.opts.signal?.aborted) throw err;
    const after = await findBuildImage(lookup).catch(() => undefined);
    if (after) return adopt(after, `made though its create failed (${(err as Error).message.split('\n')[0]})`);
    throw err;
  }
}

/** Copies the image to every region not done yet; returns the regions whose copy failed. */
async function copyRegions(st: RunState, stopStarting?: AbortSignal): Promise<string[]> {
  const { cp, cloud, opts } = st;
  const limit = Math.min(opts.maxConcurrentCopies ?? IMS.maxConcurrentCopies, IMS.maxConcurrentCopies);
  await adoptEarlierCopies(st);
  const pending = copyOrder(Object.entries(cp.regions).filter(([, s]) => s.status !== 'done').map(([r]) => r), opts.image.spec.buildRegion, copyHistory(st), limit);
  if (!pending.length) return [];
  const starts = new Map<string, number>();
  const onEvent = (e: CopyEvent) => {
    const r = cp.regions[e.region];
    if (!r) return;
    if (e.status === 'start') {
      starts.set(e.region, st.clock.now());
      cp.regions[e.region] = { ...r, status: 'copying', startedAt: st.iso(), endedAt: undefined, error: undefined, attempts: r.attempts + 1 };
      st.emit('distribute', 'start', { region: e.region });
    } else if (e.status === 'done') {
      cp.regions[e.region] = { ...r, status: 'done', imageId: e.imageId, endedAt: st.iso(), error: undefined };
      st.emit('distribute', 'done', { region: e.region, message: e.imageId, elapsedMs: st.clock.now() - (starts.get(e.region) ?? st.clock.now()) });
    } else {
      cp.regions[e.region] = { ...r, status: 'failed', endedAt: st.iso(), error: e.error };
      st.emit('distribute', 'failed', { region: e.region, message: e.error, elapsedMs: st.clock.now() - (starts.get(e.region) ?? st.clock.now()) });
    }
    st.save();
  };
  const results = await cloud.deployer.deployCopies({ sourceImageId: cp.privateImage!.id, pending, parallelism: limit, signal: opts.signal, stopStarting, onEvent });
  // A copy whose apply failed may still have been made (its answer lost, its poll failed while the job went on).
  await adoptEarlierCopies(st, pending.filter((r) => cp.regions[r].status === 'failed'));
  // A copy is not tried again in this run: a copy whose answer was lost goes on in IMS and shows
  // in its region only when done, so a second apply could copy twice. `resume` adopts it.
  // Regions the deployer never reported on (an apply that died early) count as failed; those
  // held back because the boot test failed stay pending.
  for (const region of pending) {
    const r = cp.regions[region];
    const res = results[region];
    if (r.status === 'done') continue;
    if (res?.imageId) cp.regions[region] = { ...r, status: 'done', imageId: res.imageId, endedAt: r.endedAt ?? st.iso() };
    else if (!res && r.status === 'pending' && stopStarting?.aborted) continue;
    else cp.regions[region] = { ...r, status: 'failed', error: res?.error ?? r.error ?? 'the copy was not attempted' };
  }
  st.save();
  if (opts.signal?.aborted) throw opts.signal.reason;
  return pending.filter((r) => cp.regions[r].status === 'failed');
}
