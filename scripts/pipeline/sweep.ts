/**
 * Sweep: deletes temporary resources left by crashed or killed builds. A resource goes when
 * its build-ID tag belongs to no running build (no live lock on a checkpoint with that ID) and
 * its expiry tag has passed. Resources without a readable expiry are never touched.
 */
import { TAG, parseCompactTime } from '../../stacks/definition/tags.js';
import { DELETE_ORDER, type ResourceSweeper, type TaggedResource } from '../cloud/types.js';
import type { CheckpointStore } from './checkpoint.js';
import { systemClock, type Clock } from './clock.js';

export interface SweepDecision {
  readonly resource: TaggedResource;
  readonly action: 'delete' | 'keep';
  readonly reason: string;
  deleted?: boolean;
  error?: string;
}

function runningBuildIds(store: CheckpointStore): Set<string> {
  const ids = new Set<string>();
  for (const cp of store.list()) {
    const holder = store.lockHolder(cp.image, cp.version);
    if (holder) ids.add(holder.buildId);
  }
  return ids;
}

function decide(resource: TaggedResource, running: ReadonlySet<string>, now: Date): SweepDecision {
  const buildId = resource.tags[TAG.buildId];
  const expires = resource.tags[TAG.expiresAt] ? parseCompactTime(resource.tags[TAG.expiresAt]) : undefined;
  if (!expires) return { resource, action: 'keep', reason: 'no expiry tag (not a temporary resource)' };
  if (buildId && running.has(buildId)) return { resource, action: 'keep', reason: `build ${buildId} is running` };
  if (expires.getTime() > now.getTime()) return { resource, action: 'keep', reason: `expires ${expires.toISOString()}` };
  return { resource, action: 'delete', reason: `build ${buildId ?? '?'} is not running and expired ${expires.toISOString()}` };
}

export interface SweepOptions {
  readonly sweeper: ResourceSweeper;
  readonly regions: readonly string[];
  readonly store: CheckpointStore;
  readonly now: Date;
  readonly dryRun: boolean;
  readonly onDecision?: (d: SweepDecision) => void;
  readonly onRegionError?: (region: string, message: string) => void;
  /** For the wait until deleted servers are gone. @default systemClock */
  readonly clock?: Clock;
  /** How long deleted servers may take to disappear before their network is tried anyway. @default 10 min */
  readonly serverGoneTimeoutMs?: number;
  /** @default 5 s */
  readonly pollIntervalMs?: number;
}

/**
 * Deletes in dependency order, per region: servers first, then (ECS deletion being
 * asynchronous) waits until they are gone, then EIPs, security groups, subnets and VPCs. One
 * resource that cannot be deleted is reported and the others are still tried.
 */
export async function sweep(opts: SweepOptions): Promise<SweepDecision[]> {
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
    for (const type of DELETE_ORDER) {
      const batch = decisions.filter((d) => d.resource.type === type);
      for (const d of batch) {
        if (d.action !== 'delete' || opts.dryRun) continue;
        try {
          await opts.sweeper.deleteResource(d.resource);
          d.deleted = true;
        } catch (err) {
          d.error = (err as Error).message;
        }
      }
      if (type === 'ecs') await waitForServers(opts, batch.filter((d) => d.deleted));
      for (const d of batch) {
        opts.onDecision?.(d);
        all.push(d);
      }
    }
  }
  return all;
}

/** Polls deleted servers until they are gone; one still there at the deadline is reported. */
async function waitForServers(opts: SweepOptions, deleted: SweepDecision[]): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const timeout = opts.serverGoneTimeoutMs ?? 600_000;
  const poll = opts.pollIntervalMs ?? 5_000;
  const until = clock.now() + timeout;
  let waiting = deleted;
  for (;;) {
    const still: SweepDecision[] = [];
    for (const d of waiting) {
      try {
        if (!(await opts.sweeper.serverGone(d.resource))) still.push(d);
      } catch {
        // A failed status read is retried on the next poll.
        still.push(d);
      }
    }
    waiting = still;
    if (!waiting.length) return;
    if (clock.now() >= until) break;
    await clock.sleep(Math.min(poll, Math.max(1, until - clock.now())));
  }
  for (const d of waiting) {
    d.deleted = false;
    d.error = `deletion requested, but the server was still there after ${Math.round(timeout / 1000)} s; its network may fail to delete now, run sweep again later`;
  }
}
