/**
 * An in-memory Huawei Cloud for pipeline tests and the bench: stacks that deploy and destroy
 * like Terraform (idempotent, partial on failure), ECS servers whose status and serial console
 * follow the guest protocol over (clock) time, IMS images and cross-region copy jobs with
 * durations and injected failures.
 *
 * Everything is a function of the clock and of a small serializable state, which can live in a
 * file: a test can SIGKILL a child process mid-build and resume against the same "cloud".
 */
import { existsSync, readFileSync } from 'node:fs';
import { formatEvent } from '../../stacks/guest/protocol.js';
import { TAG, compactTime } from '../../stacks/definition/tags.js';
import type { BuildContext } from '../../stacks/build-context.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { imageNameOf } from '../../stacks/definition/schema.js';
import { writeFileAtomic } from '../../scripts/lib/fs.js';
import type { Clock } from '../../scripts/pipeline/clock.js';
import type {
  BuilderOutputs, Cloud, CopyRequest, EcsClient, GuestOutputs, Placement, PreflightClient, ResourceSweeper,
  ServerStatus, StackDeployer, TaggedResource, TaggedResourceType,
} from '../../scripts/cloud/types.js';

export interface FakeDurations {
  /** terraform apply of a guest stack (network, EIP, ECS). */
  applyMs: number;
  destroyMs: number;
  /** ECS BUILD until the guest's first console line. */
  bootMs: number;
  /** Per step name, or one value for every step. */
  stepMs: number | Record<string, number>;
  /** Guest's result line until SHUTOFF (its own power-off). */
  powerOffMs: number;
  /** stopServer until SHUTOFF. */
  stopMs: number;
  captureMs: number;
  /** Per region, or one value for every region. */
  copyMs: number | Record<string, number>;
  /** Latency of one API call (ECS, IMS, IAM). */
  apiMs: number;
  /** ECS DeleteServers until the server is gone (the API call itself returns at once). */
  ecsDeleteMs: number;
}

export interface FakeFailures {
  /** The builder stack's apply fails after creating its network. */
  deployBuilder?: boolean;
  /** This install step exits non-zero. */
  guestStepFail?: string;
  /** This install step never finishes (step timeout). */
  guestStepHang?: string;
  /** The guest powers off during this install step without a result line (a `poweroff` in a script, a kernel panic). */
  guestPowerOff?: string;
  /** The builder goes to ERROR once booted. */
  ecsError?: boolean;
  /** The guest does not power itself off: the pipeline must stop it. */
  noPowerOff?: boolean;
  /** Stop requests are ignored: the server never reaches SHUTOFF. */
  stopIgnored?: boolean;
  capture?: boolean;
  deployTester?: boolean;
  /** This test step exits non-zero. */
  testStepFail?: string;
  /** Region -> how many copy attempts fail before one succeeds. */
  copyFail?: Record<string, number>;
  /** Resource IDs whose deletion by sweep is refused. */
  sweepDeleteFail?: readonly string[];
}

export const DEFAULT_DURATIONS: FakeDurations = {
  applyMs: 60_000,
  destroyMs: 30_000,
  bootMs: 40_000,
  stepMs: 120_000,
  powerOffMs: 15_000,
  stopMs: 20_000,
  captureMs: 300_000,
  copyMs: 600_000,
  apiMs: 300,
  ecsDeleteMs: 45_000,
};

type ResourceType = TaggedResourceType | 'image';

interface FakeResource {
  id: string;
  type: ResourceType;
  region: string;
  stack: string;
  tags: Record<string, string>;
  createdAt: number;
  /** When Terraform (or sweep) started destroying it. */
  deleteRequestedAt?: number;
  /** An ECS whose deletion was asked for through the API: gone at this time. */
  goneAt?: number;
  deletedAt?: number;
  name?: string;
  vpcId?: string;
}

