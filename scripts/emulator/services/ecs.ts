/**
 * ECS: servers from create to delete, with the guest (guest.ts) running inside them.
 *
 * Calls and shapes (the provider's are in github.com/huaweicloud/terraform-provider-huaweicloud
 * huaweicloud/services/ecs/resource_huaweicloud_compute_instance.go and the golangsdk models
 * vendor/github.com/chnsz/golangsdk/openstack/ecs/v1/cloudservers):
 * - CreateServers `POST /v1.1/{project_id}/cloudservers` -> 200 {job_id, serverIds}
 *   (https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_02_1009.html); the job's
 *   `entities.sub_jobs[0].entities.server_id` is what GetJobEntity reads. The server is BUILD,
 *   then ACTIVE after durations.serverCreateMs, when its guest boots.
 * - ShowServer `GET /v1/{project_id}/cloudservers/{id}` (ecs_02_0103): CloudServer as golangsdk
 *   decodes it (tags as "key=value" strings, flavor vcpus/ram/disk as strings, RFC 3339 times).
 *   An unknown or deleted server is 404 Ecs.0114.
 * - ListServersDetails `GET /v1.1/{project_id}/cloudservers/detail` (name, status, flavor,
 *   tags, offset/limit with offset counted in pages from 1).
 * - DeleteServers `POST /v1/{project_id}/cloudservers/delete` (ecs_02_0104): a job; the server
 *   keeps its status (task_state "deleting") until the job ends and then answers 404, which
 *   the provider's wait (pending ACTIVE/SHUTOFF, target DELETED) accepts.
 * - BatchStopServers / BatchStartServers `POST /v1/{project_id}/cloudservers/action`
 *   (os-stop / os-start, ecs_02_0303 / ecs_02_0301): jobs; SHUTOFF after durations.stopMs.
 * - ShowServerConsoleOutput `GET .../console-output?length=N` and the Nova form
 *   `POST /v2.1/{project_id}/servers/{id}/action {"os-getConsoleOutput":{"length":N}}`.
 * - ListFlavors, NovaListAvailabilityZones, server tags, the tag filter, metadata,
 *   ShowServerBlockDevice, and EVS ShowVolume for the system disk the provider reads back.
 */
import { ApiError } from '../errors.js';
import { isoTime } from '../jobs.js';
import type { Account } from '../account.js';
import type { GuestServer } from '../guest.js';
import type { EmuContext, EmuRequest, Route } from '../types.js';
import { FLAVORS, findFlavor, flavorBody, soldOutZones, zonesOf } from './compute/flavors.js';
import { findImage } from './compute/images.js';
import { bindEip, createPort, deleteServerNetwork, eipExists, findSecurityGroup, findSubnet, floatingAddresses } from './compute/network.js';
import { applyTagAction, filterResources, tagList, type TagFilterBody, type TagMap } from './compute/tags.js';
import type { ServiceFactory } from './index.js';

export interface ServerRecord extends GuestServer {
  id: string;
  region: string;
  name: string;
  description: string;
  status: 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'ERROR';
  createdAt: number;
  updatedAt: number;
  activeAt: number;
  flavor: string;
  imageId: string;
  imageName: string;
  az: string;
  vpcId: string;
  nics: { subnetId: string; portId: string; ip: string; mac: string }[];
  securityGroups: { id: string; name: string }[];
  user_data?: string;
  keyName?: string;
  tags: TagMap;
  metadata: Record<string, string>;
  volumes: { id: string; size: number; type: string; bootIndex: number; device: string }[];
  eipId?: string;
  createJobId: string;
  stopRequestedAt?: number;
  startRequestedAt?: number;
  stoppedAt?: number;
  deleteJobId?: string;
  fault?: { code: number; message: string };
}

const NOT_FOUND = (id: string) => new ApiError(404, 'Ecs.0114', `Instance[${id}] could not be found.`);
const badRequest = (message: string) => new ApiError(400, 'Ecs.0005', message);

export function serversOf(account: Account, region: string): Record<string, ServerRecord> {
  return account.collection<ServerRecord>(region, 'servers');
}

