/** The emulated EIP service through the project's real signed client: states over time, binding, tags, release. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { VirtualClock } from '../../scripts/pipeline/clock.js';
import { releaseEipsOfPort } from '../../scripts/emulator/services/eip.js';
import { createPort } from '../../scripts/emulator/services/vpc.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { startEmulator, type TestEmulator } from './support.js';

const REGION = 'ap-southeast-3';
const BUILDER_EIP = { publicip: { type: '5_bgp' }, bandwidth: { name: 'nginx-builder-manual-bw', size: 50, share_type: 'PER', charge_mode: 'traffic' } };

describe('emulator EIP', () => {
  let emu: TestEmulator;
  let clock: VirtualClock;
  const api = () => new HuaweiApi(emu.credentials, { endpoint: endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: emu.url }), retry: { attempts: 1 } });
  const call = (service: 'vpc' | 'eip', method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>, params?: Record<string, string>, query?: Record<string, string>) =>
    api().request<any>(service, REGION, { method, path, body, params, query });
  const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the call to fail'); }, (e) => e);

  beforeEach(async () => {
    clock = new VirtualClock();
    emu = await startEmulator({ clock });
  });
  afterEach(() => emu.close());

  it('assigns an EIP PENDING_CREATE that becomes DOWN, from the benchmarking range, with its bandwidth', async () => {
    const { publicip } = await call('eip', 'POST', '/v1/{project_id}/publicips', BUILDER_EIP);
    expect(publicip.status).toBe('PENDING_CREATE');
    expect(publicip.public_ip_address).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    await clock.sleep(5_000);
    const shown = (await call('eip', 'GET', '/v1/{project_id}/publicips/{id}', undefined, { id: publicip.id })).publicip;
    expect(shown).toMatchObject({ status: 'DOWN', bandwidth_size: 50, bandwidth_share_type: 'PER', type: '5_bgp', tags: [] });
    const bw = (await call('eip', 'GET', '/v1/{project_id}/bandwidths/{id}', undefined, { id: shown.bandwidth_id })).bandwidth;
    expect(bw).toMatchObject({ name: 'nginx-builder-manual-bw', size: 50, charge_mode: 'traffic', publicip_info: [expect.objectContaining({ publicip_id: publicip.id })] });
    expect((await call('eip', 'PUT', '/v1/{project_id}/bandwidths/{id}', { bandwidth: { size: 100 } }, { id: bw.id })).bandwidth.size).toBe(100);
    const v3 = (await call('eip', 'GET', '/v3/{project_id}/eip/publicips/{id}', undefined, { id: publicip.id })).publicip;
    expect(v3).toMatchObject({ status: 'DOWN', vnic: null, associate_instance_id: null, bandwidth: expect.objectContaining({ size: 100 }) });
    const found = await call('eip', 'GET', '/v1/{project_id}/publicips', undefined, undefined, { public_ip_address: publicip.public_ip_address });
    expect(found.publicips.map((p: any) => p.id)).toEqual([publicip.id]);
    await call('eip', 'DELETE', '/v1/{project_id}/publicips/{id}', undefined, { id: publicip.id });
    expect(await fail(call('eip', 'GET', '/v1/{project_id}/publicips/{id}', undefined, { id: publicip.id }))).toMatchObject({ status: 404 });
    expect(await fail(call('eip', 'GET', '/v1/{project_id}/bandwidths/{id}', undefined, { id: bw.id }))).toMatchObject({ status: 404 });
  });

  it('refuses bad bandwidths and types with 400', async () => {
    for (const body of [
      { ...BUILDER_EIP, bandwidth: { ...BUILDER_EIP.bandwidth, share_type: 'SOME' } },
      { ...BUILDER_EIP, bandwidth: { ...BUILDER_EIP.bandwidth, size: 0 } },
      { ...BUILDER_EIP, publicip: { type: 'bgp' } },
    ]) expect(await fail(call('eip', 'POST', '/v1/{project_id}/publicips', body))).toMatchObject({ status: 400 });
  });

  it('binds to a server port (BINDING, then ACTIVE), unbinds with the provider\'s empty update (DOWN), and the ECS helper releases it', async () => {
    const { vpc } = await call('vpc', 'POST', '/v1/{project_id}/vpcs', { vpc: { name: 'v', cidr: '10.0.0.0/24' } });
    await clock.sleep(5_000);
    const { subnet } = await call('vpc', 'POST', '/v1/{project_id}/subnets', { subnet: { name: 's', cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', vpc_id: vpc.id } });
    const port = createPort(emu.emulator.account, REGION, { subnetId: subnet.id, deviceId: 'server-1', securityGroupIds: [], now: clock.now() });
    const { publicip } = await call('eip', 'POST', '/v1/{project_id}/publicips', BUILDER_EIP);
    await clock.sleep(5_000);
    const show = async () => (await call('eip', 'GET', '/v1/{project_id}/publicips/{id}', undefined, { id: publicip.id })).publicip;
    expect((await call('eip', 'PUT', '/v1/{project_id}/publicips/{id}', { publicip: { port_id: port.id } }, { id: publicip.id })).publicip.status).toBe('BINDING');
    await clock.sleep(5_000);
    expect(await show()).toMatchObject({ status: 'ACTIVE', port_id: port.id, private_ip_address: '10.0.0.2' });
    const v3 = (await call('eip', 'GET', '/v3/{project_id}/eip/publicips/{id}', undefined, { id: publicip.id })).publicip;
    expect(v3.vnic).toMatchObject({ port_id: port.id, instance_id: 'server-1', private_ip_address: '10.0.0.2' });
    await call('eip', 'PUT', '/v1/{project_id}/publicips/{id}', { publicip: {} }, { id: publicip.id });
    expect(await show()).toMatchObject({ status: 'DOWN' });
    expect((await show()).port_id).toBeUndefined();
    await call('eip', 'PUT', '/v1/{project_id}/publicips/{id}', { publicip: { port_id: port.id } }, { id: publicip.id });
    expect(await fail(call('eip', 'PUT', '/v1/{project_id}/publicips/{id}', { publicip: { port_id: 'no-such-port' } }, { id: publicip.id }))).toMatchObject({ status: 404 });
    expect(releaseEipsOfPort(emu.emulator.account, REGION, port.id)).toEqual([publicip.id]);
    expect(await fail(show())).toMatchObject({ status: 404 });
  });

  it('tags EIPs (the v1 show lists them as key=value) and the tag filter finds them', async () => {
    const a = (await call('eip', 'POST', '/v1/{project_id}/publicips', BUILDER_EIP)).publicip;
    const b = (await call('eip', 'POST', '/v1/{project_id}/publicips', BUILDER_EIP)).publicip;
    expect(a.public_ip_address).not.toBe(b.public_ip_address);
    await call('eip', 'POST', '/v2.0/{project_id}/publicips/{id}/tags/action', { action: 'create', tags: [{ key: 'image-factory-build', value: 'b1' }, { key: 'team', value: 'web' }] }, { id: a.id });
    expect((await call('eip', 'GET', '/v1/{project_id}/publicips/{id}', undefined, { id: a.id })).publicip.tags).toEqual(['image-factory-build=b1', 'team=web']);
    const filter = (tags: unknown) => call('eip', 'POST', '/v2.0/{project_id}/publicips/resource_instances/action', { action: 'filter', limit: '1000', offset: '0', tags });
    expect((await filter([{ key: 'image-factory-build', values: [] }])).resources.map((r: any) => r.resource_id)).toEqual([a.id]);
    expect((await filter([{ key: 'image-factory-build', values: ['b2'] }])).total_count).toBe(0);
  });
});
