import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, resume } from '../../scripts/pipeline/orchestrator.js';
import { STAGES, type Stage } from '../../scripts/pipeline/checkpoint.js';
import { isUserError } from '../../stacks/errors.js';
import { expectNoTemporaries, harness, readRecord as record, type CloudSetup, type Harness } from '../support/pipeline-harness.js';
import type { FaultSpec } from '../../scripts/emulator/faults.js';

/** ECS CreateServers refused (as when the flavor sells out between preflight and create). */
const serverCreateRefused: FaultSpec = { kind: 'http', service: 'ecs', method: 'POST', path: '^/v1\\.1/[^/]+/cloudservers$', status: 400, code: 'Ecs.0039', message: 'flavor sold out during creation', times: 1 };

/** An IMS capture job that fails. */
const captureFails: FaultSpec = { kind: 'job', jobType: 'createImage', code: 'IMG.0138', message: 'image creation failed: the system disk could not be read', times: 1 };
/** A stop request ECS accepts but never carries out. */
const stopIgnored: FaultSpec = { kind: 'job', jobType: 'stopServer', code: 'Ecs.0001', message: 'stop ignored', };
/** One failing cross-region copy into `region`. */
const copyFails = (region: string): FaultSpec => ({ kind: 'job', jobType: 'copyImage', region, code: 'IMG.0185', message: `replication to ${region} failed`, times: 1 });

