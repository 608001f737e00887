/**
 * Real processes against the emulator (in this process): a build in a child process is
 * SIGKILLed mid-stage (no cleanup at all) and resumed here; another gets SIGINT and must clean
 * up before exiting. Time is real, scaled: one real millisecond is a second of the build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { huaweiCloud } from '../../scripts/cloud/index.js';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { resume } from '../../scripts/pipeline/orchestrator.js';
import { TAG } from '../../stacks/definition/tags.js';
import { AK2, SK2, startEmulator } from '../emulator/support.js';
import { baseDefinition, makeImage } from '../support/images.js';
import { FAST } from '../support/pipeline-harness.js';

const SCALE = 1000;
const START = Date.UTC(2026, 10, 28, 10, 0, 0);

async function setup() {
  const work = mkdtempSync(join(tmpdir(), 'kill-'));
  const realStart = Date.now();
  const clock = new ScaledClock(SCALE, START, realStart);
  const emu = await startEmulator({ clock });
  onTestFinished(() => emu.close());
  await emu.config({ durations: FAST as Record<string, number> });
  const image = makeImage();
  const child = spawn(process.execPath, ['scripts/bin/run-ts.mjs', 'test/support/run-build.ts'], {
    env: { ...process.env, EMULATOR_URL: emu.url, WORK_DIR: work, REAL_START: String(realStart), SCALE: String(SCALE), IMAGE_DIR: image.dir, DEFINITION: JSON.stringify(baseDefinition()), MODE: 'build' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const events: any[] = [];
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // The test's own look at the cloud, with the account's second key pair.
  const api = emu.api({ accessKey: AK2, secretKey: SK2 });
  const temporaries = async () => (await new HuaweiSweeper(api).listTagged('ap-southeast-3', TAG.expiresAt)).map((r) => `${r.type} ${r.id}`);
  return { work, clock, emu, image, child, events, lines, exited, stderr: () => stderr, api, temporaries };
}

describe('killed processes', () => {
  it('SIGKILL during capture, then resume in another process finishes the build', async () => {
    const s = await setup();
    s.lines.on('line', (line) => {
      const e = JSON.parse(line);
      s.events.push(e);
      if (e.stage === 'capture' && e.status === 'start') s.child.kill('SIGKILL');
    });
    const exit = await s.exited;
    expect(exit.signal, s.stderr()).toBe('SIGKILL');
    // The builder was left by the kill: nothing cleaned it up.
    expect((await s.temporaries()).filter((r) => r.startsWith('ecs '))).toHaveLength(1);
    const store = new CheckpointStore(join(s.work, 'builds'), s.work);
    expect(store.load('demo', '1.0.0')!.stages.capture.status).toBe('running');
    const image = { ...s.image, name: 'demo' };
    const sleep = (ms: number, signal?: AbortSignal) => s.clock.sleep(ms, signal);
    const outcome = await resume({
      image, store, clock: s.clock, progress: new MemoryProgress(), distDir: join(s.work, 'dist'),
      cloud: (ctx) => huaweiCloud(image, ctx, { accessKey: AK2, secretKey: SK2 }, { kind: 'local', dir: join(s.work, 'state') }, {
        endpoint: { baseUrl: s.emu.url, insecure: false }, sleep,
        deployer: (api) => new EmulatorApplier({ image, context: ctx, api, clock: s.clock, outdir: join(s.work, 'cdktf.out'), stateDir: join(s.work, 'state'), pollMs: 2_000 }),
      }),
      pollIntervalMs: 2_000, powerOffGraceMs: 60_000, stopTimeoutMs: 60_000, meta: { toolVersion: 'test' },
    });
    expect(outcome.status).toBe('built');
    expect(await s.temporaries()).toEqual([]);
    const images = await Promise.all(['ap-southeast-3', 'ap-southeast-2', 'af-south-1'].map(async (region) => (await s.api.request<{ images: unknown[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private' } })).images.length));
    // One image per region: the capture the killed process had started was waited for, not made twice.
    expect(images).toEqual([1, 1, 1]);
  }, 60_000);

  it('SIGINT during the install cleans up before the process exits', async () => {
    const s = await setup();
    let sent = false;
    s.lines.on('line', (line) => {
      const e = JSON.parse(line);
      s.events.push(e);
      if (!sent && e.stage === 'build' && e.step) {
        sent = true;
        s.child.kill('SIGINT');
      }
    });
    const exit = await s.exited;
    expect(exit.code, s.stderr()).toBe(130);
    expect(s.events.some((e) => e.stage === 'cleanup' && e.status === 'done')).toBe(true);
    expect(s.events.at(-1)).toEqual({ outcome: 'interrupted' });
    expect(await s.temporaries()).toEqual([]);
    const cp = new CheckpointStore(join(s.work, 'builds'), s.work).load('demo', '1.0.0')!;
    expect(cp.stages.build.status).toBe('failed');
  }, 60_000);
});
