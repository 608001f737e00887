/**
 * Lists and deletes the factory's temporary resources in a region through each service's tag
 * filter API (`POST .../resource_instances/action` with `{"action":"filter","tags":[...]}`),
 * which ECS, VPC, subnets, EIPs and security groups all offer.
 */
import { HuaweiApiError, type HuaweiApi, type Service } from './huawei-api.js';
import { TAG } from '../../stacks/definition/tags.js';
import { isBuildNetworkName } from '../../stacks/constructs/build-network.js';
import type { ResourceSweeper, TaggedImage, TaggedResource, TaggedResourceType } from './types.js';

const FILTER: Record<TaggedResourceType, { service: Service; path: string }> = {
  ecs: { service: 'ecs', path: '/v1/{project_id}/cloudservers/resource_instances/action' },
  eip: { service: 'eip', path: '/v2.0/{project_id}/publicips/resource_instances/action' },
  'security-group': { service: 'vpc', path: '/v2.0/{project_id}/security-groups/resource_instances/action' },
  subnet: { service: 'vpc', path: '/v2.0/{project_id}/subnets/resource_instances/action' },
  vpc: { service: 'vpc', path: '/v2.0/{project_id}/vpcs/resource_instances/action' },
};

/**
 * The list APIs that name what the tag filter cannot find yet (marker paging, limit <= 1000):
 * ListPublicips https://support.huaweicloud.com/intl/en-us/api-eip/eip_api_0003.html (the name is `alias`),
 * ListVpcs https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_api01_0003.html,
 * ListSubnets https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_subnet01_0003.html,
 * ListSecurityGroups https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_sg01_0003.html.
 */
const LIST: readonly { type: 'eip' | 'security-group' | 'subnet' | 'vpc'; service: Service; path: string; key: string; name: (r: Listed) => string | undefined }[] = [
  { type: 'eip', service: 'eip', path: '/v1/{project_id}/publicips', key: 'publicips', name: (r) => r.alias },
  { type: 'security-group', service: 'vpc', path: '/v1/{project_id}/security-groups', key: 'security_groups', name: (r) => r.name },
  { type: 'subnet', service: 'vpc', path: '/v1/{project_id}/subnets', key: 'subnets', name: (r) => r.name },
  { type: 'vpc', service: 'vpc', path: '/v1/{project_id}/vpcs', key: 'vpcs', name: (r) => r.name },
];

interface Listed { id: string; name?: string; alias?: string; vpc_id?: string }

interface Instance {
  resource_id: string;
  resource_name?: string;
  tags?: { key: string; value: string }[];
}

export class HuaweiSweeper implements ResourceSweeper {
  constructor(private readonly api: HuaweiApi) {}

  async listTagged(region: string, tagKey: string): Promise<TaggedResource[]> {
    const out: TaggedResource[] = [];
    for (const [type, { service, path }] of Object.entries(FILTER) as [TaggedResourceType, (typeof FILTER)[TaggedResourceType]][]) {
      for (let offset = 0; ; offset += 1000) {
        const res = await this.api.request<{ resources?: Instance[] }>(service, region, {
          // A query sent as POST (resource_instances/action): safe to retry.
          // ListResourceInstances always answers a list: its absence is no "nothing tagged here".
          method: 'POST', path, body: { action: 'filter', limit: '1000', offset: String(offset), tags: [{ key: tagKey, values: [] }] }, idempotent: true, expects: 'resources',
        });
        const page = res.resources ?? [];
        for (const r of page) {
          out.push({ type, id: r.resource_id, name: r.resource_name, region, tags: Object.fromEntries((r.tags ?? []).map((t) => [t.key, t.value])) });
        }
        if (page.length < 1000) break;
      }
    }
    return out;
  }

  async listNamedForBuild(region: string, buildId: string): Promise<TaggedResource[]> {
    const out: TaggedResource[] = [];
    for (const { type, service, path, key, name } of LIST) {
      for (let marker: string | undefined; ;) {
        const res = await this.api.request<Record<string, Listed[] | undefined>>(service, region, { method: 'GET', path, query: { limit: 1000, marker } });
        const page = res[key] ?? [];
        for (const r of page) {
          if (isBuildNetworkName(type, name(r), buildId)) out.push({ type, id: r.id, name: name(r), region, tags: {}, vpcId: r.vpc_id });
        }
        if (page.length < 1000) break;
        marker = page[page.length - 1].id;
      }
    }
    return out;
  }

