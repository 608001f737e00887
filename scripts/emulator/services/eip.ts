/**
 * EIP: public IPs and their bandwidths, with the shapes the huaweicloud provider v1.97.1 uses
 * (github.com/huaweicloud/terraform-provider-huaweicloud huaweicloud/services/eip/resource_huaweicloud_vpc_eip.go,
 * huaweicloud/services/ecs/resource_huaweicloud_compute_eip_associate.go; golangsdk
 * openstack/networking/v1/eips, v1/bandwidths, v3/eips).
 * - Assign `POST /v1/{project_id}/publicips` (https://support.huaweicloud.com/intl/en-us/api-eip/eip_api_0001.html):
 *   the provider uses it for postPaid EIPs (our stacks), then sets tags through the v2.0 tag API and
 *   polls the v1 show until DOWN or ACTIVE. A new EIP is PENDING_CREATE, then DOWN.
 * - Show/list/update/delete v1 (eip_api_0002 .. _0005): PUT with `port_id` binds (BINDING, then
 *   ACTIVE); `port_id` null or "", or an empty `publicip` object (what the provider's unbind sends:
 *   golangsdk omits an empty port_id), unbinds (DOWN).
 * - Show/update v3 `GET|PUT /v3/{project_id}/eip/publicips/{id}` (https://support.huaweicloud.com/intl/en-us/api-eip/ShowPublicip.html):
 *   the provider reads vnic, associate_instance_* and description from it.
 * - Bandwidth show/update v1 (https://support.huaweicloud.com/intl/en-us/api-eip/eip_api_0005.html ..).
 * - Tags: POST/DELETE/GET /v2.0/{project_id}/publicips/{id}/tags..., filter
 *   `POST /v2.0/{project_id}/publicips/resource_instances/action` (network/tags.ts).
 * Addresses come from 198.18.0.0/15 (benchmarking range), chosen from the EIP's ID.
 * Not served: prePaid `POST /v2.0/{project_id}/publicips`, shared bandwidths (WHOLE), IPv6.
 */
import type { Account } from '../account.js';
import { ApiError } from '../errors.js';
import type { EmuContext, EmuRequest, Route } from '../types.js';
import type { ServiceFactory } from './index.js';
import { PORT_CODES } from './network/ports.js';
import { allocateAddress, bindEip, releaseEip, unbindEip } from './network/publicips.js';
import {
  bandwidthsOf, byCreation, eipTime, page, portsOf, publicIpsOf, tagList, utc,
  type BandwidthRecord, type PublicIpRecord,
} from './network/store.js';
import { tagRoutes } from './network/tags.js';

export { releaseEipsOfPort } from './network/publicips.js';

const eipNotFound = (id: string, shape?: 'gateway') => new ApiError(404, 'VPC.0504', `Floating IP ${id} could not be found.`, shape);

function eipOr404(account: Account, region: string, id: string, shape?: 'gateway'): PublicIpRecord {
  const ip = publicIpsOf(account, region)[id];
  if (!ip) throw eipNotFound(id, shape);
  return ip;
}

function bandwidthOr404(account: Account, region: string, id: string): BandwidthRecord {
  const bw = bandwidthsOf(account, region)[id];
  // Code: the emulator's choice (the public table lists none for a missing bandwidth).
  if (!bw) throw new ApiError(404, 'VPC.0302', `Bandwidth ${id} could not be found.`);
  return bw;
}

const publicipV1 = (ip: PublicIpRecord, bw: BandwidthRecord | undefined, projectId: string) => ({
  id: ip.id, status: ip.status, profile: {}, type: ip.type, public_ip_address: ip.address, ip_version: ip.ip_version,
  tenant_id: projectId, create_time: eipTime(ip.created), bandwidth_id: ip.bandwidth_id, bandwidth_name: bw?.name ?? '',
  bandwidth_share_type: bw?.share_type ?? 'PER', bandwidth_size: bw?.size ?? 0, enterprise_project_id: ip.enterprise_project_id,
  alias: ip.name, tags: Object.entries(ip.tags).map(([k, v]) => `${k}=${v}`),
  ...(ip.port_id ? { port_id: ip.port_id, private_ip_address: ip.private_ip } : {}),
});

function publicipV3(account: Account, region: string, ip: PublicIpRecord, projectId: string) {
  const bw = bandwidthsOf(account, region)[ip.bandwidth_id];
  const port = ip.port_id ? portsOf(account, region)[ip.port_id] : undefined;
  return {
    id: ip.id, project_id: projectId, ip_version: ip.ip_version, public_ip_address: ip.address, public_ipv6_address: null,
    status: ip.status, description: ip.description, public_border_group: 'center', created_at: utc(ip.created), updated_at: utc(ip.updated),
    type: 'EIP', vnic: port ? {
      private_ip_address: port.ip_address, device_id: port.device_id, device_owner: port.device_owner, vpc_id: port.vpc_id,
      port_id: port.id, mac: port.mac_address, instance_type: port.device_id ? 'ECS' : '', instance_id: port.device_id,
    } : null,
    bandwidth: bw ? { id: bw.id, size: bw.size, share_type: bw.share_type, charge_mode: bw.charge_mode, name: bw.name, billing_info: '' } : null,
    associate_instance_type: port ? 'PORT' : null, associate_instance_id: port ? port.id : null,
    enterprise_project_id: ip.enterprise_project_id, billing_info: '', lock_status: null, publicip_pool_name: ip.type, alias: ip.name,
    tags: tagList(ip.tags),
  };
}