function serverOf(req: EmuRequest, ctx: EmuContext, id = req.params.server_id): ServerRecord {
  const s = serversOf(ctx.account, req.region)[id];
  if (!s) throw NOT_FOUND(id);
  return s;
}

function taskState(s: ServerRecord, ctx: EmuContext): string {
  if (s.deleteJobId) return 'deleting';
  if (s.status === 'BUILD') return 'spawning';
  if (s.stopRequestedAt !== undefined && s.status === 'ACTIVE') return 'powering-off';
  if (s.startRequestedAt !== undefined && s.status === 'SHUTOFF') return 'powering-on';
  void ctx;
  return '';
}

/** ShowServer's `server`, field names and types as golangsdk cloudservers.CloudServer decodes them. */
function serverBody(s: ServerRecord, ctx: EmuContext): Record<string, unknown> {
  const flavor = findFlavor(s.flavor);
  const addresses: Record<string, unknown[]> = {};
  // ShowServer's `addresses` (https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_02_0104.html):
  // per NIC its fixed IP, then each EIP bound to that NIC's port as a `floating` entry, which
  // huaweicloud_compute_eip_associate waits for (eipAssociateRefreshFunc).
  addresses[s.vpcId] = s.nics.flatMap((n, i) => [
    { version: '4', addr: n.ip, 'OS-EXT-IPS-MAC:mac_addr': n.mac, 'OS-EXT-IPS:port_id': n.portId, 'OS-EXT-IPS:type': 'fixed', primary: i === 0 },
    ...floatingAddresses(ctx.account, s.region, n.portId).map((addr) => ({ version: '4', addr, 'OS-EXT-IPS-MAC:mac_addr': n.mac, 'OS-EXT-IPS:port_id': n.portId, 'OS-EXT-IPS:type': 'floating', primary: false })),
  ]);
  const powerState = s.status === 'ACTIVE' ? 1 : s.status === 'SHUTOFF' ? 4 : 0;
  return {
    id: s.id, name: s.name, description: s.description, status: s.status, progress: s.status === 'BUILD' ? 0 : 100,
    created: isoTime(s.createdAt), updated: isoTime(s.updatedAt),
    tenant_id: ctx.account.projectOf(s.region), user_id: ctx.account.data.domain.id, hostId: s.id.replace(/-/g, '').slice(0, 24),
    host_status: 'UP', addresses, accessIPv4: '', accessIPv6: '', key_name: s.keyName ?? '',
    image: { id: s.imageId },
    flavor: { id: s.flavor, name: s.flavor, vcpus: String(flavor?.vcpus ?? 0), ram: String(flavor?.ramMiB ?? 0), disk: '0' },
    metadata: {
      charging_mode: '0', vpc_id: s.vpcId, 'metering.image_id': s.imageId, 'metering.imagetype': 'gold', 'metering.resourcespeccode': `${s.flavor}.linux`,
      'metering.resourcetype': '1', image_name: s.imageName, os_bit: '64', os_type: 'Linux', virtual_env_type: 'FusionCompute', ...s.metadata,
    },
    tags: Object.entries(s.tags).map(([k, v]) => `${k}=${v}`),
    sys_tags: [{ key: '_sys_enterprise_project_id', value: '0' }],
    enterprise_project_id: '0',
    security_groups: s.securityGroups.map((g) => ({ id: g.id, name: g.name })),
    'OS-EXT-AZ:availability_zone': s.az,
    'OS-EXT-STS:vm_state': s.status === 'SHUTOFF' ? 'stopped' : s.status === 'BUILD' ? 'building' : s.status === 'ERROR' ? 'error' : 'active',
    'OS-EXT-STS:task_state': taskState(s, ctx),
    'OS-EXT-STS:power_state': powerState,
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-SRV-USG:launched_at': s.activeAt ? new Date(s.activeAt).toISOString().replace('Z', '') : '',
    'OS-SRV-USG:terminated_at': '',
    'OS-EXT-SRV-ATTR:hostname': s.name.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
    'OS-EXT-SRV-ATTR:instance_name': `instance-${s.id.slice(0, 8)}`,
    'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda', 'OS-EXT-SRV-ATTR:reservation_id': `r-${s.id.slice(0, 8)}`, 'OS-EXT-SRV-ATTR:launch_index': 0,
    'OS-EXT-SRV-ATTR:kernel_id': '', 'OS-EXT-SRV-ATTR:ramdisk_id': '', 'OS-EXT-SRV-ATTR:host': '', 'OS-EXT-SRV-ATTR:hypervisor_hostname': '',
    'OS-EXT-SRV-ATTR:user_data': s.user_data ?? '',
    'os-extended-volumes:volumes_attached': s.volumes.map((v) => ({ id: v.id, delete_on_termination: 'true', bootIndex: String(v.bootIndex), device: v.device })),
    'os:scheduler_hints': {},
    locked: false, config_drive: '',
    ...(s.fault ? { fault: { ...s.fault, created: isoTime(s.updatedAt), details: '' } } : {}),
  };
}

