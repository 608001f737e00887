/**
 * The emulated account: one domain, one project per region, every resource by region and
 * collection, the jobs, the OBS buckets and the emulator's settings (what is sold out, which
 * agencies exist ...). All of it is plain JSON, so `--state FILE` keeps it between runs and
 * `GET /_emulator/state` shows it as it is.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { SITES, REGIONS } from '../../stacks/catalogue/regions.js';
import { UserError } from '../../stacks/errors.js';
import { writeFileAtomic } from '../lib/fs.js';
import type { JobRecord } from './jobs.js';

/** Settings a test or a user changes through `/_emulator/config`. */
export interface AccountConfig {
  /** IAM agencies of the account (the copy agency must exist for preflight). */
  agencies: string[];
  /** region -> flavor -> AZs where it is sold out ("*" for every AZ). */
  soldOut: Record<string, Record<string, string[]>>;
  /** Private images per region (IMS quota; Huawei's default is 50 per region). */
  privateImageQuota: number;
  /** Cross-region copies running at once per account (IMS limit: 5). */
  copyConcurrency: number;
  /** The scripted guest's behaviour (see guest.ts). */
  guest: GuestScenario;
  /** Modelled durations, emulated milliseconds. */
  durations: Durations;
  /** KooGallery assets: asset ID -> region -> image ID (what huaweicloud_koogallery_assets returns). */
  assets: Record<string, { version?: string; images: Record<string, string> }>;
}

export interface GuestScenario {
  /**
   * success; step-fail: `step` exits 2; selfcheck-fail; audit-fail (test mode: the first-boot audit fails); audit-missing (test mode: no audit is sent, as from a runner not the factory's); silent: the guest never reports; hang:
   * `step` never ends; poweroff: the guest powers off during `step` without a result;
   * no-poweroff: it succeeds but does not power itself off (the pipeline must stop it);
   * sbom-lost: it succeeds, but the first SBOM part never reaches the console.
   */
  outcome: 'success' | 'step-fail' | 'selfcheck-fail' | 'audit-fail' | 'audit-missing' | 'silent' | 'hang' | 'poweroff' | 'no-poweroff' | 'sbom-lost';
  /** The step the outcome applies to (default: the last one). */
  step?: string;
  /** Only for this mode (build or test); both when absent. */
  mode?: 'build' | 'test';
}

export interface Durations {
  /** ECS create job until the server is ACTIVE. */
  serverCreateMs: number;
  /** ACTIVE until the guest's first protocol line. */
  bootMs: number;
  /** Per install/test step (or per step name). */
  stepMs: number | Record<string, number>;
  /** The guest's last line until SHUTOFF. */
  powerOffMs: number;
  /** A stop request until SHUTOFF. */
  stopMs: number;
  serverDeleteMs: number;
  /** Image from server (IMS job). */
  captureMs: number;
  /** Cross-region copy, per target region or one value. */
  copyMs: number | Record<string, number>;
  /** Other jobs and asynchronous states (EIP binding, ...). */
  shortJobMs: number;
}

export const DEFAULT_DURATIONS: Durations = {
  serverCreateMs: 30_000,
  bootMs: 40_000,
  stepMs: 60_000,
  powerOffMs: 15_000,
  stopMs: 20_000,
  serverDeleteMs: 30_000,
  captureMs: 300_000,
  copyMs: 600_000,
  shortJobMs: 5_000,
};

const DEFAULT_CONFIG: AccountConfig = {
  agencies: ['ims_agency', 'koogallery_ims_agency'],
  soldOut: {},
  privateImageQuota: 50,
  copyConcurrency: 5,
  guest: { outcome: 'success' },
  durations: DEFAULT_DURATIONS,
  assets: {},
};

export interface ObsObject {
  /** base64 */
  body: string;
  etag: string;
  lastModified: number;
  contentType?: string;
}

export interface AccountData {
  version: 1;
  seq: number;
  /** The latest emulated time seen: a restarted emulator never goes back in time. */
  lastNow: number;
  domain: { id: string; name: string };
  /** region -> project ID (IAM: one project per region). */
  projects: Record<string, string>;
  /** region -> collection -> id -> record. */
  resources: Record<string, Record<string, Record<string, any>>>;
  jobs: Record<string, JobRecord>;
  buckets: Record<string, { region: string; created: number; objects: Record<string, ObsObject> }>;
  config: AccountConfig;
}

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);