function bandwidthV1(account: Account, region: string, bw: BandwidthRecord, projectId: string) {
  const ips = publicIpsOf(account, region);
  return {
    id: bw.id, name: bw.name, size: bw.size, share_type: bw.share_type, charge_mode: bw.charge_mode, bandwidth_type: 'bgp',
    tenant_id: projectId, billing_info: '', enterprise_project_id: ips[bw.publicip_ids[0]]?.enterprise_project_id ?? '0', status: 'NORMAL',
    public_border_group: 'center', created_at: utc(bw.created), updated_at: utc(bw.updated),
    publicip_info: bw.publicip_ids.filter((id) => ips[id]).map((id) => ({ publicip_id: id, publicip_address: ips[id].address, ip_version: 4, publicip_type: ips[id].type })),
  };
}

const invalid = (code: string, message: string) => new ApiError(400, code, message);

function checkBandwidth(b: Record<string, any>, partial: boolean): void {
  if (!partial || b.name !== undefined) {
    if (typeof b.name !== 'string' || !/^[\p{L}\p{N}_.-]{1,64}$/u.test(b.name)) throw invalid('VPC.0301', 'Bandwidth name or share_type is invalid.');
  }
  if (!partial || b.size !== undefined) {
    if (!Number.isInteger(b.size) || b.size < 1 || b.size > 2000) throw invalid('VPC.0301', 'Bandwidth size is invalid: 1-2000 Mbit/s.');
  }
  if (b.charge_mode !== undefined && b.charge_mode !== 'bandwidth' && b.charge_mode !== 'traffic') throw invalid('VPC.0301', 'Bandwidth charge_mode is invalid.');
}

function assign(req: EmuRequest, ctx: EmuContext) {
  const { publicip, bandwidth } = req.json();
  if (!publicip || typeof publicip.type !== 'string' || !/^5_[a-z-]+$/.test(publicip.type)) throw invalid('VPC.0501', 'publicip type is invalid.');
  if (publicip.ip_version !== undefined && publicip.ip_version !== 4) throw invalid('VPC.0501', 'ip_version: only IPv4 EIPs are emulated.');
  if (!bandwidth || typeof bandwidth !== 'object') throw invalid('VPC.0301', 'bandwidth is required.');
  if (bandwidth.share_type !== 'PER') {
    throw invalid('VPC.0501', bandwidth.share_type === 'WHOLE' ? 'Bandwidth share_type WHOLE (shared bandwidths) is not emulated.' : 'Bandwidth share_type is invalid.');
  }
  checkBandwidth(bandwidth, false);
  const id = ctx.account.newId();
  const bwId = ctx.account.newId();
  bandwidthsOf(ctx.account, req.region)[bwId] = {
    id: bwId, name: bandwidth.name, size: bandwidth.size, share_type: 'PER', charge_mode: bandwidth.charge_mode ?? 'bandwidth',
    publicip_ids: [id], created: ctx.now, updated: ctx.now,
  };
  const ip: PublicIpRecord = {
    id, name: publicip.alias ?? '', type: publicip.type, ip_version: 4, address: allocateAddress(ctx.account, id), status: 'PENDING_CREATE',
    readyAt: ctx.now + ctx.account.config.durations.shortJobMs, port_id: '', private_ip: '', bandwidth_id: bwId, description: '',
    enterprise_project_id: req.json().enterprise_project_id ?? '0', tags: {}, created: ctx.now, updated: ctx.now,
  };
  publicIpsOf(ctx.account, req.region)[id] = ip;
  ctx.account.touch();
  const bw = bandwidthsOf(ctx.account, req.region)[bwId];
  const { tags: _t, profile: _p, ...created } = publicipV1(ip, bw, req.projectId);
  return { status: 200, body: { publicip: created } };
}