interface FakeServer {
  id: string;
  region: string;
  mode: 'build' | 'test';
  steps: { name: string; ms: number; outcome: 'ok' | 'fail' | 'hang' | 'poweroff' }[];
  createdAt: number;
  stopRequestedAt?: number;
  error?: boolean;
  noPowerOff?: boolean;
}

interface FakeState {
  seq: number;
  resources: Record<string, FakeResource>;
  stacks: Record<string, { resources: string[]; outputs: Record<string, string> }>;
  servers: Record<string, FakeServer>;
  /** Every copy job ever started: [region, start, end, ok]. */
  copyJobs: { region: string; start: number; end: number; ok: boolean }[];
  maxConcurrentCopies: number;
  /** Copies Terraform had to destroy because their region was dropped from the stack. */
  destroyedCopies: string[];
  failuresUsed: Record<string, number>;
  /** Deployer calls, in order: "deployBuilder", "destroyBuilder", ... */
  calls: string[];
}

export interface FakeCloudOptions {
  readonly clock: Clock;
  readonly durations?: Partial<FakeDurations>;
  readonly failures?: FakeFailures;
  /** Keep the state in this file (shared with a child process). */
  readonly file?: string;
  /** Private images already in each region (preflight quota check). */
  readonly privateImages?: Record<string, number>;
  readonly agencies?: readonly string[];
  /** Flavors sold out everywhere. */
  readonly soldOut?: readonly string[];
  /** IMS rejects a copy beyond this many at once. */
  readonly copyLimit?: number;
}

const emptyState = (): FakeState => ({ seq: 0, resources: {}, stacks: {}, servers: {}, copyJobs: [], maxConcurrentCopies: 0, destroyedCopies: [], failuresUsed: {}, calls: [] });

export class FakeCloud {
  readonly clock: Clock;
  readonly durations: FakeDurations;
  failures: FakeFailures;
  private state: FakeState;

  constructor(private readonly options: FakeCloudOptions) {
    this.clock = options.clock;
    this.durations = { ...DEFAULT_DURATIONS, ...options.durations };
    this.failures = options.failures ?? {};
    this.state = options.file && existsSync(options.file) ? (JSON.parse(readFileSync(options.file, 'utf8')) as FakeState) : emptyState();
  }

  private lastWritten?: string;

  /** Picks up what another process (sharing the file) wrote; our own unsaved changes stay. */
  private reload(): void {
    if (!this.options.file || !existsSync(this.options.file)) return;
    const text = readFileSync(this.options.file, 'utf8');
    if (text === this.lastWritten) return;
    this.state = JSON.parse(text) as FakeState;
    this.lastWritten = text;
  }

  private persist(): void {
    if (!this.options.file) return;
    this.lastWritten = JSON.stringify(this.state);
    writeFileAtomic(this.options.file, this.lastWritten);
  }

  private nextId(prefix: string): string {
    this.state.seq += 1;
    return `${prefix}-${String(this.state.seq).padStart(4, '0')}`;
  }

  /** Uses one injected failure of `kind`; true when it should fail now. */
  private failOnce(kind: string, times: number): boolean {
    const used = this.state.failuresUsed[kind] ?? 0;
    if (used >= times) return false;
    this.state.failuresUsed[kind] = used + 1;
    return true;
  }

  // --- inspection, for assertions --------------------------------------------------------

  get calls(): readonly string[] {
    this.reload();
    return this.state.calls;
  }

  get maxConcurrentCopies(): number {
    this.reload();
    return this.state.maxConcurrentCopies;
  }

  get copyJobs(): FakeState['copyJobs'] {
    this.reload();
    return this.state.copyJobs;
  }

  get destroyedCopies(): readonly string[] {
    this.reload();
    return this.state.destroyedCopies;
  }

  /** Live resources that carry an expiry tag: what a build must never leave behind. */
  temporaryResources(): FakeResource[] {
    this.reload();
    return Object.values(this.state.resources).filter((r) => !r.deletedAt && TAG.expiresAt in r.tags);
  }

  /** Every resource ever created, deleted ones included. */
  allResources(): FakeResource[] {
    this.reload();
    return Object.values(this.state.resources);
  }

