import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { build, distribute, resume } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { STAGES, type Stage } from '../../scripts/pipeline/checkpoint.js';
import { isUserError } from '../../stacks/errors.js';
import { harness, TWELVE_REGIONS, type Harness } from '../fakes/harness.js';
import type { FakeFailures } from '../fakes/fake-cloud.js';

function record(path: string) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function expectNoTemporaries(h: Harness) {
  expect(h.cloud.temporaryResources().map((r) => `${r.type} ${r.id}`)).toEqual([]);
}

describe('build: happy path', () => {
  it('builds, boot-tests, copies and records, deleting the builder right after capture', async () => {
    const h = harness();
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    if (outcome.status !== 'built') return;
    expectNoTemporaries(h);

    // The builder goes as soon as the image exists, before the boot test starts.
    expect(h.cloud.calls).toEqual(['deployBuilder', 'captureImage', 'destroyBuilder', 'deployTester', 'destroyTester', 'deployCopies:ap-southeast-2,af-south-1']);

    const rec = record(outcome.recordPath);
    expect(outcome.recordPath).toMatch(/dist\/demo\/1\.0\.0\/build\.json$/);
    expect(Object.keys(rec.imageIds).sort()).toEqual(['af-south-1', 'ap-southeast-2', 'ap-southeast-3']);
    expect(rec).toMatchObject({
      image: 'demo', version: '1.0.0', productVersion: 'V1.0', complete: true,
      imageName: 'Test Product-V1.0',
      sourceImage: { id: 'public-ubuntu-2204-0001', name: 'Ubuntu 22.04 server 64bit' },
      tool: { version: '0.1.0-test' }, git: { commit: 'abc1234' }, ci: { runUrl: 'https://ci.example/run/1' },
    });
    expect(rec.installSteps.map((s: { name: string; sha256: string; status: string }) => [s.name, s.sha256.length, s.status])).toEqual([['install', 64, 'ok'], ['configure', 64, 'ok']]);
    expect(Object.keys(rec.timings)).toEqual([...STAGES]);
    expect(JSON.stringify(rec)).not.toMatch(/HW_|secret|access_key/i);

    // Every stage reported its start and end, in order.
    const stageEnds = h.progress.events.filter((e) => !e.region && !e.step && (e.status === 'done' || e.status === 'start')).map((e) => `${e.stage}:${e.status}`);
    expect(stageEnds).toEqual(STAGES.flatMap((s) => [`${s}:start`, `${s}:done`]));
    expect(h.progress.events.filter((e) => e.stage === 'build' && e.step).map((e) => `${e.step} ${e.message}`)).toEqual([
      '1/2 install running', '1/2 install ok in 30s', '2/2 configure running', '2/2 configure ok in 30s',
    ]);
  });

  it('a rerun of a finished version creates nothing and says so', async () => {
    const h = harness();
    await build(h.options());
    const calls = h.cloud.calls.length;
    const resources = h.cloud.liveResources().length;
    const again = await build(h.options());
    expect(again.status).toBe('already-built');
    expect(h.cloud.calls.length).toBe(calls);
    expect(h.cloud.liveResources().length).toBe(resources);
    // Lost checkpoint, record still there: still a no-op.
    rmSync(h.store.path('demo', '1.0.0'));
    expect((await build(h.options())).status).toBe('already-built');
    expect(h.cloud.calls.length).toBe(calls);
  });

  it('refuses a version whose image exists in the cloud (built elsewhere) before paying for anything', async () => {
    const h = harness();
    h.cloud.addResource({ type: 'image', region: 'ap-southeast-3', stack: 'other', tags: { 'image-factory-product': 'demo', 'image-factory-version': '1.0.0' }, name: 'Test Product-V1.0' });
    const err = await build(h.options()).catch((e) => e);
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(/already has a private image in ap-southeast-3/);
    expect(h.cloud.calls).toEqual([]);
  });

  it('points a half-finished version to resume', async () => {
    const h = harness({ cloud: { failures: { capture: true } } });
    expect((await build(h.options())).status).toBe('failed');
    const err = await build(h.options()).catch((e) => e);
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(/stopped at stage "capture".*image-factory resume demo/s);
  });
});