async function serverGone(h: Harness, id: string): Promise<boolean> {
  return h.api.request('ecs', 'ap-southeast-3', { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}', params: { id } }).then(() => false, (e) => e.status === 404);
}

describe('build: happy path', () => {
  it('builds, boot-tests, copies and records, deleting the builder right after capture', async () => {
    const h = await harness();
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    if (outcome.status !== 'built') return;
    await expectNoTemporaries(h);

    // The builder goes as soon as the image exists, before the boot test starts; the copies
    // start with the test (af-south-1, the farther from ap-southeast-3, first).
    expect(h.calls).toEqual(['deployBuilder', 'captureImage', 'destroyBuilder', 'deployTester', 'deployCopies:af-south-1,ap-southeast-2', 'destroyTester']);

    const rec = record(outcome.recordPath);
    expect(outcome.recordPath).toMatch(/dist\/demo\/1\.0\.0\/build\.json$/);
    expect(Object.keys(rec.imageIds).sort()).toEqual(['af-south-1', 'ap-southeast-2', 'ap-southeast-3']);
    expect(rec).toMatchObject({
      image: 'demo', version: '1.0.0', productVersion: 'V1.0', complete: true,
      imageName: 'Test Product-V1.0',
      sourceImage: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Ubuntu 22.04 server 64bit' },
      tool: { version: '0.1.0-test' }, git: { commit: 'abc1234' }, ci: { runUrl: 'https://ci.example/run/1' },
    });
    expect(rec.installSteps.map((s: { name: string; sha256: string; status: string }) => [s.name, s.sha256.length, s.status])).toEqual([['install', 64, 'ok'], ['configure', 64, 'ok']]);
    expect(Object.keys(rec.timings)).toEqual([...STAGES]);
    // Every stage is done in the record itself, the record's own stage included.
    expect(Object.values(rec.timings).map((t: any) => t.status)).toEqual(STAGES.map(() => 'done'));
    expect(rec.timings.record.endedAt).toBe(rec.finishedAt);
    expect(JSON.stringify(rec)).not.toMatch(/HW_|secret|access_key/i);

    // Every stage reported its start and end, in order.
    const stageEnds = h.progress.events.filter((e) => !e.region && !e.step && (e.status === 'done' || e.status === 'start')).map((e) => `${e.stage}:${e.status}`);
    expect(stageEnds).toEqual([
      ...STAGES.slice(0, 4).flatMap((s) => [`${s}:start`, `${s}:done`]),
      // The copies run while the boot test does.
      'test:start', 'distribute:start', 'test:done', 'distribute:done', 'record:start', 'record:done',
    ]);
    expect(h.progress.events.filter((e) => e.stage === 'build' && e.step).map((e) => `${e.step} ${e.message}`)).toEqual([
      '1/2 install running', '1/2 install ok in 30s', '2/2 configure running', '2/2 configure ok in 30s',
    ]);
  });

  it('a rerun of a finished version creates nothing and says so', async () => {
    const h = await harness();
    await build(h.options());
    const calls = h.calls.length;
    const state = JSON.stringify(h.emu.emulator.account.data.resources);
    const again = await build(h.options());
    expect(again.status).toBe('already-built');
    expect(h.calls.length).toBe(calls);
    expect(JSON.stringify(h.emu.emulator.account.data.resources)).toBe(state);
    // Lost checkpoint, record still there: still a no-op.
    rmSync(h.store.path('demo', '1.0.0'));
    expect((await build(h.options())).status).toBe('already-built');
    expect(h.calls.length).toBe(calls);
  });

  it('refuses a version whose image exists in the cloud (built elsewhere) before paying for anything', async () => {
    // Built elsewhere: a first build on another machine, whose checkpoint this one lacks.
    const other = await harness();
    await build(other.options());
    const h = await harness({ sameCloudAs: other });
    const err = await build(h.options()).catch((e) => e);
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(/already has a private image in ap-southeast-3/);
    expect(h.calls).toEqual([]);
  });

  it('points a half-finished version to resume', async () => {
    const h = await harness({ cloud: { faults: [captureFails] } });
    expect((await build(h.options())).status).toBe('failed');
    const err = await build(h.options()).catch((e) => e);
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(/stopped at stage "capture".*image-factory resume demo/s);
  });
});

describe('build: a failure at each stage leaves no temporary resource behind', () => {
  const cases: { stage: Stage; cloud?: CloudSetup; definition?: object; atTest?: FaultSpec; expect: RegExp }[] = [
    { stage: 'preflight', cloud: { agencies: [] }, expect: /IAM agency "ims_agency" does not exist/ },
    { stage: 'preflight', cloud: { soldOut: ['s7.large.2', 'c7.large.2'] }, expect: /none of s7\.large\.2, c7\.large\.2 is on sale/ },
    { stage: 'preflight', cloud: { privateImageQuota: 0 }, expect: /ap-southeast-3: 0 private images already, the quota is 0/ },
    { stage: 'build', cloud: { faults: [serverCreateRefused] }, expect: /flavor sold out during creation/ },
    { stage: 'build', cloud: { guest: { outcome: 'step-fail', step: 'configure', mode: 'build' } }, expect: /step 2\/2 \(configure\) failed: step configure: fail \(exit 2 after 30s\)\n/ },
    { stage: 'build', cloud: { guest: { outcome: 'hang', step: 'install', mode: 'build' } }, definition: { install: [{ name: 'install', script: 'install.sh', timeoutMinutes: 1 }] }, expect: /step 1\/1 \(install\) timed out after 1m00s/ },
    { stage: 'build', cloud: { faults: [{ kind: 'job', jobType: 'createServer', code: 'Ecs.0010', message: 'the server went to ERROR: no host available', times: 1 }] }, expect: /went to ERROR/ },
    { stage: 'build', cloud: { guest: { outcome: 'poweroff', step: 'install', mode: 'build' } }, expect: /the guest powered off \(SHUTOFF\) without reporting a result, during step 1\/2 \(install\)/ },
    { stage: 'stop', cloud: { guest: { outcome: 'no-poweroff', mode: 'build' }, faults: [stopIgnored] }, expect: /still ACTIVE .* a running server is never captured/ },
    { stage: 'capture', cloud: { faults: [captureFails] }, expect: /image creation failed/ },
    { stage: 'test', atTest: serverCreateRefused, expect: /flavor sold out/ },
    { stage: 'test', cloud: { guest: { outcome: 'step-fail', step: 'smoke', mode: 'test' } }, expect: /step 1\/1 \(smoke\) failed/ },
    // A key written at the builder's power-off, after its self-check: the tester's first-boot audit names the check and the file.
    { stage: 'test', cloud: { guest: { outcome: 'audit-fail', mode: 'test' } }, expect: /first-boot audit[^\n]*no-authorized-keys[\s\S]*authorized_keys present: \/root\/\.ssh\/authorized_keys/ },
  ];
  for (const c of cases) {
    it(`${c.stage}: ${c.expect.source.slice(0, 50)}`, async () => {
      const h = await harness({ cloud: c.cloud, definition: c.definition, onEvent: (e, hh) => c.atTest && e.stage === 'test' && e.status === 'start' && !e.step && hh.fault(c.atTest) });
      let message: string;
      try {
        const outcome = await build(h.options());
        expect(outcome.status).toBe('failed');
        if (outcome.status !== 'failed') return;
        expect(outcome.stage).toBe(c.stage);
        message = outcome.error;
        if (c.cloud?.guest?.outcome === 'step-fail') expect(h.progress.notes.join('\n')).toMatch(/console log of the guest[\s\S]*status=fail/);
      } catch (err) {
        expect(isUserError(err)).toBe(true);
        message = (err as Error).message;
      }
      expect(message).toMatch(c.expect);
      await expectNoTemporaries(h);
      // Nothing is distributed after a failure: copies start only with the boot test, and a
      // failed test deletes them. A stop failure never reaches capture.
      if (c.stage !== 'test') expect(h.calls.some((x) => x.startsWith('deployCopies'))).toBe(false);
      expect(await h.privateImages(h.image.spec.targetRegions.filter((r) => r !== h.image.spec.buildRegion))).toEqual([]);
      if (c.stage === 'stop') expect(h.calls).not.toContain('captureImage');
      if (c.stage !== 'preflight') {
        const cp = h.store.load('demo', '1.0.0')!;
        expect(cp.stages[c.stage].status).toBe('failed');
        expect(cp.result).toBe('failed');
      }
    });
  }

  it('a guest that powers off without a result fails at once, with its console, not at the timeout', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'poweroff', step: 'install', mode: 'build' } } });
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
    const h = await harness({ cloud: { guest: { outcome: 'no-poweroff', mode: 'build' } } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    expect(h.progress.events.some((e) => e.stage === 'stop' && /stopping it/.test(e.message ?? ''))).toBe(true);
  });

  it('distribute: one failing region does not undo the others', async () => {
    const h = await harness({ cloud: { faults: [copyFails('af-south-1')] } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('partial');
    if (outcome.status !== 'partial') return;
    expect(outcome.failedRegions).toEqual(['af-south-1']);
    await expectNoTemporaries(h);
    const rec = record(outcome.recordPath);
    expect(rec.complete).toBe(false);
    expect(rec.regions['ap-southeast-2'].status).toBe('done');
    expect(rec.regions['af-south-1']).toMatchObject({ status: 'failed', error: expect.stringMatching(/replication to af-south-1 failed/) });
    // A partial build's record says so: distribute failed, the record itself is done.
    expect(rec.timings.distribute.status).toBe('failed');
    expect(rec.timings.record.status).toBe('done');
    expect((await h.privateImages()).map((r) => r.region).sort()).toEqual(['ap-southeast-2', 'ap-southeast-3']);
  });

  it('--keep-on-failure keeps the builder, says how to reach it, and resume starts it over', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'step-fail', step: 'install', mode: 'build' } } });
    const outcome = await build(h.options({ keepOnFailure: true }));
    expect(outcome.status).toBe('failed');
    const builder = (await h.temporaries()).filter((r) => r.type === 'ecs');
    expect(builder).toHaveLength(1);
    expect(h.progress.notes.join('\n')).toContain(`kept the builder ECS ${builder[0].id} in ap-southeast-3`);
    h.configure({ guest: { outcome: 'success' } });
    const resumed = await resume(h.options());
    expect(resumed.status).toBe('built');
    expect(await serverGone(h, builder[0].id)).toBe(true);
    await expectNoTemporaries(h);
  });
});

