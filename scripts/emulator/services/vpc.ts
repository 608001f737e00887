/**
 * VPC: VPCs, subnets, security groups and rules (network/secgroups.ts), ports, and the v2.0 tag
 * APIs (network/tags.ts), with the shapes the huaweicloud provider v1.97.1 sends and reads
 * (github.com/huaweicloud/terraform-provider-huaweicloud huaweicloud/services/vpc/, and the
 * golangsdk structs under vendor/github.com/chnsz/golangsdk/openstack/networking/v1).
 * - VPC v1 create/show/list/update/delete (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_api01_0001.html
 *   .. _0005): a new VPC is CREATING, then OK (the provider waits for OK, resource_huaweicloud_vpc.go);
 *   delete answers 409 VPC.0104 while subnets remain (the provider retries on 409).
 * - VPC v3 show/list (https://support.huaweicloud.com/intl/en-us/api-vpc/ShowVpc.html): the provider reads
 *   `vpc.extend_cidrs` after every read.
 * - Subnet v1 (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_subnet01_0001.html ..): UNKNOWN, then
 *   ACTIVE (resource_huaweicloud_vpc_subnet.go waits for it); the CIDR must be canonical (VPC.0212), inside
 *   the VPC (VPC.0203), apart from the VPC's other subnets (VPC.0204), the gateway inside it (VPC.0201).
 *   A subnet with ports answers 500 VPC.0209 "Subnet is still used, such as computer, LB." as the
 *   VPC error table says; the provider retries deletes on 500 and 409 but takes 400 for "deleted".
 * - Ports v1 (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_port01_0001.html ..): list (huaweicloud_compute_instance
 *   reads `?device_id=&limit=` for the primary NIC's security groups), show, update, create.
 * Error codes: "Error Codes", https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_api_0003.html.
 */
import type { Account } from '../account.js';
import { ApiError } from '../errors.js';
import type { EmuContext, EmuRequest, Route } from '../types.js';
import type { ServiceFactory } from './index.js';
import { containsCidr, containsIp, overlaps, parseCidr, parseIp } from './network/ip.js';
import { createPort, PORT_CODES } from './network/ports.js';
import { SG_CODES } from './network/rules.js';
import { securityGroupRoutes } from './network/secgroups.js';
import {
  byCreation, page, portsOf, securityGroupsOf, subnetsOf, tagList, utc, vpcsOf,
  type PortRecord, type SubnetRecord, type VpcRecord,
} from './network/store.js';
import { tagRoutes } from './network/tags.js';

export { createPort, deletePortsOf } from './network/ports.js';

/** Private ranges a VPC may use (Huawei's VPC console and API accept only these). */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

const vpcNotFound = (id: string) => new ApiError(404, 'VPC.0003', `VPC ${id} does not exist.`);
const subnetNotFound = (id: string) => new ApiError(404, 'VPC.0202', `Subnet ${id} could not be found.`);
const nameOk = (name: unknown, min = 0) => typeof name === 'string' && name.length >= min && /^[\p{L}\p{N}_.-]{0,64}$/u.test(name);

function vpcOr404(account: Account, region: string, id: string): VpcRecord {
  const v = vpcsOf(account, region)[id];
  if (!v) throw vpcNotFound(id);
  return v;
}

function subnetOr404(account: Account, region: string, id: string): SubnetRecord {
  const s = subnetsOf(account, region)[id];
  if (!s) throw subnetNotFound(id);
  return s;
}

const vpcV1 = (v: VpcRecord, projectId: string) => ({
  id: v.id, name: v.name, description: v.description, cidr: v.cidr, status: v.status, routes: [], enterprise_project_id: v.enterprise_project_id,
  enhanced_local_route: false, enable_shared_snat: false, tenant_id: projectId, created_at: utc(v.created), updated_at: utc(v.updated),
});

/** v3 names the states PENDING and ACTIVE. */
const vpcV3 = (v: VpcRecord, projectId: string) => ({
  id: v.id, name: v.name, description: v.description, cidr: v.cidr, extend_cidrs: [], status: v.status === 'OK' ? 'ACTIVE' : 'PENDING',
  project_id: projectId, enterprise_project_id: v.enterprise_project_id, created_at: utc(v.created), updated_at: utc(v.updated),
  cloud_resources: [], tags: tagList(v.tags),
});

