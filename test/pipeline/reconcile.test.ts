/**
 * Reconcile before create (issue 22, finding 3): a capture or a copy whose answer was lost
 * (the call was applied, the caller saw a 5xx) is found by the build's tag or its name and
 * adopted, never made twice; an adopted copy of an image that fails its test is deleted too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HuaweiSweeper } from '../../scripts/cloud/huawei-sweeper.js';
import { CheckpointStore } from '../../scripts/pipeline/checkpoint.js';
import { build, resume } from '../../scripts/pipeline/orchestrator.js';
import { untrackedImages } from '../../scripts/pipeline/sweep.js';
import { expectNoTemporaries, harness } from '../support/pipeline-harness.js';

const lost = (path: string, region?: string) => ({ kind: 'http' as const, service: 'ims', method: 'POST', path, region, status: 500, code: 'IMG.0500', message: 'internal error', afterApply: true, times: 1 });

describe('reconcile before create', () => {
  it('a capture whose answer was lost: the image it made is adopted, the build ends built with one image', async () => {
    const h = await harness({ definition: { targetRegions: [] } });
    h.fault(lost('/v2/cloudimages/action$'));
    const outcome = await build(h.options());
    expect(outcome.status === 'failed' ? outcome.error : outcome.status).toBe('built');
    if (outcome.status !== 'built') return;
    const images = await h.privateImages([h.image.spec.buildRegion]);
    expect(images).toHaveLength(1);
    expect(outcome.checkpoint.privateImage?.id).toBe(images[0].id);
    expect(h.progress.notes.join('\n')).toMatch(new RegExp(`adopted image ${images[0].id} ".*" in ap-southeast-3, made though its create failed`));
    await expectNoTemporaries(h);
  });

  it('a capture refused with a 5xx is tried again (nothing was made, nothing to adopt); refused three times, the build fails with no image', async () => {
    const once = await harness({ definition: { targetRegions: [] } });
    once.fault({ ...lost('/v2/cloudimages/action$'), afterApply: false });
    const built = await build(once.options());
    expect(built.status === 'failed' ? built.error : built.status).toBe('built');
    expect(once.progress.notes.join('\n')).toMatch(/the capture failed on a transient error \(.*HTTP 500 IMG\.0500 internal error.*\); trying again in 30 s \(attempt 2 of 3\)/);
    expect(await once.privateImages([once.image.spec.buildRegion])).toHaveLength(1);

    const always = await harness({ definition: { targetRegions: [] } });
    always.fault({ ...lost('/v2/cloudimages/action$'), afterApply: false, times: 3 });
    const outcome = await build(always.options());
    expect(outcome.status).toBe('failed');
    expect(await always.privateImages([always.image.spec.buildRegion])).toHaveLength(0);
    await expectNoTemporaries(always);
  });

  it('a copy whose answer was lost: resume adopts the copy it made instead of copying again', async () => {
    const h = await harness({ definition: { targetRegions: ['ap-southeast-2'] } });
    h.fault(lost('/cross_region_copy$'));
    const first = await build(h.options());
    // The copy job was still running when the failed apply looked: the region is failed for now.
    expect(first.status === 'failed' ? first.error : first.status).toBe('partial');
    await h.clock.sleep(6 * 3600_000);
    const again = await resume(h.options());
    expect(again.status).toBe('built');
    if (again.status !== 'built') return;
    const copies = await h.privateImages(['ap-southeast-2']);
    expect(copies).toHaveLength(1);
    expect(again.checkpoint.regions['ap-southeast-2']).toMatchObject({ status: 'done', imageId: copies[0].id, adopted: true });
    expect(h.copyJobs()).toHaveLength(1);
  });

  it('sweep names the factory images no checkpoint knows, with the command that deletes them, and deletes none', async () => {
    const h = await harness({ definition: { targetRegions: ['ap-southeast-2'] } });
    const outcome = await build(h.options());
    expect(outcome.status === 'failed' ? outcome.error : outcome.status).toBe('built');
    const sweeper = new HuaweiSweeper(h.api);
    const regions = ['ap-southeast-3', 'ap-southeast-2'];
    // The build's own checkpoint knows both images.
    expect(await untrackedImages({ sweeper, regions, store: h.store })).toEqual([]);
    // A folder without that checkpoint (another clone, a checkpoint deleted by hand) does not.
    const elsewhere = new CheckpointStore(join(h.dir, 'elsewhere'), h.dir);
    const untracked = await untrackedImages({ sweeper, regions, store: elsewhere });
    const images = await h.privateImages(regions);
    expect(untracked.map((u) => `${u.image.region} ${u.image.id}`).sort()).toEqual(images.map((i) => `${i.region} ${i.id}`).sort());
    expect(untracked[0].deleteCommand).toBe(`hcloud IMS GlanceDeleteImage --cli-region=${untracked[0].image.region} --image_id=${untracked[0].image.id}`);
    expect(await h.privateImages(regions)).toHaveLength(2);
  });

  it('a server create whose answer was lost: the failed run deletes the server no state holds, nothing is left', async () => {
    const h = await harness({ definition: { targetRegions: [] } });
    h.fault({ kind: 'http', service: 'ecs', method: 'POST', path: '/cloudservers$', status: 500, code: 'Ecs.0000', message: 'internal error', afterApply: true, times: 1 });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('failed');
    expect(h.progress.notes.join('\n')).toMatch(/deleted 1 resources of this build that no Terraform state held \(a create whose answer was lost\): ecs /);
    await expectNoTemporaries(h);
  });
});
