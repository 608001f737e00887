/**
 * Builds that stop and go on: a crash (the process killed) at each stage then `resume`, SIGINT,
 * and `distribute` retrying or adding regions, on the emulator.
 */
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { build, distribute, resume } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { STAGES } from '../../scripts/pipeline/checkpoint.js';
import { isUserError } from '../../stacks/errors.js';
import { expectNoTemporaries, harness, maxConcurrent, readRecord as record, TWELVE_REGIONS } from '../support/pipeline-harness.js';
import type { FaultSpec } from '../../scripts/emulator/faults.js';

/** One failing cross-region copy into `region`. */
const copyFails = (region: string): FaultSpec => ({ kind: 'job', jobType: 'copyImage', region, code: 'IMG.0185', message: `replication to ${region} failed`, times: 1 });

describe('crash (process killed) at each stage, then resume', () => {
  for (const stage of ['preflight', 'build', 'stop', 'capture', 'test', 'distribute'] as const) {
    it(`killed during ${stage}: resume finishes the build with nothing left over`, async () => {
      const h = await harness();
      // The first run dies as the stage starts: from the cloud's side, it is gone mid-stage.
      await h.killedBuild((e) => e.stage === stage && e.status === 'start' && !e.region && !e.step);
      const cp = h.store.load('demo', '1.0.0')!;
      expect(cp.stages[stage].status).toBe('running');
      // IMS copy jobs outlive the process that started them; let any in flight finish.
      if (stage === 'distribute') h.clock.advance(300_000);
      h.progress = new MemoryProgress();
      const outcome = await resume(h.options({}, 'second'));
      expect(outcome.status).toBe('built');
      await expectNoTemporaries(h);
      expect((await h.privateImages(['ap-southeast-3']))).toHaveLength(1);
      const done = h.store.load('demo', '1.0.0')!;
      expect(STAGES.every((s) => done.stages[s].status === 'done')).toBe(true);
      expect(Object.values(done.regions).every((r) => r.status === 'done')).toBe(true);
    });
  }

  it('killed during record: resume writes the record', async () => {
    const h = await harness();
    const first = await build(h.options());
    if (first.status !== 'built') throw new Error(first.status);
    const cp = h.store.load('demo', '1.0.0')!;
    cp.stages.record = { status: 'running', startedAt: cp.stages.record.startedAt };
    h.store.save(cp);
    rmSync(first.recordPath);
    const calls = h.calls.length;
    const outcome = await resume(h.options({}, 'second'));
    expect(outcome.status).toBe('built');
    expect(existsSync(first.recordPath)).toBe(true);
    expect(record(first.recordPath).timings.record.status).toBe('done');
    expect(h.calls.length).toBe(calls);
  });
});

describe('interruption', () => {
  it('SIGINT (abort) during the install deletes the temporary resources and keeps the checkpoint', async () => {
    const controller = new AbortController();
    const h = await harness({ onEvent: (e) => e.stage === 'build' && e.step?.startsWith('2/2') && controller.abort(new Error('interrupted by SIGINT')) });
    const outcome = await build(h.options({ signal: controller.signal }));
    expect(outcome.status).toBe('interrupted');
    await expectNoTemporaries(h);
    expect(h.progress.events.some((e) => e.stage === 'cleanup' && e.status === 'done')).toBe(true);
    const cp = h.store.load('demo', '1.0.0')!;
    expect(cp.stages.build).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(cp.builderDestroyed).toBe(true);
    h.progress = new MemoryProgress();
    expect((await resume(h.options())).status).toBe('built');
    await expectNoTemporaries(h);
  });

  it('SIGINT during the boot test deletes the tester', async () => {
    const controller = new AbortController();
    const h = await harness({ onEvent: (e) => e.stage === 'test' && e.step !== undefined && controller.abort(new Error('SIGINT')) });
    const outcome = await build(h.options({ signal: controller.signal }));
    expect(outcome.status).toBe('interrupted');
    await expectNoTemporaries(h);
    expect(await h.privateImages()).toHaveLength(1);
  });
});

describe('distribute', () => {
  it('retries exactly the failed region, never touching regions that are done', async () => {
    const h = await harness({ cloud: { faults: [copyFails('af-south-1')] } });
    expect((await build(h.options())).status).toBe('partial');
    const imagesBefore = (await h.privateImages()).map((i) => i.id);
    const jobsBefore = h.copyJobs().length;
    const outcome = await distribute(h.options());
    expect(outcome.status).toBe('built');
    expect(h.calls.at(-1)).toBe('deployCopies:af-south-1');
    expect(h.copyJobs().slice(jobsBefore).map((j) => j.region)).toEqual(['af-south-1']);
    // No copy that was done got destroyed and made again.
    expect((await h.privateImages()).map((i) => i.id)).toEqual(expect.arrayContaining(imagesBefore));
    if (outcome.status !== 'built') return;
    expect(record(outcome.recordPath).complete).toBe(true);
    expect(Object.values(record(outcome.recordPath).timings).map((t: any) => t.status)).toEqual(STAGES.map(() => 'done'));
    expect(h.store.load('demo', '1.0.0')!.regions['af-south-1'].attempts).toBe(2);
  });

  it('resume after a partial distribution retries the copy and rewrites the build record', async () => {
    const h = await harness({ cloud: { faults: [copyFails('af-south-1')] } });
    expect((await build(h.options())).status).toBe('partial');
    const outcome = await resume(h.options());
    expect(outcome.status).toBe('built');
    if (outcome.status !== 'built') return;
    const rec = record(outcome.recordPath);
    expect(rec.regions['af-south-1'].status).toBe('done');
    expect(rec.complete).toBe(true);
  });

  it('adds new regions to a finished build, reusing the captured image', async () => {
    const h = await harness();
    await build(h.options());
    const images = (await h.privateImages([...h.image.spec.targetRegions, h.image.spec.buildRegion, 'ap-southeast-1'])).map((r) => r.id);
    const outcome = await distribute(h.options(), ['ap-southeast-1']);
    expect(outcome.status).toBe('built');
    expect(h.calls.filter((c) => c === 'deployBuilder' || c === 'captureImage')).toEqual(['deployBuilder', 'captureImage']);
    expect(h.calls.at(-1)).toBe('deployCopies:ap-southeast-1');
    const now = await h.privateImages([...h.image.spec.targetRegions, h.image.spec.buildRegion, 'ap-southeast-1']);
    expect(now.map((r) => r.id)).toEqual(expect.arrayContaining(images));
    expect(now.map((r) => r.region).sort()).toEqual(['af-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3']);
  });

  it('with nothing left to copy, does nothing', async () => {
    const h = await harness();
    await build(h.options());
    const calls = h.calls.length;
    expect((await distribute(h.options())).status).toBe('already-built');
    expect(h.calls.length).toBe(calls);
  });

  it('never runs more than 5 copies at once, and uses all 5 with 12 regions', async () => {
    const h = await harness({ definition: { targetRegions: TWELVE_REGIONS } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    expect(maxConcurrent(h.copyJobs())).toBe(5);
    expect(h.copyJobs()).toHaveLength(12);
  });

  it('refuses before the image is tested', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'step-fail', step: 'smoke', mode: 'test' } } });
    await build(h.options());
    const err = await distribute(h.options()).catch((e) => e);
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(/no tested image yet/);
  });
});