const subnetV1 = (s: SubnetRecord, projectId: string) => ({
  id: s.id, name: s.name, description: s.description, cidr: s.cidr, dnsList: s.dnsList, status: s.status, vpc_id: s.vpc_id,
  gateway_ip: s.gateway_ip, ipv6_enable: s.ipv6_enable, dhcp_enable: s.dhcp_enable, primary_dns: s.primary_dns, secondary_dns: s.secondary_dns,
  availability_zone: s.availability_zone, neutron_network_id: s.id, neutron_subnet_id: s.neutron_subnet_id, extra_dhcp_opts: s.extra_dhcp_opts,
  scope: 'center', tenant_id: projectId, created_at: utc(s.created), updated_at: utc(s.updated),
});

const portV1 = (p: PortRecord, projectId: string) => ({
  id: p.id, name: p.name, network_id: p.network_id, admin_state_up: true, mac_address: p.mac_address,
  fixed_ips: [{ subnet_id: p.neutron_subnet_id, ip_address: p.ip_address }], device_id: p.device_id, device_owner: p.device_owner,
  tenant_id: projectId, project_id: projectId, status: p.device_id ? 'ACTIVE' : 'DOWN', security_groups: p.security_groups,
  allowed_address_pairs: p.allowed_address_pairs, extra_dhcp_opts: [], 'binding:vnic_type': 'normal',
  'binding:vif_details': { primary_interface: true }, 'binding:profile': {},
  dns_assignment: [{ hostname: `host-${p.ip_address.replace(/\./g, '-')}`, ip_address: p.ip_address, fqdn: `host-${p.ip_address.replace(/\./g, '-')}.openstacklocal.` }],
  dns_name: '', instance_id: '', instance_type: '', port_security_enabled: true, zone_id: '', enable_efi: false, ipv6_bandwidth_id: '',
  created_at: utc(p.created), updated_at: utc(p.created),
});

function checkDescription(d: unknown, code: string): void {
  if (d !== undefined && d !== null && (typeof d !== 'string' || d.length > 255 || /[<>]/.test(d))) {
    throw new ApiError(400, code, 'description is invalid: at most 255 characters, without < or >.');
  }
}

function checkVpcCidr(cidr: unknown): void {
  const c = parseCidr(cidr);
  if (!c || !PRIVATE.some((p) => containsCidr(p, c)) || c.prefix > 24) {
    throw new ApiError(400, 'VPC.0101', `Param is invalid: cidr ${String(cidr)} must be a block of 10.0.0.0/8-24, 172.16.0.0/12-24 or 192.168.0.0/16-24.`);
  }
}

function createVpc(req: EmuRequest, ctx: EmuContext) {
  const body = req.json().vpc;
  if (!body || typeof body !== 'object') throw new ApiError(400, 'VPC.0101', 'Param is invalid: vpc is required.');
  if (body.name !== undefined && !nameOk(body.name)) throw new ApiError(400, 'VPC.0101', 'Param is invalid: name is 0-64 letters, digits, _ - or .');
  if (body.cidr !== undefined) checkVpcCidr(body.cidr);
  checkDescription(body.description, 'VPC.0101');
  const id = ctx.account.newId();
  const v: VpcRecord = {
    id, name: body.name ?? '', cidr: body.cidr ?? '', description: body.description ?? '', enterprise_project_id: body.enterprise_project_id ?? '0',
    status: 'CREATING', readyAt: ctx.now + ctx.account.config.durations.shortJobMs, tags: {}, created: ctx.now, updated: ctx.now,
  };
  vpcsOf(ctx.account, req.region)[id] = v;
  ctx.account.touch();
  return { status: 200, body: { vpc: vpcV1(v, req.projectId) } };
}

function updateVpc(req: EmuRequest, ctx: EmuContext) {
  const v = vpcOr404(ctx.account, req.region, req.params.id);
  const body = req.json().vpc ?? {};
  if (body.name !== undefined && !nameOk(body.name, 1)) throw new ApiError(400, 'VPC.0101', 'Param is invalid: name is 1-64 letters, digits, _ - or .');
  checkDescription(body.description, 'VPC.0101');
  if (body.cidr !== undefined && body.cidr !== v.cidr) {
    checkVpcCidr(body.cidr);
    const c = parseCidr(body.cidr)!;
    const outside = Object.values(subnetsOf(ctx.account, req.region)).some((s) => s.vpc_id === v.id && !containsCidr(c, parseCidr(s.cidr)!));
    if (outside) throw new ApiError(400, 'VPC.0117', 'Cidr can not contain subnetList cidr.');
    v.cidr = body.cidr;
  }
  if (body.name !== undefined) v.name = body.name;
  if (body.description !== undefined) v.description = body.description ?? '';
  v.updated = ctx.now;
  ctx.account.touch();
  return { status: 200, body: { vpc: vpcV1(v, req.projectId) } };
}

