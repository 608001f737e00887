/**
 * What each resource and data source type of the factory's stacks does on create, read and
 * delete, as the same API calls the huaweicloud provider makes for it (its `// @API` lists and
 * create/delete functions, github.com/huaweicloud/terraform-provider-huaweicloud v1.97.1,
 * huaweicloud/services/{vpc,eip,ecs,ims}/...). Only the attributes the stacks set are sent, and
 * only the ones the stacks read back are kept.
 */
import { HuaweiApiError, type HuaweiApi, type Service } from '../../cloud/huawei-api.js';
import type { Clock } from '../../pipeline/clock.js';

export interface ResourceContext {
  readonly api: HuaweiApi;
  /** The provider's region. */
  readonly region: string;
  readonly clock: Clock;
  readonly pollMs: number;
  readonly signal?: AbortSignal;
  /**
   * A job this create started: recorded so that a killed apply waits for it instead of starting
   * another. `where`: the region the resource will live in, when not the provider's.
   */
  onJob(jobId: string, where?: string): void;
  /** The job a killed apply had started for this resource. */
  readonly pendingJob?: string;
  /**
   * The resource exists (its ID is known) though its create has not finished: the provider has
   * set the ID by then (e.g. resourceVirtualPrivateCloudCreate and resourceVpcEIPV1Create call
   * d.SetId before they wait for the status and add the tags, huaweicloud/services/{vpc,eip}/),
   * so Terraform keeps a create that fails or is interrupted afterwards in its state as
   * tainted, and destroys it. The applier does the same.
   */
  onCreated(instance: Instance): void;
}

export interface Instance {
  readonly id: string;
  /** Where it lives when not in the provider's region (image copies). */
  readonly region?: string;
  readonly attrs: Readonly<Record<string, unknown>>;
}

export interface ResourceType {
  create(config: Record<string, any>, ctx: ResourceContext): Promise<Instance>;
  delete(instance: Instance, ctx: ResourceContext): Promise<void>;
  /**
   * What a job started by an interrupted create made (it went on in the cloud): waits for the
   * job and names the resource, so that it can be deleted. `where` is what onJob recorded.
   */
  fromJob?(jobId: string, where: string | undefined, ctx: ResourceContext): Promise<Instance | undefined>;
}

export interface DataSourceType {
  read(config: Record<string, any>, ctx: ResourceContext): Promise<Record<string, unknown>>;
}

const tagList = (tags: Record<string, string> | undefined) => Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));

/** Polls `probe` every pollMs until it returns a value (not undefined), at most `timeoutMs`. */
async function waitFor<T>(ctx: ResourceContext, what: string, probe: () => Promise<T | undefined>, timeoutMs = 3 * 3600_000): Promise<T> {
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (ctx.clock.now() >= deadline) throw new Error(`timeout while waiting for ${what}`);
    await ctx.clock.sleep(ctx.pollMs, ctx.signal);
  }
}

const isNotFound = (err: unknown) => err instanceof HuaweiApiError && err.status === 404;

/** ECS and IMS jobs: `GET /v1/{project_id}/jobs/{job_id}` until SUCCESS (or FAIL, with its reason). */
async function waitJob(ctx: ResourceContext, service: Service, region: string, jobId: string): Promise<Record<string, any>> {
  return waitFor(ctx, `job ${jobId}`, async () => {
    const job = await ctx.api.request<Record<string, any>>(service, region, { method: 'GET', path: '/v1/{project_id}/jobs/{job_id}', params: { job_id: jobId } });
    if (job.status === 'SUCCESS') return job;
    if (job.status === 'FAIL') throw new Error(`job ${jobId} failed: ${job.error_code ? `${job.error_code} ` : ''}${job.fail_reason ?? 'no reason given'}`);
    return undefined;
  });
}

async function serverOfJob(ctx: ResourceContext, jobId: string): Promise<string> {
  const job = await waitJob(ctx, 'ecs', ctx.region, jobId);
  const id = job.entities?.sub_jobs?.[0]?.entities?.server_id as string | undefined;
  if (!id) throw new Error(`job ${jobId} ended without a server_id`);
  return id;
}

async function imageOfJob(ctx: ResourceContext, jobId: string): Promise<string> {
  const job = await waitJob(ctx, 'ims', ctx.region, jobId);
  const id = job.entities?.image_id as string | undefined;
  if (!id) throw new Error(`job ${jobId} ended without an image_id`);
  return id;
}