interface CreateBody {
  server?: {
    name?: string; description?: string; imageRef?: string; flavorRef?: string; vpcid?: string; availability_zone?: string; key_name?: string;
    nics?: { subnet_id: string; ip_address?: string }[]; security_groups?: { id: string }[]; user_data?: string;
    root_volume?: { volumetype?: string; size?: number }; data_volumes?: { volumetype: string; size: number }[];
    publicip?: { id?: string; eip?: unknown }; server_tags?: { key: string; value: string }[]; metadata?: Record<string, string>; count?: number;
  };
}

function createServer(req: EmuRequest, ctx: EmuContext) {
  const a = ctx.account;
  const body = req.json<CreateBody>().server;
  if (!body) throw badRequest('request body has no server');
  for (const k of ['name', 'imageRef', 'flavorRef', 'vpcid'] as const) if (!body[k]) throw badRequest(`server.${k} is required`);
  if (!body.nics?.length) throw badRequest('server.nics is required');
  if (!body.root_volume?.volumetype) throw badRequest('server.root_volume.volumetype is required');
  const flavor = findFlavor(body.flavorRef!);
  if (!flavor) throw new ApiError(400, 'Ecs.0023', `flavor ${body.flavorRef} does not exist`);
  const zones = zonesOf(req.region);
  if (body.availability_zone && !zones.includes(body.availability_zone)) throw new ApiError(400, 'Ecs.0019', `availability zone ${body.availability_zone} does not exist in ${req.region}`);
  const sold = soldOutZones(a, req.region, flavor.name);
  const az = body.availability_zone ?? zones.find((z) => !sold.includes(z));
  if (!az || sold.includes(az)) {
    // Sold-out flavors are refused at once, like the console's "sold out" flavors (code recalled, not in the public table excerpts).
    throw new ApiError(400, 'Ecs.0039', `The flavor ${flavor.name} is sold out in ${az ?? `every AZ of ${req.region}`}.`);
  }
  const image = findImage(a, req.region, body.imageRef!);
  if (!image || image.status !== 'active') throw new ApiError(400, 'Ecs.0024', `image ${body.imageRef} does not exist or is not active`);
  if (image.arm !== flavor.arm) throw new ApiError(400, 'Ecs.0030', `image ${image.name} does not fit flavor ${flavor.name} (architecture)`);
  const subnets = body.nics.map((n) => findSubnet(a, req.region, n.subnet_id) ?? (() => { throw new ApiError(400, 'Ecs.0025', `subnet ${n.subnet_id} does not exist`); })());
  if (subnets.some((s) => s.vpc_id !== body.vpcid)) throw new ApiError(400, 'Ecs.0025', `subnets must belong to vpc ${body.vpcid}`);
  const groups = (body.security_groups ?? []).map((g) => findSecurityGroup(a, req.region, g.id) ?? (() => { throw new ApiError(400, 'Ecs.0026', `security group ${g.id} does not exist`); })());
  if (body.user_data !== undefined && Buffer.from(body.user_data, 'base64').length > 32 * 1024) throw badRequest('user_data is over 32 KB');

  if (body.publicip?.id && !eipExists(a, req.region, body.publicip.id)) throw new ApiError(400, 'Ecs.0013', `EIP ${body.publicip.id} does not exist`);

  const id = a.newId();
  const job = ctx.jobs.start(ctx, {
    type: 'createServer', region: req.region, durationMs: a.config.durations.serverCreateMs, payload: { serverId: id },
    entities: { sub_jobs_total: 1, sub_jobs: [{ job_id: a.newHexId(), job_type: 'createSingleServer', status: 'RUNNING', begin_time: isoTime(ctx.now), end_time: '', error_code: null, fail_reason: null, entities: { server_id: id } }] },
  });
  const nics = subnets.map((subnet) => {
    const port = createPort(a, req.region, subnet, id, groups.map((g) => g.id), az, ctx.now);
    return { subnetId: subnet.id, portId: port.id, ip: port.ip, mac: port.mac };
  });
  const record: ServerRecord = {
    id, region: req.region, name: body.name!, description: body.description ?? '', status: 'BUILD', createdAt: ctx.now, updatedAt: ctx.now, activeAt: 0,
    flavor: flavor.name, imageId: image.id, imageName: image.name, az, vpcId: body.vpcid!, nics, securityGroups: groups,
    user_data: body.user_data, keyName: body.key_name, tags: Object.fromEntries((body.server_tags ?? []).map((t) => [t.key, t.value])),
    metadata: {}, createJobId: job.job_id,
    volumes: [
      { id: a.newId(), size: body.root_volume.size ?? Math.max(40, image.minDisk), type: body.root_volume.volumetype, bootIndex: 0, device: '/dev/vda' },
      ...(body.data_volumes ?? []).map((v, i) => ({ id: a.newId(), size: v.size, type: v.volumetype, bootIndex: -1, device: `/dev/vd${String.fromCharCode(98 + i)}` })),
    ],
  };
  if (body.publicip?.id) {
    bindEip(a, req.region, body.publicip.id, { id: nics[0].portId, ip: nics[0].ip, mac: nics[0].mac }, ctx.now);
    record.eipId = body.publicip.id;
  }
  serversOf(a, req.region)[id] = record;
  a.touch();
  return { status: 200, body: { job_id: job.job_id, serverIds: [id] } };
}

