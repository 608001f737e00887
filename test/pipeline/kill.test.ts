/**
 * Real processes: a build in a child process is SIGKILLed mid-stage (no cleanup at all) and
 * resumed here; another gets SIGINT and must clean up before exiting.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { resume } from '../../scripts/pipeline/orchestrator.js';
import { baseDefinition, makeImage } from '../support/images.js';
import { FakeCloud } from '../fakes/fake-cloud.js';
import { FAST } from '../fakes/harness.js';

const SCALE = 1000;

function startChild(work: string, state: string, image: ReturnType<typeof makeImage>, realStart: number) {
  const child = spawn(process.execPath, ['scripts/bin/run-ts.mjs', 'test/fakes/run-build.ts'], {
    env: { ...process.env, FAKE_STATE: state, WORK_DIR: work, REAL_START: String(realStart), SCALE: String(SCALE), IMAGE_DIR: image.dir, DEFINITION: JSON.stringify(baseDefinition()), MODE: 'build' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const events: any[] = [];
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, events, lines, exited, stderr: () => stderr };
}

describe('killed processes', () => {
  it('SIGKILL during capture, then resume in another process finishes the build', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kill-'));
    const state = join(work, 'cloud.json');
    const image = makeImage();
    const realStart = Date.now();
    const c = startChild(work, state, image, realStart);
    c.lines.on('line', (line) => {
      const e = JSON.parse(line);
      c.events.push(e);
      if (e.stage === 'capture' && e.status === 'start') c.child.kill('SIGKILL');
    });
    const exit = await c.exited;
    expect(exit.signal, c.stderr()).toBe('SIGKILL');
    const clock = new ScaledClock(SCALE, Date.UTC(2026, 10, 28, 10, 0, 0), realStart);
    const cloud = new FakeCloud({ clock, durations: FAST, file: state });
    // The builder was left running by the kill: nothing cleaned it up.
    expect(cloud.liveResources('ecs')).toHaveLength(1);
    const store = new CheckpointStore(join(work, 'builds'), work);
    expect(store.load('demo', '1.0.0')!.stages.capture.status).toBe('running');
    const loaded = { ...image, name: 'demo' };
    const outcome = await resume({
      image: loaded, cloud: (ctx) => cloud.forBuild(loaded, ctx), store, clock, progress: new MemoryProgress(),
      distDir: join(work, 'dist'), pollIntervalMs: 2_000, powerOffGraceMs: 60_000, stopTimeoutMs: 60_000, meta: { toolVersion: 'test' },
    });
    expect(outcome.status).toBe('built');
    expect(cloud.temporaryResources()).toEqual([]);
    expect(cloud.liveResources('image').map((r) => r.region).sort()).toEqual(['af-south-1', 'ap-southeast-2', 'ap-southeast-3']);
  }, 60_000);

  it('SIGINT during the install cleans up before the process exits', async () => {
    const work = mkdtempSync(join(tmpdir(), 'int-'));
    const state = join(work, 'cloud.json');
    const image = makeImage();
    const c = startChild(work, state, image, Date.now());
    let sent = false;
    c.lines.on('line', (line) => {
      const e = JSON.parse(line);
      c.events.push(e);
      if (!sent && e.stage === 'build' && e.step) {
        sent = true;
        c.child.kill('SIGINT');
      }
    });
    const exit = await c.exited;
    expect(exit.code, c.stderr()).toBe(130);
    expect(c.events.some((e) => e.stage === 'cleanup' && e.status === 'done')).toBe(true);
    expect(c.events.at(-1)).toEqual({ outcome: 'interrupted' });
    const cloud = new FakeCloud({ clock: new ScaledClock(SCALE), file: state });
    expect(cloud.temporaryResources()).toEqual([]);
    const cp = new CheckpointStore(join(work, 'builds'), work).load('demo', '1.0.0')!;
    expect(cp.stages.build.status).toBe('failed');
  }, 60_000);
});
