/**
 * The copies of one distribution: one job per region, started in the order asked (longest
 * expected first), at most `parallelism` at once (IMS runs 5 cross-region copies per tenant,
 * stacks/catalogue/ims-rules.ts). Each region is
 * reported when it starts and when it ends, with its own reason; one failing never stops the
 * others. Both deployers (Terraform, the emulator's applier) copy through it.
 */
import type { CopyRequest } from './types.js';

export type CopyResults = Record<string, { imageId?: string; error?: string }>;

/** `copyOne` makes one region's copy and returns its image ID, or throws with the reason. */
export async function copyEach(req: CopyRequest, copyOne: (region: string, signal?: AbortSignal) => Promise<string>): Promise<CopyResults> {
  const results: CopyResults = {};
  const queue = [...req.pending];
  const worker = async () => {
    for (let region = queue.shift(); region !== undefined; region = queue.shift()) {
      if (req.signal?.aborted || req.stopStarting?.aborted) return;
      req.onEvent({ region, status: 'start' });
      try {
        const imageId = await copyOne(region, req.signal);
        results[region] = { imageId };
        req.onEvent({ region, status: 'done', imageId });
      } catch (err) {
        // An interrupted copy is not a failed one: the run reports the interruption.
        if (req.signal?.aborted) return;
        const error = (err as Error).message || 'the copy failed';
        results[region] = { error };
        req.onEvent({ region, status: 'failed', error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(req.parallelism, req.pending.length)) }, worker));
  if (req.signal?.aborted) throw req.signal.reason;
  return results;
}

/**
 * Runs `destroyOne` for every region at once (deleting a copy is not limited like copying) and
 * returns the regions that failed, each with its reason; one failing never stops the others.
 */
export async function destroyEach(regions: readonly string[], destroyOne: (region: string) => Promise<void>): Promise<Record<string, string>> {
  const failed: Record<string, string> = {};
  await Promise.all(regions.map(async (region) => {
    try {
      await destroyOne(region);
    } catch (err) {
      failed[region] = (err as Error).message || 'the copy could not be deleted';
    }
  }));
  return failed;
}
