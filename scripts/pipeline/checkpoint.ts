/**
 * The checkpoint: one JSON file per image version, rewritten atomically after every state
 * change, so a build killed at any moment can be resumed from its last completed stage.
 *
 *   .image-factory/builds/<image>/<version>.json   the checkpoint
 *   .image-factory/builds/<image>/<version>.lock   held while a process works on that version
 *
 * It holds IDs and timings only, never credentials.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../lib/fs.js';
import { UserError } from '../../stacks/errors.js';

export const STAGES = ['preflight', 'build', 'stop', 'capture', 'test', 'distribute', 'record'] as const;
export type Stage = (typeof STAGES)[number];

const DEFAULT_BUILDS_DIR = '.image-factory/builds';

const stageStateSchema = z.object({
  status: z.enum(['pending', 'running', 'done', 'failed']),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  error: z.string().optional(),
});

const regionStateSchema = z.object({
  status: z.enum(['pending', 'copying', 'done', 'failed']),
  imageId: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  error: z.string().optional(),
  attempts: z.number().int().default(0),
  /** The copy was found, not made by this region's copy stack (pipeline/reconcile.ts): no Terraform state holds it. */
  adopted: z.boolean().optional(),
});

const stepTimingSchema = z.object({ name: z.string(), seconds: z.number().optional(), status: z.string() });

