/**
 * IMS: Huawei's public images per region, private images captured from stopped servers, their
 * tags and quota, and copies within and across regions.
 *
 * Calls and shapes (the provider's in github.com/huaweicloud/terraform-provider-huaweicloud
 * huaweicloud/services/ims/: resource_huaweicloud_ims_ecs_system_image.go,
 * resource_huaweicloud_images_image_copy.go, data_source_huaweicloud_images_image.go):
 * - ListImages `GET /v2/cloudimages` (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0602.html)
 *   with id, name, status, visibility, __imagetype, __platform, __os_version, architecture,
 *   virtual_env_type, tag=key=value, sort_key/sort_dir, marker/limit. The provider reads a
 *   resource back with `?id=` and treats an empty list as deleted.
 * - CreateImage from a server `POST /v2/cloudimages/action` (ims_03_0603): {job_id}; the job's
 *   `entities.image_id` is what the provider reads. The server must be SHUTOFF (IMG.0008 "The
 *   ECS cannot be used to create images because it is not in stopped state", Huawei's IMS error
 *   table https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0402.html; newer docs also
 *   allow running servers, the factory always stops first). The image is queued, then saving,
 *   then active after durations.captureMs, and counts against account.config.privateImageQuota.
 * - UpdateImage `PATCH /v2/cloudimages/{id}` (JSON-patch list of {op, path, value}).
 * - DeleteImage `DELETE /v2/images/{id}` (Glance v2: 204).
 * - Tags `POST /v2/{project_id}/images/{id}/tags/action`, `GET /v2/{project_id}/images/{id}/tags`.
 * - Quota `GET /v1/cloudimages/quota` (ims_03_0701).
 * - CopyImageCrossRegion `POST /v1/cloudimages/{id}/cross_region_copy` (ims_03_0615): called
 *   in the source region, whose jobs API the provider then polls; the agency must exist. The
 *   copy appears in the target region when the job ends (durations.copyMs, per target region
 *   or one value) without the source's tags: the provider tags it afterwards through the target
 *   region's tags API (updateIMSImageTags on copiedRegionClient). A job fault with
 *   jobType copyImage and the TARGET region fails that copy.
 *   Concurrency: Huawei documents "each user can replicate a maximum of five images across
 *   regions at a time" (usermanual-ims ims_01_0332) without saying whether a sixth request is
 *   refused or queued. The emulator refuses it (400 IMG.0199, an emulator code: the published
 *   table names none), so a client that overruns the limit is seen to, rather than masked.
 * - CopyImageInRegion `POST /v1/cloudimages/{id}/copy` (ims_03_0614).
 */
import { ApiError } from '../errors.js';
import type { Account } from '../account.js';
import type { EmuContext, EmuRequest, Route } from '../types.js';
import { findImage, imageBody, seedPublicImages, type ImageRecord } from './compute/images.js';
import { applyTagAction, tagList } from './compute/tags.js';
import { serversOf } from './ecs.js';
import type { ServiceFactory } from './index.js';

const imageNotFound = (id: string) => new ApiError(404, 'IMG.0027', `The image ${id} does not exist.`);
/** Emulator codes where Huawei's public IMS table has none (documented in the report and above). */
const QUOTA_CODE = 'IMG.0198';
const COPY_LIMIT_CODE = 'IMG.0199';

const imagesOf = (account: Account, region: string) => account.collection<ImageRecord>(region, 'images');

function privateCount(account: Account, region: string): number {
  return Object.values(imagesOf(account, region)).filter((i) => i.imagetype === 'private' && i.status !== 'deleted').length;
}

function checkQuota(account: Account, region: string): void {
  if (privateCount(account, region) >= account.config.privateImageQuota) {
    throw new ApiError(400, QUOTA_CODE, `The private image quota of ${region} (${account.config.privateImageQuota}) is used up.`);
  }
}

