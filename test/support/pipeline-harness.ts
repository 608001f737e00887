/**
 * Wires the orchestrator to the emulator, as a build against IMAGE_FACTORY_ENDPOINT would run:
 * preflight, console following and sweep through the real signed clients, and the stacks
 * applied by the applier (the real synthesized cdk.tf.json, through the emulator's API) in
 * place of Terraform and the provider. Time is discrete-event: exact, whatever the machine's
 * load, and waiting on nothing real but the HTTP calls themselves.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { huaweiCloud } from '../../scripts/cloud/index.js';
import type { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import type { TaggedResource } from '../../scripts/cloud/types.js';
import type { Durations, GuestScenario } from '../../scripts/emulator/account.js';
import { applyConfig } from '../../scripts/emulator/admin.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import type { FaultSpec } from '../../scripts/emulator/faults.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { VirtualClock, type Clock } from '../../scripts/pipeline/clock.js';
import { MemoryProgress, type ProgressEvent } from '../../scripts/pipeline/progress.js';
import { build, type PipelineOptions } from '../../scripts/pipeline/orchestrator.js';
import type { ImageDefinitionInput } from '../../stacks/definition/schema.js';
import { TAG } from '../../stacks/definition/tags.js';
import { AK, AK2, SK2, startEmulator, type TestEmulator } from '../emulator/support.js';
import { makeImage } from './images.js';
import { freezeImage } from '../../stacks/definition/load.js';
import { callsChanged, loopbackHold, settledCalls } from './loopback-clock.js';

/** Short model durations: a whole build is about an hour of simulated time. */
export const FAST: Partial<Durations> = {
  serverCreateMs: 20_000, bootMs: 10_000, stepMs: 30_000, powerOffMs: 10_000, stopMs: 10_000,
  serverDeleteMs: 10_000, captureMs: 60_000, copyMs: 120_000, shortJobMs: 1_000,
};

/**
 * A clock that can be frozen: every sleep after `freeze()` never returns, which is what a
 * killed process looks like from the cloud's side (nothing more happens, nothing is cleaned).
 */
class FreezableClock extends VirtualClock {
  frozen = false;
  private onFrozenSleep?: () => void;
  readonly parked = new Promise<void>((resolve) => (this.onFrozenSleep = resolve));

  constructor() {
    super(undefined, loopbackHold, callsChanged);
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
  }

  /** Lets time pass while nothing of ours runs (e.g. cloud jobs a dead process started). */
  advance(ms: number): void {
    (this as unknown as { t: number }).t += ms;
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.frozen) {
      this.onFrozenSleep?.();
      return new Promise(() => {});
    }
    return super.sleep(ms, signal);
  }
}

/** What the emulated account is like, and what goes wrong in it. */
export interface CloudSetup {
  /** IAM agencies of the account. @default the emulator's (ims_agency, koogallery_ims_agency) */
  readonly agencies?: string[];
  /** Flavors sold out in every AZ of the build region. */
  readonly soldOut?: string[];
  readonly privateImageQuota?: number;
  readonly guest?: GuestScenario;
  readonly faults?: FaultSpec[];
  readonly durations?: Partial<Durations>;
}

export interface Harness {
  readonly emu: TestEmulator;
  readonly api: HuaweiApi;
  readonly clock: FreezableClock;
  readonly store: CheckpointStore;
  progress: MemoryProgress;
  readonly dir: string;
  readonly image: ReturnType<typeof makeImage>;
  /** The deployer's calls, in order, over every run of this harness. */
  readonly calls: string[];
  /**
   * A run's options. Runs sign with the first key pair, or with the second one (`'second'`):
   * another process, which goes on after the first one was killed.
   */
  options(extra?: Partial<PipelineOptions>, key?: 'first' | 'second'): PipelineOptions;
  /**
   * Kills the runs signed with the first key pair, as SIGKILL would: their sleeps never end and
   * the cloud never answers them again; what they had already asked for goes on. Resolves once
   * nothing of theirs is still on the wire.
   */
  kill(): Promise<void>;
  /**
   * Starts `build` and kills it (as kill() does) at the first event `when` accepts, then drops
   * its lock: a dead process's lock is stale, but the "dead" run shares this test's pid.
   */
  killedBuild(when: (e: ProgressEvent) => boolean): Promise<void>;
  /** Injects a fault now (e.g. when a stage starts). */
  fault(spec: FaultSpec): void;
  configure(setup: CloudSetup): void;
  /** Resources carrying the expiry tag (what a build must never leave behind), found by the real sweeper. */
  temporaries(regions?: readonly string[]): Promise<TaggedResource[]>;
  /** Private images per region, as IMS lists them. */
  privateImages(regions?: readonly string[]): Promise<{ id: string; name: string; region: string }[]>;
  /** Cross-region copy jobs the account ran: target region, start and end (emulated ms), success. */
  copyJobs(): { region: string; start: number; end: number; ok: boolean }[];
}

