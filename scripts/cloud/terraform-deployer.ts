/**
 * The real StackDeployer: synthesizes the image's stacks in-process (createFactoryApp) and runs
 * Terraform in cdktf.out/stacks/<stack>, with `-json` so each copy's start, end or error is
 * reported as it happens. Terraform reads Huawei credentials from HW_* itself; for the OBS
 * state backend the same key pair is passed as AWS_* to the terraform process only.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createFactoryApp } from '../../stacks/app.js';
import { versionedBackend, type StateBackend } from '../../stacks/backend.js';
import type { BuildContext } from '../../stacks/build-context.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { ENDPOINT_VAR, PROXY_CA_VAR, PROXY_VAR, terraformProxyEnv, type EndpointOverride, type ProxyRoute } from '../../stacks/endpoint.js';
import { ImagesImageCopy } from '../../stacks/huaweicloud.js';
import type { Credentials } from './credentials.js';
import type { BuilderOutputs, CopyRequest, GuestOutputs, Placement, StackDeployer } from './types.js';

export interface TerraformDeployerOptions {
  readonly image: LoadedImage;
  readonly context: BuildContext;
  readonly credentials: Credentials;
  /** Unversioned; the deployer scopes it to the image version. */
  readonly backend: StateBackend;
  /** @default cdktf.out */
  readonly outdir?: string;
  /** @default terraform */
  readonly terraform?: string;
  /** IMAGE_FACTORY_ENDPOINT: the stacks' provider and OBS state backend use it. */
  readonly endpoint?: EndpointOverride;
  /** IMAGE_FACTORY_PROXY: the stacks are unchanged; the terraform process gets HTTPS_PROXY and SSL_CERT_FILE. */
  readonly proxy?: ProxyRoute;
  /** Terraform's human-readable messages, for a verbose log. */
  readonly onLog?: (line: string) => void;
}

export interface TfMessage {
  '@level'?: string;
  '@message'?: string;
  type?: string;
  hook?: { resource?: { addr?: string }; action?: string; id_value?: string };
  diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
}

/** The reason a copy failed until Terraform's diagnostic for it arrives. */
export const COPY_FAILED_PLACEHOLDER = 'the copy failed (Terraform gives the reason when the apply ends)';

/**
 * Turns `terraform apply -json` messages into per-region copy events and results. Terraform
 * reports `apply_errored` for a resource as soon as it fails, but its error diagnostic (the
 * reason) only once every running operation has ended: the region is reported failed at once
 * with a placeholder, and a later error diagnostic for the same address replaces that reason.
 */
export class CopyTracker {
  readonly results: Record<string, { imageId?: string; error?: string }> = {};
  private readonly pending: Set<string>;
  private readonly placeholder = new Set<string>();

  constructor(private readonly regionOf: ReadonlyMap<string, string>, pending: readonly string[], private readonly onEvent: CopyRequest['onEvent']) {
    this.pending = new Set(pending);
  }

  handle(m: TfMessage): void {
    const addr = m.hook?.resource?.addr ?? m.diagnostic?.address;
    const region = addr ? this.regionOf.get(addr) : undefined;
    if (!region || !this.pending.has(region)) return;
    // Retrying a copy whose create failed replaces the tainted object: Terraform first deletes
    // it (apply_start/apply_complete with action "delete", no ID), then creates. Only the create
    // is the copy; a delete's completion is not a done copy.
    if (m.hook?.action === 'delete') return;
    if (m.type === 'apply_start') this.onEvent({ region, status: 'start' });
    else if (m.type === 'apply_complete') {
      this.results[region] = { imageId: m.hook?.id_value };
      this.onEvent({ region, status: 'done', imageId: m.hook?.id_value ?? '' });
    } else if (m.type === 'apply_errored') {
      if (this.results[region]?.error) return;
      this.results[region] = { error: COPY_FAILED_PLACEHOLDER };
      this.placeholder.add(region);
      this.onEvent({ region, status: 'failed', error: COPY_FAILED_PLACEHOLDER });
    } else if (m.type === 'diagnostic' && m.diagnostic?.severity === 'error') {
      const error = `${m.diagnostic.summary ?? ''}${m.diagnostic.detail ? `: ${m.diagnostic.detail.split('\n')[0]}` : ''}` || 'the copy failed';
      const existing = this.results[region]?.error;
      if (existing && !this.placeholder.has(region)) {
        // A second diagnostic for the same copy adds to the first.
        if (!existing.includes(error)) this.results[region] = { error: `${existing}; ${error}` };
        return;
      }
      const announced = this.placeholder.delete(region);
      this.results[region] = { error };
      // The failure was reported already (with the placeholder); the real reason goes to the result.
      if (!announced) this.onEvent({ region, status: 'failed', error });
    }
  }
}

/** Local state at an absolute path (relative ones mean the project folder, not Terraform's). */
function absoluteBackend(backend: StateBackend): StateBackend {
  return backend.kind === 'local' ? { ...backend, dir: resolve(backend.dir) } : backend;
}

export class TerraformDeployer implements StackDeployer {
  private readonly outdir: string;
  private readonly initialized = new Set<string>();
  private placement?: Placement;

