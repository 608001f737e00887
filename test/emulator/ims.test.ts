/** The emulator's IMS through the real signed client: public images, capture from a stopped server, quota, tags, copies. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { createServer, REGION, emulatorWithNetwork } from './compute-fixtures.js';

const D = DEFAULT_DURATIONS;

describe('emulator IMS', () => {
  const ctx = emulatorWithNetwork();

  const list = (query: Record<string, string | number>, region = REGION) => ctx.emu.api().request<{ images: any[] }>('ims', region, { method: 'GET', path: '/v2/cloudimages', query }).then((r) => r.images);
  const job = (id: string, region = REGION) => ctx.emu.api().request<Record<string, any>>('ims', region, { method: 'GET', path: '/v1/{project_id}/jobs/{id}', params: { id } });
  const capture = (serverId: string, name = 'Nginx Web Server-V1.0') => ctx.emu.api().request<{ job_id: string }>('ims', REGION, {
    method: 'POST', path: '/v2/cloudimages/action', body: { name, instance_id: serverId, description: 'Nginx', min_ram: 1024, image_tags: [{ key: 'image-factory-version', value: '1.0.0' }] },
  });

  /** A builder that has run and been stopped. */
  async function stoppedServer(): Promise<string> {
    const { serverId } = await createServer(ctx.emu.api(), ctx.net);
    ctx.clock.advance(D.serverCreateMs);
    await ctx.emu.api().request('ecs', REGION, { method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-stop': { type: 'SOFT', servers: [{ id: serverId }] } } });
    ctx.clock.advance(D.stopMs);
    return serverId;
  }

  async function activeImage(): Promise<string> {
    const { job_id } = await capture(await stoppedServer());
    ctx.clock.advance(D.captureMs);
    return (await job(job_id)).entities.image_id;
  }

  it('lists the public images with the builder data source\'s filters (name, architecture, visibility) and the ones the provider adds', async () => {
    const hits = await list({ status: 'active', enterprise_project_id: 'all_granted_eps', name: 'Ubuntu 22.04 server 64bit', __imagetype: 'gold', architecture: 'x86' });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ __platform: 'Ubuntu', __support_arm: 'false', visibility: 'public', min_disk: 40, __os_version: 'Ubuntu 22.04 server 64bit' });
    expect(hits[0].updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const arm = await list({ __imagetype: 'gold', architecture: 'arm' });
    expect(arm.length).toBeGreaterThanOrEqual(3);
    expect(arm.every((i) => i.__support_arm === 'true')).toBe(true);
    expect((await list({ __platform: 'Huawei Cloud EulerOS', __imagetype: 'gold' })).map((i) => i.name)).toEqual(['Huawei Cloud EulerOS 2.0 Standard 64 bit with ARM', 'Huawei Cloud EulerOS 2.0 Standard 64 bit']);
    const page1 = await list({ __imagetype: 'gold', sort_key: 'name', sort_dir: 'asc', limit: 3 });
    const page2 = await list({ __imagetype: 'gold', sort_key: 'name', sort_dir: 'asc', limit: 3, marker: page1[2].id });
    expect([...page1, ...page2].map((i) => i.name)).toEqual([...[...page1, ...page2].map((i) => i.name)].sort());
    expect(await list({ __imagetype: 'private' })).toEqual([]);
    expect((await list({ __imagetype: 'gold' }, 'af-south-1')).length).toBe(8);
    // The Chinese mainland site names its Huawei Cloud EulerOS images in Chinese and has no Debian.
    expect((await list({ __platform: 'Huawei Cloud EulerOS', __imagetype: 'gold' }, 'cn-north-4')).map((i) => i.name).sort()).toEqual(['Huawei Cloud EulerOS 2.0 标准版 64位', 'Huawei Cloud EulerOS 2.0 标准版 64位 ARM版']);
    expect(await list({ __platform: 'Debian', __imagetype: 'gold' }, 'cn-north-4')).toEqual([]);
  });

  it('captures an image only from a SHUTOFF server (IMG.0008 otherwise): queued, saving, then active with the job\'s entities.image_id', async () => {
    const { serverId: running } = await createServer(ctx.emu.api(), ctx.net, { name: 'running' });
    ctx.clock.advance(D.serverCreateMs);
    const err = await capture(running).catch((e) => e);
    expect([err.status, err.code]).toEqual([400, 'IMG.0008']);
    expect((await capture('no-such-server').catch((e) => e)).code).toBe('IMG.0005');

    const { job_id } = await capture(await stoppedServer());
    const [queued] = await list({ __imagetype: 'private' });
    expect(queued.status).toBe('queued');
    ctx.clock.advance(1000);
    expect((await list({ __imagetype: 'private' }))[0].status).toBe('saving');
    expect((await job(job_id)).status).toBe('RUNNING');
    ctx.clock.advance(D.captureMs);
    const done = await job(job_id);
    expect(done.status).toBe('SUCCESS');
    const [image] = await list({ id: done.entities.image_id });
    expect(image).toMatchObject({ status: 'active', __imagetype: 'private', name: 'Nginx Web Server-V1.0', min_ram: 1024, __platform: 'Ubuntu' });
    const tags = await ctx.emu.api().request<{ tags: unknown[] }>('ims', REGION, { method: 'GET', path: '/v2/{project_id}/images/{id}/tags', params: { id: image.id } });
    expect(tags.tags).toEqual([{ key: 'image-factory-version', value: '1.0.0' }]);
  });

  it('counts private images against the quota: the quota API shows it and a capture over it is refused', async () => {
    await ctx.emu.config({ privateImageQuota: 1 });
    await activeImage();
    const quota = await ctx.emu.api().request<{ quotas: { resources: any[] } }>('ims', REGION, { method: 'GET', path: '/v1/cloudimages/quota' });
    expect(quota.quotas.resources).toEqual([expect.objectContaining({ type: 'image', used: 1, quota: 1 })]);
    const err = await capture(await stoppedServer(), 'second').catch((e) => e);
    expect([err.status, err.code]).toEqual([400, 'IMG.0198']);
  });

  it('changes, tags and deletes a private image the way the provider does', async () => {
    const id = await activeImage();
    const patch = (body: unknown) => ctx.emu.api().request('ims', REGION, { method: 'PATCH' as 'PUT', path: '/v2/cloudimages/{id}', params: { id }, body: body as Record<string, unknown> });
    await patch([{ op: 'replace', path: '/min_ram', value: 2048 }, { op: 'replace', path: '/name', value: 'renamed' }]);
    expect((await list({ id }))[0]).toMatchObject({ min_ram: 2048, name: 'renamed' });
    await ctx.emu.api().request('ims', REGION, { method: 'POST', path: '/v2/{project_id}/images/{id}/tags/action', params: { id }, body: { action: 'create', tags: [{ key: 'image-factory-product', value: 'nginx' }] } });
    expect((await list({ __imagetype: 'private', tag: 'image-factory-product=nginx' })).map((i) => i.id)).toEqual([id]);
    expect(await list({ __imagetype: 'private', tag: 'image-factory-product=other' })).toEqual([]);
    await ctx.emu.api().request('ims', REGION, { method: 'DELETE', path: '/v2/images/{id}', params: { id } });
    expect(await list({ id })).toEqual([]);
    expect((await ctx.emu.api().request('ims', REGION, { method: 'DELETE', path: '/v2/images/{id}', params: { id } }).catch((e) => e)).status).toBe(404);
  });

  it('copies across regions: the job runs in the source region, the copy appears untagged in the target, the agency must exist', async () => {
    const id = await activeImage();
    const copy = (region: string, agency = 'koogallery_ims_agency') => ctx.emu.api().request<{ job_id: string }>('ims', REGION, {
      method: 'POST', path: '/v1/cloudimages/{id}/cross_region_copy', params: { id }, body: { name: 'Nginx Web Server-V1.0', description: '', region, project_name: region, agency_name: agency },
    });
    expect((await copy('af-south-1', 'nope').catch((e) => e)).status).toBe(400);
    const { job_id } = await copy('af-south-1');
    ctx.clock.advance(D.copyMs as number);
    const done = await job(job_id);
    expect(done).toMatchObject({ status: 'SUCCESS', job_type: 'copyImage' });
    const [copied] = await list({ id: done.entities.image_id }, 'af-south-1');
    expect(copied).toMatchObject({ status: 'active', __imagetype: 'private' });
    const tags = await ctx.emu.api().request<{ tags: unknown[] }>('ims', 'af-south-1', { method: 'GET', path: '/v2/{project_id}/images/{id}/tags', params: { id: copied.id } });
    expect(tags.tags).toEqual([]);
  });

  it('runs at most copyConcurrency cross-region copies at once (the next is refused, IMG.0199), and an injected fault fails the copy to one region', async () => {
    const id = await activeImage();
    await ctx.emu.config({ durations: { copyMs: { 'af-south-1': 100_000, 'ap-southeast-2': 200_000 } } });
    await ctx.emu.fault({ kind: 'job', jobType: 'copyImage', region: 'ap-southeast-2', code: 'IMG.0103', message: 'replication to the target region failed' });
    const targets = ['af-south-1', 'ap-southeast-2', 'ap-southeast-1', 'cn-north-4', 'la-south-2'];
    const copy = (region: string) => ctx.emu.api().request<{ job_id: string }>('ims', REGION, {
      method: 'POST', path: '/v1/cloudimages/{id}/cross_region_copy', params: { id }, body: { name: 'n', region, project_name: region, agency_name: 'ims_agency' },
    });
    const jobs = await Promise.all(targets.map(copy));
    const err = await copy('sa-brazil-1').catch((e) => e);
    expect([err.status, err.code]).toEqual([400, 'IMG.0199']);
    ctx.clock.advance(100_000);
    expect((await job(jobs[0].job_id)).status).toBe('SUCCESS');
    await copy('sa-brazil-1');
    ctx.clock.advance(100_000);
    expect(await job(jobs[1].job_id)).toMatchObject({ status: 'FAIL', error_code: 'IMG.0103' });
    expect(await list({ __imagetype: 'private' }, 'ap-southeast-2')).toEqual([]);
  });

  it('copies within a region', async () => {
    const id = await activeImage();
    const { job_id } = await ctx.emu.api().request<{ job_id: string }>('ims', REGION, { method: 'POST', path: '/v1/cloudimages/{id}/copy', params: { id }, body: { name: 'copy' } });
    ctx.clock.advance(D.shortJobMs * 6);
    const done = await job(job_id);
    expect((await list({ id: done.entities.image_id }))[0]).toMatchObject({ name: 'copy', status: 'active' });
  });
});
