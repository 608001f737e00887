/**
 * Every function of the project's own Huawei clients (ECS, preflight, sweeper) against the
 * emulator, through the real signed HuaweiApi, plus followGuest on an emulated builder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HuaweiEcsClient } from '../../scripts/cloud/ecs.js';
import { HuaweiPreflight } from '../../scripts/cloud/huawei-preflight.js';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { followGuest, GuestFailure, waitForStatus } from '../../scripts/pipeline/guest.js';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { TAG } from '../../stacks/definition/tags.js';
import { createServer, ManualClock, nginxStepNames, nginxUserData, REGION, seedNetwork, type Network } from '../emulator/compute-fixtures.js';
import { startEmulator, type TestEmulator } from '../emulator/support.js';

const D = DEFAULT_DURATIONS;

describe('the project\'s Huawei clients on the emulator', () => {
  let emu: TestEmulator;
  let clock: ManualClock;
  let net: Network;
  beforeEach(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, log: process.env.EMU_LOG ? (l) => console.log(l) : undefined });
    net = seedNetwork(emu);
  });
  afterEach(() => emu.close());

  it('HuaweiEcsClient: getServer, consoleOutput, stopServer', async () => {
    const ecs = new HuaweiEcsClient(emu.api());
    const { serverId } = await createServer(emu.api(), net, { userData: await nginxUserData('build') });
    expect(await ecs.getServer(serverId, REGION)).toEqual({ status: 'BUILD', taskState: 'spawning', fault: undefined });
    clock.advance(D.serverCreateMs + D.bootMs + 10_000);
    expect((await ecs.getServer(serverId, REGION)).status).toBe('ACTIVE');
    expect(await ecs.consoleOutput(serverId, REGION, 2)).toMatch(/^IMAGE-FACTORY event=phase name=wait-cloud-init status=ok\nIMAGE-FACTORY event=step step=1%2F\d+ name=\S+ status=start\n$/);
    await ecs.stopServer(serverId, REGION);
    expect(await ecs.getServer(serverId, REGION)).toMatchObject({ status: 'ACTIVE', taskState: 'powering-off' });
    clock.advance(D.stopMs);
    expect((await ecs.getServer(serverId, REGION)).status).toBe('SHUTOFF');
    const err = await ecs.getServer('00000000-0000-4000-8000-000000000000', REGION).catch((e) => e);
    expect([err.status, err.code]).toEqual([404, 'Ecs.0114']);
  });

  it('followGuest follows an emulated builder to its result, and reports a failing step', async () => {
    const ecs = new HuaweiEcsClient(emu.api());
    const names = await nginxStepNames('build');
    const steps = names.map((name) => ({ name, timeoutMinutes: 20 }));
    const { serverId } = await createServer(emu.api(), net, { userData: await nginxUserData('build') });
    const seen: string[] = [];
    const result = await followGuest({ ecs, clock, serverId, region: REGION, steps, overallTimeoutMs: 4 * 3600_000, pollIntervalMs: 15_000, onStep: (s) => seen.push(`${s.index}:${s.status}`) });
    expect(result.steps.map((s) => s.status)).toEqual(names.map(() => 'ok'));
    expect(seen).toEqual(names.flatMap((_, i) => [`${i + 1}:start`, `${i + 1}:ok`]));
    expect(await waitForStatus(ecs, clock, serverId, REGION, 'SHUTOFF', 60_000, 5_000)).toBe('SHUTOFF');

    await emu.config({ guest: { outcome: 'step-fail', step: names[0] } });
    const failing = await createServer(emu.api(), net, { userData: await nginxUserData('build'), name: 'failing' });
    const err = await followGuest({ ecs, clock, serverId: failing.serverId, region: REGION, steps, overallTimeoutMs: 4 * 3600_000, pollIntervalMs: 15_000, onStep: () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(GuestFailure);
    expect(err.message).toMatch(new RegExp(`step 1/${names.length} \\(${names[0]}\\) failed`));
  });

  it('HuaweiPreflight: privateImageUsage, agencyExists (with the domain lookup), findPlacement (sold-out AZs), findVersionImages (tag filter)', async () => {
    const pre = new HuaweiPreflight(emu.api(), emu.credentials, REGION);
    expect(await pre.privateImageUsage(REGION)).toEqual({ used: 0, quota: 50 });
    expect(await pre.agencyExists('koogallery_ims_agency')).toBe(true);
    expect(await pre.agencyExists('missing_agency')).toBe(false);

    expect(await pre.findPlacement(REGION, ['s6.large.2'])).toEqual({ flavor: 's6.large.2', availabilityZone: 'ap-southeast-3a' });
    await emu.config({ soldOut: { [REGION]: { 's6.large.2': ['*'], 's7.large.2': ['ap-southeast-3a'] } } });
    expect(await pre.findPlacement(REGION, ['nope.large.2', 's6.large.2', 's7.large.2'])).toEqual({ flavor: 's7.large.2', availabilityZone: 'ap-southeast-3b' });
    expect(await pre.findPlacement(REGION, ['s6.large.2'])).toBeUndefined();

    // Two images of this version, one of another product.
    const { serverId } = await createServer(emu.api(), net, { flavor: 'c7.large.2' });
    clock.advance(D.serverCreateMs);
    await emu.api().request('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-stop': { servers: [{ id: serverId }] } } });
    clock.advance(D.stopMs);
    const made: string[] = [];
    for (const product of ['nginx', 'redis']) {
      const { job_id } = await emu.api().request<{ job_id: string }>('ims', REGION, {
        method: 'POST', path: '/v2/cloudimages/action',
        body: { name: `${product}-1.0.0`, instance_id: serverId, image_tags: [{ key: TAG.version, value: '1.0.0' }, { key: TAG.product, value: product }] },
      });
      clock.advance(D.captureMs);
      made.push((await emu.api().request<{ entities: { image_id: string } }>('ims', REGION, { method: 'GET', path: '/v1/{project_id}/jobs/{id}', params: { id: job_id } })).entities.image_id);
    }
    expect(await pre.privateImageUsage(REGION)).toEqual({ used: 2, quota: 50 });
    expect(await pre.findVersionImages(REGION, 'nginx', '1.0.0')).toEqual([{ id: made[0], name: 'nginx-1.0.0' }]);
    expect(await pre.findVersionImages(REGION, 'nginx', '2.0.0')).toEqual([]);
  });

  /** VPC, subnet and security group made through the VPC module's API, tagged like the builder stack's. */
  async function apiNetwork(): Promise<Network> {
    const api = emu.api();
    const tags = [{ key: 'image-factory-expires', value: '20261130T230936Z' }];
    const vpc = await api.request<{ vpc: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name: 'sweep-vpc', cidr: '10.254.238.0/24' } } });
    clock.advance(D.shortJobMs);
    const subnet = await api.request<{ subnet: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/subnets', body: { subnet: { name: 'sweep-subnet', cidr: '10.254.238.0/24', gateway_ip: '10.254.238.1', vpc_id: vpc.vpc.id } } });
    const sg = await api.request<{ security_group: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/security-groups', body: { security_group: { name: 'sweep-sg' } } });
    for (const [kind, id] of [['vpcs', vpc.vpc.id], ['subnets', subnet.subnet.id], ['security-groups', sg.security_group.id]]) {
      await api.request('vpc', REGION, { method: 'POST', path: `/v2.0/{project_id}/${kind}/{id}/tags/action`, params: { id }, body: { action: 'create', tags } });
    }
    clock.advance(D.shortJobMs);
    return { vpcId: vpc.vpc.id, subnetId: subnet.subnet.id, sgId: sg.security_group.id, eipId: net.eipId };
  }

  it('HuaweiSweeper: listTagged over the five types, deleteResource for each (404 is fine), serverGone', async () => {
    const sweeper = new HuaweiSweeper(emu.api());
    net = await apiNetwork();
    const { serverId } = await createServer(emu.api(), net, { tags: { [TAG.buildId]: 'b1', 'image-factory-expires': '20261130T230936Z' } });
    clock.advance(D.serverCreateMs);
    const ours = new Set([serverId, net.vpcId, net.subnetId, net.sgId, net.eipId]);
    const found = (await sweeper.listTagged(REGION, 'image-factory-expires')).filter((r) => ours.has(r.id));
    const byType = Object.fromEntries(found.map((r) => [r.type, r.id]));
    expect(byType.ecs).toBe(serverId);
    expect(found.find((r) => r.type === 'ecs')?.tags).toMatchObject({ [TAG.buildId]: 'b1' });

    const server = found.find((r) => r.type === 'ecs')!;
    expect(await sweeper.serverGone(server)).toBe(false);
    await sweeper.deleteResource(server);
    clock.advance(D.serverDeleteMs);
    expect(await sweeper.serverGone(server)).toBe(true);
    // A second sweep finds it gone: the 404 is swallowed.
    await sweeper.deleteResource(server);
    expect(found.map((r) => r.type).sort()).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
    // The EIP went with the server (delete_publicip): deleting it again is a 404, which is fine.
    await sweeper.deleteResource({ type: 'eip', id: net.eipId, region: REGION, tags: {} });
    for (const type of ['security-group', 'subnet', 'vpc'] as const) await sweeper.deleteResource(found.find((x) => x.type === type)!);
    const left = (await sweeper.listTagged(REGION, 'image-factory-expires')).filter((r) => ours.has(r.id));
    expect(left).toEqual([]);
  });
});
