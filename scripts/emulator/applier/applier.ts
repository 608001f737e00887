/**
 * A small stand-in for Terraform, for simulations against the emulator (pipeline tests, the
 * bench, the guest tier): it synthesizes the image's real stacks exactly as the Terraform
 * deployer does, reads their cdk.tf.json, and creates, reads and deletes the same resources
 * through the same API calls as the provider (resources.ts), in dependency order, keeping a
 * state file per stack. It knows no tag, name or resource list of its own: all of that comes
 * from the synthesized stacks.
 *
 * Beyond Terraform: a create that starts a job (an ECS, an image, a copy) records the job in
 * the state at once, so an apply killed mid-job waits for that job when run again instead of
 * starting a second one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFactoryApp } from '../../../stacks/app.js';
import { versionedBackend, type StateBackend } from '../../../stacks/backend.js';
import type { BuildContext } from '../../../stacks/build-context.js';
import type { LoadedImage } from '../../../stacks/definition/load.js';
import type { HuaweiApi } from '../../cloud/huawei-api.js';
import { copyEach, destroyEach, type CopyResults } from '../../cloud/copy-pool.js';
import { synthesizeStable } from '../../cloud/stable-synth.js';
import { ComputeInstance } from '../../../stacks/huaweicloud.js';
import type { BuilderOutputs, CopyRequest, GuestOutputs, Placement, StackDeployer } from '../../cloud/types.js';
import { writeFileAtomic } from '../../lib/fs.js';
import type { Clock } from '../../pipeline/clock.js';
import { dependencies, evaluate } from './expressions.js';
import { DATA_SOURCES, RESOURCES, type Instance, type ResourceContext } from './resources.js';

export interface ApplierOptions {
  readonly image: LoadedImage;
  readonly context: BuildContext;
  readonly api: HuaweiApi;
  readonly clock: Clock;
  /** Where the stacks are synthesized (cdktf.out/stacks/<stack>/cdk.tf.json). */
  readonly outdir: string;
  /** Where each stack's state file is kept, per image version. */
  readonly stateDir: string;
  /** @default 5000 (ms of the clock) */
  readonly pollMs?: number;
  /** Deployer calls are appended here ("deployBuilder", "deployCopies:a,b" ...). */
  readonly calls?: string[];
}

interface StackState {
  /** In creation order (the reverse is a safe deletion order). */
  resources: {
    address: string;
    instance?: Instance;
    /** Made by a create that then failed or was interrupted: destroyed before the next create, or by destroy. */
    tainted?: Instance;
    pendingJob?: string;
    pendingWhere?: string;
  }[];
  outputs: Record<string, unknown>;
}

interface StackJson {
  provider?: { huaweicloud?: { region?: string }[] };
  variable?: Record<string, unknown>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
}

export class EmulatorApplier implements StackDeployer {
  private placement?: Placement;
  private readonly pollMs: number;

  constructor(private readonly opts: ApplierOptions) {
    this.pollMs = opts.pollMs ?? 5_000;
  }

  private stack(kind: 'builder' | 'release' | 'tester'): string {
    return `${this.opts.image.name}-${kind}`;
  }

  /** The same synthesis as TerraformDeployer: every stack, with these copy stacks. */
  private synth(copyRegions: readonly string[]): void {
    const { image, context } = this.opts;
    const backend: StateBackend = versionedBackend({ kind: 'local', dir: this.opts.stateDir }, image.name, image.spec.buildVersion);
    // As the Terraform deployer does: only changed files move into place, atomically.
    synthesizeStable(this.opts.outdir, (outdir) => createFactoryApp({
      images: [image], context, outdir, copyRegions: { [image.name]: copyRegions },
      placement: this.placement ? { [image.name]: { flavor: this.placement.flavor, availabilityZone: this.placement.availabilityZone } } : undefined,
      backend,
    }).app.synth());
  }

  private statePath(stack: string): string {
    return join(this.opts.stateDir, this.opts.image.name, this.opts.image.spec.buildVersion, `${stack}.applier.json`);
  }

  private load(stack: string): StackState {
    const path = this.statePath(stack);
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as StackState : { resources: [], outputs: {} };
  }

  private save(stack: string, state: StackState): void {
    writeFileAtomic(this.statePath(stack), `${JSON.stringify(state, null, 1)}\n`);
  }

