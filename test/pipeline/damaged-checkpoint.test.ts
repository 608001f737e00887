/**
 * One damaged checkpoint (a truncated .image-factory/builds/<image>/<version>.json) is named and
 * skipped by the work of every other version (a build's copy order, sweep, the cleanup of stopped
 * builds), never overwritten, and still refused by the work of its own version. And a build that
 * finds its version's checkpoint held by a live process is told who holds it, not to resume.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { CheckpointStore, newCheckpoint, type DamagedCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { build, distribute, resume } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { sweep } from '../../scripts/pipeline/sweep.js';
import { cleanUpStoppedBuilds } from '../../scripts/pipeline/leftovers.js';
import { TAG } from '../../stacks/definition/tags.js';
import { isUserError } from '../../stacks/errors.js';
import { startEmulator } from '../emulator/support.js';
import { makeImage } from '../support/images.js';
import { loopbackClock } from '../support/loopback-clock.js';
import { harness } from '../support/pipeline-harness.js';

/** A checkpoint cut off mid-write, as a full disk or a copy interrupted leaves it. */
function truncate(store: CheckpointStore, image: string, version: string, buildId: string): string {
  const cp = newCheckpoint({ image, version, productVersion: 'V1.0', buildId, startedAt: new Date('2026-11-28T02:00:00Z'), regions: ['ap-southeast-2'] });
  const text = JSON.stringify(cp, null, 2).slice(0, 120);
  const path = store.path(image, version);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return text;
}

const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: Error) => e);

describe('CheckpointStore: a damaged checkpoint', () => {
  it('is reported apart from the good ones, left as it is, and refused when its own version is loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'damaged-'));
    const store = new CheckpointStore(join(dir, 'builds'), dir);
    store.save(newCheckpoint({ image: 'nginx', version: '1.0.0', productVersion: 'V1.0', buildId: 'b-100', startedAt: new Date(), regions: [] }));
    const text = truncate(store, 'nginx', '0.9.0', 'b-090');
    const { checkpoints, damaged } = store.scan('nginx');
    expect(checkpoints.map((cp) => cp.version)).toEqual(['1.0.0']);
    expect(damaged).toEqual([{ image: 'nginx', version: '0.9.0', path: join('builds', 'nginx', '0.9.0.json'), reason: expect.stringMatching(/^the checkpoint is not valid JSON/) }]);
    expect(store.list().map((cp) => cp.version)).toEqual(['1.0.0']);
    expect(() => store.load('nginx', '0.9.0')).toThrow(/builds\/nginx\/0\.9\.0\.json: the checkpoint is not valid JSON .*; delete it to start the version over/);
    expect(readFileSync(store.path('nginx', '0.9.0'), 'utf8')).toBe(text);
  });
});

describe('the cleanup of stopped builds with a damaged checkpoint', () => {
  it('names the file and skips it, leaving it as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leftovers-damaged-'));
    const store = new CheckpointStore(join(dir, 'builds'), dir);
    const text = truncate(store, 'demo', '0.9.0', 'b-090');
    const lines = await cleanUpStoppedBuilds('demo', { store, credentials: { accessKey: 'AK', secretKey: 'SK' }, backend: { kind: 'local', dir: join(dir, 'state') }, outdir: join(dir, 'cdktf.out'), terraform: '/nonexistent/terraform' });
    expect(lines).toEqual([expect.stringMatching(/^skipped builds\/demo\/0\.9\.0\.json \(the checkpoint is not valid JSON .*\): kept as it is; .*`image-factory sweep` deletes them once they expire$/)]);
    expect(readFileSync(store.path('demo', '0.9.0'), 'utf8')).toBe(text);
  });
});

