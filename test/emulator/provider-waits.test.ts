/**
 * What each wait of the huaweicloud provider polls for, against the emulator: per resource type
 * the stacks use, the provider's create and delete sequence through the real signed client, then
 * the provider's own predicate, at its own poll interval, on every answer. A view that drifts
 * from what a wait expects makes the real provider hang until its timeout (as the EIP
 * association once did for 10 minutes) or fail: these catch it without the provider binary.
 *
 * The waits, from github.com/huaweicloud/terraform-provider-huaweicloud v1.97.1 (see the
 * fidelity table in scripts/emulator/README.md):
 * - compute_instance: golangsdk cloudservers.WaitForJobSuccess + GetJobEntity (create, delete),
 *   then resourceComputeInstanceRead at once (no wait for ACTIVE); waitForServerTargetState
 *   after the delete job (ACTIVE/SHUTOFF pending, DELETED/SOFT_DELETED or 404 the target);
 * - compute_eip_associate: eipAssociateRefreshFunc (a `floating` address equal to the EIP);
 * - vpc_eip: eipStatusRefreshFunc (DOWN or ACTIVE; at most 3 404s), delete until 404;
 * - ims_ecs_system_image, images_image_copy: the IMS job until SUCCESS with entities.image_id,
 *   then GET /v2/cloudimages?id= (and after delete, until the list is empty);
 * - vpc: waitForVpcActive (CREATING, then OK; a 404 aborts), waitForVpcDelete (409 retries);
 * - vpc_subnet: waitForVpcSubnetActive (ACTIVE), waitForVpcSubnetDelete (GET then DELETE);
 * - networking_secgroup(_rule): GET v1 must answer 200, delete until 404 (409 retries groups).
 */
import { describe, expect, it } from 'vitest';
import { HuaweiApiError, type HuaweiApi } from '../../scripts/cloud/huawei-api.js';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { createServer, emulatorWithNetwork, REGION, type ManualClock } from './compute-fixtures.js';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const status = (err: unknown) => (err instanceof HuaweiApiError ? err.status : undefined);

/**
 * The provider's StateChangeConf, on the test's clock: waits `delayMs`, then refreshes every
 * `intervalMs` until `refresh` returns 'target'; 'pending' goes on; anything else (or a throw)
 * is what the provider would fail on. Returns every state seen.
 */
async function providerWait(clock: ManualClock, refresh: () => Promise<string>, o: { delayMs: number; intervalMs: number; timeoutMs: number; pending: string[]; target: string[] }): Promise<string[]> {
  const seen: string[] = [];
  const deadline = clock.now() + o.timeoutMs;
  clock.advance(o.delayMs);
  for (;;) {
    const state = await refresh();
    seen.push(state);
    if (o.target.includes(state)) return seen;
    if (!o.pending.includes(state)) throw new Error(`unexpected state "${state}" (the provider fails here); seen ${seen.join(' ')}`);
    if (clock.now() >= deadline) throw new Error(`timeout: still ${state} after ${o.timeoutMs} ms (${seen.length} polls)`);
    clock.advance(o.intervalMs);
  }
}

