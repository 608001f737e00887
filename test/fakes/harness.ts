/** Wires the orchestrator to a fake cloud on a scaled clock, in a temp folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeImage } from '../support/images.js';
import type { ImageDefinitionInput } from '../../stacks/definition/schema.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { VirtualClock, type Clock } from '../../scripts/pipeline/clock.js';
import { MemoryProgress, type ProgressEvent } from '../../scripts/pipeline/progress.js';
import type { PipelineOptions } from '../../scripts/pipeline/orchestrator.js';
import { FakeCloud, type FakeCloudOptions, type FakeDurations } from './fake-cloud.js';

/** Short durations (the kill tests' child processes run on scaled real time). */
export const FAST: Partial<FakeDurations> = {
  applyMs: 20_000, destroyMs: 10_000, bootMs: 10_000, stepMs: 30_000, powerOffMs: 10_000,
  stopMs: 10_000, captureMs: 60_000, copyMs: 120_000, apiMs: 200,
};

/**
 * A clock that can be frozen: every sleep after `freeze()` never returns, which is what a
 * killed process looks like from the cloud's side (nothing more happens, nothing is cleaned).
 */
export class FreezableClock extends VirtualClock {
  frozen = false;
  private onFrozenSleep?: () => void;
  readonly parked = new Promise<void>((resolve) => (this.onFrozenSleep = resolve));

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

export interface Harness {
  cloud: FakeCloud;
  clock: FreezableClock;
  store: CheckpointStore;
  progress: MemoryProgress;
  dir: string;
  options: (extra?: Partial<PipelineOptions>) => PipelineOptions;
  image: ReturnType<typeof makeImage>;
}

export function harness(
  { definition = {}, cloud: cloudOptions = {}, onEvent }: {
    definition?: Partial<ImageDefinitionInput>;
    cloud?: Partial<Omit<FakeCloudOptions, 'clock'>>;
    onEvent?: (e: ProgressEvent, h: Harness) => void;
  } = {},
): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'image-factory-pipeline-'));
  // Discrete-event time: deterministic whatever the machine's load.
  const clock = new FreezableClock();
  const cloud = new FakeCloud({ clock, durations: FAST, ...cloudOptions });
  const image = makeImage(definition);
  const store = new CheckpointStore(join(dir, 'builds'), dir);
  const h: Harness = {
    cloud, clock, store, dir, image,
    progress: undefined as unknown as MemoryProgress,
    options: (extra = {}) => ({
      image,
      cloud: (ctx) => cloud.forBuild(image, ctx),
      store,
      clock: clock as Clock,
      progress: h.progress,
      distDir: join(dir, 'dist'),
      pollIntervalMs: 2_000,
      powerOffGraceMs: 60_000,
      stopTimeoutMs: 60_000,
      meta: { toolVersion: '0.1.0-test', gitCommit: 'abc1234', ciRunUrl: 'https://ci.example/run/1' },
      ...extra,
    }),
  };
  h.progress = new MemoryProgress((e) => onEvent?.(e, h));
  return h;
}

export const TWELVE_REGIONS = [
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-4', 'ap-southeast-5', 'af-south-1', 'af-north-1',
  'na-mexico-1', 'la-north-2', 'la-south-2', 'sa-brazil-1', 'tr-west-1', 'me-east-1',
];
