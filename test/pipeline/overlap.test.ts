/**
 * The boot test and the copies at once (`build.distribution: 'alongside-test'`, the default), on
 * the emulator: every interleaving of a test that passes or fails, copies that end before or
 * after it, a copy that fails, a kill and an interrupt, each ending with nothing left behind:
 * no temporary resource, and no copy of an image that failed its test in any region.
 */
import { describe, expect, it } from 'vitest';
import { build, resume } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress, type ProgressEvent } from '../../scripts/pipeline/progress.js';
import { harness, TWELVE_REGIONS, type Harness } from '../support/pipeline-harness.js';
import type { FaultSpec } from '../../scripts/emulator/faults.js';

const failingTest = { outcome: 'step-fail', step: 'smoke', mode: 'test' } as const;

/** The moment a first region's copy is done. */
const copyDone = (e: ProgressEvent) => e.stage === 'distribute' && e.status === 'done' && e.region !== undefined;

function copyRegionsOf(h: Harness): string[] {
  return h.image.spec.targetRegions.filter((r) => r !== h.image.spec.buildRegion);
}

/** No temporary resource anywhere, and only the captured image in the build region. */
async function expectNothingLeft(h: Harness, copies: 'none' | 'one each') {
  expect((await h.temporaries()).map((r) => `${r.type} ${r.id}`)).toEqual([]);
  expect(await h.privateImages([h.image.spec.buildRegion])).toHaveLength(1);
  const copied = await h.privateImages(copyRegionsOf(h));
  if (copies === 'none') expect(copied).toEqual([]);
  else expect(copied.map((i) => i.region).sort()).toEqual(copyRegionsOf(h).sort());
}

/** When the boot test's stage ended, in emulated ms. */
function testEnd(h: Harness): number {
  const e = h.progress.events.find((x) => x.stage === 'test' && !x.region && !x.step && (x.status === 'done' || x.status === 'failed'))!;
  return Date.parse(e.time);
}