  constructor(private readonly opts: TerraformDeployerOptions) {
    // Absolute, as every path handed to Terraform: it runs in cdktf.out/stacks/<stack>.
    this.outdir = resolve(opts.outdir ?? 'cdktf.out');
  }

  private stack(kind: 'builder' | 'release' | 'tester'): string {
    return `${this.opts.image.name}-${kind}`;
  }

  /** Synthesizes all three stacks with the given copy regions (done regions must be among them). */
  private synth(copyRegions: readonly string[]): void {
    const { image, context } = this.opts;
    const { app } = createFactoryApp({
      images: [image],
      context,
      outdir: this.outdir,
      copyRegions: { [image.name]: copyRegions },
      placement: this.placement ? { [image.name]: { flavor: this.placement.flavor, availabilityZone: this.placement.availabilityZone } } : undefined,
      backend: versionedBackend(absoluteBackend(this.opts.backend), image.name, image.spec.buildVersion),
      endpoint: this.opts.endpoint,
    });
    app.synth();
  }

  private env(): NodeJS.ProcessEnv {
    const c = this.opts.credentials;
    return {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      HW_ACCESS_KEY: c.accessKey,
      HW_SECRET_KEY: c.secretKey,
      ...(c.securityToken ? { HW_SECURITY_TOKEN: c.securityToken } : {}),
      ...terraformProxyEnv(this.opts.proxy),
      // The S3 backend's credentials for OBS (same key pair; never written to any file).
      ...(this.opts.backend.kind === 'obs' ? { AWS_ACCESS_KEY_ID: c.accessKey, AWS_SECRET_ACCESS_KEY: c.secretKey, ...(c.securityToken ? { AWS_SESSION_TOKEN: c.securityToken } : {}) } : {}),
    };
  }