  liveResources(type?: ResourceType): FakeResource[] {
    this.reload();
    return Object.values(this.state.resources).filter((r) => !r.deletedAt && (!type || r.type === type));
  }

  resource(id: string): FakeResource | undefined {
    this.reload();
    return this.state.resources[id];
  }

  /** Creates a resource outside any build, e.g. an orphan for sweep tests. */
  addResource(r: Omit<FakeResource, 'id' | 'createdAt'> & { id?: string }): string {
    const id = r.id ?? this.nextId(r.type);
    this.state.resources[id] = { ...r, id, createdAt: this.clock.now() };
    this.persist();
    return id;
  }

  // --- ECS server model -------------------------------------------------------------------

  stepMs(name: string): number {
    const d = this.durations.stepMs;
    return typeof d === 'number' ? d : (d[name] ?? 120_000);
  }

  private copyMs(region: string): number {
    const d = this.durations.copyMs;
    return typeof d === 'number' ? d : (d[region] ?? 600_000);
  }

  /** The guest's console lines with the time each appears, and when it finished (success only). */
  private timeline(s: FakeServer): { lines: { at: number; text: string }[]; successAt?: number; powerOffAt?: number } {
    const lines: { at: number; text: string }[] = [];
    let t = s.createdAt + this.durations.bootMs;
    const total = s.steps.length;
    lines.push({ at: s.createdAt + 1000, text: '[    0.000000] Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045)' });
    lines.push({ at: t, text: `[   12.345678] cloud-init[812]: ${formatEvent({ event: 'begin', mode: s.mode, steps: total })}` });
    for (const [i, step] of s.steps.entries()) {
      const index = i + 1;
      lines.push({ at: t, text: formatEvent({ event: 'step', index, total, name: step.name, status: 'start' }) });
      lines.push({ at: t + 1, text: `cloud-init[812]: ${step.name}: working` });
      if (step.outcome === 'hang') return { lines };
      if (step.outcome === 'poweroff') {
        lines.push({ at: t + step.ms / 2, text: '[  321.000000] reboot: Power down' });
        return { lines, powerOffAt: t + step.ms / 2 + this.durations.powerOffMs };
      }
      t += step.ms;
      const seconds = Math.round(step.ms / 1000);
      if (step.outcome === 'fail') {
        lines.push({ at: t, text: formatEvent({ event: 'step', index, total, name: step.name, status: 'fail', exitCode: 2, seconds }) });
        lines.push({ at: t, text: formatEvent({ event: 'log', index, total, text: `E: Unable to locate package ${step.name}-missing` }) });
        lines.push({ at: t, text: formatEvent({ event: 'result', result: 'failure', index, total, reason: 'step failed' }) });
        return { lines };
      }
      lines.push({ at: t, text: formatEvent({ event: 'step', index, total, name: step.name, status: 'ok', seconds }) });
    }
    if (s.mode === 'build') lines.push({ at: t, text: formatEvent({ event: 'selfcheck', report: { version: 1, findings: [] } }) });
    lines.push({ at: t, text: formatEvent({ event: 'result', result: 'success' }) });
    return { lines, successAt: t };
  }

  serverStatus(id: string): ServerStatus {
    this.reload();
    const s = this.state.servers[id];
    const r = this.state.resources[id];
    if (!s || !r || r.deletedAt) return 'DELETED';
    const now = this.clock.now();
    if (now < s.createdAt + this.durations.bootMs) return 'BUILD';
    if (s.error) return 'ERROR';
    if (s.stopRequestedAt !== undefined && !this.failures.stopIgnored && now >= s.stopRequestedAt + this.durations.stopMs) return 'SHUTOFF';
    const { successAt, powerOffAt } = this.timeline(s);
    if (successAt !== undefined && !s.noPowerOff && now >= successAt + this.durations.powerOffMs) return 'SHUTOFF';
    if (powerOffAt !== undefined && now >= powerOffAt) return 'SHUTOFF';
    return 'ACTIVE';
  }