function listServers(req: EmuRequest, ctx: EmuContext) {
  const q = req.query;
  let all = Object.values(serversOf(ctx.account, req.region)).sort((x, y) => x.createdAt - y.createdAt);
  const name = q.get('name');
  if (name) all = all.filter((s) => new RegExp(name).test(s.name));
  const status = q.get('status');
  if (status) all = all.filter((s) => s.status === status);
  const flavor = q.get('flavor');
  if (flavor) all = all.filter((s) => s.flavor === flavor);
  const ip = q.get('ip');
  if (ip) all = all.filter((s) => s.nics.some((n) => n.ip.includes(ip)));
  const tags = q.get('tags');
  if (tags) all = all.filter((s) => tags.split(',').every((t) => { const [k, v] = t.split('='); return s.tags[k] !== undefined && (v === undefined || s.tags[k] === v); }));
  const limit = Number(q.get('limit') ?? 25);
  const page = Math.max(1, Number(q.get('offset') ?? 1));
  return { status: 200, body: { count: all.length, servers: all.slice((page - 1) * limit, page * limit).map((s) => serverBody(s, ctx)) } };
}

function deleteServers(req: EmuRequest, ctx: EmuContext) {
  const body = req.json<{ servers?: { id: string }[]; delete_publicip?: boolean; delete_volume?: boolean }>();
  if (!body.servers?.length) throw badRequest('servers is required');
  const servers = body.servers.map((s) => serverOf(req, ctx, s.id));
  const a = ctx.account;
  const job = ctx.jobs.start(ctx, {
    type: 'deleteServer', region: req.region, durationMs: a.config.durations.serverDeleteMs,
    payload: { serverIds: servers.map((s) => s.id), deletePublicIp: !!body.delete_publicip, deleteVolume: !!body.delete_volume },
    entities: { sub_jobs_total: servers.length, sub_jobs: servers.map((s) => ({ job_id: a.newHexId(), job_type: 'deleteSingleServer', status: 'RUNNING', begin_time: isoTime(ctx.now), entities: { server_id: s.id } })) },
  });
  for (const s of servers) s.deleteJobId = job.job_id;
  a.touch();
  return { status: 200, body: { job_id: job.job_id } };
}

