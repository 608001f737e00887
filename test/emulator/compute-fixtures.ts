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
import type { TestEmulator } from './support.js';

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
 * A VPC, subnet, security group and EIP, written straight into the account with the fields the
 * VPC module's helpers read (services/network/store.ts), so ECS is tested on its own.
 */
export function seedNetwork(emu: TestEmulator, region = REGION, n = 1): Network {
  const a = emu.emulator.account;
  const vpcId = a.newId();
  const subnetId = a.newId();
  const sgId = a.newId();
  const eipId = a.newId();
  const tags = { 'image-factory-build': `b${n}`, 'image-factory-expires': '20261130T230936Z' };
  a.collection(region, 'vpcs')[vpcId] = { id: vpcId, name: `vpc-${n}`, cidr: '10.254.239.0/24', status: 'OK', tags };
  a.collection(region, 'subnets')[subnetId] = { id: subnetId, name: `subnet-${n}`, vpc_id: vpcId, cidr: '10.254.239.0/24', gateway_ip: '10.254.239.1', neutron_subnet_id: a.newId(), status: 'ACTIVE', tags };
  a.collection(region, 'security_groups')[sgId] = { id: sgId, name: `sg-${n}`, tags };
  a.collection(region, 'publicips')[eipId] = { id: eipId, address: `159.138.0.${10 + n}`, status: 'DOWN', port_id: '', private_ip: '', bandwidth_id: '', tags };
  return { vpcId, subnetId, sgId, eipId };
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
