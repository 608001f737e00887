/**
 * Reconcile before create, for what is billed and kept: the captured image and its copies. A
 * capture or a copy whose answer was lost (a 5xx after the call was applied, a timeout, a poll
 * that failed while the job went on) may have made its image anyway, outside any Terraform
 * state. Before a stage creates one again, and after a create fails, the build's images are
 * looked up (by the build's tag, and by name for copies, which are tagged only once their job
 * is done) and an existing one is adopted: an image is never captured or copied twice.
 */
import type { Clock } from './clock.js';
import type { ListedImage, PreflightClient } from '../cloud/types.js';

/** IMS image states that are on their way to `active` (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0702.html). */
const IN_PROGRESS = new Set(['queued', 'saving']);

export interface ImageLookup {
  readonly client: PreflightClient;
  readonly clock: Clock;
  readonly region: string;
  readonly buildId: string;
  /** Also the images of this name (copies, which get the build's tags only once done). */
  readonly name?: string;
  /** Images made before the build started are another build's, whatever their name. */
  readonly notBefore: number;
  readonly pollMs: number;
  /** How long an image still saving is waited for. @default 2 h */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
}

function candidates(images: readonly ListedImage[], lookup: ImageLookup): ListedImage[] {
  return images.filter((i) => i.status !== 'killed' && i.status !== 'deleted'
    && (i.createdAt === undefined || Date.parse(i.createdAt) >= lookup.notBefore - 60_000));
}

/**
 * The build's image in the region, once active; undefined when there is none (create it then).
 * An image still saving is waited for. Two candidates are refused: which one to keep is the
 * merchant's call, and both are named.
 */
export async function findBuildImage(lookup: ImageLookup): Promise<{ id: string; name: string } | undefined> {
  const deadline = lookup.clock.now() + (lookup.waitMs ?? 2 * 3600_000);
  for (;;) {
    const found = candidates(await lookup.client.findBuildImages(lookup.region, lookup.buildId, lookup.name), lookup);
    if (!found.length) return undefined;
    if (found.length > 1) {
      throw new Error(`${found.length} images of build ${lookup.buildId} in ${lookup.region} (${found.map((i) => `${i.id} ${i.status}`).join(', ')}): keep one, delete the others (IMS console, or \`hcloud IMS GlanceDeleteImage --cli-region=${lookup.region} --image_id=<id>\`), then resume`);
    }
    const [image] = found;
    if (image.status === 'active') return { id: image.id, name: image.name };
    if (!IN_PROGRESS.has(image.status) || lookup.clock.now() >= deadline) {
      throw new Error(`image ${image.id} of build ${lookup.buildId} in ${lookup.region} is ${image.status}, not active; delete it, then resume`);
    }
    await lookup.clock.sleep(lookup.pollMs, lookup.signal);
  }
}