/** Every region of every site in the catalogue, each with its project. */
function freshData(): AccountData {
  const regions = SITES.flatMap((s) => REGIONS[s].map((r) => r.id));
  return {
    version: 1,
    seq: 0,
    lastNow: 0,
    domain: { id: hex('domain', 32), name: 'image-factory-emulator' },
    projects: Object.fromEntries(regions.map((r) => [r, hex(`project:${r}`, 32)])),
    resources: {},
    jobs: {},
    buckets: {},
    config: structuredClone(DEFAULT_CONFIG),
  };
}

/**
 * What a whole state file holds, checked before the emulator serves from it: a truncated or
 * hand-made file must be named, not answer every call with HTTP 500 later.
 */
const STATE_FILE = z.object({
  version: z.literal(1),
  seq: z.number().int().nonnegative(),
  lastNow: z.number().nonnegative(),
  domain: z.object({ id: z.string().min(1), name: z.string().min(1) }),
  projects: z.record(z.string(), z.string().min(1)),
  resources: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())))),
  jobs: z.record(z.string(), z.record(z.string(), z.unknown())),
  buckets: z.record(z.string(), z.object({ region: z.string(), created: z.number(), objects: z.record(z.string(), z.unknown()) })),
  config: z.record(z.string(), z.unknown()).optional(),
});

function readStateFile(file: string): AccountData {
  const fix = 'restore it, or move it away to start from an empty cloud (it is never overwritten while it cannot be read)';
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`emulator: --state ${file}: not JSON (${(err as Error).message}); the file may be truncated: ${fix}`);
  }
  const parsed = STATE_FILE.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`emulator: --state ${file}: not a whole emulator state file: ${issue.path.join('.') || '(top level)'}: ${issue.message}; ${fix}`);
  }
  return parsed.data as unknown as AccountData;
}

export type RegionSeeder = (region: string, account: Account) => void;

export class Account {
  dirty = false;
  private readonly seeders: RegionSeeder[] = [];

  private constructor(readonly data: AccountData, private readonly file?: string) {}

  /** The account kept in `file` (created on first save), or a fresh one. */
  static open(file?: string): Account {
    if (file && existsSync(file)) {
      const data = readStateFile(file);
      data.config = { ...structuredClone(DEFAULT_CONFIG), ...data.config, durations: { ...DEFAULT_DURATIONS, ...data.config?.durations } };
      return new Account(data, file);
    }
    return new Account(freshData(), file);
  }

  onNewRegion(seeder: RegionSeeder): void {
    this.seeders.push(seeder);
  }

  get config(): AccountConfig {
    return this.data.config;
  }

  regionOfProject(projectId: string): string | undefined {
    return Object.entries(this.data.projects).find(([, id]) => id === projectId)?.[0];
  }

  projectOf(region: string): string | undefined {
    return this.data.projects[region];
  }

  /** A region's collection (`servers`, `vpcs` ...), created (and the region seeded) on first use. */
  collection<T = Record<string, any>>(region: string, name: string): Record<string, T> {
    let store = this.data.resources[region];
    if (!store) {
      store = this.data.resources[region] = {};
      for (const seed of this.seeders) seed(region, this);
    }
    return (store[name] ??= {}) as Record<string, T>;
  }

  /** Every region's records of a collection, with their region. */
  *all<T = Record<string, any>>(name: string): Generator<[region: string, record: T]> {
    for (const [region, store] of Object.entries(this.data.resources)) {
      for (const record of Object.values(store[name] ?? {})) yield [region, record as T];
    }
  }

  /** A UUID made from a counter: stable across runs of the same scenario, unique in the account. */
  newId(): string {
    this.data.seq += 1;
    this.dirty = true;
    const h = hex(`${this.data.domain.id}:${this.data.seq}`, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** 32 hex digits, as IAM and IMS job IDs look. */
  newHexId(): string {
    return this.newId().replace(/-/g, '');
  }

  touch(): void {
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (this.file) writeFileAtomic(this.file, `${JSON.stringify(this.data)}\n`);
  }

  /** Forgets every resource, job and bucket (settings stay). */
  reset(): void {
    const fresh = freshData();
    Object.assign(this.data, { ...fresh, config: this.data.config, lastNow: this.data.lastNow });
    this.dirty = true;
  }
}