  console(id: string, length: number): string {
    this.reload();
    const s = this.state.servers[id];
    if (!s) throw new Error(`ECS.0114: server ${id} not found`);
    const now = this.clock.now();
    const lines = this.timeline(s).lines.filter((l) => l.at <= now).map((l) => l.text);
    return lines.slice(-Math.max(1, length)).join('\n') + (lines.length ? '\n' : '');
  }

  // --- the interfaces ----------------------------------------------------------------------

  /** The Cloud a build of `image` with `context` sees. */
  forBuild(image: LoadedImage, context: BuildContext): Cloud {
    return { deployer: new FakeDeployer(this, image, context), ecs: this.ecs(), preflight: this.preflight(), sweeper: this.sweeper() };
  }

  ecs(): EcsClient {
    return {
      getServer: async (id) => {
        await this.api();
        return { status: this.serverStatus(id) };
      },
      stopServer: async (id) => {
        await this.api();
        this.reload();
        const s = this.state.servers[id];
        if (!s) throw new Error(`ECS.0114: server ${id} not found`);
        s.stopRequestedAt ??= this.clock.now();
        this.persist();
      },
      consoleOutput: async (id, _region, length) => {
        await this.api();
        return this.console(id, length);
      },
    };
  }

  private api(): Promise<void> {
    return this.clock.sleep(this.durations.apiMs);
  }

  preflight(): PreflightClient {
    return {
      privateImageCount: async (region) => {
        await this.api();
        return (this.options.privateImages?.[region] ?? 0) + this.liveResources('image').filter((r) => r.region === region).length;
      },
      agencyExists: async (name) => (await this.api(), this.options.agencies ?? ['ims_agency', 'koogallery_ims_agency']).includes(name),
      findPlacement: async (_region, flavors): Promise<Placement | undefined> => {
        await this.api();
        const flavor = flavors.find((f) => !this.options.soldOut?.includes(f));
        return flavor ? { flavor, availabilityZone: 'az1' } : undefined;
      },
      findVersionImages: async (region, product, version) =>
        (await this.api(), this.liveResources('image').filter((r) => r.region === region && r.tags[TAG.product] === product && r.tags[TAG.version] === version).map((r) => ({ id: r.id, name: r.name ?? '' }))),
    };
  }

  /** Servers whose asynchronous deletion has finished by now are deleted. */
  private settleDeletions(): void {
    const now = this.clock.now();
    let changed = false;
    for (const r of Object.values(this.state.resources)) {
      if (r.goneAt !== undefined && !r.deletedAt && now >= r.goneAt) {
        r.deletedAt = r.goneAt;
        changed = true;
      }
    }
    if (changed) this.persist();
  }

  /**
   * Like the VPC API: ECS deletion is asynchronous (the server, and its port, stay until the
   * job ends), and a VPC, subnet, security group or EIP used by a server cannot be deleted
   * while that server exists (here: a live server of the same stack).
   */
  sweeper(): ResourceSweeper {
    return {
      listTagged: async (region, tagKey): Promise<TaggedResource[]> => {
        this.reload();
        this.settleDeletions();
        return this.liveResources().filter((r) => r.type !== 'image' && r.region === region && tagKey in r.tags)
          .map((r) => ({ type: r.type as TaggedResourceType, id: r.id, region: r.region, tags: r.tags, name: r.name, vpcId: r.vpcId }));
      },
      deleteResource: async (res) => {
        this.reload();
        this.settleDeletions();
        const r = this.state.resources[res.id];
        if (!r || r.deletedAt) throw new Error(`HTTP 404: ${res.type} ${res.id} not found`);
        if (this.failures.sweepDeleteFail?.includes(r.id)) throw new Error(`HTTP 409 ${r.type} ${r.id}: deletion refused (injected)`);
        const now = this.clock.now();
        if (r.type === 'ecs') {
          r.deleteRequestedAt ??= now;
          r.goneAt ??= now + this.durations.ecsDeleteMs;
        } else {
          const server = Object.values(this.state.resources).find((x) => x.type === 'ecs' && !x.deletedAt && x.region === r.region && x.stack === r.stack);
          if (server) throw new Error(`HTTP 409 VPC.0715: ${r.type} ${r.id} is in use by ECS ${server.id}${server.goneAt ? ' (being deleted)' : ''}`);
          r.deletedAt = now;
        }
        this.persist();
      },
      serverGone: async (res) => {
        this.reload();
        this.settleDeletions();
        const r = this.state.resources[res.id];
        return !r || r.deletedAt !== undefined;
      },
    };
  }

