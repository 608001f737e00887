/**
 * The copy pool both deployers share: the order asked, at most `parallelism` at once, each
 * region's own end and reason as it happens, no failure stopping the others, and an interrupt
 * that starts nothing new.
 */
import { describe, expect, it } from 'vitest';
import { copyEach } from '../../scripts/cloud/copy-pool.js';
import { copyJobOf } from '../../scripts/cloud/terraform-deployer.js';
import type { CopyEvent } from '../../scripts/cloud/types.js';

/** A copy that ends when the test says so. */
function gate() {
  const waiting = new Map<string, { resolve: (id: string) => void; reject: (e: Error) => void }>();
  const copyOne = (region: string) => new Promise<string>((resolve, reject) => waiting.set(region, { resolve, reject }));
  return { waiting, copyOne };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('copyEach', () => {
  it('starts copies in the order asked, at most `parallelism` at once, and reports each end at once', async () => {
    const { waiting, copyOne } = gate();
    const events: CopyEvent[] = [];
    const done = copyEach({ sourceImageId: 'img', pending: ['a', 'b', 'c', 'd'], parallelism: 2, onEvent: (e) => events.push(e) }, copyOne);
    await tick();
    expect([...waiting.keys()]).toEqual(['a', 'b']);
    // b fails while a still runs: its reason is out at once, and c takes its place.
    waiting.get('b')!.reject(new Error('IMS copy job 42 to b failed: IMG.0185 replication failed'));
    await tick();
    expect(events.map((e) => `${e.region} ${e.status}`)).toEqual(['a start', 'b start', 'b failed', 'c start']);
    expect(events[2]).toEqual({ region: 'b', status: 'failed', error: 'IMS copy job 42 to b failed: IMG.0185 replication failed' });
    waiting.get('c')!.resolve('img-c');
    await tick();
    waiting.get('a')!.resolve('img-a');
    await tick();
    waiting.get('d')!.resolve('img-d');
    expect(await done).toEqual({ a: { imageId: 'img-a' }, b: { error: 'IMS copy job 42 to b failed: IMG.0185 replication failed' }, c: { imageId: 'img-c' }, d: { imageId: 'img-d' } });
    expect(events.map((e) => `${e.region} ${e.status}`)).toEqual(['a start', 'b start', 'b failed', 'c start', 'c done', 'd start', 'a done', 'd done']);
  });

  it('an interrupt starts nothing new, lets the running copies end and rethrows the reason', async () => {
    const { waiting, copyOne } = gate();
    const controller = new AbortController();
    const events: CopyEvent[] = [];
    const done = copyEach({ sourceImageId: 'img', pending: ['a', 'b', 'c'], parallelism: 2, signal: controller.signal, onEvent: (e) => events.push(e) }, copyOne);
    await tick();
    controller.abort(new Error('SIGINT'));
    waiting.get('a')!.reject(new Error('interrupted'));
    waiting.get('b')!.resolve('img-b');
    await expect(done).rejects.toThrow('SIGINT');
    expect([...waiting.keys()]).toEqual(['a', 'b']);
    // The interrupted copy is not reported as failed.
    expect(events.map((e) => `${e.region} ${e.status}`)).toEqual(['a start', 'b start', 'b done']);
  });
});

describe('copyJobOf', () => {
  it('finds the IMS job in the provider\'s copy error (resource_huaweicloud_images_image_copy.go), and nothing elsewhere', () => {
    expect(copyJobOf('error waiting for IMS image copy to complete: error waiting for IMS image copy job (ff80808288d41e1b018a5a1d2c8b2f4c) to succeed: the image copy job execution failed')).toBe('ff80808288d41e1b018a5a1d2c8b2f4c');
    expect(copyJobOf('error creating IMS image copy cross region: Bad request with: [POST ...], error message: {"error":{"code":"IMG.0199"}}')).toBeUndefined();
  });
});