describe('provider waits against the emulator', () => {
  const ctx = emulatorWithNetwork();
  const api = (): HuaweiApi => ctx.emu.api();
  const get = <T = Record<string, any>>(service: Parameters<HuaweiApi['request']>[0], path: string, params: Record<string, string> = {}, query?: Record<string, string>, region = REGION) =>
    api().request<T>(service, region, { method: 'GET', path, params, query });

  /** golangsdk cloudservers.WaitForJobSuccess: 200 on every poll, SUCCESS ends it, FAIL or an HTTP error aborts. */
  async function waitEcsJob(jobId: string): Promise<Record<string, any>> {
    let last: Record<string, any> = {};
    const seen = await providerWait(ctx.clock, async () => {
      last = await get('ecs', '/v1/{project_id}/jobs/{job_id}', { job_id: jobId });
      for (const k of ['status', 'job_id', 'job_type', 'begin_time']) expect(typeof last[k], `job ${k}`).toBe('string');
      return last.status === 'SUCCESS' ? 'SUCCESS' : last.status === 'FAIL' ? 'FAIL' : 'RUNNING';
    }, { delayMs: 5_000, intervalMs: 10_000, timeoutMs: 30 * 60_000, pending: ['RUNNING'], target: ['SUCCESS'] });
    expect(seen.at(-1)).toBe('SUCCESS');
    return last;
  }

  /** The IMS job wait of ims_ecs_system_image and images_image_copy: SUCCESS, then entities.image_id. */
  async function waitImsJob(jobId: string): Promise<string> {
    let last: Record<string, any> = {};
    await providerWait(ctx.clock, async () => {
      last = await get('ims', '/v1/{project_id}/jobs/{job_id}', { job_id: jobId });
      expect(typeof last.status).toBe('string');
      return last.status === 'SUCCESS' ? 'COMPLETED' : last.status === 'FAIL' ? 'FAIL' : 'PENDING';
    }, { delayMs: 10_000, intervalMs: 10_000, timeoutMs: 120 * 60_000, pending: ['PENDING'], target: ['COMPLETED'] });
    expect(typeof last.entities?.image_id).toBe('string');
    return last.entities.image_id as string;
  }

  /** The image as the provider reads it (`images[0]`), with the types its reads assert. */
  async function readImage(id: string, region = REGION): Promise<Record<string, any> | undefined> {
    const { images } = await get<{ images: Record<string, any>[] }>('ims', '/v2/cloudimages', {}, { id }, region);
    const image = images[0];
    if (image) {
      expect(typeof image.max_ram, 'max_ram (a number panics the provider)').toBe('string');
      expect(typeof image.__data_origin, '__data_origin').toBe('string');
      expect(Number.isInteger(image.min_ram)).toBe(true);
      expect(Number.isInteger(image.min_disk)).toBe(true);
      expect(typeof image.protected).toBe('boolean');
      expect(image.updated_at).toMatch(RFC3339);
    }
    return image;
  }

  /** A server made as compute_instance makes it, with its job waited for as the provider does. */
  async function providerServer(): Promise<{ serverId: string; server: Record<string, any> }> {
    const { jobId } = await createServer(api(), ctx.net);
    const job = await waitEcsJob(jobId);
    // GetJobEntity: sub_jobs[0].entities.server_id, a string (an empty sub_jobs crashes the provider).
    const serverId = job.entities.sub_jobs[0].entities.server_id;
    expect(typeof serverId).toBe('string');
    // Read right after the job, with no wait for ACTIVE: it must answer 200 now.
    const { server } = await get<{ server: Record<string, any> }>('ecs', '/v1/{project_id}/cloudservers/{id}', { id: serverId });
    return { serverId, server };
  }

  describe('huaweicloud_compute_instance', () => {
    it('create: the job ends SUCCESS with the server ID, and the server reads at once in the shapes resourceComputeInstanceRead decodes', async () => {
      const { serverId, server } = await providerServer();
      expect(server.id).toBe(serverId);
      for (const k of ['id', 'name', 'vcpus', 'ram', 'disk']) expect(typeof server.flavor[k], `flavor.${k}`).toBe('string');
      expect(server.created).toMatch(RFC3339);
      expect(server.updated).toMatch(RFC3339);
      // The primary port: addresses[metadata.vpc_id][] with primary: true, a fixed address with port and MAC.
      const nics = server.addresses[server.metadata.vpc_id] as Record<string, any>[];
      const primary = nics.find((a) => a.primary === true && a['OS-EXT-IPS:type'] === 'fixed');
      expect(primary).toMatchObject({ 'OS-EXT-IPS:port_id': expect.any(String), 'OS-EXT-IPS-MAC:mac_addr': expect.any(String), addr: expect.any(String) });
      // Each fixed address's port: network_id is the subnet ID the stack's network.uuid names.
      const { port } = await get<{ port: Record<string, any> }>('vpc', '/v1/{project_id}/ports/{id}', { id: primary!['OS-EXT-IPS:port_id'] });
      expect(port.network_id).toBe(ctx.net.subnetId);
      expect(port.fixed_ips[0].ip_address).toBe(primary!.addr);
      // Every attached volume resolves on EVS and on block_device (a failure is fatal to the read).
      const volumes = server['os-extended-volumes:volumes_attached'] as { id: string }[];
      expect(volumes.length).toBeGreaterThan(0);
      for (const v of volumes) {
        // EVS's path (the factory's client has no EVS service; with the endpoint override every service shares one base URL).
        const { volume } = await get<{ volume: Record<string, any> }>('ecs', '/v2/{project_id}/cloudvolumes/{id}', { id: v.id });
        expect(Number.isInteger(volume.size)).toBe(true);
        const { volumeAttachment } = await get<{ volumeAttachment: Record<string, any> }>('ecs', '/v1/{project_id}/cloudservers/{server_id}/block_device/{id}', { server_id: serverId, id: v.id });
        expect(typeof volumeAttachment.bootIndex).toBe('number');
      }
    });

    it('delete: the job ends SUCCESS, then waitForServerTargetState sees only ACTIVE or SHUTOFF until DELETED or 404', async () => {
      const { serverId } = await providerServer();
      const { job_id } = await api().request<{ job_id: string }>('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/delete', body: { servers: [{ id: serverId }], delete_publicip: false, delete_volume: true } });
      await waitEcsJob(job_id);
      const seen = await providerWait(ctx.clock, async () => {
        try {
          return (await get<{ server: { status: string } }>('ecs', '/v1/{project_id}/cloudservers/{id}', { id: serverId })).server.status;
        } catch (err) {
          if (status(err) === 404) return 'DELETED';
          throw err;
        }
      }, { delayMs: 5_000, intervalMs: 5_000, timeoutMs: 30 * 60_000, pending: ['ACTIVE', 'SHUTOFF'], target: ['DELETED', 'SOFT_DELETED'] });
      expect(seen.at(-1)).toBe('DELETED');
    });
  });

  describe('huaweicloud_compute_eip_associate', () => {
    it('eipAssociateRefreshFunc: after PUT port_id, the server lists the EIP as floating; the EIP list by address finds exactly it; an unbind drops it', async () => {
      const { serverId, server } = await providerServer();
      // A second EIP, bound afterwards (the buyer template's way): not the one the server was created with.
      const eip = await api().request<{ publicip: { id: string; public_ip_address: string } }>('eip', REGION, { method: 'POST', path: '/v1/{project_id}/publicips', body: { publicip: { type: '5_bgp' }, bandwidth: { name: 'bw-assoc', size: 5, share_type: 'PER', charge_mode: 'traffic' } } });
      ctx.clock.advance(DEFAULT_DURATIONS.shortJobMs);
      const address = eip.publicip.public_ip_address;
      // The server's first fixed address gives the port (getComputeInstancePortIDbyFixedIP).
      const fixed = (Object.values(server.addresses).flat() as Record<string, any>[]).find((a) => a['OS-EXT-IPS:type'] === 'fixed')!;
      const portId = fixed['OS-EXT-IPS:port_id'];
      const found = await get<{ publicips: { id: string }[] }>('eip', '/v1/{project_id}/publicips', {}, { enterprise_project_id: 'all_granted_eps', public_ip_address: address });
      expect(found.publicips.map((p) => p.id)).toEqual([eip.publicip.id]);
      await api().request('eip', REGION, { method: 'PUT', path: '/v1/{project_id}/publicips/{id}', params: { id: eip.publicip.id }, body: { publicip: { port_id: portId } } });
      const floating = async () => {
        const s = (await get<{ server: Record<string, any> }>('ecs', '/v1/{project_id}/cloudservers/{id}', { id: serverId })).server;
        return (Object.values(s.addresses).flat() as Record<string, any>[]).some((a) => a['OS-EXT-IPS:type'] === 'floating' && a.addr === address) ? 'COMPLETED' : 'PENDING';
      };
      await providerWait(ctx.clock, floating, { delayMs: 5_000, intervalMs: 5_000, timeoutMs: 10 * 60_000, pending: ['PENDING'], target: ['COMPLETED'] });
      // Read: exactly one EIP with that address, bound to the port.
      const bound = await get<{ publicips: { port_id: string }[] }>('eip', '/v1/{project_id}/publicips', {}, { enterprise_project_id: 'all_granted_eps', public_ip_address: address });
      expect(bound.publicips.map((p) => p.port_id)).toEqual([portId]);
      // Delete: the unbind body has no port_id at all (UpdateOpts omitempty).
      await api().request('eip', REGION, { method: 'PUT', path: '/v1/{project_id}/publicips/{id}', params: { id: eip.publicip.id }, body: { publicip: {} } });
      ctx.clock.advance(DEFAULT_DURATIONS.shortJobMs);
      expect(await floating()).toBe('PENDING');
    });
  });

  describe('huaweicloud_vpc_eip', () => {
    it('eipStatusRefreshFunc: DOWN or ACTIVE after create (never ERROR), its bandwidth resolves, and after DELETE a 404 ends the wait', async () => {
      const { publicip } = await api().request<{ publicip: { id: string } }>('eip', REGION, { method: 'POST', path: '/v1/{project_id}/publicips', body: { publicip: { type: '5_bgp' }, bandwidth: { name: 'bw', size: 5, share_type: 'PER', charge_mode: 'traffic' } } });
      let notFound = 0;
      const refresh = (targets: string[]) => async () => {
        try {
          const s = (await get<{ publicip: { status: string } }>('eip', '/v1/{project_id}/publicips/{id}', { id: publicip.id })).publicip.status;
          if (s === 'ERROR' || s === 'BIND_ERROR') return s;
          return targets.includes(s) ? 'COMPLETED' : 'PENDING';
        } catch (err) {
          if (status(err) !== 404) throw err;
          notFound++;
          return targets.length ? 'PENDING' : 'COMPLETED';
        }
      };
      await providerWait(ctx.clock, refresh(['DOWN', 'ACTIVE']), { delayMs: 5_000, intervalMs: 10_000, timeoutMs: 10 * 60_000, pending: ['PENDING'], target: ['COMPLETED'] });
      expect(notFound).toBeLessThanOrEqual(3);
      const { publicip: read } = await get<{ publicip: { bandwidth_id: string; bandwidth_size: number; ip_version: number } }>('eip', '/v1/{project_id}/publicips/{id}', { id: publicip.id });
      expect(Number.isInteger(read.bandwidth_size)).toBe(true);
      expect(Number.isInteger(read.ip_version)).toBe(true);
      await get('eip', '/v1/{project_id}/bandwidths/{id}', { id: read.bandwidth_id });
      await api().request('eip', REGION, { method: 'DELETE', path: '/v1/{project_id}/publicips/{id}', params: { id: publicip.id } });
      await providerWait(ctx.clock, refresh([]), { delayMs: 5_000, intervalMs: 10_000, timeoutMs: 5 * 60_000, pending: ['PENDING'], target: ['COMPLETED'] });
    });
  });

  describe('huaweicloud_ims_ecs_system_image and huaweicloud_images_image_copy', () => {
    it('capture and cross-region copy: each IMS job ends SUCCESS with entities.image_id, the image reads as `images[0]`, and deletes until the list is empty', async () => {
      const { serverId } = await providerServer();
      await api().request('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-stop': { type: 'SOFT', servers: [{ id: serverId }] } } });
      ctx.clock.advance(DEFAULT_DURATIONS.stopMs);
      const capture = await api().request<{ job_id: string }>('ims', REGION, { method: 'POST', path: '/v2/cloudimages/action', body: { name: 'Waits-V1.0', instance_id: serverId, description: 'waits', min_ram: 1024, image_tags: [{ key: 'image-factory-version', value: '1.0.0' }] } });
      const imageId = await waitImsJob(capture.job_id);
      expect(await readImage(imageId)).toMatchObject({ id: imageId, status: 'active', __data_origin: `instance,${serverId}` });

      const target = 'ap-southeast-2';
      const copy = await api().request<{ job_id: string }>('ims', REGION, { method: 'POST', path: '/v1/cloudimages/{image_id}/cross_region_copy', params: { image_id: imageId }, body: { name: 'Waits-V1.0', description: 'waits', region: target, project_name: target, agency_name: 'ims_agency' } });
      // The job is polled on the source region's IMS (the provider's client there).
      const copyId = await waitImsJob(copy.job_id);
      // Then the target region's client: tags, and the read.
      await api().request('ims', target, { method: 'POST', path: '/v2/{project_id}/images/{image_id}/tags/action', params: { image_id: copyId }, body: { action: 'create', tags: [{ key: 'image-factory-version', value: '1.0.0' }] } });
      expect(await readImage(copyId, target)).toMatchObject({ id: copyId, status: 'active', name: 'Waits-V1.0' });
      const { tags } = await get<{ tags: { key: string; value: string }[] }>('ims', '/v2/{project_id}/images/{image_id}/tags', { image_id: copyId }, undefined, target);
      expect(tags).toContainEqual({ key: 'image-factory-version', value: '1.0.0' });

      for (const [id, region] of [[copyId, target], [imageId, REGION]] as const) {
        await api().request('ims', region, { method: 'DELETE', path: '/v2/images/{id}', params: { id } });
        await providerWait(ctx.clock, async () => ((await readImage(id, region)) ? 'PENDING' : 'COMPLETED'), { delayMs: 5_000, intervalMs: 3_000, timeoutMs: 3 * 60_000, pending: ['PENDING'], target: ['COMPLETED'] });
      }
    });

    it('the images data source pages with `marker` until an empty page (a server that ignored it would loop the provider forever)', async () => {
      const seen: string[] = [];
      let marker: string | undefined;
      for (let page = 0; page < 50; page++) {
        const { images } = await get<{ images: { id: string }[] }>('ims', '/v2/cloudimages', {}, { status: 'active', enterprise_project_id: 'all_granted_eps', __imagetype: 'gold', ...(marker ? { marker } : {}) });
        if (!images.length) break;
        seen.push(...images.map((i) => i.id));
        marker = images.at(-1)!.id;
      }
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen).size).toBe(seen.length);
    });
  });

  describe('huaweicloud_vpc, huaweicloud_vpc_subnet, huaweicloud_networking_secgroup(_rule)', () => {
    it('waitForVpcActive and waitForVpcSubnetActive: CREATING then OK, then ACTIVE; v3 reads answer; deletes retry on 409 until a GET answers 404', async () => {
      const { vpc } = await api().request<{ vpc: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name: 'waits', cidr: '10.20.0.0/16' } } });
      const vpcStates = await providerWait(ctx.clock, async () => {
        const s = (await get<{ vpc: { status: string } }>('vpc', '/v1/{project_id}/vpcs/{id}', { id: vpc.id })).vpc.status;
        return s === 'OK' ? 'ACTIVE' : s;
      }, { delayMs: 5_000, intervalMs: 3_000, timeoutMs: 10 * 60_000, pending: ['CREATING'], target: ['ACTIVE'] });
      expect(vpcStates.at(-1)).toBe('ACTIVE');
      expect((await get<{ vpc: { extend_cidrs?: unknown[] } }>('vpc', '/v3/{project_id}/vpc/vpcs/{id}', { id: vpc.id })).vpc).toBeDefined();

      const { subnet } = await api().request<{ subnet: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/subnets', body: { subnet: { name: 'waits', cidr: '10.20.1.0/24', gateway_ip: '10.20.1.1', vpc_id: vpc.id, dhcp_enable: true } } });
      await providerWait(ctx.clock, async () => {
        const s = (await get<{ subnet: { status: string } }>('vpc', '/v1/{project_id}/subnets/{id}', { id: subnet.id })).subnet.status;
        return s === 'ACTIVE' ? 'ACTIVE' : s === 'DOWN' || s === 'ERROR' ? s : 'UNKNOWN';
      }, { delayMs: 5_000, intervalMs: 5_000, timeoutMs: 5 * 60_000, pending: ['UNKNOWN'], target: ['ACTIVE'] });

      const { security_group: sg } = await api().request<{ security_group: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v3/{project_id}/vpc/security-groups', body: { security_group: { name: 'waits' } } });
      await get('vpc', '/v1/{project_id}/security-groups/{id}', { id: sg.id });
      const { security_group_rule: rule } = await api().request<{ security_group_rule: { id: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/security-group-rules', body: { security_group_rule: { security_group_id: sg.id, direction: 'egress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_ip_prefix: '0.0.0.0/0' } } });
      await get('vpc', '/v1/{project_id}/security-group-rules/{id}', { id: rule.id });

      /** The provider's delete loops: GET (404 ends it), then DELETE (404 ends it, `retry` statuses poll again). */
      const deleteLoop = (getPath: string, deletePath: string, params: Record<string, string>, retry: number[]) => async () => {
        try {
          await get('vpc', getPath, params);
        } catch (err) {
          if (status(err) === 404) return 'DELETED';
          throw err;
        }
        try {
          await api().request('vpc', REGION, { method: 'DELETE', path: deletePath, params });
          return 'ACTIVE';
        } catch (err) {
          if (status(err) === 404) return 'DELETED';
          if (retry.includes(status(err)!)) return 'ACTIVE';
          throw err;
        }
      };
      const loop = { delayMs: 5_000, intervalMs: 3_000, timeoutMs: 10 * 60_000, pending: ['ACTIVE'], target: ['DELETED'] };
      // A VPC with a subnet answers 409, which waitForVpcDelete polls through; deleted out of order here on purpose.
      const inUse = await api().request('vpc', REGION, { method: 'DELETE', path: '/v1/{project_id}/vpcs/{id}', params: { id: vpc.id } }).catch((e) => e);
      expect(status(inUse)).toBe(409);
      await providerWait(ctx.clock, deleteLoop('/v1/{project_id}/security-group-rules/{id}', '/v1/{project_id}/security-group-rules/{id}', { id: rule.id }, []), loop);
      await providerWait(ctx.clock, deleteLoop('/v1/{project_id}/security-groups/{id}', '/v1/{project_id}/security-groups/{id}', { id: sg.id }, [409]), loop);
      await providerWait(ctx.clock, deleteLoop('/v1/{project_id}/subnets/{id}', `/v1/{project_id}/vpcs/${vpc.id}/subnets/{id}`, { id: subnet.id }, [409, 500]), loop);
      await providerWait(ctx.clock, deleteLoop('/v1/{project_id}/vpcs/{id}', '/v1/{project_id}/vpcs/{id}', { id: vpc.id }, [409]), loop);
    });
  });
});