function listImages(req: EmuRequest, ctx: EmuContext) {
  const q = req.query;
  let all = Object.values(imagesOf(ctx.account, req.region)).filter((i) => i.status !== 'deleted');
  const eq = (param: string, value: (i: ImageRecord) => string) => {
    const want = q.get(param);
    if (want !== null && want !== '') all = all.filter((i) => value(i) === want);
  };
  eq('id', (i) => i.id);
  eq('name', (i) => i.name);
  eq('status', (i) => i.status);
  eq('__imagetype', (i) => i.imagetype);
  eq('visibility', (i) => (i.imagetype === 'gold' ? 'public' : 'private'));
  eq('__platform', (i) => i.platform);
  eq('__os_version', (i) => i.osVersion);
  eq('architecture', (i) => (i.arm ? 'arm' : 'x86'));
  eq('__support_arm', (i) => String(i.arm));
  eq('virtual_env_type', () => 'FusionCompute');
  const tag = q.get('tag');
  if (tag) {
    const [k, ...rest] = tag.split('=');
    const v = rest.join('=');
    all = all.filter((i) => i.tags[k] !== undefined && (!rest.length || i.tags[k] === v));
  }
  const key = (q.get('sort_key') ?? 'created_at') as string;
  const dir = q.get('sort_dir') === 'asc' ? 1 : -1;
  const sortValue = (i: ImageRecord): string | number => (key === 'name' ? i.name : key === 'updated_at' ? i.updatedAt : key === 'min_disk' ? i.minDisk : key === 'min_ram' ? i.minRam : key === 'id' ? i.id : i.createdAt);
  all.sort((x, y) => (sortValue(x) < sortValue(y) ? -dir : sortValue(x) > sortValue(y) ? dir : x.id < y.id ? -1 : 1));
  const marker = q.get('marker');
  if (marker) {
    const at = all.findIndex((i) => i.id === marker);
    if (at < 0) throw new ApiError(400, 'IMG.0001', `marker ${marker} is not an image of this listing`);
    all = all.slice(at + 1);
  }
  const limit = Math.min(Number(q.get('limit') ?? 500), 1000);
  return { status: 200, body: { images: all.slice(0, limit).map((i) => imageBody(ctx.account, req.region, i)) } };
}

function captureImage(req: EmuRequest, ctx: EmuContext) {
  const body = req.json<{ name?: string; instance_id?: string; description?: string; min_ram?: number; max_ram?: number; image_tags?: { key: string; value: string }[]; tags?: string[] }>();
  if (!body.name) throw new ApiError(400, 'IMG.0001', 'name is required');
  if (!body.instance_id) throw new ApiError(400, 'IMG.0001', 'instance_id is required (only images from servers are emulated)');
  const server = serversOf(ctx.account, req.region)[body.instance_id];
  if (!server) throw new ApiError(400, 'IMG.0005', 'The ECS does not exist.');
  if (server.status !== 'SHUTOFF') throw new ApiError(400, 'IMG.0008', 'The ECS cannot be used to create images because it is not in stopped state.');
  checkQuota(ctx.account, req.region);
  const a = ctx.account;
  const id = a.newId();
  const source = findImage(a, req.region, server.imageId);
  const image: ImageRecord = {
    id, name: body.name, description: body.description ?? '', imagetype: 'private', status: 'queued', platform: source?.platform ?? 'Other',
    osVersion: source?.osVersion ?? 'Other Linux(64 bit)', arm: source?.arm ?? false, minDisk: server.volumes[0]?.size ?? 40, minRam: body.min_ram ?? 0,
    maxRam: String(body.max_ram ?? 0), sizeBytes: 3_221_225_472, createdAt: ctx.now, updatedAt: ctx.now, sourceServerId: server.id,
    tags: Object.fromEntries([...(body.image_tags ?? []).map((t) => [t.key, t.value]), ...(body.tags ?? []).map((t) => t.split('.', 2))]),
  };
  imagesOf(a, req.region)[id] = image;
  const job = ctx.jobs.start(ctx, { type: 'createImage', region: req.region, durationMs: a.config.durations.captureMs, payload: { imageId: id, serverId: server.id } });
  a.touch();
  return { status: 200, body: { job_id: job.job_id } };
}

