/** The emulator's ECS through the project's real signed client: lifecycle, jobs, flavors, AZs, tags, console. */
import { describe, expect, it } from 'vitest';
import { parseConsole } from '../../stacks/guest/protocol.js';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { createServer, nginxUserData, publicImageId, REGION, emulatorWithNetwork } from './compute-fixtures.js';

describe('emulator ECS', () => {
  const ctx = emulatorWithNetwork();

  const show = (id: string) => ctx.emu.api().request<{ server: Record<string, any> }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}', params: { id } }).then((r) => r.server);
  const job = (id: string) => ctx.emu.api().request<Record<string, any>>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/jobs/{id}', params: { id } });
  const consoleOf = (id: string, length = 500) => ctx.emu.api().request<{ output: string }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}/console-output', params: { id }, query: { length } }).then((r) => r.output);

  it('creates a server BUILD, then ACTIVE with the job naming it as GetJobEntity reads it; the guest boots and powers off SHUTOFF', async () => {
    const { jobId, serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: await nginxUserData('build') });
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    const building = await show(serverId);
    expect(building).toMatchObject({ status: 'BUILD', 'OS-EXT-STS:task_state': 'spawning', flavor: { id: 's6.large.2', vcpus: '2', ram: '4096' }, 'OS-EXT-AZ:availability_zone': 'ap-southeast-3a' });
    expect(building.tags).toEqual(['image-factory-build=manual', 'image-factory-product=nginx']);
    expect(building.addresses[ctx.net.vpcId].map((a: any) => a['OS-EXT-IPS:type'])).toEqual(['fixed', 'floating']);
    expect((await job(jobId)).status).toBe('RUNNING');
    expect(await consoleOf(serverId)).toBe('');

    ctx.clock.advance(DEFAULT_DURATIONS.serverCreateMs);
    const j = await job(jobId);
    expect(j).toMatchObject({ status: 'SUCCESS', job_type: 'createServer', entities: { sub_jobs_total: 1 } });
    expect(j.entities.sub_jobs[0].entities.server_id).toBe(serverId);
    const active = await show(serverId);
    expect(active.status).toBe('ACTIVE');
    expect(active['os-extended-volumes:volumes_attached']).toEqual([expect.objectContaining({ bootIndex: '0', device: '/dev/vda' })]);
    expect(active['OS-EXT-SRV-ATTR:user_data']).toBe(await nginxUserData('build'));

    ctx.clock.advance(3 * 3600_000);
    expect((await show(serverId)).status).toBe('SHUTOFF');
    expect(parseConsole(await consoleOf(serverId)).result).toEqual({ event: 'result', result: 'success' });
  });

  it('stops a server with os-stop (a job; SHUTOFF after stopMs, the guest prints its shutdown) and starts it again', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net);
    ctx.clock.advance(DEFAULT_DURATIONS.serverCreateMs + 1000);
    expect((await show(serverId)).status).toBe('ACTIVE');
    const stop = await ctx.emu.api().request<{ job_id: string }>('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-stop': { type: 'SOFT', servers: [{ id: serverId }] } } });
    expect((await show(serverId))['OS-EXT-STS:task_state']).toBe('powering-off');
    ctx.clock.advance(DEFAULT_DURATIONS.stopMs);
    expect((await job(stop.job_id)).status).toBe('SUCCESS');
    expect((await show(serverId)).status).toBe('SHUTOFF');
    expect(await consoleOf(serverId)).toMatch(/reboot: Power down\n$/);
    await ctx.emu.api().request('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-start': { servers: [{ id: serverId }] } } });
    ctx.clock.advance(DEFAULT_DURATIONS.stopMs);
    expect((await show(serverId)).status).toBe('ACTIVE');
  });

  it('deletes a server: it keeps its status while the job runs, then answers 404 Ecs.0114; its port and EIP go with it', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net);
    ctx.clock.advance(DEFAULT_DURATIONS.serverCreateMs);
    const del = await ctx.emu.api().request<{ job_id: string }>('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/delete', body: { servers: [{ id: serverId }], delete_publicip: true, delete_volume: true } });
    expect(await show(serverId)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'deleting' });
    ctx.clock.advance(DEFAULT_DURATIONS.serverDeleteMs);
    expect((await job(del.job_id)).status).toBe('SUCCESS');
    const err = await show(serverId).catch((e) => e);
    expect([err.status, err.code]).toEqual([404, 'Ecs.0114']);
    const state = await ctx.emu.state();
    expect(Object.values(state.resources[REGION].ports ?? {})).toEqual([]);
    expect(state.resources[REGION].publicips[ctx.net.eipId]).toBeUndefined();
  });

  it('refuses a flavor sold out in the AZ, places it in another AZ when none is asked for, and refuses unknown images and subnets', async () => {
    await ctx.emu.config({ soldOut: { [REGION]: { 's6.large.2': ['ap-southeast-3a'] } } });
    const err = await createServer(ctx.emu.api(), ctx.net, { az: 'ap-southeast-3a' }).catch((e) => e);
    expect([err.status, err.code]).toEqual([400, 'Ecs.0039']);
    const { serverId } = await createServer(ctx.emu.api(), ctx.net);
    expect((await show(serverId))['OS-EXT-AZ:availability_zone']).toBe('ap-southeast-3b');
    await ctx.emu.config({ soldOut: { [REGION]: { 's6.large.2': ['*'] } } });
    expect((await createServer(ctx.emu.api(), ctx.net).catch((e) => e)).code).toBe('Ecs.0039');
    expect((await createServer(ctx.emu.api(), ctx.net, { flavor: 'x9.huge.8' }).catch((e) => e)).status).toBe(400);
    expect((await createServer(ctx.emu.api(), ctx.net, { imageId: '00000000-0000-4000-8000-000000000000', flavor: 's7.large.2' }).catch((e) => e)).code).toBe('Ecs.0024');
    expect((await createServer(ctx.emu.api(), { ...ctx.net, subnetId: 'nope' }, { flavor: 's7.large.2' }).catch((e) => e)).code).toBe('Ecs.0025');
    const arm = await publicImageId(ctx.emu.api(), 'Ubuntu 22.04 server 64bit with ARM');
    expect((await createServer(ctx.emu.api(), ctx.net, { imageId: arm, flavor: 's7.large.2' }).catch((e) => e)).code).toBe('Ecs.0030');
  });

  it('lists flavors with per-AZ sale status as preflight reads it, and three AZs per region', async () => {
    await ctx.emu.config({ soldOut: { [REGION]: { 'c7.large.2': ['ap-southeast-3b'], 't6.small.1': ['*'] } } });
    const { flavors } = await ctx.emu.api().request<{ flavors: any[] }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/flavors' });
    const byName = new Map(flavors.map((f) => [f.name, f]));
    expect(byName.get('s6.large.2')).toMatchObject({ vcpus: '2', ram: 4096, os_extra_specs: { 'cond:operation:status': 'normal' } });
    expect(byName.get('c7.large.2').os_extra_specs['cond:operation:az']).toBe('ap-southeast-3a(normal),ap-southeast-3b(sellout),ap-southeast-3c(normal)');
    expect(byName.get('t6.small.1').os_extra_specs['cond:operation:status']).toBe('sellout');
    const azs = await ctx.emu.api().request<{ availabilityZoneInfo: any[] }>('ecs', 'af-south-1', { method: 'GET', path: '/v2.1/{project_id}/os-availability-zone' });
    expect(azs.availabilityZoneInfo.map((z) => z.zoneName)).toEqual(['af-south-1a', 'af-south-1b', 'af-south-1c']);
  });

  it('changes tags and finds servers by tag with the filter API, as sweep does', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net);
    await createServer(ctx.emu.api(), ctx.net, { name: 'other', tags: { team: 'web' } });
    await ctx.emu.api().request('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/{id}/tags/action', params: { id: serverId }, body: { action: 'create', tags: [{ key: 'image-factory-expires', value: '20261130T230936Z' }] } });
    await ctx.emu.api().request('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/{id}/tags/action', params: { id: serverId }, body: { action: 'delete', tags: [{ key: 'image-factory-product', value: 'nginx' }] } });
    const tags = await ctx.emu.api().request<{ tags: unknown[] }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}/tags', params: { id: serverId } });
    expect(tags.tags).toEqual([{ key: 'image-factory-build', value: 'manual' }, { key: 'image-factory-expires', value: '20261130T230936Z' }]);
    const filter = (body: Record<string, unknown>) => ctx.emu.api().request<{ resources?: any[]; total_count: number }>('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/resource_instances/action', body });
    const hit = await filter({ action: 'filter', limit: '1000', offset: '0', tags: [{ key: 'image-factory-expires', values: [] }] });
    expect(hit.resources!.map((r) => [r.resource_id, r.resource_name])).toEqual([[serverId, 'nginx-builder-manual']]);
    expect((await filter({ action: 'count', tags: [{ key: 'team', values: ['web'] }] })).total_count).toBe(1);
    expect((await filter({ action: 'count', tags: [{ key: 'team', values: ['db'] }] })).total_count).toBe(0);
  });

  it('lists servers in detail with the filters the provider uses, and serves metadata, the block device and the EVS volume', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net);
    await createServer(ctx.emu.api(), ctx.net, { name: 'nginx-tester-manual' });
    const list = await ctx.emu.api().request<{ count: number; servers: any[] }>('ecs', REGION, { method: 'GET', path: '/v1.1/{project_id}/cloudservers/detail', query: { name: 'nginx-builder', limit: 10 } });
    expect(list.servers.map((s) => s.id)).toEqual([serverId]);
    const meta = await ctx.emu.api().request<{ metadata: Record<string, string> }>('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/{id}/metadata', params: { id: serverId }, body: { metadata: { owner: 'factory' } } });
    expect(meta.metadata).toEqual({ owner: 'factory' });
    expect((await show(serverId)).metadata.owner).toBe('factory');
    const volumeId = (await show(serverId))['os-extended-volumes:volumes_attached'][0].id;
    const bd = await ctx.emu.api().request<{ volumeAttachment: any }>('ecs', REGION, { method: 'GET', path: '/v1/{project_id}/cloudservers/{id}/block_device/{v}', params: { id: serverId, v: volumeId } });
    expect(bd.volumeAttachment).toMatchObject({ bootIndex: 0, size: 40, serverId });
    const vol = await ctx.emu.api().request<{ volume: any }>('ecs', REGION, { method: 'GET', path: '/v2/{project_id}/cloudvolumes/{v}', params: { v: volumeId } });
    expect(vol.volume).toMatchObject({ size: 40, volume_type: 'GPSSD', bootable: 'true' });
  });

  it('answers console output in the Nova form too, and a failed create job is rolled back: the server is gone, as the job reports', async () => {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net, { userData: await nginxUserData('test') });
    ctx.clock.advance(DEFAULT_DURATIONS.serverCreateMs + DEFAULT_DURATIONS.bootMs);
    const nova = await ctx.emu.api().request<{ output: string }>('ecs', REGION, { method: 'POST', path: '/v2.1/{project_id}/servers/{id}/action', params: { id: serverId }, body: { 'os-getConsoleOutput': { length: 3 } } });
    expect(nova.output.trimEnd().split('\n')).toHaveLength(3);
    expect(nova.output).toMatch(/IMAGE-FACTORY event=/);

    await ctx.emu.fault({ kind: 'job', jobType: 'createServer', region: REGION, code: 'Ecs.0010', message: 'insufficient capacity' });
    const failed = await createServer(ctx.emu.api(), ctx.net, { name: 'doomed' });
    ctx.clock.advance(DEFAULT_DURATIONS.serverCreateMs);
    expect(await job(failed.jobId)).toMatchObject({ status: 'FAIL', error_code: 'Ecs.0010' });
    expect(await show(failed.serverId).then(() => 'still there', (e) => e.status)).toBe(404);
  });
});