export async function harness(
  { definition = {}, cloud = {}, onEvent, sameCloudAs }: {
    definition?: Partial<ImageDefinitionInput>;
    cloud?: CloudSetup;
    onEvent?: (e: ProgressEvent, h: Harness) => void;
    /** Another machine on the same account: its emulator and clock, its own checkpoints and state. */
    sameCloudAs?: Harness;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'image-factory-pipeline-'));
  const clock = sameCloudAs?.clock ?? new FreezableClock();
  // Every call takes 200 ms of simulated time, as a real API does: a process frozen mid-call stays there.
  const emu = sameCloudAs?.emu ?? await startEmulator({ clock, latencyMs: 200 });
  if (!sameCloudAs) onTestFinished(() => emu.close());
  // Frozen, as the CLI runs it (pipeline-run.ts): the folder's files are read once, at the start.
  const image = freezeImage(makeImage(definition));
  const store = new CheckpointStore(join(dir, 'builds'), dir);
  const sleep = (ms: number, signal?: AbortSignal) => clock.sleep(ms, signal);
  // The test's own look at the cloud signs with the second key pair, which kill() leaves alive.
  const api = emu.api({ accessKey: AK2, secretKey: SK2 }, { sleep });
  const calls: string[] = [];
  const regions = [image.spec.buildRegion, ...image.spec.targetRegions];
  const account = emu.emulator.account;
  const h: Harness = {
    emu, api, clock, store, dir, image, calls,
    progress: new MemoryProgress((e) => onEvent?.(e, h)),
    options: (extra = {}, key = 'first') => ({
      image,
      cloud: (ctx) => huaweiCloud(image, ctx, key === 'first' ? emu.credentials : { accessKey: AK2, secretKey: SK2 }, { kind: 'local', dir: join(dir, 'state') }, {
        endpoint: { baseUrl: emu.url, insecure: false },
        sleep,
        deployer: (cloudApi) => new EmulatorApplier({ image, context: ctx, api: cloudApi, clock, outdir: join(dir, 'cdktf.out'), stateDir: join(dir, 'state'), calls, pollMs: 10_000 }),
      }),
      store,
      clock: clock as Clock,
      progress: h.progress,
      distDir: join(dir, 'dist'),
      pollIntervalMs: 10_000,
      powerOffGraceMs: 60_000,
      stopTimeoutMs: 60_000,
      meta: { toolVersion: '0.1.0-test', gitCommit: 'abc1234', ciRunUrl: 'https://ci.example/run/1' },
      ...extra,
    }),
    fault: (spec) => void emu.emulator.faults.add(spec),
    killedBuild: async (when) => {
      let killed: Promise<void> | undefined;
      void build(h.options({ progress: new MemoryProgress((e) => { if (when(e)) killed ??= h.kill(); }) }));
      await new Promise<void>((resolve) => {
        const wait = () => (killed ? resolve() : setTimeout(wait, 1));
        wait();
      });
      await killed;
      rmSync(store.lockPath(image.name, image.spec.buildVersion));
    },
    kill: async () => {
      clock.freeze();
      emu.emulator.faults.add({ kind: 'http', accessKey: AK, hang: true });
      await settledCalls();
      clock.thaw();
    },
    configure: (setup) => {
      const { soldOut, faults, durations, ...rest } = setup;
      applyConfig(account, {
        ...rest,
        ...(durations ? { durations: durations as Record<string, number> } : {}),
        ...(soldOut ? { soldOut: { [image.spec.buildRegion]: Object.fromEntries(soldOut.map((f) => [f, ['*']])) } } : {}),
      });
      for (const f of faults ?? []) emu.emulator.faults.add(f);
    },
    temporaries: async (rs = regions) => {
      const sweeper = new HuaweiSweeper(api);
      return (await Promise.all(rs.map((r) => sweeper.listTagged(r, TAG.expiresAt)))).flat();
    },
    privateImages: async (rs = regions) => (await Promise.all(rs.map(async (region) => {
      const res = await api.request<{ images?: { id: string; name: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } });
      return (res.images ?? []).map((i) => ({ id: i.id, name: i.name, region }));
    }))).flat(),
    copyJobs: () => Object.values(account.data.jobs).filter((j) => j.job_type === 'copyImage' && j.payload.crossRegion).map((j) => ({
      region: String(j.payload.target ?? ''), start: j.beganAt ?? Date.parse(j.begin_time), end: j.doneAt, ok: j.status === 'SUCCESS',
    })),
  };
  h.configure({ ...cloud, durations: { ...FAST, ...cloud.durations } });
  return h;
}

/** The most copy jobs running at one moment. */
export function maxConcurrent(jobs: readonly { start: number; end: number }[]): number {
  const edges = jobs.flatMap((j) => [[j.start, 1], [j.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

export const TWELVE_REGIONS = [
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-4', 'ap-southeast-5', 'af-south-1', 'af-north-1',
  'na-mexico-1', 'la-north-2', 'la-south-2', 'sa-brazil-1', 'tr-west-1', 'me-east-1',
];

/** A build record (dist/<image>/<version>/build.json), parsed. */
export function readRecord(path: string) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** No resource carrying the expiry tag is left in any of the harness's regions. */
export async function expectNoTemporaries(h: Harness): Promise<void> {
  expect((await h.temporaries()).map((r) => `${r.type} ${r.id}`)).toEqual([]);
}