function deleteVpc(req: EmuRequest, ctx: EmuContext) {
  const v = vpcOr404(ctx.account, req.region, req.params.id);
  if (v.status !== 'OK') throw new ApiError(409, 'VPC.0103', 'Resource status is busy, try it again later.');
  if (Object.values(subnetsOf(ctx.account, req.region)).some((s) => s.vpc_id === v.id)) {
    throw new ApiError(409, 'VPC.0104', 'Router contains subnets, please delete subnet first.');
  }
  delete vpcsOf(ctx.account, req.region)[v.id];
  ctx.account.touch();
  return { status: 204 };
}

function ipOption(v: unknown, field: string): string {
  if (v === undefined || v === null || v === '') return '';
  if (parseIp(v) === undefined) throw new ApiError(400, 'VPC.0201', `${field} is invalid.`);
  return v as string;
}

function createSubnet(req: EmuRequest, ctx: EmuContext) {
  const body = req.json().subnet;
  if (!body || typeof body !== 'object') throw new ApiError(400, 'VPC.0201', 'subnet is required.');
  if (!nameOk(body.name, 1)) throw new ApiError(400, 'VPC.0201', 'Subnet name is invalid.');
  checkDescription(body.description, 'VPC.0201');
  if (typeof body.vpc_id !== 'string') throw new ApiError(400, 'VPC.0201', 'vpc_id is invalid.');
  const vpc = vpcOr404(ctx.account, req.region, body.vpc_id);
  if (vpc.status !== 'OK') throw new ApiError(400, 'VPC.0004', 'VPC is not active, please try later.');
  const cidr = parseCidr(body.cidr);
  if (!cidr || cidr.prefix > 29) throw new ApiError(400, 'VPC.0212', 'The subnet cidr is not valid.');
  const vpcCidr = parseCidr(vpc.cidr);
  if (!vpcCidr || !containsCidr(vpcCidr, cidr)) throw new ApiError(400, 'VPC.0203', 'Subnet is not in the range of VPC.');
  const siblings = Object.values(subnetsOf(ctx.account, req.region)).filter((s) => s.vpc_id === vpc.id);
  if (siblings.some((s) => overlaps(parseCidr(s.cidr)!, cidr))) {
    throw new ApiError(400, 'VPC.0204', 'The subnet has already existed in the VPC, or has been in conflict with the VPC subnet.');
  }
  const gw = parseIp(body.gateway_ip);
  if (gw === undefined || !containsIp(cidr, gw) || gw === cidr.base || gw === cidr.base + cidr.size - 1) {
    throw new ApiError(400, 'VPC.0201', `gateway_ip ${String(body.gateway_ip)} is invalid: it must be a host address of ${body.cidr}.`);
  }
  if (body.ipv6_enable === true) throw new ApiError(400, 'VPC.0201', 'ipv6_enable: IPv6 subnets are not emulated.');
  if (body.dhcp_enable !== undefined && typeof body.dhcp_enable !== 'boolean') throw new ApiError(400, 'VPC.0201', 'dhcp_enable is invalid.');
  const dnsList = Array.isArray(body.dnsList) ? body.dnsList.map((d: unknown) => ipOption(d, 'dnsList')) : [];
  const primary = ipOption(body.primary_dns, 'primary_dns') || dnsList[0] || '';
  const secondary = ipOption(body.secondary_dns, 'secondary_dns') || dnsList[1] || '';
  const id = ctx.account.newId();
  const s: SubnetRecord = {
    id, name: body.name, description: body.description ?? '', vpc_id: vpc.id, cidr: body.cidr, gateway_ip: body.gateway_ip,
    dhcp_enable: body.dhcp_enable ?? true, ipv6_enable: false, primary_dns: primary, secondary_dns: secondary,
    dnsList: dnsList.length ? dnsList : [primary, secondary].filter(Boolean), availability_zone: body.availability_zone ?? '',
    neutron_subnet_id: ctx.account.newId(), extra_dhcp_opts: Array.isArray(body.extra_dhcp_opts) ? body.extra_dhcp_opts : [],
    status: 'UNKNOWN', readyAt: ctx.now + ctx.account.config.durations.shortJobMs, tags: {}, created: ctx.now, updated: ctx.now,
  };
  subnetsOf(ctx.account, req.region)[id] = s;
  ctx.account.touch();
  return { status: 200, body: { subnet: subnetV1(s, req.projectId) } };
}

