/**
 * The real StackDeployer: synthesizes the image's stacks in-process (createFactoryApp) and runs
 * Terraform in cdktf.out/stacks/<stack>, with `-json` so that errors come as Terraform's own
 * diagnostics. Each copy is a stack of its own, so its end and its reason are known at once.
 * Terraform reads Huawei credentials from HW_* itself; for the OBS state backend the same key
 * pair is passed as AWS_* to the terraform process only.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createFactoryApp } from '../../stacks/app.js';
import { versionedBackend, type StateBackend } from '../../stacks/backend.js';
import type { BuildContext } from '../../stacks/build-context.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { ENDPOINT_VAR, PROXY_CA_VAR, PROXY_VAR, type EndpointOverride, type ProxyRoute } from '../../stacks/endpoint.js';
import { copyEach, destroyEach, type CopyResults } from './copy-pool.js';
import { synthesizeStable } from './stable-synth.js';
import { checkTerraform } from './terraform-check.js';
import { TerraformError, TerraformRunner } from './terraform-runner.js';
import type { Credentials } from './credentials.js';
import { ComputeInstance } from '../../stacks/huaweicloud.js';
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
  /** Reads an IMS job (the factory's signed client): a failed copy's reason, which the provider drops. */
  readonly imsJob?: (region: string, jobId: string) => Promise<ImsJob>;
}

/** An IMS job as `GET /v1/{project_id}/jobs/{job_id}` shows it (what a failed copy's reason is read from). */
export interface ImsJob {
  readonly status?: string;
  readonly error_code?: string;
  readonly fail_reason?: string;
}

/**
 * The provider reports a failed copy job as "error waiting for IMS image copy job (<id>) to
 * succeed: the image copy job execution failed", without IMS's reason
 * (resource_huaweicloud_images_image_copy.go imageCopyJobStatusRefreshFunc): the job's ID.
 */
export function copyJobOf(message: string): string | undefined {
  return /IMS image copy job \(([^)\s]+)\)/.exec(message)?.[1];
}

/** Local state at an absolute path (relative ones mean the project folder, not Terraform's). */
function absoluteBackend(backend: StateBackend): StateBackend {
  return backend.kind === 'local' ? { ...backend, dir: resolve(backend.dir) } : backend;
}

export class TerraformDeployer implements StackDeployer {
  private readonly runner: TerraformRunner;
  private readonly outdir: string;
  private placement?: Placement;

  constructor(private readonly opts: TerraformDeployerOptions) {
    this.runner = new TerraformRunner(opts);
    this.outdir = this.runner.outdir;
  }

  private stack(kind: 'builder' | 'release' | 'tester'): string {
    return `${this.opts.image.name}-${kind}`;
  }

  private copyStack(region: string): string {
    return `${this.opts.image.name}-copy-${region}`;
  }

  /** Synthesizes every stack, with a copy stack for each of `copyRegions`. */
  private synth(copyRegions: readonly string[]): void {
    const { image, context } = this.opts;
    // A background destroy may be reading its stack's files right now: only changed files move, atomically.
    synthesizeStable(this.outdir, (outdir) => createFactoryApp({
      images: [image],
      context,
      outdir,
      copyRegions: { [image.name]: copyRegions },
      placement: this.placement ? { [image.name]: { flavor: this.placement.flavor, availabilityZone: this.placement.availabilityZone } } : undefined,
      backend: versionedBackend(absoluteBackend(this.opts.backend), image.name, image.spec.buildVersion),
      endpoint: this.opts.endpoint,
    }).app.synth());
  }

  async deployBuilder({ placement, signal }: { placement?: Placement; signal?: AbortSignal }): Promise<BuilderOutputs> {
    this.placement = placement;
    this.synth([]);
    const stack = this.stack('builder');
    await this.runner.apply(stack, {}, { signal });
    const o = await this.runner.outputs(stack);
    return { instanceId: String(o.instance_id), sourceImageId: String(o.source_image_id), sourceImageName: String(o.source_image_name), flavor: String(o.flavor), availabilityZone: String(o.availability_zone) };
  }

  async destroyBuilder(): Promise<void> {
    await this.destroy(this.stack('builder'), {});
  }

  /** Destroys a stack; synthesizes it first only when its folder is gone. */
  private async destroy(stack: string, vars: Record<string, string>): Promise<void> {
    if (!existsSync(this.runner.dir(stack))) this.synth([]);
    await this.runner.destroy(stack, vars);
  }