/** Deletes, and treats "already gone" as done (as the provider's CheckDeleted does). */
async function remove(ctx: ResourceContext, service: Service, path: string, params: Record<string, string>, region = ctx.region): Promise<void> {
  try {
    await ctx.api.request(service, region, { method: 'DELETE', path, params });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Waits until a GET answers 404. */
async function waitGone(ctx: ResourceContext, service: Service, path: string, params: Record<string, string>, region = ctx.region): Promise<void> {
  await waitFor(ctx, `${path} to be deleted`, async () => {
    try {
      await ctx.api.request(service, region, { method: 'GET', path, params });
      return undefined;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  });
}

async function addTags(ctx: ResourceContext, service: Service, path: string, id: string, tags: Record<string, string> | undefined, region = ctx.region): Promise<void> {
  if (!tags || !Object.keys(tags).length) return;
  await ctx.api.request(service, region, { method: 'POST', path, params: { id }, body: { action: 'create', tags: tagList(tags) } });
}

export const DATA_SOURCES: Record<string, DataSourceType> = {
  /** IMS ListImages, newest first (data_source_huaweicloud_images_image.go with most_recent). */
  huaweicloud_images_image: {
    async read(c, ctx) {
      const res = await ctx.api.request<{ images?: Record<string, any>[] }>('ims', ctx.region, {
        method: 'GET', path: '/v2/cloudimages',
        query: { __imagetype: c.visibility === 'public' ? 'gold' : c.visibility === 'private' ? 'private' : undefined, name: c.name, architecture: c.architecture, __os_version: c.os_version, status: 'active', sort_key: 'created_at', sort_dir: 'desc', limit: 100 },
      });
      const images = (res.images ?? []).sort((a, b) => String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')));
      if (!images.length) throw new Error(`no public image matches ${JSON.stringify({ name: c.name, architecture: c.architecture })} in ${ctx.region}`);
      if (images.length > 1 && !c.most_recent) throw new Error('more than one image matches; set most_recent');
      return { id: images[0].id, name: images[0].name };
    },
  },
};

export const RESOURCES: Record<string, ResourceType> = {
  huaweicloud_vpc: {
    async create(c, ctx) {
      const res = await ctx.api.request<{ vpc: { id: string } }>('vpc', ctx.region, { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name: c.name, cidr: c.cidr } } });
      const id = res.vpc.id;
      ctx.onCreated({ id, attrs: { id } });
      await waitFor(ctx, `VPC ${id}`, async () => {
        const v = await ctx.api.request<{ vpc: { status: string } }>('vpc', ctx.region, { method: 'GET', path: '/v1/{project_id}/vpcs/{id}', params: { id } });
        return v.vpc.status === 'OK' ? true : undefined;
      });
      await addTags(ctx, 'vpc', '/v2.0/{project_id}/vpcs/{id}/tags/action', id, c.tags);
      return { id, attrs: { id } };
    },
    async delete(i, ctx) {
      await remove(ctx, 'vpc', '/v1/{project_id}/vpcs/{id}', { id: i.id });
      await waitGone(ctx, 'vpc', '/v1/{project_id}/vpcs/{id}', { id: i.id });
    },
  },

  huaweicloud_vpc_subnet: {
    async create(c, ctx) {
      const res = await ctx.api.request<{ subnet: { id: string } }>('vpc', ctx.region, {
        method: 'POST', path: '/v1/{project_id}/subnets', body: { subnet: { name: c.name, cidr: c.cidr, gateway_ip: c.gateway_ip, vpc_id: c.vpc_id, dhcp_enable: c.dhcp_enable ?? true } },
      });
      const id = res.subnet.id;
      ctx.onCreated({ id, attrs: { id, vpc_id: c.vpc_id } });
      await waitFor(ctx, `subnet ${id}`, async () => {
        const s = await ctx.api.request<{ subnet: { status: string } }>('vpc', ctx.region, { method: 'GET', path: '/v1/{project_id}/subnets/{id}', params: { id } });
        return s.subnet.status === 'ACTIVE' ? true : undefined;
      });
      await addTags(ctx, 'vpc', '/v2.0/{project_id}/subnets/{id}/tags/action', id, c.tags);
      return { id, attrs: { id, vpc_id: c.vpc_id } };
    },
    async delete(i, ctx) {
      const vpcId = String(i.attrs.vpc_id);
      await remove(ctx, 'vpc', '/v1/{project_id}/vpcs/{vpc_id}/subnets/{id}', { vpc_id: vpcId, id: i.id });
      await waitGone(ctx, 'vpc', '/v1/{project_id}/subnets/{id}', { id: i.id });
    },
  },

  /** v3 security groups, with Huawei's default rules deleted when asked (resource_huaweicloud_networking_secgroup.go). */
  huaweicloud_networking_secgroup: {
    async create(c, ctx) {
      const res = await ctx.api.request<{ security_group: { id: string; security_group_rules?: { id: string }[] } }>('vpc', ctx.region, {
        method: 'POST', path: '/v3/{project_id}/vpc/security-groups', body: { security_group: { name: c.name, ...(c.description ? { description: c.description } : {}) } },
      });
      const sg = res.security_group;
      ctx.onCreated({ id: sg.id, attrs: { id: sg.id } });
      if (c.delete_default_rules) {
        for (const rule of sg.security_group_rules ?? []) {
          await remove(ctx, 'vpc', '/v3/{project_id}/vpc/security-group-rules/{id}', { id: rule.id });
        }
      }
      await addTags(ctx, 'vpc', '/v2.0/{project_id}/security-groups/{id}/tags/action', sg.id, c.tags);
      return { id: sg.id, attrs: { id: sg.id } };
    },
    async delete(i, ctx) {
      await remove(ctx, 'vpc', '/v1/{project_id}/security-groups/{id}', { id: i.id });
    },
  },

  huaweicloud_networking_secgroup_rule: {
    async create(c, ctx) {
      const rule = {
        security_group_id: c.security_group_id, direction: c.direction, ethertype: c.ethertype, protocol: c.protocol,
        port_range_min: c.port_range_min, port_range_max: c.port_range_max, remote_ip_prefix: c.remote_ip_prefix,
        ...(c.description ? { description: c.description } : {}),
      };
      const res = await ctx.api.request<{ security_group_rule: { id: string } }>('vpc', ctx.region, { method: 'POST', path: '/v1/{project_id}/security-group-rules', body: { security_group_rule: rule } });
      return { id: res.security_group_rule.id, attrs: { id: res.security_group_rule.id } };
    },
    async delete(i, ctx) {
      await remove(ctx, 'vpc', '/v1/{project_id}/security-group-rules/{id}', { id: i.id });
    },
  },

  huaweicloud_vpc_eip: {
    async create(c, ctx) {
      const res = await ctx.api.request<{ publicip: { id: string; public_ip_address?: string } }>('eip', ctx.region, {
        method: 'POST', path: '/v1/{project_id}/publicips',
        body: { publicip: { type: c.publicip?.type ?? '5_bgp', ip_version: 4 }, bandwidth: { name: c.bandwidth?.name, size: c.bandwidth?.size, share_type: c.bandwidth?.share_type, charge_mode: c.bandwidth?.charge_mode } },
      });
      const id = res.publicip.id;
      ctx.onCreated({ id, attrs: { id, address: res.publicip.public_ip_address ?? '' } });
      const address = await waitFor(ctx, `EIP ${id}`, async () => {
        const e = await ctx.api.request<{ publicip: { status: string; public_ip_address?: string } }>('eip', ctx.region, { method: 'GET', path: '/v1/{project_id}/publicips/{id}', params: { id } });
        return e.publicip.status === 'DOWN' || e.publicip.status === 'ACTIVE' ? e.publicip.public_ip_address ?? '' : undefined;
      });
      await addTags(ctx, 'eip', '/v2.0/{project_id}/publicips/{id}/tags/action', id, c.tags);
      return { id, attrs: { id, address } };
    },
    async delete(i, ctx) {
      await remove(ctx, 'eip', '/v1/{project_id}/publicips/{id}', { id: i.id });
      await waitGone(ctx, 'eip', '/v1/{project_id}/publicips/{id}', { id: i.id });
    },
  },

  /** ECS CreateServers (a job), then ShowServer until ACTIVE (resource_huaweicloud_compute_instance.go). */
  huaweicloud_compute_instance: {
    async create(c, ctx) {
      let jobId = ctx.pendingJob;
      if (!jobId) {
        const vpc = await ctx.api.request<{ subnet: { vpc_id: string } }>('vpc', ctx.region, { method: 'GET', path: '/v1/{project_id}/subnets/{id}', params: { id: c.network[0].uuid } });
        const server = {
          name: c.name, imageRef: c.image_id, flavorRef: c.flavor_id, vpcid: vpc.subnet.vpc_id,
          nics: (c.network as { uuid: string }[]).map((n) => ({ subnet_id: n.uuid })),
          security_groups: ((c.security_group_ids ?? []) as string[]).map((id) => ({ id })),
          root_volume: { volumetype: c.system_disk_type, size: c.system_disk_size },
          ...(c.eip_id ? { publicip: { id: c.eip_id } } : {}),
          ...(c.availability_zone ? { availability_zone: c.availability_zone } : {}),
          ...(c.user_data ? { user_data: c.user_data } : {}),
          server_tags: tagList(c.tags),
          extendparam: { chargingMode: c.charging_mode === 'prePaid' ? 'prePaid' : 'postPaid' },
        };
        const res = await ctx.api.request<{ job_id: string }>('ecs', ctx.region, { method: 'POST', path: '/v1.1/{project_id}/cloudservers', body: { server } });
        jobId = res.job_id;
        ctx.onJob(jobId);
      }
      const id = await serverOfJob(ctx, jobId);
      ctx.onCreated({ id, attrs: { id } });
      const server = await waitFor(ctx, `ECS ${id} to be ACTIVE`, async () => {
        const s = await ctx.api.request<{ server: Record<string, any> }>('ecs', ctx.region, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}', params: { id } });
        if (s.server.status === 'ERROR') throw new Error(`ECS ${id} is in ERROR${s.server.fault?.message ? `: ${s.server.fault.message}` : ''}`);
        return s.server.status === 'ACTIVE' || s.server.status === 'SHUTOFF' ? s.server : undefined;
      });
      return { id, attrs: { id, availability_zone: server['OS-EXT-AZ:availability_zone'] ?? c.availability_zone ?? '' } };
    },
    async fromJob(jobId, _where, ctx) {
      const id = await serverOfJob(ctx, jobId).catch(() => undefined);
      return id ? { id, attrs: { id } } : undefined;
    },
    async delete(i, ctx) {
      let jobId: string;
      try {
        jobId = (await ctx.api.request<{ job_id: string }>('ecs', ctx.region, {
          method: 'POST', path: '/v1/{project_id}/cloudservers/delete', body: { servers: [{ id: i.id }], delete_publicip: false, delete_volume: true },
        })).job_id;
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      await waitJob(ctx, 'ecs', ctx.region, jobId);
      await waitGone(ctx, 'ecs', '/v1/{project_id}/cloudservers/{id}', { id: i.id });
    },
  },

  /** IMS CreateImage from a stopped server (a job): resource_huaweicloud_ims_ecs_system_image.go. */
  huaweicloud_ims_ecs_system_image: {
    async create(c, ctx) {
      let jobId = ctx.pendingJob;
      if (!jobId) {
        const body = { name: c.name, instance_id: c.instance_id, ...(c.description ? { description: c.description } : {}), ...(c.min_ram ? { min_ram: c.min_ram } : {}), image_tags: tagList(c.tags) };
        jobId = (await ctx.api.request<{ job_id: string }>('ims', ctx.region, { method: 'POST', path: '/v2/cloudimages/action', body })).job_id;
        ctx.onJob(jobId);
      }
      const id = await imageOfJob(ctx, jobId);
      return { id, attrs: { id } };
    },
    async fromJob(jobId, _where, ctx) {
      const id = await imageOfJob(ctx, jobId).catch(() => undefined);
      return id ? { id, attrs: { id } } : undefined;
    },
    async delete(i, ctx) {
      await remove(ctx, 'ims', '/v2/images/{id}', { id: i.id });
    },
  },

  /** IMS CopyImageCrossRegion through the agency (a job), then the tags in the target region: resource_huaweicloud_images_image_copy.go. */
  huaweicloud_images_image_copy: {
    async create(c, ctx) {
      const target = String(c.target_region);
      let jobId = ctx.pendingJob;
      if (!jobId) {
        const body = { name: c.name, region: target, project_name: target, agency_name: c.agency_name, ...(c.description ? { description: c.description } : {}) };
        jobId = (await ctx.api.request<{ job_id: string }>('ims', ctx.region, { method: 'POST', path: '/v1/cloudimages/{image_id}/cross_region_copy', params: { image_id: c.source_image_id }, body })).job_id;
        ctx.onJob(jobId, target);
      }
      const id = await imageOfJob(ctx, jobId);
      ctx.onCreated({ id, region: target, attrs: { id } });
      await ctx.api.request('ims', target, { method: 'POST', path: '/v2/{project_id}/images/{image_id}/tags/action', params: { image_id: id }, body: { action: 'create', tags: tagList(c.tags) } });
      return { id, region: target, attrs: { id } };
    },
    async delete(i, ctx) {
      await remove(ctx, 'ims', '/v2/images/{id}', { id: i.id }, i.region ?? ctx.region);
    },
    async fromJob(jobId, where, ctx) {
      const id = await imageOfJob(ctx, jobId).catch(() => undefined);
      return id ? { id, region: where, attrs: { id } } : undefined;
    },
  },
};