function updateSubnet(req: EmuRequest, ctx: EmuContext) {
  vpcOr404(ctx.account, req.region, req.params.vpc_id);
  const s = subnetOr404(ctx.account, req.region, req.params.id);
  if (s.vpc_id !== req.params.vpc_id) throw new ApiError(400, 'VPC.0207', 'Subnet does not belong to the VPC.');
  const body = req.json().subnet ?? {};
  if (!nameOk(body.name, 1)) throw new ApiError(400, 'VPC.0201', 'name is invalid.');
  checkDescription(body.description, 'VPC.0201');
  if (body.ipv6_enable === true) throw new ApiError(400, 'VPC.0201', 'ipv6_enable: IPv6 subnets are not emulated.');
  s.name = body.name;
  if (body.description !== undefined) s.description = body.description ?? '';
  if (typeof body.dhcp_enable === 'boolean') s.dhcp_enable = body.dhcp_enable;
  if (body.primary_dns !== undefined) s.primary_dns = ipOption(body.primary_dns, 'primary_dns');
  if (body.secondary_dns !== undefined) s.secondary_dns = ipOption(body.secondary_dns, 'secondary_dns');
  if (Array.isArray(body.dnsList)) s.dnsList = body.dnsList.map((d: unknown) => ipOption(d, 'dnsList'));
  if (Array.isArray(body.extra_dhcp_opts)) s.extra_dhcp_opts = body.extra_dhcp_opts;
  s.updated = ctx.now;
  ctx.account.touch();
  return { status: 200, body: { subnet: { id: s.id, status: s.status } } };
}

function deleteSubnet(req: EmuRequest, ctx: EmuContext) {
  vpcOr404(ctx.account, req.region, req.params.vpc_id);
  const s = subnetOr404(ctx.account, req.region, req.params.id);
  if (s.vpc_id !== req.params.vpc_id) throw new ApiError(400, 'VPC.0207', 'Subnet does not belong to the VPC.');
  const port = Object.values(portsOf(ctx.account, req.region)).find((p) => p.network_id === s.id);
  if (port) throw new ApiError(500, 'VPC.0209', `Subnet is still used, such as computer, LB (port ${port.id}).`);
  delete subnetsOf(ctx.account, req.region)[s.id];
  ctx.account.touch();
  return { status: 204 };
}

/** Ports list filters: exact matches on these query parameters. */
const PORT_FILTERS = ['id', 'name', 'network_id', 'device_id', 'device_owner', 'mac_address', 'status'] as const;

function listPorts(req: EmuRequest, ctx: EmuContext) {
  const fixed = req.query.getAll('fixed_ips').map((f) => /ip_address=(.+)/.exec(f)?.[1]).filter(Boolean);
  const all = byCreation(portsOf(ctx.account, req.region)).map((p) => portV1(p, req.projectId)).filter((p) =>
    PORT_FILTERS.every((k) => !req.query.has(k) || String((p as Record<string, unknown>)[k]) === req.query.get(k))
    && (!fixed.length || fixed.includes(p.fixed_ips[0].ip_address)));
  return { status: 200, body: { ports: page(all, req.query) } };
}

function updatePort(req: EmuRequest, ctx: EmuContext) {
  const p = portsOf(ctx.account, req.region)[req.params.id];
  if (!p) throw new ApiError(404, PORT_CODES.notFound, `Port ${req.params.id} could not be found.`);
  const body = req.json().port ?? {};
  if (body.security_groups !== undefined) {
    if (!Array.isArray(body.security_groups)) throw new ApiError(400, PORT_CODES.invalid, 'security_groups is invalid.');
    for (const g of body.security_groups) if (!securityGroupsOf(ctx.account, req.region)[g]) throw new ApiError(404, SG_CODES.notFound, `Security group ${g} could not be found.`);
    p.security_groups = [...body.security_groups];
  }
  if (typeof body.name === 'string') p.name = body.name;
  if (Array.isArray(body.allowed_address_pairs)) p.allowed_address_pairs = body.allowed_address_pairs;
  ctx.account.touch();
  return { status: 200, body: { port: portV1(p, req.projectId) } };
}

function postPort(req: EmuRequest, ctx: EmuContext) {
  const body = req.json().port;
  if (!body || typeof body.network_id !== 'string') throw new ApiError(400, PORT_CODES.invalid, 'Param is invalid: network_id is required.');
  const groups = Array.isArray(body.security_groups) ? body.security_groups : [];
  const p = createPort(ctx.account, req.region, {
    subnetId: body.network_id, deviceId: '', securityGroupIds: groups, name: body.name, ipAddress: body.fixed_ips?.[0]?.ip_address, now: ctx.now,
  });
  return { status: 200, body: { port: portV1(p, req.projectId) } };
}

