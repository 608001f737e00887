/**
 * Sweep: deletes temporary resources left by crashed or killed builds. A resource goes when
 * its build-ID tag belongs to no running build (no live lock on a checkpoint with that ID) and
 * its expiry tag has passed. Resources without a readable expiry are never touched. A damaged
 * checkpoint does not stop a sweep: whether its build runs is told by its lock, which names the
 * build; its resources are kept until they expire, as those of any stopped build.
 */
import { TAG, parseCompactTime } from '../../stacks/definition/tags.js';
import { DELETE_ORDER, type ResourceSweeper, type TaggedImage, type TaggedResource } from '../cloud/types.js';
import type { CheckpointStore, DamagedCheckpoint } from './checkpoint.js';
import { systemClock, type Clock } from './clock.js';

export interface SweepDecision {
  readonly resource: TaggedResource;
  readonly action: 'delete' | 'keep';
  readonly reason: string;
  deleted?: boolean;
  error?: string;
}

interface Running {
  /** Build IDs whose version's lock is held by a live process (or one on another host). */
  readonly ids: Set<string>;
  /** The damaged checkpoints, by "<image> <version>" (the resources' product and version tags). */
  readonly damaged: Map<string, DamagedCheckpoint>;
}

/**
 * The builds running now, from every held lock, damaged checkpoints and builds that wrote none
 * yet included: a lock names its build.
 */
function runningBuilds(store: CheckpointStore): Running {
  const { damaged } = store.scan();
  // Every held lock, checkpoint or not: a build holds its lock before its first checkpoint write.
  const ids = new Set(store.heldLocks().map((l) => l.buildId));
  return { ids, damaged: new Map(damaged.map((d) => [`${d.image} ${d.version}`, d])) };
}

function decide(resource: TaggedResource, running: Running, now: Date, build?: string): SweepDecision {
  const buildId = resource.tags[TAG.buildId];
  const expires = resource.tags[TAG.expiresAt] ? parseCompactTime(resource.tags[TAG.expiresAt]) : undefined;
  if (!expires) return { resource, action: 'keep', reason: 'no expiry tag (not a temporary resource)' };
  if (buildId && running.ids.has(buildId)) return { resource, action: 'keep', reason: `build ${buildId} is running` };
  // --build: the build a run reported it could not clean up goes now, not after its expiry.
  if (build !== undefined) {
    return buildId === build
      ? { resource, action: 'delete', reason: `build ${build} is not running, and --build asks for its resources now (expiry ${expires.toISOString()})` }
      : { resource, action: 'keep', reason: `another build (${buildId ?? '?'}); --build ${build} sweeps only that one` };
  }
  const damaged = running.damaged.get(`${resource.tags[TAG.product]} ${resource.tags[TAG.version]}`);
  const unreadable = damaged ? `; the checkpoint of ${damaged.image} ${damaged.version} (${damaged.path}) cannot be read, and no process holds its lock` : '';
  if (expires.getTime() > now.getTime()) return { resource, action: 'keep', reason: `expires ${expires.toISOString()}${unreadable}` };
  return { resource, action: 'delete', reason: `build ${buildId ?? '?'} is not running and expired ${expires.toISOString()}${unreadable}` };
}

