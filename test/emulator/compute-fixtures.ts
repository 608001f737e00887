/**
 * What the ECS and IMS emulator tests share: a settable clock, a network to create servers in,
 * the factory's real user_data for the nginx example, and a create call shaped like the
 * provider's (golangsdk cloudservers.CreateOpts for the builder stack's compute instance).
 */
import { join } from 'node:path';
import { loadImage } from '../../stacks/definition/load.js';
import { renderUserData } from '../../stacks/guest/user-data.js';
import type { HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import type { Clock } from '../../scripts/pipeline/clock.js';
import { afterEach, beforeEach } from 'vitest';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { startEmulator, type TestEmulator } from './support.js';

export const REGION = 'ap-southeast-3';
const REPO = join(import.meta.dirname, '..', '..');

/** A clock the test moves by hand (sleep advances it at once). */
export class ManualClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 28, 10, 0, 0)) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Network {
  vpcId: string;
  subnetId: string;
  sgId: string;
  eipId: string;
}

/**
 * A VPC, subnet, security group and EIP, made through the emulator's own VPC and EIP APIs (with
 * the clock moved on until they are ready), so the ECS tests start from what a user would have.
 */
export async function seedNetwork(emu: TestEmulator, clock: ManualClock, region = REGION, n = 1): Promise<Network> {
  const api = emu.api();
  const tags = [{ key: 'image-factory-build', value: `b${n}` }, { key: 'image-factory-expires', value: '20261130T230936Z' }];
  const vpc = await api.request<{ vpc: { id: string } }>('vpc', region, { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name: `vpc-${n}`, cidr: '10.254.239.0/24' } } });
  clock.advance(DEFAULT_DURATIONS.shortJobMs);
  const subnet = await api.request<{ subnet: { id: string } }>('vpc', region, { method: 'POST', path: '/v1/{project_id}/subnets', body: { subnet: { name: `subnet-${n}`, cidr: '10.254.239.0/24', gateway_ip: '10.254.239.1', vpc_id: vpc.vpc.id } } });
  const sg = await api.request<{ security_group: { id: string } }>('vpc', region, { method: 'POST', path: '/v1/{project_id}/security-groups', body: { security_group: { name: `sg-${n}` } } });
  const eip = await api.request<{ publicip: { id: string } }>('eip', region, { method: 'POST', path: '/v1/{project_id}/publicips', body: { publicip: { type: '5_bgp' }, bandwidth: { name: `bw-${n}`, size: 5, share_type: 'PER', charge_mode: 'traffic' } } });
  clock.advance(DEFAULT_DURATIONS.shortJobMs);
  for (const [kind, id] of [['vpcs', vpc.vpc.id], ['subnets', subnet.subnet.id], ['security-groups', sg.security_group.id]] as const) {
    await api.request('vpc', region, { method: 'POST', path: `/v2.0/{project_id}/${kind}/{id}/tags/action`, params: { id }, body: { action: 'create', tags } });
  }
  await api.request('eip', region, { method: 'POST', path: '/v2.0/{project_id}/publicips/{id}/tags/action', params: { id: eip.publicip.id }, body: { action: 'create', tags } });
  return { vpcId: vpc.vpc.id, subnetId: subnet.subnet.id, sgId: sg.security_group.id, eipId: eip.publicip.id };
}

/** The emulator on a ManualClock with a network ready, fresh for every test of the calling suite. */
export function emulatorWithNetwork(): { readonly emu: TestEmulator; readonly clock: ManualClock; readonly net: Network } {
  const ctx = {} as { emu: TestEmulator; clock: ManualClock; net: Network };
  beforeEach(async () => {
    ctx.clock = new ManualClock();
    ctx.emu = await startEmulator({ clock: ctx.clock });
    ctx.net = await seedNetwork(ctx.emu, ctx.clock);
  });
  afterEach(() => ctx.emu.close());
  return ctx;
}

const userDataCache = new Map<string, string>();

/** The base64 user_data the builder (build) or tester (test) stack sends for images/nginx. */
export async function nginxUserData(mode: 'build' | 'test'): Promise<string> {
  const hit = userDataCache.get(mode);
  if (hit) return hit;
  const image = await loadImage(join(REPO, 'images/nginx'), REPO);
  const steps = mode === 'build' ? image.spec.install : image.spec.tests;
  const data = renderUserData({ mode, buildId: 'nginx-20261128-1', imageDir: image.dir, steps, waivers: image.spec.selfCheck.waivers }).base64;
  userDataCache.set(mode, data);
  return data;
}

export async function nginxStepNames(mode: 'build' | 'test'): Promise<string[]> {
  const image = await loadImage(join(REPO, 'images/nginx'), REPO);
  return (mode === 'build' ? image.spec.install : image.spec.tests).map((s) => s.name);
}

export async function publicImageId(api: HuaweiApi, name = 'Ubuntu 22.04 server 64bit', region = REGION): Promise<string> {
  const res = await api.request<{ images: { id: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'gold', name, status: 'active' } });
  return res.images[0].id;
}

export async function createServer(api: HuaweiApi, net: Network, opts: { userData?: string; flavor?: string; az?: string; imageId?: string; name?: string; region?: string; tags?: Record<string, string> } = {}): Promise<{ jobId: string; serverId: string }> {
  const region = opts.region ?? REGION;
  const res = await api.request<{ job_id: string; serverIds: string[] }>('ecs', region, {
    method: 'POST', path: '/v1.1/{project_id}/cloudservers', body: {
      server: {
        imageRef: opts.imageId ?? await publicImageId(api, undefined, region), flavorRef: opts.flavor ?? 's6.large.2', name: opts.name ?? 'nginx-builder-manual',
        vpcid: net.vpcId, nics: [{ subnet_id: net.subnetId }], security_groups: [{ id: net.sgId }], publicip: { id: net.eipId },
        root_volume: { volumetype: 'GPSSD', size: 40 }, ...(opts.az ? { availability_zone: opts.az } : {}),
        ...(opts.userData ? { user_data: opts.userData } : {}),
        server_tags: Object.entries(opts.tags ?? { 'image-factory-build': 'manual', 'image-factory-product': 'nginx' }).map(([key, value]) => ({ key, value })),
      },
    },
  });
  return { jobId: res.job_id, serverId: res.serverIds[0] };
}