export const vpcService: ServiceFactory = () => {
  const v1 = '/v1/{project_id}';
  const r = (method: string, path: string, handler: Route['handler']): Route => ({ service: 'vpc', method, path, handler });
  const routes: Route[] = [
    r('POST', `${v1}/vpcs`, createVpc),
    r('GET', `${v1}/vpcs`, (req, ctx) => {
      const id = req.query.get('id');
      const all = byCreation(vpcsOf(ctx.account, req.region)).filter((v) => !id || v.id === id);
      return { status: 200, body: { vpcs: page(all, req.query).map((v) => vpcV1(v, req.projectId)) } };
    }),
    r('GET', `${v1}/vpcs/{id}`, (req, ctx) => ({ status: 200, body: { vpc: vpcV1(vpcOr404(ctx.account, req.region, req.params.id), req.projectId) } })),
    r('PUT', `${v1}/vpcs/{id}`, updateVpc),
    r('DELETE', `${v1}/vpcs/{id}`, deleteVpc),
    r('GET', '/v3/{project_id}/vpc/vpcs/{id}', (req, ctx) => {
      const v = vpcsOf(ctx.account, req.region)[req.params.id];
      if (!v) throw new ApiError(404, 'VPC.0003', `VPC ${req.params.id} does not exist.`, 'gateway');
      return { status: 200, body: { request_id: ctx.account.newHexId(), vpc: vpcV3(v, req.projectId) } };
    }),
    r('GET', '/v3/{project_id}/vpc/vpcs', (req, ctx) => {
      const ids = req.query.getAll('id');
      const items = page(byCreation(vpcsOf(ctx.account, req.region)).filter((v) => !ids.length || ids.includes(v.id)), req.query);
      return { status: 200, body: { request_id: ctx.account.newHexId(), vpcs: items.map((v) => vpcV3(v, req.projectId)), page_info: { previous_marker: items[0]?.id ?? '', current_count: items.length } } };
    }),
    r('POST', `${v1}/subnets`, createSubnet),
    r('GET', `${v1}/subnets`, (req, ctx) => {
      const vpcId = req.query.get('vpc_id');
      const all = byCreation(subnetsOf(ctx.account, req.region)).filter((s) => !vpcId || s.vpc_id === vpcId);
      return { status: 200, body: { subnets: page(all, req.query).map((s) => subnetV1(s, req.projectId)) } };
    }),
    r('GET', `${v1}/subnets/{id}`, (req, ctx) => ({ status: 200, body: { subnet: subnetV1(subnetOr404(ctx.account, req.region, req.params.id), req.projectId) } })),
    r('PUT', `${v1}/vpcs/{vpc_id}/subnets/{id}`, updateSubnet),
    r('DELETE', `${v1}/vpcs/{vpc_id}/subnets/{id}`, deleteSubnet),
    r('GET', `${v1}/ports`, listPorts),
    r('POST', `${v1}/ports`, postPort),
    r('GET', `${v1}/ports/{id}`, (req, ctx) => {
      const p = portsOf(ctx.account, req.region)[req.params.id];
      if (!p) throw new ApiError(404, PORT_CODES.notFound, `Port ${req.params.id} could not be found.`);
      return { status: 200, body: { port: portV1(p, req.projectId) } };
    }),
    r('PUT', `${v1}/ports/{id}`, updatePort),
    ...securityGroupRoutes(),
    ...tagRoutes({ service: 'vpc', type: 'vpcs', records: vpcsOf, notFound: vpcNotFound }),
    ...tagRoutes({ service: 'vpc', type: 'subnets', records: subnetsOf, notFound: subnetNotFound }),
    ...tagRoutes({ service: 'vpc', type: 'security-groups', records: securityGroupsOf, notFound: (id) => new ApiError(404, SG_CODES.notFound, `Security group ${id} could not be found.`) }),
  ];
  return {
    routes,
    /** CREATING VPCs become OK, UNKNOWN subnets ACTIVE, once their time has come. */
    settle(ctx) {
      for (const [, v] of ctx.account.all<VpcRecord>('vpcs')) {
        if (v.status === 'CREATING' && v.readyAt <= ctx.now) (v.status = 'OK'), ctx.account.touch();
      }
      for (const [, s] of ctx.account.all<SubnetRecord>('subnets')) {
        if (s.status === 'UNKNOWN' && s.readyAt <= ctx.now) (s.status = 'ACTIVE'), ctx.account.touch();
      }
    },
  };
};
