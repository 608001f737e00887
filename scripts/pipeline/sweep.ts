/**
 * Sweep: deletes temporary resources left by crashed or killed builds. A resource goes when
 * its build-ID tag belongs to no running build (no live lock on a checkpoint with that ID) and
 * its expiry tag has passed. Resources without a readable expiry are never touched.
 */
import { TAG, parseCompactTime } from '../../stacks/definition/tags.js';
import { DELETE_ORDER, type ResourceSweeper, type TaggedResource } from '../cloud/types.js';
import type { CheckpointStore } from './checkpoint.js';

export interface SweepDecision {
  readonly resource: TaggedResource;
  readonly action: 'delete' | 'keep';
  readonly reason: string;
  deleted?: boolean;
  error?: string;
}

export function runningBuildIds(store: CheckpointStore): Set<string> {
  const ids = new Set<string>();
  for (const cp of store.list()) {
    const holder = store.lockHolder(cp.image, cp.version);
    if (holder) ids.add(holder.buildId);
  }
  return ids;
}

export function decide(resource: TaggedResource, running: ReadonlySet<string>, now: Date): SweepDecision {
  const buildId = resource.tags[TAG.buildId];
  const expires = resource.tags[TAG.expiresAt] ? parseCompactTime(resource.tags[TAG.expiresAt]) : undefined;
  if (!expires) return { resource, action: 'keep', reason: 'no expiry tag (not a temporary resource)' };
  if (buildId && running.has(buildId)) return { resource, action: 'keep', reason: `build ${buildId} is running` };
  if (expires.getTime() > now.getTime()) return { resource, action: 'keep', reason: `expires ${expires.toISOString()}` };
  return { resource, action: 'delete', reason: `build ${buildId ?? '?'} is not running and expired ${expires.toISOString()}` };
}

export async function sweep(opts: { sweeper: ResourceSweeper; regions: readonly string[]; store: CheckpointStore; now: Date; dryRun: boolean; onDecision?: (d: SweepDecision) => void; onRegionError?: (region: string, message: string) => void }): Promise<SweepDecision[]> {
  const running = runningBuildIds(opts.store);
  const all: SweepDecision[] = [];
  for (const region of opts.regions) {
    let found: TaggedResource[];
    try {
      found = await opts.sweeper.listTagged(region, TAG.buildId);
    } catch (err) {
      // One region that cannot be listed (no project there, a rejected key) does not stop the others.
      opts.onRegionError?.(region, (err as Error).message);
      continue;
    }
    const decisions = found.map((r) => decide(r, running, opts.now))
      .sort((a, b) => DELETE_ORDER.indexOf(a.resource.type) - DELETE_ORDER.indexOf(b.resource.type));
    for (const d of decisions) {
      if (d.action === 'delete' && !opts.dryRun) {
        try {
          await opts.sweeper.deleteResource(d.resource);
          d.deleted = true;
        } catch (err) {
          d.error = (err as Error).message;
        }
      }
      opts.onDecision?.(d);
      all.push(d);
    }
  }
  return all;
}