  /** Runs terraform in the stack's folder; JSON lines go to `onJson`, errors become one message. */
  private run(stack: string, args: string[], { signal, onJson }: { signal?: AbortSignal; onJson?: (m: TfMessage) => void } = {}): Promise<string> {
    const cwd = join(this.outdir, 'stacks', stack);
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.terraform ?? 'terraform', args, { cwd, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      const errors: string[] = [];
      let stdout = '';
      let stderr = '';
      // On SIGINT, let Terraform stop gracefully: it finishes in-flight calls and saves state.
      const onAbort = () => child.kill('SIGINT');
      signal?.addEventListener('abort', onAbort, { once: true });
      createInterface({ input: child.stdout }).on('line', (line) => {
        stdout += `${line}\n`;
        if (!line.startsWith('{')) return;
        let m: TfMessage;
        try {
          m = JSON.parse(line) as TfMessage;
        } catch {
          return;
        }
        if (m.type === 'diagnostic' && m.diagnostic?.severity === 'error') {
          errors.push(`${m.diagnostic.address ? `${m.diagnostic.address}: ` : ''}${m.diagnostic.summary ?? ''}${m.diagnostic.detail ? ` (${m.diagnostic.detail.split('\n')[0]})` : ''}`);
        }
        if (m['@message']) this.opts.onLog?.(m['@message']);
        onJson?.(m);
      });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', (err) => reject(new Error(`terraform could not be started (${err.message}); install Terraform >= 1.10 and put it on PATH`)));
      child.on('close', (code) => {
        signal?.removeEventListener('abort', onAbort);
        if (code === 0) return resolve(stdout);
        const why = errors.length ? errors.join('; ') : stderr.trim().split('\n').slice(-5).join(' ') || `exit code ${code}`;
        const lock = /acquiring the state lock/i.test(why + stderr) ? ' (another build of this version holds the state lock; wait for it, or check for a stale lock)' : '';
        reject(new Error(`terraform ${args[0]} ${stack} failed: ${why}${lock}`));
      });
    });
  }

  private async init(stack: string, signal?: AbortSignal): Promise<void> {
    if (this.initialized.has(stack)) return;
    await this.run(stack, ['init', '-input=false', '-no-color', '-reconfigure'], { signal });
    this.initialized.add(stack);
  }

  private async apply(stack: string, vars: Record<string, string>, opts: { signal?: AbortSignal; parallelism?: number; onJson?: (m: TfMessage) => void } = {}): Promise<void> {
    await this.init(stack, opts.signal);
    const args = ['apply', '-auto-approve', '-input=false', '-json', '-lock-timeout=0s'];
    if (opts.parallelism) args.push(`-parallelism=${opts.parallelism}`);
    for (const [k, v] of Object.entries(vars)) args.push('-var', `${k}=${v}`);
    await this.run(stack, args, opts);
  }

  private async destroy(stack: string, vars: Record<string, string>): Promise<void> {
    if (!existsSync(join(this.outdir, 'stacks', stack))) this.synth([]);
    await this.init(stack);
    const args = ['destroy', '-auto-approve', '-input=false', '-json'];
    for (const [k, v] of Object.entries(vars)) args.push('-var', `${k}=${v}`);
    await this.run(stack, args);
  }

  private async outputs(stack: string): Promise<Record<string, unknown>> {
    const text = await this.run(stack, ['output', '-json', '-no-color']);
    const parsed = JSON.parse(text || '{}') as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

  async deployBuilder({ placement, signal }: { placement?: Placement; signal?: AbortSignal }): Promise<BuilderOutputs> {
    this.placement = placement;
    this.synth([]);
    const stack = this.stack('builder');
    await this.apply(stack, {}, { signal });
    const o = await this.outputs(stack);
    return { instanceId: String(o.instance_id), sourceImageId: String(o.source_image_id), sourceImageName: String(o.source_image_name), flavor: String(o.flavor), availabilityZone: String(o.availability_zone) };
  }

  async destroyBuilder(): Promise<void> {
    await this.destroy(this.stack('builder'), {});
  }

  async captureImage({ builderInstanceId, keep, signal }: { builderInstanceId: string; keep: readonly string[]; signal?: AbortSignal }): Promise<{ imageId: string; imageName: string }> {
    this.synth(keep);
    const stack = this.stack('release');
    await this.apply(stack, { builder_instance_id: builderInstanceId }, { signal });
    const o = await this.outputs(stack);
    const ids = o.image_ids as Record<string, string>;
    return { imageId: ids[this.opts.image.spec.buildRegion], imageName: String(o.image_name) };
  }

  async deployTester({ imageId, placement, signal }: { imageId: string; placement?: Placement; signal?: AbortSignal }): Promise<GuestOutputs> {
    this.placement = placement ?? this.placement;
    this.synth([]);
    const stack = this.stack('tester');
    await this.apply(stack, { image_id: imageId }, { signal });
    const o = await this.outputs(stack);
    return { instanceId: String(o.instance_id), flavor: String(o.flavor), availabilityZone: String(o.availability_zone) };
  }

  async destroyTester(): Promise<void> {
    await this.destroy(this.stack('tester'), { image_id: 'unused-on-destroy' });
  }

  /**
   * With custom `endpoints` (IMAGE_FACTORY_ENDPOINT), provider 1.97.1 refuses a client for any
   * region but the provider's own ("Resource-level region must be the same as Provider-level
   * region when using customizing endpoints", huaweicloud/config/config.go NewServiceClient), and
   * huaweicloud_images_image_copy asks for one in the target region once the copy job is done
   * (getCopiedRegionClient, huaweicloud/services/ims/resource_huaweicloud_images_image_copy.go,
   * github.com/huaweicloud/terraform-provider-huaweicloud): every copy would be paid for, then
   * fail, and leave an image that only a tainted state knows.
   */
  copyRefusal(regions: readonly string[]): string | undefined {
    if (!this.opts.endpoint || !regions.length) return undefined;
    return `${ENDPOINT_VAR} cannot copy images to other regions (${regions.join(', ')}): with custom endpoints the huaweicloud provider refuses clients for any region but its own, so each copy would fail after it was made. `
      + `Reach the cloud through a proxy instead, which keeps the provider's own endpoints: unset ${ENDPOINT_VAR} and set ${PROXY_VAR} (and ${PROXY_CA_VAR}), as \`image-factory emulator\` prints them. `
      + 'Copies left tainted by an earlier run in endpoint mode are replaced by the next `distribute` through the proxy (Terraform deletes the tainted image, then copies again)';
  }

  /** Terraform address of each region's copy, read from the synthesized stack. */
  private copyAddresses(stack: string): Map<string, string> {
    const json = JSON.parse(readFileSync(join(this.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, { target_region?: string }>> };
    const copies = json.resource?.[ImagesImageCopy.tfResourceType] ?? {};
    return new Map(Object.entries(copies).map(([name, r]) => [`${ImagesImageCopy.tfResourceType}.${name}`, r.target_region ?? '']));
  }

  async deployCopies(req: CopyRequest): Promise<Record<string, { imageId?: string; error?: string }>> {
    // Done regions stay in the list: Terraform would destroy a copy whose region is dropped.
    this.synth([...new Set([...req.keep, ...req.pending])]);
    const stack = this.stack('release');
    const regionOf = this.copyAddresses(stack);
    const tracker = new CopyTracker(regionOf, req.pending, req.onEvent);
    const results = tracker.results;
    let failure: Error | undefined;
    try {
      await this.apply(stack, { builder_instance_id: req.builderInstanceId }, {
        signal: req.signal,
        // Terraform runs at most this many operations at once: the IMS copy limit holds.
        parallelism: req.parallelism,
        onJson: (m) => tracker.handle(m),
      });
    } catch (err) {
      failure = err as Error;
    }
    // The outputs hold every region's image ID once the apply got that far.
    const ids = ((await this.outputs(stack).catch(() => ({}))) as Record<string, unknown>).image_ids as Record<string, string> | undefined;
    for (const region of req.pending) {
      if (results[region]?.error) continue;
      const id = ids?.[region] ?? results[region]?.imageId;
      if (id) {
        if (!results[region]) req.onEvent({ region, status: 'done', imageId: id });
        results[region] = { imageId: id };
      } else results[region] = { error: failure?.message ?? 'the copy was not created' };
    }
    return results;
  }
}