describe('build: a failure at each stage leaves no temporary resource behind', () => {
  const cases: { stage: Stage; failures?: FakeFailures; cloud?: object; definition?: object; expect: RegExp }[] = [
    { stage: 'preflight', cloud: { agencies: [] }, expect: /IAM agency "ims_agency" does not exist/ },
    { stage: 'preflight', cloud: { soldOut: ['s7.large.2', 'c7.large.2'] }, expect: /none of s7\.large\.2, c7\.large\.2 is on sale/ },
    { stage: 'preflight', cloud: { privateImages: { 'af-south-1': 50 } }, expect: /af-south-1: 50 private images already, the quota is 50/ },
    { stage: 'build', failures: { deployBuilder: true }, expect: /flavor sold out during creation/ },
    { stage: 'build', failures: { guestStepFail: 'configure' }, expect: /step 2\/2 \(configure\) failed: step failed\nE: Unable to locate package/ },
    { stage: 'build', failures: { guestStepHang: 'install' }, definition: { install: [{ name: 'install', script: 'install.sh', timeoutMinutes: 1 }] }, expect: /step 1\/1 \(install\) timed out after 1m00s/ },
    { stage: 'build', failures: { ecsError: true }, expect: /went to ERROR/ },
    { stage: 'build', failures: { guestPowerOff: 'install' }, expect: /the guest powered off \(SHUTOFF\) without reporting a result, during step 1\/2 \(install\)/ },
    { stage: 'stop', failures: { noPowerOff: true, stopIgnored: true }, expect: /still ACTIVE .* a running server is never captured/ },
    { stage: 'capture', failures: { capture: true }, expect: /image creation failed/ },
    { stage: 'test', failures: { deployTester: true }, expect: /flavor sold out/ },
    { stage: 'test', failures: { testStepFail: 'smoke' }, expect: /step 1\/1 \(smoke\) failed/ },
  ];
  for (const c of cases) {
    it(`${c.stage}: ${c.expect.source.slice(0, 50)}`, async () => {
      const h = harness({ cloud: { failures: c.failures, ...c.cloud }, definition: c.definition });
      let message: string;
      try {
        const outcome = await build(h.options());
        expect(outcome.status).toBe('failed');
        if (outcome.status !== 'failed') return;
        expect(outcome.stage).toBe(c.stage);
        message = outcome.error;
        if (c.failures?.guestStepFail) expect(h.progress.notes.join('\n')).toMatch(/console log of the guest[\s\S]*status=fail/);
      } catch (err) {
        expect(isUserError(err)).toBe(true);
        message = (err as Error).message;
      }
      expect(message).toMatch(c.expect);
      expectNoTemporaries(h);
      // Nothing is distributed after a failure, and a stop failure never reaches capture.
      expect(h.cloud.calls.some((x) => x.startsWith('deployCopies'))).toBe(false);
      if (c.stage === 'stop') expect(h.cloud.calls).not.toContain('captureImage');
      if (c.stage !== 'preflight') {
        const cp = h.store.load('demo', '1.0.0')!;
        expect(cp.stages[c.stage].status).toBe('failed');
        expect(cp.result).toBe('failed');
      }
    });
  }

  it('a guest that powers off without a result fails at once, with its console, not at the timeout', async () => {
    const h = harness({ cloud: { failures: { guestPowerOff: 'install' } } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('failed');
    const cp = h.store.load('demo', '1.0.0')!;
    // The step powers off 15 s in and SHUTOFF follows 10 s later: noticed within a poll or two,
    // not after the step's (20 min) or the build's timeout.
    const took = Date.parse(cp.stages.build.endedAt!) - Date.parse(cp.stages.build.startedAt!);
    expect(took).toBeLessThan(2 * 60_000);
    expect(h.progress.notes.join('\n')).toMatch(/console log of the guest[\s\S]*reboot: Power down/);
  });

  it('the guest that does not power itself off is stopped before capture', async () => {
    const h = harness({ cloud: { failures: { noPowerOff: true } } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    expect(h.progress.events.some((e) => e.stage === 'stop' && /stopping it/.test(e.message ?? ''))).toBe(true);
  });

  it('distribute: one failing region does not undo the others', async () => {
    const h = harness({ cloud: { failures: { copyFail: { 'af-south-1': 1 } } } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('partial');
    if (outcome.status !== 'partial') return;
    expect(outcome.failedRegions).toEqual(['af-south-1']);
    expectNoTemporaries(h);
    const rec = record(outcome.recordPath);
    expect(rec.complete).toBe(false);
    expect(rec.regions['ap-southeast-2'].status).toBe('done');
    expect(rec.regions['af-south-1']).toMatchObject({ status: 'failed', error: expect.stringMatching(/replication to af-south-1 failed/) });
    expect(h.cloud.liveResources('image').map((r) => r.region).sort()).toEqual(['ap-southeast-2', 'ap-southeast-3']);
  });

  it('--keep-on-failure keeps the builder, says how to reach it, and resume starts it over', async () => {
    const h = harness({ cloud: { failures: { guestStepFail: 'install' } } });
    const outcome = await build(h.options({ keepOnFailure: true }));
    expect(outcome.status).toBe('failed');
    const builder = h.cloud.liveResources('ecs');
    expect(builder).toHaveLength(1);
    expect(h.progress.notes.join('\n')).toContain(`kept the builder ECS ${builder[0].id} in ap-southeast-3`);
    h.cloud.failures = {};
    const resumed = await resume(h.options());
    expect(resumed.status).toBe('built');
    expect(h.cloud.resource(builder[0].id)?.deletedAt).toBeDefined();
    expectNoTemporaries(h);
  });
});

describe('crash (process killed) at each stage, then resume', () => {
  for (const stage of ['preflight', 'build', 'stop', 'capture', 'test', 'distribute'] as const) {
    it(`killed during ${stage}: resume finishes the build with nothing left over`, async () => {
      const h = harness({
        onEvent: (e, hh) => {
          if (e.stage === stage && e.status === 'start' && !e.region && !e.step) hh.clock.freeze();
        },
      });
      // The build freezes at its next wait: from the cloud's side, the process is gone.
      void build(h.options());
      await h.clock.parked;
      const cp = h.store.load('demo', '1.0.0')!;
      expect(cp.stages[stage].status).toBe('running');
      // A dead process's lock is stale; here the "dead" run shares our pid, so drop it by hand.
      rmSync(h.store.lockPath('demo', '1.0.0'));
      // IMS copy jobs outlive the process that started them; let any in flight finish.
      if (stage === 'distribute') h.clock.advance(300_000);
      h.clock.thaw();
      h.progress = new MemoryProgress();
      const outcome = await resume(h.options());
      expect(outcome.status).toBe('built');
      expectNoTemporaries(h);
      expect(h.cloud.liveResources('image').filter((r) => r.region === 'ap-southeast-3')).toHaveLength(1);
      const done = h.store.load('demo', '1.0.0')!;
      expect(STAGES.every((s) => done.stages[s].status === 'done')).toBe(true);
      expect(Object.values(done.regions).every((r) => r.status === 'done')).toBe(true);
    });
  }

  it('killed during record: resume writes the record', async () => {
    const h = harness();
    const first = await build(h.options());
    if (first.status !== 'built') throw new Error(first.status);
    const cp = h.store.load('demo', '1.0.0')!;
    cp.stages.record = { status: 'running', startedAt: cp.stages.record.startedAt };
    h.store.save(cp);
    rmSync(first.recordPath);
    const calls = h.cloud.calls.length;
    const outcome = await resume(h.options());
    expect(outcome.status).toBe('built');
    expect(existsSync(first.recordPath)).toBe(true);
    expect(h.cloud.calls.length).toBe(calls);
  });
});

describe('interruption', () => {
  it('SIGINT (abort) during the install deletes the temporary resources and keeps the checkpoint', async () => {
    const controller = new AbortController();
    const h = harness({ onEvent: (e) => e.stage === 'build' && e.step?.startsWith('2/2') && controller.abort(new Error('interrupted by SIGINT')) });
    const outcome = await build(h.options({ signal: controller.signal }));
    expect(outcome.status).toBe('interrupted');
    expectNoTemporaries(h);
    expect(h.progress.events.some((e) => e.stage === 'cleanup' && e.status === 'done')).toBe(true);
    const cp = h.store.load('demo', '1.0.0')!;
    expect(cp.stages.build).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(cp.builderDestroyed).toBe(true);
    h.progress = new MemoryProgress();
    expect((await resume(h.options())).status).toBe('built');
    expectNoTemporaries(h);
  });

  it('SIGINT during the boot test deletes the tester', async () => {
    const controller = new AbortController();
    const h = harness({ onEvent: (e) => e.stage === 'test' && e.step !== undefined && controller.abort(new Error('SIGINT')) });
    const outcome = await build(h.options({ signal: controller.signal }));
    expect(outcome.status).toBe('interrupted');
    expectNoTemporaries(h);
    expect(h.cloud.liveResources('image')).toHaveLength(1);
  });
});

describe('distribute', () => {
  it('retries exactly the failed region, never touching regions that are done', async () => {
    const h = harness({ cloud: { failures: { copyFail: { 'af-south-1': 1 } } } });
    expect((await build(h.options())).status).toBe('partial');
    const jobsBefore = h.cloud.copyJobs.length;
    const outcome = await distribute(h.options());
    expect(outcome.status).toBe('built');
    expect(h.cloud.calls.at(-1)).toBe('deployCopies:af-south-1');
    expect(h.cloud.copyJobs.slice(jobsBefore).map((j) => j.region)).toEqual(['af-south-1']);
    expect(h.cloud.destroyedCopies).toEqual([]);
    if (outcome.status !== 'built') return;
    expect(record(outcome.recordPath).complete).toBe(true);
    expect(h.store.load('demo', '1.0.0')!.regions['af-south-1'].attempts).toBe(2);
  });

  it('resume after a partial distribution retries the copy and rewrites the build record', async () => {
    const h = harness({ cloud: { failures: { copyFail: { 'af-south-1': 1 } } } });
    expect((await build(h.options())).status).toBe('partial');
    const outcome = await resume(h.options());
    expect(outcome.status).toBe('built');
    if (outcome.status !== 'built') return;
    const rec = record(outcome.recordPath);
    expect(rec.regions['af-south-1'].status).toBe('done');
    expect(rec.complete).toBe(true);
  });

  it('adds new regions to a finished build, reusing the captured image', async () => {
    const h = harness();
    await build(h.options());
    const images = h.cloud.liveResources('image').map((r) => r.id);
    const outcome = await distribute(h.options(), ['ap-southeast-1']);
    expect(outcome.status).toBe('built');
    expect(h.cloud.calls.filter((c) => c === 'deployBuilder' || c === 'captureImage')).toEqual(['deployBuilder', 'captureImage']);
    expect(h.cloud.calls.at(-1)).toBe('deployCopies:ap-southeast-1');
    const now = h.cloud.liveResources('image');
    expect(now.map((r) => r.id)).toEqual(expect.arrayContaining(images));
    expect(now.map((r) => r.region).sort()).toEqual(['af-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3']);
  });

  it('with nothing left to copy, does nothing', async () => {
    const h = harness();
    await build(h.options());
    const calls = h.cloud.calls.length;
    expect((await distribute(h.options())).status).toBe('already-built');
    expect(h.cloud.calls.length).toBe(calls);
  });

  it('never runs more than 5 copies at once, and uses all 5 with 12 regions', async () => {
    const h = harness({ definition: { targetRegions: TWELVE_REGIONS } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    expect(h.cloud.maxConcurrentCopies).toBe(5);
    expect(h.cloud.copyJobs).toHaveLength(12);
  });

  it('refuses before the image is tested', async () => {
    const h = harness({ cloud: { failures: { testStepFail: 'smoke' } } });
    await build(h.options());
    const err = await distribute(h.options()).catch((e) => e);
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(/no tested image yet/);
  });
});