function copyDuration(account: Account, target: string): number {
  const d = account.config.durations.copyMs;
  return typeof d === 'number' ? d : d[target] ?? Object.values(d)[0] ?? 600_000;
}

function runningCopies(ctx: EmuContext): number {
  return Object.values(ctx.account.data.jobs).filter((j) => j.job_type === 'copyImage' && j.payload.crossRegion && j.status === 'RUNNING').length;
}

function crossRegionCopy(req: EmuRequest, ctx: EmuContext) {
  const a = ctx.account;
  const source = findImage(a, req.region, req.params.image_id);
  if (!source || source.imagetype !== 'private') throw imageNotFound(req.params.image_id);
  if (source.status !== 'active') throw new ApiError(400, 'IMG.0028', `The image ${source.id} is not active (${source.status}).`);
  const body = req.json<{ name?: string; description?: string; region?: string; project_name?: string; agency_name?: string }>();
  if (!body.name) throw new ApiError(400, 'IMG.0001', 'name is required');
  if (!body.region || a.projectOf(body.region) === undefined) throw new ApiError(400, 'IMG.0001', `region ${body.region} is not a region of this account`);
  if (body.project_name !== body.region) throw new ApiError(400, 'IMG.0001', `project_name ${body.project_name} is not the project of region ${body.region}`);
  if (!body.agency_name || !a.config.agencies.includes(body.agency_name)) throw new ApiError(400, 'IMG.0001', `agency ${body.agency_name} does not exist`);
  if (runningCopies(ctx) >= a.config.copyConcurrency) {
    throw new ApiError(400, COPY_LIMIT_CODE, `At most ${a.config.copyConcurrency} images can be replicated across regions at a time; wait for a running replication to finish.`);
  }
  checkQuota(a, body.region);
  const job = ctx.jobs.start(ctx, {
    type: 'copyImage', region: req.region, faultRegion: body.region, durationMs: copyDuration(a, body.region),
    payload: { crossRegion: true, sourceId: source.id, sourceRegion: req.region, target: body.region, name: body.name, description: body.description ?? '' },
  });
  return { status: 200, body: { job_id: job.job_id } };
}

function inRegionCopy(req: EmuRequest, ctx: EmuContext) {
  const a = ctx.account;
  const source = findImage(a, req.region, req.params.image_id);
  if (!source || source.imagetype !== 'private') throw imageNotFound(req.params.image_id);
  const body = req.json<{ name?: string; description?: string }>();
  if (!body.name) throw new ApiError(400, 'IMG.0001', 'name is required');
  checkQuota(a, req.region);
  const job = ctx.jobs.start(ctx, {
    type: 'copyImage', region: req.region, durationMs: a.config.durations.shortJobMs * 6,
    payload: { crossRegion: false, sourceId: source.id, sourceRegion: req.region, target: req.region, name: body.name, description: body.description ?? '' },
  });
  return { status: 200, body: { job_id: job.job_id } };
}

function patchImage(req: EmuRequest, ctx: EmuContext) {
  const image = findImage(ctx.account, req.region, req.params.image_id);
  if (!image) throw imageNotFound(req.params.image_id);
  if (image.imagetype !== 'private') throw new ApiError(403, 'IMG.0045', 'public images cannot be changed');
  const ops = req.json<{ op: string; path: string; value?: unknown }[]>();
  if (!Array.isArray(ops)) throw new ApiError(400, 'IMG.0001', 'the body must be a JSON-patch list');
  for (const { op, path, value } of ops) {
    if (!['replace', 'add', 'remove'].includes(op)) throw new ApiError(400, 'IMG.0001', `op ${op} is not supported`);
    switch (path) {
      case '/name': image.name = String(value); break;
      case '/__description':
        // The provider retries with `add` on IMG.0035 when the image has no description yet.
        if (op === 'replace' && !image.description) throw new ApiError(400, 'IMG.0035', 'the image has no __description to replace; add it');
        image.description = op === 'remove' ? '' : String(value);
        break;
      case '/min_ram': image.minRam = Number(value); break;
      case '/max_ram': image.maxRam = String(value); break;
      case '/min_disk': image.minDisk = Number(value); break;
      default: throw new ApiError(400, 'IMG.0001', `path ${path} cannot be changed`);
    }
  }
  image.updatedAt = ctx.now;
  ctx.account.touch();
  return { status: 200, body: imageBody(ctx.account, req.region, image) };
}