export interface SweepOptions {
  readonly sweeper: ResourceSweeper;
  readonly regions: readonly string[];
  readonly store: CheckpointStore;
  readonly now: Date;
  readonly dryRun: boolean;
  /** Only this build's temporary resources, deleted now whatever their expiry (never while it runs). */
  readonly build?: string;
  /** The caller is that build, ending (it holds its own lock): its resources go now. */
  readonly ownBuild?: boolean;
  /** Only the resources this accepts are looked at. */
  readonly only?: (r: TaggedResource) => boolean;
  readonly onDecision?: (d: SweepDecision) => void;
  readonly onRegionError?: (region: string, message: string) => void;
  /**
   * A checkpoint that cannot be read, before any region is swept: `meaning` says what sweep does
   * about it (it goes on: the build's lock, not its checkpoint, tells whether it is running).
   */
  readonly onDamagedCheckpoint?: (damaged: DamagedCheckpoint, meaning: string) => void;
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
  const running = runningBuilds(opts.store);
  if (opts.ownBuild && opts.build !== undefined) running.ids.delete(opts.build);
  for (const d of running.damaged.values()) {
    const holder = opts.store.lockHolder(d.image, d.version);
    opts.onDamagedCheckpoint?.(d, holder
      ? `${d.image} ${d.version} is still being worked on by "${holder.command}" (pid ${holder.pid} on ${holder.host}): the resources of its build ${holder.buildId} are kept`
      : `no process holds the lock of ${d.image} ${d.version}: its build's resources are treated as any stopped build's, kept until their expiry tag has passed, deleted after; the file is kept as it is`);
  }
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
    const decisions = [...found.map((r) => decide(r, running, opts.now, opts.build)), ...await untaggedOfBuild(opts, region, found, running)]
      .filter((d) => opts.only?.(d.resource) ?? true)
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

/**
 * With --build (or a build cleaning up after itself): its network resources that carry no tag,
 * found by the names its stacks gave them (a VPC, subnet, security group or EIP whose create
 * was applied but whose tag call never came: a lost answer, a full disk, a kill). Deleted
 * unless that build is running; a listing that fails is reported, not fatal.
 */
async function untaggedOfBuild(opts: SweepOptions, region: string, tagged: readonly TaggedResource[], running: Running): Promise<SweepDecision[]> {
  const build = opts.build;
  if (build === undefined) return [];
  let named: TaggedResource[];
  try {
    named = await opts.sweeper.listNamedForBuild(region, build);
  } catch (err) {
    opts.onRegionError?.(region, `could not look for build ${build}'s untagged network resources by name: ${(err as Error).message}`);
    return [];
  }
  const known = new Set(tagged.map((r) => r.id));
  return named.filter((r) => !known.has(r.id)).map((resource) => (running.ids.has(build)
    ? { resource, action: 'keep', reason: `build ${build} is running` }
    : { resource, action: 'delete', reason: `named for build ${build} (${resource.name}) but untagged: its create was applied, its tag call never came` }));
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

export interface UntrackedImage {
  readonly image: TaggedImage;
  /** The command that deletes it (KooCLI, IMS GlanceDeleteImage). */
  readonly deleteCommand: string;
}

/**
 * The factory's private images that no checkpoint here knows (a capture or copy whose answer
 * was lost in an earlier version of the factory, a checkpoint deleted by hand): they count
 * against the region's image quota and no build will ever delete them. Reported, never
 * deleted: another machine's checkpoint may know them. Images of running builds are left out.
 */
export async function untrackedImages(opts: Pick<SweepOptions, 'sweeper' | 'regions' | 'store' | 'onRegionError'>): Promise<UntrackedImage[]> {
  const { checkpoints } = opts.store.scan();
  const known = new Set(checkpoints.flatMap((cp) => [cp.privateImage?.id, ...Object.values(cp.regions).map((r) => r.imageId)]).filter((id): id is string => id !== undefined));
  const running = new Set(opts.store.heldLocks().map((l) => l.buildId));
  const out: UntrackedImage[] = [];
  for (const region of opts.regions) {
    let images: TaggedImage[];
    try {
      images = await opts.sweeper.listFactoryImages(region);
    } catch (err) {
      opts.onRegionError?.(region, `could not list private images: ${(err as Error).message}`);
      continue;
    }
    for (const image of images) {
      if (known.has(image.id) || running.has(image.tags[TAG.buildId])) continue;
      out.push({ image, deleteCommand: `hcloud IMS GlanceDeleteImage --cli-region=${region} --image_id=${image.id}` });
    }
  }
  return out;
}