describe('boot test alongside the copies', () => {
  it('starts the copies as soon as the image is captured, and ends sooner than copying after the test', async () => {
    const h = await harness();
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    await expectNothingLeft(h, 'one each');
    const jobs = h.copyJobs();
    expect(jobs).toHaveLength(2);
    expect(Math.min(...jobs.map((j) => j.start))).toBeLessThan(testEnd(h));

    // The old order, on request: the copies wait for the test.
    const after = await harness({ definition: { build: { agencyName: 'ims_agency', distribution: 'after-test' } } });
    const sequential = await build(after.options());
    expect(sequential.status).toBe('built');
    expect(after.calls).toEqual(['deployBuilder', 'captureImage', 'destroyBuilder', 'deployTester', 'destroyTester', 'deployCopies:af-south-1,ap-southeast-2']);
    // (IMS job times are whole seconds.)
    expect(Math.min(...after.copyJobs().map((j) => j.start))).toBeGreaterThanOrEqual(testEnd(after) - 1000);
    const span = (x: Harness) => Date.parse(x.progress.events.at(-1)!.time) - Date.parse(x.progress.events[0].time);
    expect(span(h)).toBeLessThan(span(after));
  });

  it('a test failing while copies run: no further copy starts, the running ones are deleted once they end', async () => {
    const h = await harness({ definition: { targetRegions: TWELVE_REGIONS }, cloud: { guest: failingTest } });
    const outcome = await build(h.options());
    expect(outcome).toMatchObject({ status: 'failed', stage: 'test' });
    // Only the first five started (the limit), before the test failed; each was deleted after it ended.
    const jobs = h.copyJobs();
    expect(jobs).toHaveLength(5);
    expect(jobs.every((j) => j.start < testEnd(h))).toBe(true);
    await expectNothingLeft(h, 'none');
    expect(h.calls.filter((c) => c.startsWith('destroyCopies'))).toHaveLength(1);
    const cp = h.store.load('demo', '1.0.0')!;
    expect(cp.stages.test.status).toBe('failed');
    expect(cp.stages.distribute).toMatchObject({ status: 'failed', error: 'cancelled: the boot test failed' });
    expect(Object.values(cp.regions).map((r) => r.status)).toEqual(TWELVE_REGIONS.map(() => 'pending'));
    expect(Object.values(cp.regions).some((r) => r.imageId)).toBe(false);
    expect(h.progress.events.some((e) => e.stage === 'distribute' && e.status === 'failed' && /cancelled: the boot test failed; 5 of 5 copies deleted/.test(e.message ?? ''))).toBe(true);
  });

  it('a test failing after every copy is done deletes them all', async () => {
    // Copies of 5 s end long before the 30 s test step fails.
    const h = await harness({ cloud: { guest: failingTest, durations: { copyMs: 5_000 } } });
    const outcome = await build(h.options());
    expect(outcome).toMatchObject({ status: 'failed', stage: 'test' });
    const jobs = h.copyJobs();
    expect(jobs.every((j) => j.ok && j.end < testEnd(h))).toBe(true);
    // The copies were done (the stage said so) before the test failed.
    expect(h.progress.events.some((e) => e.stage === 'distribute' && !e.region && e.status === 'done')).toBe(true);
    await expectNothingLeft(h, 'none');
    expect(Object.values(h.store.load('demo', '1.0.0')!.regions).map((r) => r.status)).toEqual(['pending', 'pending']);
  });

  it('a copy failing while the test passes: the build is partial, and resume copies only that region', async () => {
    const copyFails: FaultSpec = { kind: 'job', jobType: 'copyImage', region: 'af-south-1', code: 'IMG.0185', message: 'replication to af-south-1 failed', times: 1 };
    const h = await harness({ cloud: { faults: [copyFails] } });
    const outcome = await build(h.options());
    expect(outcome).toMatchObject({ status: 'partial', failedRegions: ['af-south-1'] });
    const cp = h.store.load('demo', '1.0.0')!;
    expect(cp.stages.test.status).toBe('done');
    expect(cp.regions['ap-southeast-2'].status).toBe('done');
    const again = await resume(h.options());
    expect(again.status).toBe('built');
    expect(h.calls.filter((c) => c.startsWith('deployTester'))).toHaveLength(1);
    expect(h.calls.at(-1)).toBe('deployCopies:af-south-1');
    await expectNothingLeft(h, 'one each');
  });

  it('killed during test and copies, after a copy is done: resume tests again, keeps the copy, and leaves one copy per region', async () => {
    const h = await harness({
      definition: { targetRegions: ['ap-southeast-2', 'af-south-1', 'ap-southeast-1'] },
      cloud: { durations: { copyMs: { 'ap-southeast-2': 5_000, 'af-south-1': 200_000, 'ap-southeast-1': 200_000 } } },
    });
    await h.killedBuild(copyDone);
    const dead = h.store.load('demo', '1.0.0')!;
    expect(dead.stages.test.status).toBe('running');
    expect(dead.stages.distribute.status).toBe('running');
    const kept = dead.regions['ap-southeast-2'];
    expect(kept.status).toBe('done');
    h.clock.advance(300_000);
    h.progress = new MemoryProgress();
    const outcome = await resume(h.options({}, 'second'));
    expect(outcome.status).toBe('built');
    await expectNothingLeft(h, 'one each');
    const done = h.store.load('demo', '1.0.0')!;
    expect(done.regions['ap-southeast-2'].imageId).toBe(kept.imageId);
    expect(h.copyJobs().filter((j) => j.region === 'ap-southeast-2')).toHaveLength(1);
  });

  it('killed after a copy is done, then the resumed test fails: the killed run\'s copies go too', async () => {
    const h = await harness({ cloud: { guest: failingTest, durations: { copyMs: 5_000 } } });
    await h.killedBuild(copyDone);
    expect(Object.values(h.store.load('demo', '1.0.0')!.regions).some((r) => r.status === 'done')).toBe(true);
    h.clock.advance(300_000);
    h.progress = new MemoryProgress();
    const outcome = await resume(h.options({}, 'second'));
    expect(outcome).toMatchObject({ status: 'failed', stage: 'test' });
    await expectNothingLeft(h, 'none');
  });

  it('SIGINT during test and copies: the done copies stay for resume, which finishes with one copy per region', async () => {
    const controller = new AbortController();
    const h = await harness({
      definition: { targetRegions: ['ap-southeast-2', 'af-south-1'] },
      cloud: { durations: { copyMs: { 'ap-southeast-2': 5_000, 'af-south-1': 200_000 } } },
      onEvent: (e) => e.stage === 'distribute' && e.status === 'done' && e.region && controller.abort(new Error('SIGINT')),
    });
    const outcome = await build(h.options({ signal: controller.signal }));
    expect(outcome).toMatchObject({ status: 'interrupted', stage: 'test' });
    expect((await h.temporaries()).map((r) => r.type)).toEqual([]);
    const cp = h.store.load('demo', '1.0.0')!;
    expect(cp.regions['ap-southeast-2'].status).toBe('done');
    h.clock.advance(300_000);
    h.progress = new MemoryProgress();
    expect((await resume(h.options())).status).toBe('built');
    await expectNothingLeft(h, 'one each');
    expect(h.copyJobs().filter((j) => j.region === 'ap-southeast-2')).toHaveLength(1);
  });

  it('a copy that cannot be deleted after a failed test is named, kept in the checkpoint, and reused once a retest passes', async () => {
    const deleteRefused: FaultSpec = { kind: 'http', service: 'ims', method: 'DELETE', path: '^/v2/images/', region: 'af-south-1', status: 403, code: 'IMG.0002', message: 'policy denies ims:images:delete' };
    const h = await harness({ cloud: { guest: failingTest, durations: { copyMs: 5_000 }, faults: [deleteRefused] } });
    expect(await build(h.options())).toMatchObject({ status: 'failed', stage: 'test' });
    const cp = h.store.load('demo', '1.0.0')!;
    expect(cp.regions['af-south-1']).toMatchObject({ status: 'failed', imageId: expect.any(String), error: expect.stringMatching(/failed its boot test; deleting it failed: .*policy denies ims:images:delete/) });
    expect(cp.regions['ap-southeast-2'].status).toBe('pending');
    expect(h.progress.notes.join('\n')).toMatch(new RegExp(`could not delete the copies of the untested image in af-south-1 \\(${cp.regions['af-south-1'].imageId}: .*\\)\\. Delete them in the IMS console, or run \`image-factory resume demo\``));
    // The merchant fixes the test; resume tests the same image again, and keeps that copy.
    h.emu.emulator.faults.clear();
    h.configure({ guest: { outcome: 'success' } });
    h.progress = new MemoryProgress();
    expect((await resume(h.options())).status).toBe('built');
    await expectNothingLeft(h, 'one each');
    expect(h.store.load('demo', '1.0.0')!.regions['af-south-1'].imageId).toBe(cp.regions['af-south-1'].imageId);
    expect(h.copyJobs().filter((j) => j.region === 'af-south-1')).toHaveLength(1);
  });
});