  async serverGone(r: TaggedResource): Promise<boolean> {
    try {
      const res = await this.api.request<{ server?: { status?: string } }>('ecs', r.region, { method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', params: { server_id: r.id } });
      return res.server?.status === 'DELETED';
    } catch (err) {
      if (err instanceof HuaweiApiError && err.status === 404) return true;
      throw err;
    }
  }

  /**
   * IMS ListImages of the private images (at most the region's quota, 50 by default), then each
   * one's tags (`GET /v2/{project_id}/images/{image_id}/tags`): ListImages filters by one
   * key=value pair only, and the factory's build IDs differ.
   */
  async listFactoryImages(region: string): Promise<TaggedImage[]> {
    const out: TaggedImage[] = [];
    let marker: string | undefined;
    for (;;) {
      const res = await this.api.request<{ images?: { id: string; name: string }[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query: { __imagetype: 'private', limit: 500, marker } });
      const page = res.images ?? [];
      for (const image of page) {
        const tags = await this.api.request<{ tags?: { key: string; value: string }[] }>('ims', region, { method: 'GET', path: '/v2/{project_id}/images/{image_id}/tags', params: { image_id: image.id } });
        const byKey = Object.fromEntries((tags.tags ?? []).map((t) => [t.key, t.value]));
        if (byKey[TAG.buildId] !== undefined) out.push({ id: image.id, name: image.name, region, tags: byKey });
      }
      if (page.length < 500) return out;
      marker = page[page.length - 1].id;
    }
  }

  /** IMS "Deleting an Image (Native OpenStack API)", `DELETE /v2/images/{image_id}` (https://support.huaweicloud.com/intl/en-us/eu-west-0-api-ims/en-us_topic_0020092108.html). */
  async deleteImage(region: string, imageId: string): Promise<void> {
    try {
      await this.api.request('ims', region, { method: 'DELETE', path: '/v2/images/{image_id}', params: { image_id: imageId } });
    } catch (err) {
      if (err instanceof HuaweiApiError && err.status === 404) return;
      throw err;
    }
  }

  async deleteResource(r: TaggedResource): Promise<void> {
    try {
      await this.delete(r);
    } catch (err) {
      // Already gone (an EIP released with its server, a second sweep): nothing left to do.
      if (err instanceof HuaweiApiError && err.status === 404) return;
      throw err;
    }
  }

  private async delete(r: TaggedResource): Promise<void> {
    switch (r.type) {
      case 'ecs':
        // DeleteServers starts a job: the server (with its port in the subnet) lingers a while.
        await this.api.request('ecs', r.region, { method: 'POST', path: '/v1/{project_id}/cloudservers/delete', body: { servers: [{ id: r.id }], delete_publicip: true, delete_volume: true }, idempotent: true });
        return;
      case 'eip':
        await this.api.request('eip', r.region, { method: 'DELETE', path: '/v1/{project_id}/publicips/{id}', params: { id: r.id } });
        return;
      case 'security-group':
        await this.api.request('vpc', r.region, { method: 'DELETE', path: '/v1/{project_id}/security-groups/{id}', params: { id: r.id } });
        return;
      case 'subnet': {
        const vpcId = r.vpcId ?? (await this.api.request<{ subnet?: { vpc_id?: string } }>('vpc', r.region, { method: 'GET', path: '/v1/{project_id}/subnets/{id}', params: { id: r.id } })).subnet?.vpc_id;
        await this.api.request('vpc', r.region, { method: 'DELETE', path: '/v1/{project_id}/vpcs/{vpc_id}/subnets/{id}', params: { vpc_id: vpcId ?? '', id: r.id } });
        return;
      }
      case 'vpc':
        await this.api.request('vpc', r.region, { method: 'DELETE', path: '/v1/{project_id}/vpcs/{id}', params: { id: r.id } });
        return;
    }
  }
}