describe('sweep with a damaged checkpoint', () => {
  const NOW = new Date('2026-11-28T12:00:00Z');

  async function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-damaged-'));
    const store = new CheckpointStore(join(dir, 'builds'), dir);
    const clock = loopbackClock(Date.UTC(2026, 10, 28, 11, 0, 0));
    const emu = await startEmulator({ clock });
    onTestFinished(() => emu.close());
    const api = emu.api({}, { sleep: (ms, signal) => clock.sleep(ms, signal) });
    const deploy = async (buildId: string, buildVersion: string, startedAt: string, region: string) => {
      const image = makeImage({ buildVersion, buildRegion: region, targetRegions: [] });
      const applier = new EmulatorApplier({ image, context: { buildId, startedAt: new Date(startedAt) }, api, clock, outdir: join(dir, buildId, 'out'), stateDir: join(dir, buildId, 'state') });
      await applier.deployBuilder({});
    };
    // Expiry is 6 h after the start: the first three have expired by NOW, the last has not.
    await deploy('crashed', '1.0.0', '2026-11-28T02:00:00Z', 'ap-southeast-3');
    await deploy('b-090', '0.9.0', '2026-11-28T02:00:00Z', 'ap-southeast-3');
    await deploy('b-080', '0.8.0', '2026-11-28T02:00:00Z', 'ap-southeast-3');
    await deploy('b-070', '0.7.0', '2026-11-28T11:00:00Z', 'ap-southeast-3');
    store.save(newCheckpoint({ image: 'demo', version: '1.0.0', productVersion: 'V1.0', buildId: 'crashed', startedAt: new Date(), regions: [] }));
    const sweeper = new HuaweiSweeper(api);
    return { store, clock, sweeper };
  }

  it('goes on, names the file, keeps the resources of a build still holding its lock and of one not expired, and keeps the file', async () => {
    const s = await setup();
    // 0.9.0: truncated, its build still running here (its lock held by a live process).
    const text090 = truncate(s.store, 'demo', '0.9.0', 'b-090');
    const release = s.store.acquire('demo', '0.9.0', 'b-090', 'build');
    onTestFinished(release);
    // 0.8.0 and 0.7.0: truncated, their builds stopped (no lock).
    truncate(s.store, 'demo', '0.8.0', 'b-080');
    truncate(s.store, 'demo', '0.7.0', 'b-070');
    const told: string[] = [];
    const onDamagedCheckpoint = (d: DamagedCheckpoint, meaning: string) => told.push(`${d.path}: ${d.reason}; ${meaning}`);
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3'], store: s.store, now: NOW, dryRun: false, clock: s.clock, pollIntervalMs: 5_000, onDamagedCheckpoint });

    expect(told).toEqual([
      expect.stringMatching(/^builds\/demo\/0\.7\.0\.json: the checkpoint is not valid JSON .*; no process holds the lock of demo 0\.7\.0: .*kept until their expiry tag has passed/),
      expect.stringMatching(/^builds\/demo\/0\.8\.0\.json: the checkpoint is not valid JSON .*; no process holds the lock of demo 0\.8\.0/),
      expect.stringMatching(/^builds\/demo\/0\.9\.0\.json: .*demo 0\.9\.0 is still being worked on by "build" \(pid \d+ .*the resources of its build b-090 are kept/),
    ]);
    const by = (build: string) => decisions.filter((d) => d.resource.tags[TAG.buildId] === build && d.resource.tags[TAG.expiresAt]);
    // The running build's resources stay, though expired: its lock names it.
    expect(by('b-090').length).toBe(5);
    for (const d of by('b-090')) expect(d).toMatchObject({ action: 'keep', reason: 'build b-090 is running' });
    // A stopped build whose checkpoint is damaged: kept until expiry, deleted after, as any other.
    for (const d of by('b-070')) expect(d).toMatchObject({ action: 'keep', reason: expect.stringMatching(/^expires .*; the checkpoint of demo 0\.7\.0 \(builds\/demo\/0\.7\.0\.json\) cannot be read, and no process holds its lock$/) });
    for (const d of by('b-080')) expect(d).toMatchObject({ action: 'delete', deleted: true, reason: expect.stringMatching(/^build b-080 is not running and expired .*; the checkpoint of demo 0\.8\.0 .* cannot be read/) });
    for (const d of by('crashed')) expect(d).toMatchObject({ action: 'delete', deleted: true });
    expect(decisions.filter((d) => d.error)).toEqual([]);
    expect(readFileSync(s.store.path('demo', '0.9.0'), 'utf8')).toBe(text090);
  });
});

describe('a build with another version\'s checkpoint damaged', () => {
  it('goes through every stage, names the damaged file, and leaves it as it is', async () => {
    const h = await harness();
    const text = truncate(h.store, 'demo', '0.9.0', 'b-090');
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    expect(h.progress.notes).toEqual([expect.stringMatching(/^skipped builds\/demo\/0\.9\.0\.json \(demo 0\.9\.0\): the checkpoint is not valid JSON .*its copy times are left out of the copy order\. The file is kept as it is/)]);
    expect(readFileSync(h.store.path('demo', '0.9.0'), 'utf8')).toBe(text);
  });

  it('its own version damaged: refused before anything is paid for, the file kept', async () => {
    const h = await harness();
    const text = truncate(h.store, 'demo', '1.0.0', 'b-100');
    for (const run of [build, resume, distribute]) {
      const err = await rejection(run(h.options()));
      expect(isUserError(err)).toBe(true);
      expect(err.message).toMatch(/builds\/demo\/1\.0\.0\.json: the checkpoint is not valid JSON .*delete it to start the version over/);
    }
    expect(h.calls).toEqual([]);
    expect(readFileSync(h.store.path('demo', '1.0.0'), 'utf8')).toBe(text);
  });
});

describe('two builds of one version at once', () => {
  it('the second is told who is working on the version and to wait, not to resume', async () => {
    const h = await harness();
    let second: Promise<Error> | undefined;
    // The second starts while the first is installing: its checkpoint says "stopped" at build.
    const first = build(h.options({ progress: new MemoryProgress((e) => {
      if (e.stage === 'build' && e.status === 'start') second ??= rejection(build(h.options()));
    }) }));
    expect((await first).status).toBe('built');
    const err = await second!;
    expect(isUserError(err)).toBe(true);
    expect(err.message).toMatch(new RegExp(`^demo 1\\.0\\.0 is being worked on by "build" \\(pid ${process.pid} on [^,]+, since [^)]+\\); wait for it to finish, or delete builds/demo/1\\.0\\.0\\.lock if that process is gone$`));
    expect(err.message).not.toMatch(/resume|stopped at stage/);
  });

  it('a version held by a live process, stopped mid-way by its checkpoint: build and distribute say who holds it; once free, build points to resume', async () => {
    const h = await harness();
    const cp = newCheckpoint({ image: 'demo', version: '1.0.0', productVersion: 'V1.0', buildId: 'b-1', startedAt: new Date(), regions: ['ap-southeast-2'] });
    cp.stages.preflight = { status: 'done' };
    cp.stages.build = { status: 'running' };
    h.store.save(cp);
    // This test's own pid: alive, so the lock is held as another process's would be.
    const release = h.store.acquire('demo', '1.0.0', 'b-1', 'resume');
    for (const run of [build, distribute]) {
      const err = await rejection(run(h.options()));
      expect(err.message).toMatch(/^demo 1\.0\.0 is being worked on by "resume" \(pid \d+ on .*, since .*\); wait for it to finish/);
    }
    release();
    expect((await rejection(build(h.options()))).message).toMatch(/stopped at stage "build"; run `image-factory resume demo`/);
    expect(h.calls).toEqual([]);
  });
});
