/**
 * Fidelity: Huawei's own Node SDK (@huaweicloud/huaweicloud-sdk-vpc, v2 and v3 VpcClient) against
 * the emulator. Every call it covers that the emulator serves must succeed and answer the fields
 * of the SDK's response models with their types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { v2, v3 } from '@huaweicloud/huaweicloud-sdk-vpc';
import { AK, SK, startEmulator, type TestEmulator } from './support.js';

// The SDK logs failed requests (headers and body) to stdout.
Logger4jInstance.level = 'off';

const str = expect.any(String);
const bool = expect.any(Boolean);
const num = expect.any(Number);

describe('Huawei VPC SDK against the emulator', () => {
  let emu: TestEmulator;
  // Untyped: the response models keep their snake_case fields private, and the test reads them.
  let c2: any;
  let c3: any;

  beforeAll(async () => {
    emu = await startEmulator();
    // States settle at once: this suite checks shapes, vpc.test.ts the timing.
    await emu.config({ durations: { shortJobMs: 0 } });
    const projectId = (await emu.state()).projects['ap-southeast-3'];
    const cred = () => new BasicCredentials().withAk(AK).withSk(SK).withProjectId(projectId);
    c2 = v2.VpcClient.newBuilder().withCredential(cred()).withEndpoint(emu.url).build();
    c3 = v3.VpcClient.newBuilder().withCredential(cred()).withEndpoint(emu.url).build();
  });
  afterAll(() => emu.close());

  it('runs the builder network life cycle through the v2 and v3 clients', async () => {
    const vpc: any = (await c2.createVpc(new v2.CreateVpcRequest().withBody(new v2.CreateVpcRequestBody().withVpc(new v2.CreateVpcOption().withName('sdk-vpc').withCidr('10.1.0.0/16'))))).vpc;
    expect(vpc).toMatchObject({ id: str, name: 'sdk-vpc', cidr: '10.1.0.0/16', status: str, routes: [], enterprise_project_id: str, created_at: str });
    expect((await c2.showVpc(new v2.ShowVpcRequest(vpc.id))).vpc).toMatchObject({ id: vpc.id, status: 'OK' });
    expect((await c2.listVpcs(new v2.ListVpcsRequest())).vpcs).toEqual([expect.objectContaining({ id: vpc.id })]);
    expect((await c2.updateVpc(new v2.UpdateVpcRequest(vpc.id).withBody(new v2.UpdateVpcRequestBody().withVpc(new v2.UpdateVpcOption().withName('sdk-vpc-2'))))).vpc).toMatchObject({ name: 'sdk-vpc-2' });
    expect((await c3.showVpc(new v3.ShowVpcRequest(vpc.id))).vpc).toMatchObject({ id: vpc.id, extend_cidrs: [], status: 'ACTIVE', project_id: str, tags: [] });
    expect((await c3.listVpcs(new v3.ListVpcsRequest())).vpcs).toHaveLength(1);

    const subnet: any = (await c2.createSubnet(new v2.CreateSubnetRequest().withBody(new v2.CreateSubnetRequestBody().withSubnet(
      new v2.CreateSubnetOption().withName('sdk-subnet').withCidr('10.1.1.0/24').withGatewayIp('10.1.1.1').withVpcId(vpc.id).withDhcpEnable(true))))).subnet;
    expect(subnet).toMatchObject({ id: str, vpc_id: vpc.id, gateway_ip: '10.1.1.1', dhcp_enable: true, ipv6_enable: false, neutron_subnet_id: str, dnsList: expect.any(Array) });
    expect((await c2.showSubnet(new v2.ShowSubnetRequest(subnet.id))).subnet).toMatchObject({ status: 'ACTIVE' });
    expect((await c2.listSubnets(new v2.ListSubnetsRequest().withVpcId(vpc.id))).subnets).toHaveLength(1);
    expect((await c2.updateSubnet(new v2.UpdateSubnetRequest(vpc.id, subnet.id).withBody(new v2.UpdateSubnetRequestBody().withSubnet(new v2.UpdateSubnetOption().withName('sdk-subnet-2'))))).subnet).toMatchObject({ id: subnet.id, status: 'ACTIVE' });

    const sg: any = (await c3.createSecurityGroup(new v3.CreateSecurityGroupRequest().withBody(new v3.CreateSecurityGroupRequestBody().withSecurityGroup(new v3.CreateSecurityGroupOption().withName('sdk-sg'))))).security_group;
    expect(sg).toMatchObject({ id: str, name: 'sdk-sg', project_id: str, created_at: str, security_group_rules: expect.any(Array) });
    expect(sg.security_group_rules[0]).toMatchObject({ id: str, direction: str, ethertype: str, multiport: str, action: 'allow', priority: num, enabled: true });
    expect((await c3.showSecurityGroup(new v3.ShowSecurityGroupRequest(sg.id))).security_group).toMatchObject({ id: sg.id });
    expect((await c3.listSecurityGroups(new v3.ListSecurityGroupsRequest())).security_groups).toEqual([expect.objectContaining({ id: sg.id })]);
    expect((await c3.updateSecurityGroup(new v3.UpdateSecurityGroupRequest(sg.id).withBody(new v3.UpdateSecurityGroupRequestBody().withSecurityGroup(new v3.UpdateSecurityGroupOption().withDescription('sdk'))))).security_group).toMatchObject({ description: 'sdk' });
    expect((await c2.showSecurityGroup(new v2.ShowSecurityGroupRequest(sg.id))).security_group).toMatchObject({ id: sg.id, security_group_rules: expect.any(Array) });
    expect((await c2.listSecurityGroups(new v2.ListSecurityGroupsRequest())).security_groups).toHaveLength(1);

    const rule3: any = (await c3.createSecurityGroupRule(new v3.CreateSecurityGroupRuleRequest().withBody(new v3.CreateSecurityGroupRuleRequestBody().withSecurityGroupRule(
      new v3.CreateSecurityGroupRuleOption().withSecurityGroupId(sg.id).withDirection('ingress').withProtocol('tcp').withMultiport('80,443').withRemoteIpPrefix('0.0.0.0/0'))))).security_group_rule;
    expect(rule3).toMatchObject({ id: str, multiport: '80,443', security_group_id: sg.id });
    expect((await c3.showSecurityGroupRule(new v3.ShowSecurityGroupRuleRequest(rule3.id))).security_group_rule).toMatchObject({ id: rule3.id });
    expect((await c3.listSecurityGroupRules(new v3.ListSecurityGroupRulesRequest().withSecurityGroupId([sg.id]))).security_group_rules.length).toBe(5);
    await c3.deleteSecurityGroupRule(new v3.DeleteSecurityGroupRuleRequest(rule3.id));
    const rule2: any = (await c2.createSecurityGroupRule(new v2.CreateSecurityGroupRuleRequest().withBody(new v2.CreateSecurityGroupRuleRequestBody().withSecurityGroupRule(
      new v2.CreateSecurityGroupRuleOption().withSecurityGroupId(sg.id).withDirection('egress').withProtocol('udp').withPortRangeMin(53).withPortRangeMax(53).withRemoteIpPrefix('0.0.0.0/0'))))).security_group_rule;
    expect(rule2).toMatchObject({ id: str, port_range_min: 53, port_range_max: 53, tenant_id: str });
    expect((await c2.showSecurityGroupRule(new v2.ShowSecurityGroupRuleRequest(rule2.id))).security_group_rule).toMatchObject({ id: rule2.id });
    expect((await c2.listSecurityGroupRules(new v2.ListSecurityGroupRulesRequest().withSecurityGroupId(sg.id))).security_group_rules.length).toBe(5);
    await c2.deleteSecurityGroupRule(new v2.DeleteSecurityGroupRuleRequest(rule2.id));

    const port: any = (await c2.createPort(new v2.CreatePortRequest().withBody(new v2.CreatePortRequestBody().withPort(new v2.CreatePortOption().withNetworkId(subnet.id).withSecurityGroups([sg.id]))))).port;
    expect(port).toMatchObject({ id: str, network_id: subnet.id, admin_state_up: bool, mac_address: str, fixed_ips: [{ subnet_id: subnet.neutron_subnet_id, ip_address: '10.1.1.2' }], security_groups: [sg.id], 'binding:vif_details': expect.any(Object) });
    expect((await c2.showPort(new v2.ShowPortRequest(port.id))).port).toMatchObject({ id: port.id });
    expect((await c2.listPorts(new v2.ListPortsRequest().withNetworkId(subnet.id))).ports).toHaveLength(1);
    expect((await c2.updatePort(new v2.UpdatePortRequest(port.id).withBody(new v2.UpdatePortRequestBody().withPort(new v2.UpdatePortOption().withName('nic0'))))).port).toMatchObject({ name: 'nic0' });
    // A port the API made has no device: remove it in-process so the subnet can go.
    delete emu.emulator.account.collection('ap-southeast-3', 'ports')[port.id];

    await c2.batchCreateVpcTags(new v2.BatchCreateVpcTagsRequest(vpc.id).withBody(new v2.BatchCreateVpcTagsRequestBody().withAction('create').withTags([new v2.ResourceTag().withKey('image-factory-build').withValue('b1')])));
    await c2.createVpcResourceTag(new v2.CreateVpcResourceTagRequest(vpc.id).withBody(new v2.CreateVpcResourceTagRequestBody().withTag(new v2.ResourceTag().withKey('team').withValue('web'))));
    expect((await c2.showVpcTags(new v2.ShowVpcTagsRequest(vpc.id))).tags).toEqual([{ key: 'image-factory-build', value: 'b1' }, { key: 'team', value: 'web' }]);
    expect((await c2.listVpcTags(new v2.ListVpcTagsRequest())).tags).toEqual(expect.arrayContaining([{ key: 'team', values: ['web'] }]));
    const byTags: any = await c2.listVpcsByTags(new v2.ListVpcsByTagsRequest().withBody(new v2.ListVpcsByTagsRequestBody().withAction('filter').withLimit(10).withOffset(0).withTags([new v2.ListTag().withKey('image-factory-build').withValues([])])));
    expect(byTags).toMatchObject({ total_count: 1, resources: [{ resource_id: vpc.id, resource_name: 'sdk-vpc-2', tags: expect.any(Array) }] });
    await c2.deleteVpcTag(new v2.DeleteVpcTagRequest(vpc.id, 'team'));
    expect((await c2.showVpcTags(new v2.ShowVpcTagsRequest(vpc.id))).tags).toHaveLength(1);

    await c3.deleteSecurityGroup(new v3.DeleteSecurityGroupRequest(sg.id));
    await c2.deleteSubnet(new v2.DeleteSubnetRequest(vpc.id, subnet.id));
    await c2.deleteVpc(new v2.DeleteVpcRequest(vpc.id));
    await expect(c2.showVpc(new v2.ShowVpcRequest(vpc.id))).rejects.toMatchObject({ httpStatusCode: 404 });
  });
});