  // --- used by FakeDeployer ---------------------------------------------------------------

  /** @internal */ s(): FakeState {
    this.reload();
    return this.state;
  }

  /** @internal */ save(): void {
    this.persist();
  }

  /** @internal */ create(stack: string, r: Omit<FakeResource, 'id' | 'createdAt' | 'stack'>, prefix: string = r.type): FakeResource {
    const id = this.nextId(prefix);
    const res: FakeResource = { ...r, id, stack, createdAt: this.clock.now() };
    this.state.resources[id] = res;
    (this.state.stacks[stack] ??= { resources: [], outputs: {} }).resources.push(id);
    this.persist();
    return res;
  }

  /** @internal */ addServer(s: FakeServer): void {
    this.state.servers[s.id] = s;
    this.persist();
  }

  /** @internal */ fail(kind: string, times = 1): boolean {
    const f = this.failOnce(kind, times);
    this.persist();
    return f;
  }

  /** @internal */ startCopy(region: string): { end: number; overLimit: boolean; job: FakeState['copyJobs'][number] } {
    this.reload();
    const now = this.clock.now();
    const end = now + this.copyMs(region);
    const job = { region, start: now, end, ok: false };
    const running = this.state.copyJobs.filter((j) => j.start <= now && j.end > now).length + 1;
    this.state.maxConcurrentCopies = Math.max(this.state.maxConcurrentCopies, running);
    this.state.copyJobs.push(job);
    this.persist();
    return { end, overLimit: running > (this.options.copyLimit ?? 5), job };
  }
}

/** A Terraform-like deployer over the fake cloud: resources appear as the apply runs. */
class FakeDeployer implements StackDeployer {
  private readonly tags: Record<string, string>;
  private readonly imageTags: Record<string, string>;

  constructor(private readonly cloud: FakeCloud, private readonly image: LoadedImage, private readonly context: BuildContext) {
    const spec = image.spec;
    this.imageTags = { ...spec.tags, [TAG.buildId]: context.buildId, [TAG.product]: image.name, [TAG.version]: spec.buildVersion };
    this.tags = { ...this.imageTags, [TAG.expiresAt]: compactTime(new Date(context.startedAt.getTime() + spec.build.expiryHours * 3600_000)) };
  }

  /** Like the real backend, state is kept per image version (stacks/backend.ts versionedBackend). */
  private stackName(kind: 'builder' | 'tester' | 'release'): string {
    return `${this.image.name}/${this.image.spec.buildVersion}/${this.image.name}-${kind}`;
  }

  private liveStack(name: string) {
    const st = this.cloud.s();
    const stack = st.stacks[name];
    if (!stack) return undefined;
    stack.resources = stack.resources.filter((id) => !st.resources[id]?.deletedAt);
    return stack;
  }