  private config(stack: string): StackJson {
    return JSON.parse(readFileSync(join(this.opts.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;
  }

  private ctx(region: string, signal: AbortSignal | undefined, extra: Partial<ResourceContext> = {}): ResourceContext {
    return { api: this.opts.api, region, clock: this.opts.clock, pollMs: this.pollMs, signal, onJob: () => {}, onCreated: () => {}, ...extra };
  }

  /**
   * Creates what the configuration has and the state lacks, deletes what the state has and the
   * configuration dropped, then evaluates the outputs. Independent resources run concurrently,
   * at most `parallelism` at once; a failure stops only what depends on it.
   */
  private async apply(stackName: string, vars: Record<string, string>, o: { signal?: AbortSignal; parallelism?: number } = {}): Promise<Record<string, unknown>> {
    const json = this.config(stackName);
    const region = json.provider?.huaweicloud?.[0]?.region ?? this.opts.image.spec.buildRegion;
    const state = this.load(stackName);
    for (const name of Object.keys(json.variable ?? {})) {
      if (vars[name] === undefined) throw new Error(`applier ${stackName}: no value for the required variable "${name}"`);
    }
    const desired = new Map<string, Record<string, any>>();
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, config] of Object.entries(byName)) desired.set(`${type}.${name}`, config);
    }
    // Dropped from the configuration: destroyed first, newest first.
    for (const entry of [...state.resources].reverse()) {
      if (desired.has(entry.address)) continue;
      await this.deleteEntry(entry, region, o.signal);
      state.resources = state.resources.filter((r) => r !== entry);
      this.save(stackName, state);
    }
    // Tainted: replaced, as Terraform plans it (destroy, then create).
    for (const entry of [...state.resources].reverse()) {
      if (!entry.tainted || entry.instance) continue;
      await this.deleteEntry(entry, region, o.signal);
      state.resources = state.resources.filter((r) => r !== entry);
      this.save(stackName, state);
    }
    const data = new Map<string, Record<string, unknown>>();
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const [name, config] of Object.entries(byName)) {
        const source = DATA_SOURCES[type];
        if (!source) throw new Error(`applier: data source ${type} is not supported`);
        data.set(`data.${type}.${name}`, await source.read(evaluate(config, () => undefined) as Record<string, any>, this.ctx(region, o.signal)));
      }
    }
    const entryOf = (address: string) => state.resources.find((r) => r.address === address);
    const lookup = (address: string, attribute: string | undefined): unknown => {
      if (address.startsWith('var.')) return vars[address.slice(4)];
      const record = address.startsWith('data.') ? data.get(address) : entryOf(address)?.instance?.attrs;
      if (!record) throw new Error(`applier: ${address} is not known yet`);
      return attribute ? record[attribute] : record;
    };

    const todo = [...desired.keys()].filter((a) => !entryOf(a)?.instance);
    const failed = new Map<string, string>();
    const running = new Set<Promise<void>>();
    const limit = Math.max(1, o.parallelism ?? 10);
    const ready = (a: string) => dependencies(desired.get(a)).every((d) => d.startsWith('data.') || entryOf(d)?.instance);
    const blocked = (a: string): boolean => dependencies(desired.get(a)).some((d) => failed.has(d) || (todo.includes(d) && blocked(d)));
    const start = (address: string) => {
      todo.splice(todo.indexOf(address), 1);
      const type = address.split('.')[0];
      const handler = RESOURCES[type];
      const config = evaluate(desired.get(address), lookup) as Record<string, any>;
      let entry = entryOf(address);
      if (!entry) {
        entry = { address };
        state.resources.push(entry);
      }
      const current = entry;
      const p = (async () => {
        if (!handler) throw new Error(`applier: resource type ${type} is not supported`);
        current.instance = await handler.create(config, this.ctx(region, o.signal, {
          pendingJob: current.pendingJob,
          onJob: (jobId, where) => {
            current.pendingJob = jobId;
            current.pendingWhere = where;
            this.save(stackName, state);
          },
          onCreated: (instance) => {
            current.tainted = instance;
            this.save(stackName, state);
          },
        }));
        delete current.tainted;
        delete current.pendingJob;
        delete current.pendingWhere;
        this.save(stackName, state);
      })().catch((err: Error) => {
        // A failed job is over: a retry starts a new one. An interrupted wait keeps its job, which goes on in the cloud.
        if (!o.signal?.aborted) {
          delete current.pendingJob;
          delete current.pendingWhere;
        }
        if (!current.instance && !current.pendingJob && !current.tainted) state.resources = state.resources.filter((r) => r !== current);
        this.save(stackName, state);
        failed.set(address, err.message);
      }).finally(() => running.delete(p));
      running.add(p);
    };
    for (;;) {
      if (o.signal?.aborted) break;
      for (const a of [...todo]) {
        if (running.size >= limit) break;
        if (ready(a)) start(a);
      }
      if (!running.size) break;
      await Promise.race(running);
    }
    await Promise.all(running);
    if (o.signal?.aborted) throw o.signal.reason;
    const never = todo.filter(blocked);
    if (failed.size) {
      throw new Error(`apply ${stackName} failed: ${[...failed].map(([a, e]) => `${a}: ${e}`).join('; ')}${never.length ? ` (not created: ${never.join(', ')})` : ''}`);
    }
    state.outputs = Object.fromEntries(Object.entries(json.output ?? {}).map(([k, v]) => [k, evaluate(v.value, lookup)]));
    this.save(stackName, state);
    return state.outputs;
  }

  private async destroy(stackName: string): Promise<void> {
    const state = this.load(stackName);
    if (!state.resources.length) return;
    const region = existsSync(join(this.opts.outdir, 'stacks', stackName, 'cdk.tf.json')) ? this.config(stackName).provider?.huaweicloud?.[0]?.region ?? this.opts.image.spec.buildRegion : this.opts.image.spec.buildRegion;
    for (const entry of [...state.resources].reverse()) {
      await this.deleteEntry(entry, region, undefined);
      state.resources = state.resources.filter((r) => r !== entry);
      this.save(stackName, state);
    }
    state.outputs = {};
    this.save(stackName, state);
  }

  /** Deletes what a state entry holds: its resource, a tainted one, or what its interrupted job made. */
  private async deleteEntry(entry: StackState['resources'][number], region: string, signal: AbortSignal | undefined): Promise<void> {
    const type = RESOURCES[entry.address.split('.')[0]];
    // A create interrupted mid-job: the job went on, so what it made is found and deleted too.
    if (!entry.instance && !entry.tainted && entry.pendingJob) entry.instance = await type.fromJob?.(entry.pendingJob, entry.pendingWhere, this.ctx(region, signal));
    const instance = entry.instance ?? entry.tainted;
    if (instance) await type.delete(instance, this.ctx(region, signal));
  }

  private log(call: string): void {
    this.opts.calls?.push(call);
  }

  async deployBuilder({ placement, signal }: { placement?: Placement; signal?: AbortSignal }): Promise<BuilderOutputs> {
    this.log('deployBuilder');
    this.placement = placement;
    this.synth([]);
    const o = await this.apply(this.stack('builder'), {}, { signal });
    return { instanceId: String(o.instance_id), sourceImageId: String(o.source_image_id), sourceImageName: String(o.source_image_name), flavor: String(o.flavor), availabilityZone: String(o.availability_zone) };
  }

  async destroyBuilder(): Promise<void> {
    this.log('destroyBuilder');
    await this.destroy(this.stack('builder'));
  }

  async trackedServers(kind: 'builder' | 'tester'): Promise<string[]> {
    return this.load(this.stack(kind)).resources.filter((r) => r.address.startsWith(`${ComputeInstance.tfResourceType}.`))
      .flatMap((r) => [r.instance?.id, r.tainted?.id]).filter((id): id is string => id !== undefined);
  }

  async captureImage({ builderInstanceId, signal }: { builderInstanceId: string; signal?: AbortSignal }): Promise<{ imageId: string; imageName: string }> {
    this.log('captureImage');
    this.synth([]);
    const o = await this.apply(this.stack('release'), { builder_instance_id: builderInstanceId }, { signal });
    return { imageId: String(o.image_id), imageName: String(o.image_name) };
  }

  async deployTester({ imageId, placement, signal }: { imageId: string; placement?: Placement; signal?: AbortSignal }): Promise<GuestOutputs> {
    this.log('deployTester');
    this.placement = placement ?? this.placement;
    this.synth([]);
    const o = await this.apply(this.stack('tester'), { image_id: imageId }, { signal });
    return { instanceId: String(o.instance_id), flavor: String(o.flavor), availabilityZone: String(o.availability_zone) };
  }

  async destroyTester(): Promise<void> {
    this.log('destroyTester');
    await this.destroy(this.stack('tester'));
  }

  /** Each pending region's copy stack, through the same pool as Terraform (copy-pool.ts). */
  async deployCopies(req: CopyRequest): Promise<CopyResults> {
    this.log(`deployCopies:${req.pending.join(',')}`);
    this.synth(req.pending);
    return copyEach(req, async (region, signal) => {
      const o = await this.apply(`${this.opts.image.name}-copy-${region}`, { source_image_id: req.sourceImageId }, { signal });
      return String(o.image_id);
    });
  }

  /** Destroys each region's copy stack, as `terraform destroy` would (the copied image goes). */
  async destroyCopies(regions: readonly string[]): Promise<Record<string, string>> {
    this.log(`destroyCopies:${regions.join(',')}`);
    return destroyEach(regions, (region) => this.destroy(`${this.opts.image.name}-copy-${region}`));
  }
}