  async captureImage({ builderInstanceId, signal }: { builderInstanceId: string; signal?: AbortSignal }): Promise<{ imageId: string; imageName: string }> {
    this.synth([]);
    const stack = this.stack('release');
    await this.runner.apply(stack, { builder_instance_id: builderInstanceId }, { signal });
    const o = await this.runner.outputs(stack);
    return { imageId: String(o.image_id), imageName: String(o.image_name) };
  }

  async deployTester({ imageId, placement, signal }: { imageId: string; placement?: Placement; signal?: AbortSignal }): Promise<GuestOutputs> {
    this.placement = placement ?? this.placement;
    this.synth([]);
    const stack = this.stack('tester');
    await this.runner.apply(stack, { image_id: imageId }, { signal });
    const o = await this.runner.outputs(stack);
    return { instanceId: String(o.instance_id), flavor: String(o.flavor), availabilityZone: String(o.availability_zone) };
  }

  async trackedServers(kind: 'builder' | 'tester'): Promise<string[]> {
    const stack = this.stack(kind);
    if (!existsSync(this.runner.dir(stack))) return [];
    return this.runner.stateIds(stack, ComputeInstance.tfResourceType);
  }

  async destroyTester(): Promise<void> {
    await this.destroy(this.stack('tester'), { image_id: 'unused-on-destroy' });
  }

  /** Terraform >= 1.10 on PATH and the provider installable: checked once, remembered (terraform-check.ts). */
  async preflight(): Promise<void> {
    checkTerraform({ terraform: this.opts.terraform, dir: join(dirname(this.outdir), '.image-factory', 'terraform-check'), pluginCache: this.runner.pluginCache() });
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
      + `Reach the cloud through a proxy instead, which keeps the provider's own endpoints: unset ${ENDPOINT_VAR} and set ${PROXY_VAR} (and ${PROXY_CA_VAR}), as \`image-factory emulator\` prints them `
      + '(copies an earlier version of the factory left tainted this way: README, "Copies tainted in endpoint mode")';
  }

  /**
   * One Terraform apply per region's copy stack (copy-pool.ts runs them, at most `parallelism`
   * at once, in the order asked): each ends with its own copy, so its image ID or its reason is
   * known the moment that copy ends, and a retry touches only its own state.
   */
  async deployCopies(req: CopyRequest): Promise<CopyResults> {
    this.synth(req.pending);
    return copyEach(req, async (region, signal) => {
      const stack = this.copyStack(region);
      try {
        await this.runner.apply(stack, { source_image_id: req.sourceImageId }, { signal });
      } catch (err) {
        throw new Error(await this.copyFailure(region, err as Error));
      }
      return String((await this.runner.outputs(stack)).image_id);
    });
  }

  /** `terraform destroy` of each region's copy stack: the provider deletes the copied image and waits until IMS no longer lists it. */
  async destroyCopies(regions: readonly string[], sourceImageId: string): Promise<Record<string, string>> {
    if (!regions.length) return {};
    this.synth(regions);
    return destroyEach(regions, async (region) => {
      try {
        await this.runner.destroy(this.copyStack(region), { source_image_id: sourceImageId });
      } catch (err) {
        throw new Error(terraformReason(err as Error));
      }
    });
  }

  /** A failed copy's reason: IMS's own (the job's error code and fail_reason) where the provider hid it. */
  private async copyFailure(region: string, err: Error): Promise<string> {
    const said = terraformReason(err);
    const jobId = copyJobOf(said);
    if (!jobId || !this.opts.imsJob) return said;
    const job = await this.opts.imsJob(this.opts.image.spec.buildRegion, jobId).catch(() => undefined);
    if (!job?.fail_reason && !job?.error_code) return said;
    return `IMS copy job ${jobId} to ${region} failed: ${[job.error_code, job.fail_reason].filter(Boolean).join(' ')}`;
  }
}

/** Terraform's own diagnostics of a failed run, on one line each (the error's message otherwise). */
function terraformReason(err: Error): string {
  const diagnostics = err instanceof TerraformError ? err.diagnostics : [];
  return diagnostics.length ? diagnostics.map((d) => `${d.summary}${d.detail ? ` (${d.detail.split('\n')[0]})` : ''}`).join('; ') : err.message;
}