  private async deployGuest(kind: 'builder' | 'tester', mode: 'build' | 'test', failure: boolean, imageId: string, signal?: AbortSignal): Promise<GuestOutputs> {
    const name = this.stackName(kind);
    const existing = this.liveStack(name);
    const serverId = existing?.resources.find((id) => this.cloud.s().resources[id]?.type === 'ecs');
    if (existing && serverId) return { instanceId: serverId, ...existing.outputs };
    const region = this.image.spec.buildRegion;
    const prefix = `${this.image.name}-${kind}-${this.context.buildId}`.toLowerCase();
    const tags = this.tags;
    const have = (type: TaggedResourceType) => existing?.resources.map((id) => this.cloud.s().resources[id]).find((r) => r?.type === type);
    const vpc = have('vpc') ?? this.cloud.create(name, { type: 'vpc', region, tags, name: `${prefix}-vpc` });
    have('subnet') ?? this.cloud.create(name, { type: 'subnet', region, tags, name: `${prefix}-subnet`, vpcId: vpc.id });
    await this.cloud.clock.sleep(this.cloud.durations.applyMs / 2, signal);
    if (failure) throw new Error(`Error: creating ${name}: ECS.0000 flavor sold out during creation (injected)`);
    have('security-group') ?? this.cloud.create(name, { type: 'security-group', region, tags, name: `${prefix}-sg` });
    if (this.image.spec.build.eip) have('eip') ?? this.cloud.create(name, { type: 'eip', region, tags, name: `${prefix}-eip` });
    const f = this.cloud.failures;
    const stepsDef = mode === 'build' ? this.image.spec.install : this.image.spec.tests;
    const failStep = mode === 'build' ? f.guestStepFail : f.testStepFail;
    const server = this.cloud.create(name, { type: 'ecs', region, tags, name: prefix }, 'ecs');
    this.cloud.addServer({
      id: server.id, region, mode, createdAt: server.createdAt,
      error: mode === 'build' && f.ecsError,
      noPowerOff: mode === 'build' && f.noPowerOff,
      steps: stepsDef.map((s) => ({ name: s.name, ms: this.cloud.stepMs(s.name), outcome: s.name === failStep ? 'fail' : mode === 'build' && s.name === f.guestStepHang ? 'hang' : mode === 'build' && s.name === f.guestPowerOff ? 'poweroff' : 'ok' })),
    });
    await this.cloud.clock.sleep(this.cloud.durations.applyMs / 2, signal);
    const stack = this.liveStack(name)!;
    stack.outputs = { flavor: this.image.spec.flavors[0], availabilityZone: 'az1', sourceImageId: imageId, sourceImageName: mode === 'build' ? 'Ubuntu 22.04 server 64bit' : imageId };
    this.cloud.save();
    return { instanceId: server.id, ...stack.outputs };
  }

  async deployBuilder(opts: { placement?: Placement; signal?: AbortSignal }): Promise<BuilderOutputs> {
    this.cloud.s().calls.push('deployBuilder');
    this.cloud.save();
    const out = await this.deployGuest('builder', 'build', this.cloud.failures.deployBuilder === true && this.cloud.fail('deployBuilder'), 'public-ubuntu-2204-0001', opts.signal);
    return { ...out, sourceImageId: 'public-ubuntu-2204-0001', sourceImageName: 'Ubuntu 22.04 server 64bit' };
  }

  async deployTester(opts: { imageId: string; signal?: AbortSignal }): Promise<GuestOutputs> {
    this.cloud.s().calls.push('deployTester');
    this.cloud.save();
    return this.deployGuest('tester', 'test', this.cloud.failures.deployTester === true && this.cloud.fail('deployTester'), opts.imageId, opts.signal);
  }

  private async destroyStack(name: string): Promise<void> {
    const stack = this.liveStack(name);
    if (!stack?.resources.length) return;
    const requested = this.cloud.clock.now();
    for (const id of stack.resources) {
      const r = this.cloud.s().resources[id];
      if (r) r.deleteRequestedAt ??= requested;
    }
    this.cloud.save();
    await this.cloud.clock.sleep(this.cloud.durations.destroyMs);
    const st = this.cloud.s();
    for (const id of stack.resources) {
      const r = st.resources[id];
      if (r && !r.deletedAt) r.deletedAt = this.cloud.clock.now();
    }
    delete st.stacks[name];
    this.cloud.save();
  }