const ims = (method: string, path: string, handler: Route['handler']): Route => ({ service: 'ims', method, path, handler });

export const imsService: ServiceFactory = (jobs, account) => {
  account.onNewRegion(seedPublicImages);

  jobs.register('createImage', (job, ctx) => {
    const image = imagesOf(ctx.account, job.region)[job.payload.imageId];
    if (!image) return { code: 'IMG.0027', message: 'the image was deleted while it was being created' };
    Object.assign(image, { status: 'active', activeAt: job.doneAt, updatedAt: job.doneAt });
    const server = serversOf(ctx.account, job.region)[job.payload.serverId];
    if (server) ctx.guest.capture?.(server, image.id, ctx);
    job.entities = { image_id: image.id };
  });
  jobs.register('createImage:failed', (job, ctx) => {
    delete imagesOf(ctx.account, job.region)[job.payload.imageId];
  });
  jobs.register('copyImage', (job, ctx) => {
    const { sourceId, sourceRegion, target, name, description } = job.payload;
    const source = imagesOf(ctx.account, sourceRegion)[sourceId];
    if (!source) return { code: 'IMG.0027', message: `the source image ${sourceId} was deleted during the copy` };
    const id = ctx.account.newId();
    imagesOf(ctx.account, target)[id] = {
      ...structuredClone(source), id, name, description, status: 'active', tags: {}, createdAt: job.doneAt, updatedAt: job.doneAt, activeAt: job.doneAt,
      sourceServerId: undefined, copiedFrom: sourceId,
    };
    job.entities = { image_id: id, ...(job.payload.crossRegion ? { region: target } : {}) };
  });

  const routes: Route[] = [
    ims('GET', '/v2/cloudimages', listImages),
    ims('POST', '/v2/cloudimages/action', captureImage),
    ims('PATCH', '/v2/cloudimages/{image_id}', patchImage),
    ims('DELETE', '/v2/images/{image_id}', (req, ctx) => {
      const image = findImage(ctx.account, req.region, req.params.image_id);
      if (!image) throw imageNotFound(req.params.image_id);
      if (image.imagetype !== 'private') throw new ApiError(403, 'IMG.0045', 'public images cannot be deleted');
      delete imagesOf(ctx.account, req.region)[image.id];
      ctx.account.touch();
      return { status: 204 };
    }),
    ims('POST', '/v2/{project_id}/images/{image_id}/tags/action', (req, ctx) => {
      const image = findImage(ctx.account, req.region, req.params.image_id);
      if (!image) throw imageNotFound(req.params.image_id);
      applyTagAction(image.tags, req.json(), 'IMG.0001');
      ctx.account.touch();
      return { status: 204 };
    }),
    ims('GET', '/v2/{project_id}/images/{image_id}/tags', (req, ctx) => {
      const image = findImage(ctx.account, req.region, req.params.image_id);
      if (!image) throw imageNotFound(req.params.image_id);
      return { status: 200, body: { tags: tagList(image.tags) } };
    }),
    ims('GET', '/v1/cloudimages/quota', (req, ctx) => ({
      status: 200, body: { quotas: { resources: [{ type: 'image', used: privateCount(ctx.account, req.region), quota: ctx.account.config.privateImageQuota, min: 1, max: 1000 }] } },
    })),
    ims('POST', '/v1/cloudimages/{image_id}/cross_region_copy', crossRegionCopy),
    ims('POST', '/v1/cloudimages/{image_id}/copy', inRegionCopy),
  ];

  return {
    routes,
    settle(ctx) {
      // queued -> saving once the capture has begun; active comes with the job's end.
      for (const [, image] of ctx.account.all<ImageRecord>('images')) {
        if (image.status === 'queued' && ctx.now > image.createdAt) {
          image.status = 'saving';
          ctx.account.touch();
        }
      }
    },
  };
};