const checkpointSchema = z.object({
  schema: z.literal(1),
  image: z.string(),
  /** The definition's buildVersion: the version tag on every resource. */
  version: z.string(),
  /** The KooGallery version (V1.0), part of the image name. */
  productVersion: z.string(),
  buildId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  result: z.enum(['running', 'succeeded', 'failed', 'partial']).default('running'),
  stages: z.record(z.enum(STAGES), stageStateSchema),
  placement: z.object({ flavor: z.string(), availabilityZone: z.string().optional() }).optional(),
  builder: z.object({
    instanceId: z.string(),
    sourceImageId: z.string(),
    sourceImageName: z.string(),
    createdAt: z.string(),
    destroyedAt: z.string().optional(),
  }).optional(),
  /** Set once the builder stack was destroyed (after capture, or by cleanup). */
  builderDestroyed: z.boolean().default(false),
  tester: z.object({ instanceId: z.string(), createdAt: z.string(), destroyedAt: z.string().optional() }).optional(),
  /** The captured private image in the build region. */
  privateImage: z.object({ id: z.string(), name: z.string(), region: z.string(), capturedAt: z.string() }).optional(),
  /** Every region that must hold a copy, with its status. Done regions never leave this map. */
  regions: z.record(z.string(), regionStateSchema).default({}),
  installSteps: z.array(stepTimingSchema).default([]),
  testSteps: z.array(stepTimingSchema).default([]),
  /** The sha256 of each step (its script and files) the build record named: a lost record is rewritten only from the same steps. */
  stepHashes: z.record(z.string(), z.string()).optional(),
  selfcheck: z.unknown().optional(),
  /** The tester's first-boot audit of the captured image (selfcheck.sh --audit). */
  audit: z.unknown().optional(),
  /** The SBOM written at the build stage (dist/<image>/<version>/sbom.cdx.json), by reference: it can be large. */
  sbom: z.object({ file: z.string(), sha256: z.string(), packages: z.number().int() }).optional(),
  record: z.string().optional(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export function newCheckpoint(fields: { image: string; version: string; productVersion: string; buildId: string; startedAt: Date; regions: readonly string[] }): Checkpoint {
  const stages = Object.fromEntries(STAGES.map((s) => [s, { status: 'pending' }])) as Checkpoint['stages'];
  return {
    schema: 1,
    image: fields.image,
    version: fields.version,
    productVersion: fields.productVersion,
    buildId: fields.buildId,
    startedAt: fields.startedAt.toISOString(),
    result: 'running',
    stages,
    builderDestroyed: false,
    regions: Object.fromEntries(fields.regions.map((r) => [r, { status: 'pending', attempts: 0 }])),
    installSteps: [],
    testSteps: [],
  };
}

/** The first stage not done, or undefined when the build is complete. */
export function nextStage(cp: Checkpoint): Stage | undefined {
  return STAGES.find((s) => cp.stages[s].status !== 'done');
}

export function isComplete(cp: Checkpoint): boolean {
  return nextStage(cp) === undefined;
}

/**
 * Semantic version order (semver.org 11): major, minor, patch numerically; a pre-release sorts
 * before its release, its dot-separated identifiers numerically when numeric; build metadata
 * is ignored. As text, 1.10.0 would sort before 1.9.0. Non-semver names fall back to text.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v);
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d) return Math.sign(d);
  }
  if (!pa[4] || !pb[4]) return pa[4] ? -1 : pb[4] ? 1 : 0;
  const xa = pa[4].split('.');
  const xb = pb[4].split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    if (xa[i] === undefined) return -1;
    if (xb[i] === undefined) return 1;
    const na = /^\d+$/.test(xa[i]);
    const nb = /^\d+$/.test(xb[i]);
    if (na && nb && Number(xa[i]) !== Number(xb[i])) return Math.sign(Number(xa[i]) - Number(xb[i]));
    if (na !== nb) return na ? -1 : 1;
    if (xa[i] !== xb[i]) return xa[i] < xb[i] ? -1 : 1;
  }
  return 0;
}

/** A checkpoint file that cannot be read: kept as it is, named, and skipped by every other version's work. */
export interface DamagedCheckpoint {
  readonly image: string;
  readonly version: string;
  /** Relative to the project folder. */
  readonly path: string;
  readonly reason: string;
}

export interface CheckpointScan {
  readonly checkpoints: Checkpoint[];
  readonly damaged: DamagedCheckpoint[];
}

export interface LockInfo {
  pid: number;
  host: string;
  buildId: string;
  command: string;
  since: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How long a lock file may stay empty or unreadable (its creator writing it) before it is stale. */
const LOCK_WRITE_GRACE_MS = 10_000;

function tryCreate(path: string): number | undefined {
  try {
    return openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
}

interface SeenLock {
  text: string;
  info?: LockInfo;
  mtimeMs: number;
}

function readLock(path: string): SeenLock | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    const text = readFileSync(path, 'utf8');
    let info: LockInfo | undefined;
    try {
      const parsed = JSON.parse(text) as LockInfo;
      if (typeof parsed?.pid === 'number' && typeof parsed.host === 'string') info = parsed;
    } catch {
      info = undefined;
    }
    return { text, info, mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * A lock is stale when its process on this host is dead. An empty or unreadable one is being
 * written by the process that just created it, unless it has stayed so for a while (a crash
 * between create and write).
 */
function isStale(lock: SeenLock): boolean {
  if (!lock.info) return Date.now() - lock.mtimeMs > LOCK_WRITE_GRACE_MS;
  return lock.info.host === hostname() && !pidAlive(lock.info.pid);
}

export class CheckpointStore {
  constructor(readonly dir: string = DEFAULT_BUILDS_DIR, private readonly root = process.cwd()) {}

  path(image: string, version: string): string {
    return join(this.dir, image, `${version}.json`);
  }

  lockPath(image: string, version: string): string {
    return join(this.dir, image, `${version}.lock`);
  }

  /**
   * The version's checkpoint, or undefined when there is none. A damaged one (truncated, edited,
   * of another schema) is refused, naming the file, which is left as it is.
   */
  load(image: string, version: string): Checkpoint | undefined {
    const path = this.path(image, version);
    if (!existsSync(path)) return undefined;
    let read: ReturnType<CheckpointStore['read']>;
    try {
      read = this.read(path);
    } catch {
      return undefined; // Deleted since the existence check.
    }
    if ('reason' in read) throw new UserError(`${relative(this.root, path)}: ${read.reason}; delete it to start the version over`);
    return read.checkpoint;
  }

  /** A checkpoint file read and checked; throws only when it does not exist (ENOENT). */
  private read(path: string): { checkpoint: Checkpoint } | { reason: string } {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
      return { reason: `the checkpoint cannot be read (${(err as Error).message})` };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return { reason: `the checkpoint is not valid JSON (${(err as Error).message})` };
    }
    const parsed = checkpointSchema.safeParse(raw);
    if (!parsed.success) {
      return { reason: `not a checkpoint this tool understands (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})` };
    }
    return { checkpoint: parsed.data };
  }

  save(cp: Checkpoint): void {
    writeFileAtomic(this.path(cp.image, cp.version), `${JSON.stringify(cp, null, 2)}\n`);
  }

  /** Every readable checkpoint of an image (or of all images), oldest version first (semver order). */
  list(image?: string): Checkpoint[] {
    return this.scan(image).checkpoints;
  }

  /**
   * Every checkpoint of an image (or of all images), oldest version first (semver order), and
   * apart from them the damaged ones: one unreadable file never hides the others, and is left
   * as it is (never rewritten) for its owner to look at.
   */
  scan(image?: string): CheckpointScan {
    const out: CheckpointScan = { checkpoints: [], damaged: [] };
    if (!existsSync(this.dir)) return out;
    const images = image ? [image] : readdirSync(this.dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    for (const img of images) {
      const dir = join(this.dir, img);
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
      for (const f of files.sort((a, b) => compareVersions(a.slice(0, -5), b.slice(0, -5)))) {
        const path = join(dir, f);
        let read: ReturnType<CheckpointStore['read']>;
        try {
          read = this.read(path);
        } catch {
          continue; // Gone since the listing (a version deleted meanwhile): nothing to read, nothing damaged.
        }
        if ('checkpoint' in read) out.checkpoints.push(read.checkpoint);
        else out.damaged.push({ image: img, version: f.slice(0, -5), path: relative(this.root, path), reason: read.reason });
      }
    }
    return out;
  }

  /**
   * Every lock held now, by a live process (or one on another host), checkpoint or not: a build
   * holds its lock before it writes its first checkpoint, and sweep must see it from that moment.
   */
  heldLocks(): LockInfo[] {
    if (!existsSync(this.dir)) return [];
    const held: LockInfo[] = [];
    for (const img of readdirSync(this.dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(join(this.dir, img.name)).filter((n) => n.endsWith('.lock'))) {
        const holder = this.lockHolder(img.name, f.slice(0, -'.lock'.length));
        if (holder) held.push(holder);
      }
    }
    return held;
  }

  /** Who holds the version's lock, when it is held by a live process (or one on another host). */
  lockHolder(image: string, version: string): LockInfo | undefined {
    const path = this.lockPath(image, version);
    if (!existsSync(path)) return undefined;
    try {
      const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
      if (info.host === hostname() && !pidAlive(info.pid)) return undefined;
      return info;
    } catch {
      return undefined;
    }
  }

  /**
   * Refuses when another live process (or one on another host) holds the version's lock, telling
   * who and what to do: for a command about to judge the version by its checkpoint, which that
   * process is rewriting (a build still running is not one that stopped).
   */
  refuseIfHeld(image: string, version: string): void {
    const holder = this.lockHolder(image, version);
    if (holder) throw this.held(image, version, holder);
  }

  private held(image: string, version: string, holder: LockInfo): UserError {
    return new UserError(`${image} ${version} is being worked on by "${holder.command}" (pid ${holder.pid} on ${holder.host}, since ${holder.since}); wait for it to finish, or delete ${relative(this.root, this.lockPath(image, version))} if that process is gone`);
  }

  /**
   * Takes the version's lock for this process: one process per version on a machine. A lock
   * left by a dead process on this host is taken over. Returns the release function.
   *
   * The lock file is created with O_EXCL (`wx`) first, so of two processes starting at once only
   * one can create it; the holder is looked at only when the file already exists, and the file
   * is removed only when it is stale (its process is dead), then created once more with `wx`.
   */
  acquire(image: string, version: string, buildId: string, command: string): () => void {
    const path = this.lockPath(image, version);
    mkdirSync(dirname(path), { recursive: true });
    let fd = tryCreate(path);
    if (fd === undefined) {
      const seen = readLock(path);
      if (seen === undefined) {
        // Gone between our create and our read: its holder just released it.
      } else if (!isStale(seen)) {
        const holder = seen.info;
        if (!holder) {
          throw new UserError(`${image} ${version}: another process is taking the lock ${relative(this.root, path)} right now; try again`);
        }
        throw this.held(image, version, holder);
      } else if (readLock(path)?.text === seen.text) {
        // Still the stale file we judged (not one another process wrote meanwhile): remove it.
        rmSync(path, { force: true });
      }
      fd = tryCreate(path);
      if (fd === undefined) {
        throw new UserError(`${image} ${version}: another process took the lock ${relative(this.root, path)} just now; try again`);
      }
    }
    const info: LockInfo = { pid: process.pid, host: hostname(), buildId, command, since: new Date().toISOString() };
    const text = JSON.stringify(info);
    writeSync(fd, text);
    closeSync(fd);
    // Only our own lock is released (never one another process took over meanwhile).
    return () => {
      if (readLock(path)?.text === text) rmSync(path, { force: true });
    };
  }
}