function powerAction(req: EmuRequest, ctx: EmuContext) {
  const body = req.json<Record<string, { servers?: { id: string }[]; type?: string }>>();
  const action = ['os-stop', 'os-start', 'reboot'].find((k) => body[k]);
  if (!action) throw badRequest('expected os-stop, os-start or reboot');
  const servers = (body[action].servers ?? []).map((s) => serverOf(req, ctx, s.id));
  if (!servers.length) throw badRequest(`${action}.servers is required`);
  if (action === 'reboot') throw new ApiError(400, 'Ecs.0005', 'reboot is not emulated');
  const a = ctx.account;
  const type = action === 'os-stop' ? 'stopServer' : 'startServer';
  const job = ctx.jobs.start(ctx, {
    type, region: req.region, durationMs: a.config.durations.stopMs, payload: { serverIds: servers.map((s) => s.id) },
    entities: { sub_jobs_total: servers.length, sub_jobs: servers.map((s) => ({ job_id: a.newHexId(), job_type: action === 'os-stop' ? 'stopSingleServer' : 'startSingleServer', status: 'RUNNING', begin_time: isoTime(ctx.now), entities: { server_id: s.id } })) },
  });
  // An injected failure of the job: the request is accepted, nothing happens (a stop that never takes).
  for (const s of job.failWith ? [] : servers) {
    if (action === 'os-stop' && s.status === 'ACTIVE' && s.stopRequestedAt === undefined) s.stopRequestedAt = ctx.now;
    if (action === 'os-start' && s.status === 'SHUTOFF') s.startRequestedAt = ctx.now;
    s.updatedAt = ctx.now;
  }
  a.touch();
  return { status: 200, body: { job_id: job.job_id } };
}

function consoleText(s: ServerRecord, ctx: EmuContext, length: number | undefined): string {
  if (s.status === 'BUILD') return '';
  const lines = ctx.guest.consoleLines(s, ctx);
  const tail = length !== undefined && length >= 0 ? lines.slice(-length) : lines;
  return tail.length ? `${tail.join('\n')}\n` : '';
}

/** Moves every server on to `ctx.now`: boots, guest power-offs, stops, starts. */
function settleServer(s: ServerRecord, ctx: EmuContext): void {
  const d = ctx.account.config.durations;
  if (s.status === 'BUILD') {
    const readyAt = s.createdAt + d.serverCreateMs;
    if (ctx.now < readyAt) return;
    const job = ctx.jobs.get(ctx, s.createJobId);
    if (job?.failWith) {
      Object.assign(s, { status: 'ERROR', updatedAt: readyAt, fault: { code: 500, message: job.failWith.message } });
      return;
    }
    Object.assign(s, { status: 'ACTIVE', activeAt: readyAt, updatedAt: readyAt });
    ctx.guest.start(s, ctx);
  }
  if (s.status === 'ACTIVE') {
    const selfOff = ctx.guest.poweredOffAt(s, ctx);
    const stopAt = s.stopRequestedAt !== undefined ? s.stopRequestedAt + d.stopMs : undefined;
    const offAt = [selfOff, stopAt !== undefined && stopAt <= ctx.now ? stopAt : undefined].filter((x): x is number => x !== undefined).sort((x, y) => x - y)[0];
    if (offAt !== undefined) {
      Object.assign(s, { status: 'SHUTOFF', stoppedAt: offAt, updatedAt: offAt });
      ctx.guest.stop(s, ctx);
    }
  }
  if (s.status === 'SHUTOFF' && s.startRequestedAt !== undefined && ctx.now >= s.startRequestedAt + d.stopMs) {
    const at = s.startRequestedAt + d.stopMs;
    Object.assign(s, { status: 'ACTIVE', activeAt: at, updatedAt: at, stopRequestedAt: undefined, startRequestedAt: undefined, stoppedAt: undefined });
    ctx.guest.start(s, ctx);
  }
}

const ecs = (method: string, path: string, handler: Route['handler']): Route => ({ service: 'ecs', method, path, handler });