  async destroyBuilder(): Promise<void> {
    this.cloud.s().calls.push('destroyBuilder');
    this.cloud.save();
    await this.destroyStack(this.stackName('builder'));
  }

  async destroyTester(): Promise<void> {
    this.cloud.s().calls.push('destroyTester');
    this.cloud.save();
    await this.destroyStack(this.stackName('tester'));
  }

  async captureImage(opts: { builderInstanceId: string; keep: readonly string[]; signal?: AbortSignal }): Promise<{ imageId: string; imageName: string }> {
    this.cloud.s().calls.push('captureImage');
    this.cloud.save();
    const name = this.stackName('release');
    const imageName = imageNameOf(this.image.spec);
    const existing = this.liveStack(name)?.resources.map((id) => this.cloud.s().resources[id]).find((r) => r?.type === 'image' && r.region === this.image.spec.buildRegion);
    if (existing) return { imageId: existing.id, imageName };
    const status = this.cloud.serverStatus(opts.builderInstanceId);
    if (status !== 'SHUTOFF') throw new Error(`IMS.0041: the ECS ${opts.builderInstanceId} is ${status}; stop it before creating an image`);
    await this.cloud.clock.sleep(this.cloud.durations.captureMs, opts.signal);
    if (this.cloud.failures.capture && this.cloud.fail('capture')) throw new Error('Error: waiting for IMS job: IMS.0138 image creation failed (injected)');
    const image = this.cloud.create(name, { type: 'image', region: this.image.spec.buildRegion, tags: this.imageTags, name: imageName }, 'ims');
    return { imageId: image.id, imageName };
  }

  async deployCopies(req: CopyRequest): Promise<Record<string, { imageId?: string; error?: string }>> {
    this.cloud.s().calls.push(`deployCopies:${req.pending.join(',')}`);
    this.cloud.save();
    const name = this.stackName('release');
    const wanted = new Set([...req.keep, ...req.pending]);
    const copies = () => (this.liveStack(name)?.resources ?? []).map((id) => this.cloud.s().resources[id]).filter((r) => r?.type === 'image' && r.region !== this.image.spec.buildRegion);
    // Like Terraform: a copy whose region left the list is destroyed.
    for (const r of copies()) {
      if (!wanted.has(r!.region)) {
        r!.deletedAt = this.cloud.clock.now();
        this.cloud.s().destroyedCopies.push(r!.region);
      }
    }
    this.cloud.save();
    const results: Record<string, { imageId?: string; error?: string }> = {};
    const queue = [...req.pending];
    const worker = async () => {
      for (let region = queue.shift(); region; region = queue.shift()) {
        if (req.signal?.aborted) return;
        const have = copies().find((r) => r!.region === region);
        if (have) {
          results[region] = { imageId: have.id };
          req.onEvent({ region, status: 'done', imageId: have.id });
          continue;
        }
        req.onEvent({ region, status: 'start' });
        const job = this.cloud.startCopy(region);
        try {
          if (job.overLimit) throw new Error('IMS.0280: too many concurrent cross-region copy tasks');
          await this.cloud.clock.sleep(job.end - this.cloud.clock.now(), req.signal);
          const times = this.cloud.failures.copyFail?.[region] ?? 0;
          if (times && this.cloud.fail(`copy:${region}`, times)) throw new Error(`IMS.0185: replication to ${region} failed (injected)`);
          const copy = this.cloud.create(name, { type: 'image', region, tags: this.imageTags, name: imageNameOf(this.image.spec) }, 'ims');
          const st = this.cloud.s();
          const j = st.copyJobs.find((x) => x.region === region && x.start === job.job.start);
          if (j) j.ok = true;
          this.cloud.save();
          results[region] = { imageId: copy.id };
          req.onEvent({ region, status: 'done', imageId: copy.id });
        } catch (err) {
          if (req.signal?.aborted) return;
          results[region] = { error: (err as Error).message };
          req.onEvent({ region, status: 'failed', error: (err as Error).message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, req.parallelism) }, worker));
    return results;
  }
}
