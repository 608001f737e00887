/** The emulated VPC service, through the project's real signed client: states over time, tags, conflicts, errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../scripts/pipeline/clock.js';
import { createPort, deletePortsOf } from '../../scripts/emulator/services/vpc.js';
import { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { startEmulator, type TestEmulator } from './support.js';

const REGION = 'ap-southeast-3';

describe('emulator VPC', () => {
  let emu: TestEmulator;
  let clock: VirtualClock;
  // The project's real signed client, pointed at the emulator as IMAGE_FACTORY_ENDPOINT does it.
  const api = () => new HuaweiApi(emu.credentials, { endpoint: endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: emu.url }), retry: { attempts: 1 } });
  const vpc = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>, params?: Record<string, string>, query?: Record<string, string>) =>
    api().request<any>('vpc', REGION, { method, path, body, params, query });
  // sdk-core reads error_code, not the flat {code, message} of VPC v1 errors (as with the real
  // cloud), so the client sees the status only; the codes are in the services' sources.
  const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the call to fail'); }, (e) => e);

  async function readyVpc(cidr = '10.254.239.0/24') {
    const { vpc: v } = await vpc('POST', '/v1/{project_id}/vpcs', { vpc: { name: 'build-vpc', cidr } });
    await clock.sleep(10_000);
    return v.id as string;
  }
  async function readySubnet(vpcId: string, cidr = '10.254.239.0/24', gateway = '10.254.239.1') {
    const { subnet } = await vpc('POST', '/v1/{project_id}/subnets', { subnet: { name: 'build-subnet', cidr, gateway_ip: gateway, vpc_id: vpcId, dhcp_enable: true } });
    await clock.sleep(10_000);
    return subnet.id as string;
  }

  beforeEach(async () => {
    clock = new VirtualClock();
    emu = await startEmulator({ clock });
  });
  afterEach(() => emu.close());

  it('creates a VPC CREATING that turns OK after the modelled time, shows it in v1, v3 and the list, and deletes it', async () => {
    const { vpc: created } = await vpc('POST', '/v1/{project_id}/vpcs', { vpc: { name: 'build-vpc', cidr: '10.254.239.0/24', description: 'builder' } });
    expect(created).toMatchObject({ name: 'build-vpc', cidr: '10.254.239.0/24', status: 'CREATING', routes: [] });
    expect((await vpc('GET', '/v1/{project_id}/vpcs/{id}', undefined, { id: created.id })).vpc.status).toBe('CREATING');
    await clock.sleep(5_000);
    expect((await vpc('GET', '/v1/{project_id}/vpcs/{id}', undefined, { id: created.id })).vpc.status).toBe('OK');
    const v3 = await vpc('GET', '/v3/{project_id}/vpc/vpcs/{id}', undefined, { id: created.id });
    expect(v3.vpc).toMatchObject({ id: created.id, status: 'ACTIVE', extend_cidrs: [] });
    expect((await vpc('GET', '/v1/{project_id}/vpcs')).vpcs.map((v: any) => v.id)).toEqual([created.id]);
    const renamed = await vpc('PUT', '/v1/{project_id}/vpcs/{id}', { vpc: { name: 'renamed', cidr: '10.254.0.0/16' } }, { id: created.id });
    expect(renamed.vpc).toMatchObject({ name: 'renamed', cidr: '10.254.0.0/16' });
    await vpc('DELETE', '/v1/{project_id}/vpcs/{id}', undefined, { id: created.id });
    const gone = await fail(vpc('GET', '/v1/{project_id}/vpcs/{id}', undefined, { id: created.id }));
    expect(gone).toMatchObject({ status: 404 });
    expect(await fail(vpc('DELETE', '/v1/{project_id}/vpcs/{id}', undefined, { id: created.id }))).toMatchObject({ status: 404 });
  });

  it('refuses a CIDR that is not a private block with 400 VPC.0101', async () => {
    for (const cidr of ['10.0.0.1/24', '8.8.8.0/24', '10.0.0.0/33', 'banana']) {
      expect(await fail(vpc('POST', '/v1/{project_id}/vpcs', { vpc: { name: 'x', cidr } }))).toMatchObject({ status: 400 });
    }
  });

  it('validates subnets against their VPC and turns them ACTIVE after the modelled time', async () => {
    const vpcId = await readyVpc();
    const bad = (cidr: string, gateway_ip: string) => fail(vpc('POST', '/v1/{project_id}/subnets', { subnet: { name: 's', cidr, gateway_ip, vpc_id: vpcId } }));
    expect(await bad('10.254.239.0/33', '10.254.239.1')).toMatchObject({ status: 400 });
    expect(await bad('10.253.0.0/24', '10.253.0.1')).toMatchObject({ status: 400 });
    expect(await bad('10.254.239.0/25', '10.254.239.200')).toMatchObject({ status: 400 });
    const { subnet } = await vpc('POST', '/v1/{project_id}/subnets', { subnet: { name: 'sub', cidr: '10.254.239.0/25', gateway_ip: '10.254.239.1', vpc_id: vpcId, dhcp_enable: true } });
    expect(subnet).toMatchObject({ status: 'UNKNOWN', vpc_id: vpcId, gateway_ip: '10.254.239.1', neutron_network_id: subnet.id });
    expect(await bad('10.254.239.0/26', '10.254.239.1')).toMatchObject({ status: 400 });
    await clock.sleep(5_000);
    expect((await vpc('GET', '/v1/{project_id}/subnets/{id}', undefined, { id: subnet.id })).subnet.status).toBe('ACTIVE');
    expect((await vpc('GET', '/v1/{project_id}/subnets', undefined, undefined, { vpc_id: vpcId })).subnets).toHaveLength(1);
    expect((await vpc('GET', '/v1/{project_id}/subnets', undefined, undefined, { vpc_id: 'other' })).subnets).toHaveLength(0);
  });

  it('refuses to delete a VPC with a subnet (409 VPC.0104) and a subnet with a server port (500 VPC.0209), then deletes in order', async () => {
    const vpcId = await readyVpc();
    const subnetId = await readySubnet(vpcId);
    expect(await fail(vpc('DELETE', '/v1/{project_id}/vpcs/{id}', undefined, { id: vpcId }))).toMatchObject({ status: 409 });
    const port = createPort(emu.emulator.account, REGION, { subnetId, deviceId: 'server-1', securityGroupIds: [], now: clock.now() });
    expect(port.ip_address).toBe('10.254.239.2');
    const listed = await vpc('GET', '/v1/{project_id}/ports', undefined, undefined, { device_id: 'server-1', limit: '100' });
    expect(listed.ports).toEqual([expect.objectContaining({ id: port.id, device_id: 'server-1', fixed_ips: [expect.objectContaining({ ip_address: '10.254.239.2' })] })]);
    const params = { vpc_id: vpcId, id: subnetId };
    expect(await fail(vpc('DELETE', '/v1/{project_id}/vpcs/{vpc_id}/subnets/{id}', undefined, params))).toMatchObject({ status: 500 });
    expect(deletePortsOf(emu.emulator.account, REGION, 'server-1', clock.now())).toEqual([port.id]);
    await vpc('DELETE', '/v1/{project_id}/vpcs/{vpc_id}/subnets/{id}', undefined, params);
    await vpc('DELETE', '/v1/{project_id}/vpcs/{id}', undefined, { id: vpcId });
    expect((await vpc('GET', '/v1/{project_id}/vpcs')).vpcs).toEqual([]);
  });

  it('gives a new security group Huawei\'s four default rules, which delete_default_rules removes through v3', async () => {
    const { security_group: sg } = await vpc('POST', '/v3/{project_id}/vpc/security-groups', { security_group: { name: 'build-sg' } });
    const rules = sg.security_group_rules;
    expect(rules.map((r: any) => `${r.direction} ${r.ethertype} ${r.remote_ip_prefix || r.remote_group_id}`).sort()).toEqual([
      'egress IPv4 0.0.0.0/0', 'egress IPv6 ::/0', `ingress IPv4 ${sg.id}`, `ingress IPv6 ${sg.id}`,
    ]);
    for (const r of rules) await vpc('DELETE', '/v3/{project_id}/vpc/security-group-rules/{id}', undefined, { id: r.id });
    expect((await vpc('GET', '/v1/{project_id}/security-groups/{id}', undefined, { id: sg.id })).security_group.security_group_rules).toEqual([]);
  });

  it('creates, shows and deletes v1 rules, refusing bad input, duplicates and unknown groups', async () => {
    const { security_group: sg } = await vpc('POST', '/v1/{project_id}/security-groups', { security_group: { name: 'sg' } });
    const rule = (r: Record<string, unknown>) => vpc('POST', '/v1/{project_id}/security-group-rules', { security_group_rule: { security_group_id: sg.id, ...r } });
    const https = { direction: 'egress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_ip_prefix: '0.0.0.0/0' };
    const { security_group_rule: created } = await rule(https);
    expect(created).toMatchObject({ ...https, security_group_id: sg.id });
    expect((await vpc('GET', '/v1/{project_id}/security-group-rules/{id}', undefined, { id: created.id })).security_group_rule.port_range_max).toBe(443);
    expect((await vpc('GET', '/v3/{project_id}/vpc/security-group-rules/{id}', undefined, { id: created.id })).security_group_rule.multiport).toBe('443');
    expect(await fail(rule(https))).toMatchObject({ status: 409 });
    for (const bad of [
      { ...https, direction: 'sideways' }, { ...https, protocol: 'gre-ish' }, { ...https, port_range_min: 500, port_range_max: 400 },
      { ...https, port_range_max: 70000 }, { ...https, remote_ip_prefix: '0.0.0.0/40' }, { ...https, ethertype: 'IPv5' },
      { direction: 'ingress', port_range_min: 22, port_range_max: 22 },
    ]) expect(await fail(rule(bad))).toMatchObject({ status: 400 });
    expect(await fail(vpc('POST', '/v1/{project_id}/security-group-rules', { security_group_rule: { ...https, security_group_id: 'nope' } }))).toMatchObject({ status: 404 });
    await vpc('DELETE', '/v1/{project_id}/security-group-rules/{id}', undefined, { id: created.id });
    expect(await fail(vpc('GET', '/v1/{project_id}/security-group-rules/{id}', undefined, { id: created.id }))).toMatchObject({ status: 404 });
  });

  it('refuses to delete a security group a port uses, with 409', async () => {
    const vpcId = await readyVpc();
    const subnetId = await readySubnet(vpcId);
    const { security_group: sg } = await vpc('POST', '/v1/{project_id}/security-groups', { security_group: { name: 'sg' } });
    createPort(emu.emulator.account, REGION, { subnetId, deviceId: 'server-1', securityGroupIds: [sg.id], now: clock.now() });
    expect(await fail(vpc('DELETE', '/v1/{project_id}/security-groups/{id}', undefined, { id: sg.id }))).toMatchObject({ status: 409 });
    deletePortsOf(emu.emulator.account, REGION, 'server-1', clock.now());
    await vpc('DELETE', '/v1/{project_id}/security-groups/{id}', undefined, { id: sg.id });
    expect(await fail(vpc('GET', '/v1/{project_id}/security-groups/{id}', undefined, { id: sg.id }))).toMatchObject({ status: 404 });
  });

  it('tags VPCs, subnets and groups, and the tag filter finds them by key and by key=value', async () => {
    const vpcId = await readyVpc();
    const subnetId = await readySubnet(vpcId);
    const other = await readyVpc('192.168.0.0/16');
    const tag = (type: string, id: string, tags: { key: string; value: string }[], action = 'create') =>
      api().request('vpc', REGION, { method: 'POST', path: `/v2.0/{project_id}/${type}/{id}/tags/action`, params: { id }, body: { action, tags } });
    await tag('vpcs', vpcId, [{ key: 'image-factory-build', value: 'b1' }, { key: 'team', value: 'web' }]);
    await tag('vpcs', other, [{ key: 'image-factory-build', value: 'b2' }]);
    await tag('subnets', subnetId, [{ key: 'image-factory-build', value: 'b1' }]);
    expect((await vpc('GET', '/v2.0/{project_id}/vpcs/{id}/tags', undefined, { id: vpcId })).tags).toEqual([{ key: 'image-factory-build', value: 'b1' }, { key: 'team', value: 'web' }]);
    const filter = (type: string, body: Record<string, unknown>) => api().request<any>('vpc', REGION, { method: 'POST', path: `/v2.0/{project_id}/${type}/resource_instances/action`, body });
    const hasKey = await filter('vpcs', { action: 'filter', limit: '1000', offset: '0', tags: [{ key: 'image-factory-build', values: [] }] });
    expect(hasKey.total_count).toBe(2);
    const b1 = await filter('vpcs', { action: 'filter', tags: [{ key: 'image-factory-build', values: ['b1'] }] });
    expect(b1.resources).toEqual([{ resource_id: vpcId, resource_name: 'build-vpc', resource_detail: '', tags: [{ key: 'image-factory-build', value: 'b1' }, { key: 'team', value: 'web' }] }]);
    expect((await filter('vpcs', { action: 'filter', limit: '1', offset: '1', tags: [{ key: 'image-factory-build', values: [] }] })).resources).toHaveLength(1);
    expect(await filter('vpcs', { action: 'count', tags: [{ key: 'team', values: [] }] })).toEqual({ total_count: 1 });
    expect((await filter('subnets', { action: 'filter', tags: [{ key: 'image-factory-build', values: ['b1'] }] })).resources.map((r: any) => r.resource_id)).toEqual([subnetId]);
    await tag('vpcs', vpcId, [{ key: 'team', value: 'web' }], 'delete');
    expect(await filter('vpcs', { action: 'count', tags: [{ key: 'team', values: [] }] })).toEqual({ total_count: 0 });
    expect(await fail(filter('vpcs', { action: 'list' }))).toMatchObject({ status: 400 });
    expect(await fail(tag('vpcs', 'missing', [{ key: 'k', value: 'v' }]))).toMatchObject({ status: 404 });
  });
});