export const ecsService: ServiceFactory = (jobs) => {
  jobs.register('createServer', (job, ctx) => {
    job.entities.sub_jobs?.forEach((j: Record<string, unknown>) => Object.assign(j, { status: 'SUCCESS', end_time: isoTime(job.doneAt) }));
    void ctx;
  });
  // A failed create is rolled back: the server and its ports go; an EIP given by ID is unbound, not released.
  jobs.register('createServer:failed', (job, ctx) => {
    job.entities.sub_jobs?.forEach((j: Record<string, unknown>) => Object.assign(j, { status: 'FAIL', end_time: isoTime(job.doneAt), error_code: job.error_code, fail_reason: job.fail_reason }));
    const servers = serversOf(ctx.account, job.region);
    const s = servers[job.payload.serverId as string];
    if (!s) return;
    ctx.guest.stop(s, ctx);
    deleteServerNetwork(ctx.account, job.region, s.id, s.nics.map((n) => n.portId), false, job.doneAt);
    delete servers[s.id];
    ctx.account.touch();
  });
  jobs.register('deleteServer', (job, ctx) => {
    const servers = serversOf(ctx.account, job.region);
    for (const id of job.payload.serverIds as string[]) {
      const s = servers[id];
      if (!s) continue;
      ctx.guest.stop(s, ctx);
      deleteServerNetwork(ctx.account, job.region, id, s.nics.map((n) => n.portId), job.payload.deletePublicIp, job.doneAt);
      delete servers[id];
    }
    job.entities.sub_jobs?.forEach((j: Record<string, unknown>) => Object.assign(j, { status: 'SUCCESS', end_time: isoTime(job.doneAt) }));
    ctx.account.touch();
  });
  jobs.register('deleteServer:failed', (job, ctx) => {
    for (const id of job.payload.serverIds as string[]) {
      const s = serversOf(ctx.account, job.region)[id];
      if (s) delete s.deleteJobId;
    }
  });
  for (const type of ['stopServer', 'startServer']) {
    jobs.register(type, (job) => {
      job.entities.sub_jobs?.forEach((j: Record<string, unknown>) => Object.assign(j, { status: 'SUCCESS', end_time: isoTime(job.doneAt) }));
    });
  }

  const routes: Route[] = [
    ecs('POST', '/v1.1/{project_id}/cloudservers', createServer),
    ecs('GET', '/v1/{project_id}/cloudservers/{server_id}', (req, ctx) => ({ status: 200, body: { server: serverBody(serverOf(req, ctx), ctx) } })),
    ecs('GET', '/v1.1/{project_id}/cloudservers/detail', listServers),
    ecs('GET', '/v1/{project_id}/cloudservers/detail', listServers),
    ecs('POST', '/v1/{project_id}/cloudservers/delete', deleteServers),
    ecs('POST', '/v1/{project_id}/cloudservers/action', powerAction),
    ecs('GET', '/v1/{project_id}/cloudservers/{server_id}/console-output', (req, ctx) => {
      const length = req.query.get('length');
      return { status: 200, body: { output: consoleText(serverOf(req, ctx), ctx, length === null ? undefined : Number(length)) } };
    }),
    ecs('POST', '/v2.1/{project_id}/servers/{server_id}/action', (req, ctx) => {
      const body = req.json<{ 'os-getConsoleOutput'?: { length?: number | string | null } }>();
      if (!body['os-getConsoleOutput']) throw new ApiError(400, 'Ecs.0005', 'only os-getConsoleOutput is emulated on the Nova action API');
      const length = body['os-getConsoleOutput'].length;
      return { status: 200, body: { output: consoleText(serverOf(req, ctx), ctx, length === null || length === undefined ? undefined : Number(length)) } };
    }),
    ecs('GET', '/v1/{project_id}/cloudservers/flavors', (req, ctx) => {
      const az = req.query.get('availability_zone');
      if (az && !zonesOf(req.region).includes(az)) return { status: 200, body: { flavors: [] } };
      return { status: 200, body: { flavors: FLAVORS.map((f) => flavorBody(ctx.account, req.region, f)) } };
    }),
    ecs('GET', '/v2.1/{project_id}/os-availability-zone', (req) => ({
      status: 200, body: { availabilityZoneInfo: zonesOf(req.region).map((zoneName) => ({ zoneName, zoneState: { available: true }, hosts: null })) },
    })),
    ecs('POST', '/v1/{project_id}/cloudservers/{server_id}/tags/action', (req, ctx) => {
      const s = serverOf(req, ctx);
      applyTagAction(s.tags, req.json(), 'Ecs.0005');
      ctx.account.touch();
      return { status: 204 };
    }),
    ecs('GET', '/v1/{project_id}/cloudservers/{server_id}/tags', (req, ctx) => ({ status: 200, body: { tags: tagList(serverOf(req, ctx).tags) } })),
    ecs('POST', '/v1/{project_id}/cloudservers/resource_instances/action', (req, ctx) => ({
      status: 200, body: filterResources(Object.values(serversOf(ctx.account, req.region)), req.json<TagFilterBody>(), (s) => ({ id: s.id, name: s.name, tags: s.tags })),
    })),
    ecs('POST', '/v1/{project_id}/cloudservers/{server_id}/metadata', (req, ctx) => {
      const s = serverOf(req, ctx);
      const metadata = req.json<{ metadata?: Record<string, string> }>().metadata;
      if (!metadata) throw badRequest('metadata is required');
      Object.assign(s.metadata, metadata);
      ctx.account.touch();
      return { status: 200, body: { metadata: s.metadata } };
    }),
    ecs('DELETE', '/v1/{project_id}/cloudservers/{server_id}/metadata/{key}', (req, ctx) => {
      const s = serverOf(req, ctx);
      if (!(req.params.key in s.metadata)) throw new ApiError(404, 'Ecs.0046', `metadata ${req.params.key} does not exist`);
      delete s.metadata[req.params.key];
      ctx.account.touch();
      return { status: 204 };
    }),
    ecs('GET', '/v1/{project_id}/cloudservers/{server_id}/block_device/{volume_id}', (req, ctx) => {
      const s = serverOf(req, ctx);
      const v = s.volumes.find((x) => x.id === req.params.volume_id);
      if (!v) throw new ApiError(404, 'Ecs.0045', `volume ${req.params.volume_id} is not attached to ${s.id}`);
      return { status: 200, body: { volumeAttachment: { id: v.id, serverId: s.id, volumeId: v.id, device: v.device, pciAddress: `0000:02:0${v.bootIndex === 0 ? 1 : 2}.0`, size: v.size, bootIndex: v.bootIndex, bus: 'virtio' } } };
    }),
    {
      // EVS ShowVolume (https://support.huaweicloud.com/intl/en-us/api-evs/evs_04_2013.html): the
      // provider reads the size and type of each volume in volumes_attached.
      service: 'evs', method: 'GET', path: '/v2/{project_id}/cloudvolumes/{volume_id}',
      handler: (req, ctx) => {
        for (const s of Object.values(serversOf(ctx.account, req.region))) {
          const v = s.volumes.find((x) => x.id === req.params.volume_id);
          if (!v) continue;
          return {
            status: 200, body: {
              volume: {
                id: v.id, name: `${s.name}-volume-${v.bootIndex === 0 ? '0000' : '0001'}`, status: 'in-use', size: v.size, volume_type: v.type, bootable: String(v.bootIndex === 0),
                availability_zone: s.az, multiattach: false, encrypted: false, metadata: { readonly: 'False', attached_mode: 'rw' },
                volume_image_metadata: v.bootIndex === 0 ? { image_id: s.imageId, image_name: s.imageName } : {},
                attachments: [{ attachment_id: v.id, id: v.id, volume_id: v.id, server_id: s.id, device: v.device, attached_at: isoTime(s.createdAt), host_name: '' }],
                iops: { id: v.id, total_val: 3000, volume_id: v.id }, throughput: { id: v.id, total_val: 125, volume_id: v.id },
                created_at: isoTime(s.createdAt), updated_at: isoTime(s.updatedAt), enterprise_project_id: '0', tags: {}, links: [], service_type: 'EVS',
              },
            },
          };
        }
        throw new ApiError(404, 'EVS.0001', `volume ${req.params.volume_id} could not be found`);
      },
    },
  ];

  return {
    routes,
    settle(ctx) {
  for (const [, s] of ctx.account.all<ServerRecord>('servers')) {
        const before = `${s.status} ${s.activeAt}`;
        settleServer(s, ctx);
        if (`${s.status} ${s.activeAt}` !== before) ctx.account.touch();
      }
    },
  };
};