function update(req: EmuRequest, ctx: EmuContext) {
  const ip = eipOr404(ctx.account, req.region, req.params.id);
  const body = req.json().publicip;
  if (!body || typeof body !== 'object') throw invalid('VPC.0501', 'publicip is required.');
  if (body.alias !== undefined) {
    if (typeof body.alias !== 'string' || body.alias.length > 64) throw invalid('VPC.0501', 'alias is invalid.');
    ip.name = body.alias;
  }
  if (body.ip_version !== undefined && body.ip_version !== 4) throw invalid('VPC.0501', 'ip_version: only IPv4 EIPs are emulated.');
  const unbindOnly = Object.keys(body).length === 0;
  if (unbindOnly || ('port_id' in body && (body.port_id === null || body.port_id === ''))) unbindEip(ctx.account, ip, ctx.now);
  else if (typeof body.port_id === 'string') {
    if (!portsOf(ctx.account, req.region)[body.port_id]) throw new ApiError(404, PORT_CODES.notFound, `Port ${body.port_id} could not be found.`);
    bindEip(ctx.account, req.region, ip.id, body.port_id, ctx.now, ctx.account.config.durations.shortJobMs);
  }
  ip.updated = ctx.now;
  ctx.account.touch();
  return { status: 200, body: { publicip: publicipV1(ip, bandwidthsOf(ctx.account, req.region)[ip.bandwidth_id], req.projectId) } };
}

function list(req: EmuRequest, ctx: EmuContext) {
  const multi = (k: string) => req.query.getAll(k);
  const [ids, addrs, ports, privs] = [multi('id'), multi('public_ip_address'), multi('port_id'), multi('private_ip_address')];
  const bws = bandwidthsOf(ctx.account, req.region);
  const all = byCreation(publicIpsOf(ctx.account, req.region)).filter((ip) => (!ids.length || ids.includes(ip.id))
    && (!addrs.length || addrs.includes(ip.address)) && (!ports.length || ports.includes(ip.port_id)) && (!privs.length || privs.includes(ip.private_ip)));
  return { status: 200, body: { publicips: page(all, req.query, 1000).map((ip) => publicipV1(ip, bws[ip.bandwidth_id], req.projectId)) } };
}

export const eipService: ServiceFactory = () => {
  const v1 = '/v1/{project_id}';
  const r = (method: string, path: string, handler: Route['handler']): Route => ({ service: 'eip', method, path, handler });
  return {
    routes: [
      r('POST', `${v1}/publicips`, assign),
      r('GET', `${v1}/publicips`, list),
      r('GET', `${v1}/publicips/{id}`, (req, ctx) => {
        const ip = eipOr404(ctx.account, req.region, req.params.id);
        return { status: 200, body: { publicip: publicipV1(ip, bandwidthsOf(ctx.account, req.region)[ip.bandwidth_id], req.projectId) } };
      }),
      r('PUT', `${v1}/publicips/{id}`, update),
      r('DELETE', `${v1}/publicips/{id}`, (req, ctx) => {
        eipOr404(ctx.account, req.region, req.params.id);
        releaseEip(ctx.account, req.region, req.params.id);
        return { status: 204 };
      }),
      r('GET', '/v3/{project_id}/eip/publicips/{id}', (req, ctx) => ({
        status: 200, body: { request_id: ctx.account.newHexId(), publicip: publicipV3(ctx.account, req.region, eipOr404(ctx.account, req.region, req.params.id, 'gateway'), req.projectId) },
      })),
      r('PUT', '/v3/{project_id}/eip/publicips/{id}', (req, ctx) => {
        const ip = eipOr404(ctx.account, req.region, req.params.id, 'gateway');
        const d = req.json().publicip?.description;
        if (d !== undefined && (typeof d !== 'string' || d.length > 255)) throw new ApiError(400, 'VPC.0501', 'description is invalid.', 'gateway');
        if (d !== undefined) ip.description = d;
        ip.updated = ctx.now;
        ctx.account.touch();
        return { status: 200, body: { request_id: ctx.account.newHexId(), publicip: publicipV3(ctx.account, req.region, ip, req.projectId) } };
      }),
      r('GET', `${v1}/bandwidths/{id}`, (req, ctx) => ({ status: 200, body: { bandwidth: bandwidthV1(ctx.account, req.region, bandwidthOr404(ctx.account, req.region, req.params.id), req.projectId) } })),
      r('PUT', `${v1}/bandwidths/{id}`, (req, ctx) => {
        const bw = bandwidthOr404(ctx.account, req.region, req.params.id);
        const body = req.json().bandwidth ?? {};
        checkBandwidth(body, true);
        if (body.name !== undefined) bw.name = body.name;
        if (body.size !== undefined) bw.size = body.size;
        if (body.charge_mode !== undefined) bw.charge_mode = body.charge_mode;
        bw.updated = ctx.now;
        ctx.account.touch();
        return { status: 200, body: { bandwidth: bandwidthV1(ctx.account, req.region, bw, req.projectId) } };
      }),
      ...tagRoutes({ service: 'eip', type: 'publicips', records: publicIpsOf, notFound: (id) => eipNotFound(id) }),
    ],
    /** PENDING_CREATE EIPs become DOWN, BINDING ones ACTIVE, once their time has come. */
    settle(ctx) {
      for (const [, ip] of ctx.account.all<PublicIpRecord>('publicips')) {
        if (ip.readyAt > ctx.now) continue;
        if (ip.status === 'PENDING_CREATE') (ip.status = 'DOWN'), ctx.account.touch();
        else if (ip.status === 'BINDING') (ip.status = 'ACTIVE'), ctx.account.touch();
      }
    },
  };
};