describe('the image folder edited during a build', () => {
  it('builds, tests and records the files as they were at the start; a failed test still cleans up everything', async () => {
    let h: Harness | undefined;
    const edit = () => {
      // What a merchant might do while the build runs: rewrite a test, delete an install step.
      writeFileSync(join(h!.image.dir, 'test.sh'), '#!/bin/bash\necho edited\n');
      rmSync(join(h!.image.dir, 'install.sh'));
    };
    h = await harness({ onEvent: (e) => e.stage === 'capture' && e.status === 'start' && !e.region && edit() });
    const before = record(await (async () => {
      const o = await build(h!.options());
      if (o.status !== 'built') throw new Error(o.status);
      return o.recordPath;
    })());
    await expectNoTemporaries(h);
    // The hashes are of what was built, the frozen files: the same as an unedited build's.
    const reference = await harness();
    const plain = await build(reference.options());
    if (plain.status !== 'built') throw new Error(plain.status);
    const hashes = (rec: any) => [...rec.installSteps, ...rec.testSteps].map((st: { name: string; sha256: string }) => `${st.name} ${st.sha256}`);
    expect(hashes(before)).toEqual(hashes(record(plain.recordPath)));

    // Files gone or broken from the start of the run on: the run never reads the folder again,
    // so the boot test runs (and fails, as the guest is told to) and cleanup removes everything.
    const failing = await harness({ cloud: { guest: { outcome: 'step-fail', step: 'smoke', mode: 'test' } } });
    rmSync(join(failing.image.dir, 'test.sh'));
    writeFileSync(join(failing.image.dir, 'install.sh'), 'not bash at all\r\n');
    const outcome = await build(failing.options());
    expect(outcome).toMatchObject({ status: 'failed', stage: 'test' });
    await expectNoTemporaries(failing);
  });
});
