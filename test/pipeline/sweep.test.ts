/**
 * Sweep against the emulator: the orphans are real builder stacks (the synthesized stacks,
 * applied through the emulator's API), found and deleted by the real sweeper client.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import type { TaggedResource } from '../../scripts/cloud/types.js';
import { EmulatorApplier } from '../../scripts/emulator/applier/applier.js';
import { CheckpointStore, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { sweep } from '../../scripts/pipeline/sweep.js';
import { TAG } from '../../stacks/definition/tags.js';
import { startEmulator } from '../emulator/support.js';
import { makeImage } from '../support/images.js';
import { loopbackClock } from '../support/loopback-clock.js';

const NOW = new Date('2026-11-28T12:00:00Z');

describe('sweep', () => {
  /** One builder stack per build: crashed and expired, running and expired, crashed but not yet expired. */
  async function setup(serverDeleteMs = 45_000) {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    const store = new CheckpointStore(join(dir, 'builds'), dir);
    const clock = loopbackClock(Date.UTC(2026, 10, 28, 11, 0, 0));
    const calls: string[] = [];
    const emu = await startEmulator({ clock, log: (line) => calls.push(`${clock.now()} ${line}`) });
    onTestFinished(() => emu.close());
    await emu.config({ durations: { serverDeleteMs } });
    const api = emu.api({}, { sleep: (ms, signal) => clock.sleep(ms, signal) });
    const deploy = async (buildId: string, startedAt: string, region: string) => {
      const image = makeImage({ buildRegion: region, targetRegions: [] });
      const applier = new EmulatorApplier({ image, context: { buildId, startedAt: new Date(startedAt) }, api, clock, outdir: join(dir, buildId, 'out'), stateDir: join(dir, buildId, 'state') });
      return applier.deployBuilder({});
    };
    // Expiry is 6 h after the start (build.expiryHours).
    await deploy('crashed', '2026-11-28T02:00:00Z', 'ap-southeast-3');
    await deploy('live', '2026-11-28T02:00:00Z', 'ap-southeast-2');
    await deploy('recent', '2026-11-28T11:00:00Z', 'ap-southeast-3');
    // Tagged with a build but no expiry: not temporary, never swept.
    const kept = await api.request<{ vpc: { id: string } }>('vpc', 'ap-southeast-3', { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name: 'kept', cidr: '192.168.0.0/16' } } });
    await api.request('vpc', 'ap-southeast-3', { method: 'POST', path: '/v2.0/{project_id}/vpcs/{id}/tags/action', params: { id: kept.vpc.id }, body: { action: 'create', tags: [{ key: TAG.buildId, value: 'crashed' }] } });
    store.save(newCheckpoint({ image: 'demo', version: '1.0.0', productVersion: 'V1.0', buildId: 'live', startedAt: new Date(), regions: [] }));
    const release = store.acquire('demo', '1.0.0', 'live', 'build');
    onTestFinished(release);
    const sweeper = new HuaweiSweeper(api);
    const tagged = async (region: string, build: string): Promise<TaggedResource[]> => (await sweeper.listTagged(region, TAG.buildId)).filter((r) => r.tags[TAG.buildId] === build);
    const orphans = await tagged('ap-southeast-3', 'crashed');
    return { store, clock, emu, api, sweeper, calls, tagged, orphans, keptVpc: kept.vpc.id };
  }

  /** When (clock ms) a DELETE-like call for this resource was answered. */
  const deletedAt = (calls: string[], id: string) => calls.filter((c) => c.includes(id) && / -> 20\d$/.test(c) && /(DELETE |\/cloudservers\/delete)/.test(c)).map((c) => Number(c.split(' ')[0]));

  it('deletes expired resources of builds that are not running: ECS first, waits until it is gone, then its network', async () => {
    const s = await setup();
    expect(s.orphans.map((r) => r.type).sort()).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc', 'vpc']);
    const started = s.clock.now();
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3', 'ap-southeast-2'], store: s.store, now: NOW, dryRun: false, clock: s.clock, pollIntervalMs: 5_000 });
    expect(decisions.filter((d) => d.error)).toEqual([]);
    expect(decisions.filter((d) => d.deleted).map((d) => d.resource.type)).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
    // ECS deletion takes 45 s here (a job): the network went only once the server was gone.
    const ecs = s.orphans.find((r) => r.type === 'ecs')!;
    const network = s.orphans.filter((r) => r.type !== 'ecs' && r.id !== s.keptVpc);
    const gone = started + 45_000;
    for (const r of network) expect(Math.min(...deletedAt(s.calls, r.id)), r.type).toBeGreaterThanOrEqual(gone);
    expect(s.clock.now() - started).toBeLessThan(60_000);
    expect(await s.tagged('ap-southeast-3', 'crashed')).toEqual([expect.objectContaining({ id: s.keptVpc })]);
    expect(await s.sweeper.serverGone(ecs)).toBe(true);
    expect((await s.tagged('ap-southeast-2', 'live')).length).toBe(5);
    expect((await s.tagged('ap-southeast-3', 'recent')).length).toBe(5);
    expect(decisions.find((d) => d.resource.tags[TAG.buildId] === 'live')?.reason).toBe('build live is running');
  });

  it('a region that cannot be listed (no project, bad key, network) is reported; the other regions are still swept', async () => {
    const s = await setup();
    await s.emu.fault({ kind: 'http', region: 'ap-southeast-2', status: 401, code: 'APIGW.0301', message: 'Incorrect IAM authentication information: verify aksk signature fail' });
    const regionErrors: string[] = [];
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-2', 'ap-southeast-3'], store: s.store, now: NOW, dryRun: false, clock: s.clock, onRegionError: (region, message) => regionErrors.push(`${region}: ${message}`) });
    expect(regionErrors).toEqual([expect.stringMatching(/^ap-southeast-2: .*HTTP 401/)]);
    expect(decisions.filter((d) => d.deleted)).toHaveLength(5);
  });

  it('--build deletes that build\'s resources now, before their expiry, and nothing of another build; never a running one', async () => {
    const s = await setup();
    const now = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3', 'ap-southeast-2'], store: s.store, now: NOW, dryRun: false, clock: s.clock, build: 'recent' });
    expect(now.filter((d) => d.deleted).map((d) => d.resource.tags[TAG.buildId])).toEqual(['recent', 'recent', 'recent', 'recent', 'recent']);
    expect(now.find((d) => d.deleted)?.reason).toMatch(/^build recent is not running, and --build asks for its resources now \(expiry /);
    expect(await s.tagged('ap-southeast-3', 'recent')).toEqual([]);
    // The expired resources of another build stay: --build sweeps only the one it names.
    expect((await s.tagged('ap-southeast-3', 'crashed')).length).toBe(6);
    const live = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-2'], store: s.store, now: NOW, dryRun: false, clock: s.clock, build: 'live' });
    expect(live.filter((d) => d.action === 'delete')).toEqual([]);
    expect((await s.tagged('ap-southeast-2', 'live')).length).toBe(5);
  });

  it('--build also deletes that build\'s untagged network resources, found by their names (a create whose tag call never came)', async () => {
    const s = await setup();
    const eip = (region: string, alias: string) => s.api.request<{ publicip: { id: string } }>('eip', region, { method: 'POST', path: '/v1/{project_id}/publicips', body: { publicip: { type: '5_bgp', alias }, bandwidth: { name: `${alias}-bw`, size: 5, share_type: 'PER', charge_mode: 'traffic' } } });
    const vpc = (name: string) => s.api.request<{ vpc: { id: string } }>('vpc', 'ap-southeast-3', { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name, cidr: '192.168.0.0/16' } } });
    const lost = (await eip('ap-southeast-3', 'demo-builder-recent-eip')).publicip.id;
    const lostVpc = (await vpc('demo-tester-recent-vpc')).vpc.id;
    // Not this build's: another build's name, a name that only starts like one, a running build's.
    const other = (await vpc('demo-builder-crashed-vpc')).vpc.id;
    const lookalike = (await vpc('demo-builder-recent-vpc-2')).vpc.id;
    const running = (await eip('ap-southeast-2', 'demo-builder-live-eip')).publicip.id;
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3'], store: s.store, now: NOW, dryRun: false, clock: s.clock, build: 'recent' });
    const untagged = decisions.filter((d) => !d.resource.tags[TAG.buildId]);
    expect(untagged.map((d) => [d.resource.type, d.resource.id, d.deleted])).toEqual([['eip', lost, true], ['vpc', lostVpc, true]]);
    expect(untagged[0].reason).toBe('named for build recent (demo-builder-recent-eip) but untagged: its create was applied, its tag call never came');
    const left = async (region: string) => (await s.sweeper.listNamedForBuild(region, 'recent')).map((r) => r.id);
    expect(await left('ap-southeast-3')).toEqual([]);
    const vpcs = (await s.api.request<{ vpcs: { id: string }[] }>('vpc', 'ap-southeast-3', { method: 'GET', path: '/v1/{project_id}/vpcs' })).vpcs.map((v) => v.id);
    expect(vpcs).toEqual(expect.arrayContaining([other, lookalike]));
    const live = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-2'], store: s.store, now: NOW, dryRun: false, clock: s.clock, build: 'live' });
    expect(live.find((d) => d.resource.id === running)).toMatchObject({ action: 'keep', reason: 'build live is running' });
  });

  it('a build that holds its lock but has written no checkpoint yet is running: its resources stay', async () => {
    const s = await setup();
    // Version 2.0.0 of another image: a lock, no checkpoint (the moment between the two).
    onTestFinished(s.store.acquire('other', '2.0.0', 'recent', 'build'));
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3'], store: s.store, now: NOW, dryRun: false, clock: s.clock, build: 'recent' });
    expect(decisions.filter((d) => d.resource.tags[TAG.buildId] === 'recent').map((d) => d.reason)).toEqual(Array(5).fill('build recent is running'));
    expect((await s.tagged('ap-southeast-3', 'recent')).length).toBe(5);
  });

  it('--dry-run deletes nothing', async () => {
    const s = await setup();
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3'], store: s.store, now: NOW, dryRun: true });
    expect(decisions.filter((d) => d.action === 'delete')).toHaveLength(5);
    expect(await s.tagged('ap-southeast-3', 'crashed')).toHaveLength(6);
  });

  it('a resource that cannot be deleted is reported; the others are still deleted', async () => {
    const s = await setup();
    const sg = s.orphans.find((r) => r.type === 'security-group')!;
    await s.emu.fault({ kind: 'http', method: 'DELETE', path: sg.id, status: 409, code: 'VPC.0603', message: 'deletion refused' });
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3'], store: s.store, now: NOW, dryRun: false, clock: s.clock });
    expect(decisions.filter((d) => d.error).map((d) => `${d.resource.type}: ${d.error}`)).toEqual([expect.stringMatching(/^security-group: .*HTTP 409/)]);
    expect(decisions.filter((d) => d.deleted).map((d) => d.resource.type)).toEqual(['ecs', 'eip', 'subnet', 'vpc']);
    expect((await s.tagged('ap-southeast-3', 'crashed')).map((r) => r.type).sort()).toEqual(['security-group', 'vpc']);
  });

  it('a server that does not go within the bound is reported, and so is the network it holds; the wait is bounded', async () => {
    const s = await setup(3_600_000);
    const started = s.clock.now();
    const decisions = await sweep({ sweeper: s.sweeper, regions: ['ap-southeast-3'], store: s.store, now: NOW, dryRun: false, clock: s.clock, serverGoneTimeoutMs: 120_000, pollIntervalMs: 10_000 });
    expect(s.clock.now() - started).toBeGreaterThanOrEqual(120_000);
    // Bounded: the server wait, then the network's refusals (500 for a subnet in use is retried
    // by the client within its 60 s budget).
    expect(s.clock.now() - started).toBeLessThan(120_000 + 60_000 + 10_000);
    const byType = Object.fromEntries(decisions.filter((d) => d.action === 'delete').map((d) => [d.resource.type, d.error ?? 'deleted']));
    expect(byType.ecs).toMatch(/still there after 120 s/);
    // The EIP was bound to the server's port (409 while in use); the subnet still holds its port.
    for (const t of ['subnet', 'vpc']) expect(byType[t], t).toMatch(/HTTP (409|500)/);
  });
});
