import { Construct } from 'constructs';
import { BuilderStack, TesterStack } from './builder-stack.js';
import { ReleaseStack } from './release-stack.js';
import { CopyStack } from './copy-stack.js';
import { UserError } from './errors.js';
import { TemplateStack } from './template-stack.js';
import { buildContextFromEnv, type BuildContext } from './build-context.js';
import type { LoadedImage } from './definition/load.js';
import type { StateBackend } from './backend.js';
import type { EndpointOverride } from './endpoint.js';

export interface ImageProductProps {
  /** The validated image product (loadImage, loadImages or imageFromDefinition). */
  readonly image: LoadedImage;
  /**
   * The build's ID and start time, put in every resource's tags.
   * @default - buildContextFromEnv(): IMAGE_FACTORY_BUILD_ID, else a "manual" build started now
   */
  readonly context?: BuildContext;
  /** Regions that get a copy stack (`<id>-copy-<region>`). @default - the definition's targetRegions (none with `endpoint`) */
  readonly copyRegions?: readonly string[];
  /** Flavor of the builder and tester. @default - the first flavor of the definition */
  readonly flavor?: string;
  /** Availability zone of the builder and tester. @default - the region's choice */
  readonly availabilityZone?: string;
  /** Where Terraform keeps each stack's state. @default - local, .image-factory/state/<stack>.tfstate */
  readonly backend?: StateBackend;
  /** One base URL for every Huawei Cloud call (IMAGE_FACTORY_ENDPOINT). @default - Huawei Cloud's public endpoints */
  readonly endpoint?: EndpointOverride;
  /** Also synthesize the buyer's RFS template as the stack `<id>-template`. @default false */
  readonly template?: boolean;
  /** The template's private image ID per region, when the listing has no assetId. @default - none */
  readonly templateImageIds?: Readonly<Record<string, string>>;
  /** Without an assetId or image IDs, synthesize a planned (never deployable) template instead of failing. @default false */
  readonly allowPlannedTemplate?: boolean;
}

/**
 * One image product as stacks: `<id>-builder` (the sealed build machine), `<id>-release` (the
 * captured image), one `<id>-copy-<region>` per target region (its copy there), `<id>-tester`
 * (a boot test of the image) and, on request, `<id>-template` (the buyer's RFS template). Each
 * stack is also usable on its own.
 *
 * The id names the stacks, and so their state: keep it stable (the factory uses the image name).
 */
export class ImageProduct extends Construct {
  public readonly builder: BuilderStack;
  public readonly release: ReleaseStack;
  /** Per target region, its copy stack. */
  public readonly copies: Readonly<Record<string, CopyStack>>;
  public readonly tester: TesterStack;
  /** Present when `template` is set. */
  public readonly template?: TemplateStack;

  constructor(scope: Construct, id: string, props: ImageProductProps) {
    super(scope, id);
    // One context for all stacks, so the builder and tester carry the same build ID and expiry.
    const context = props.context ?? buildContextFromEnv();
    const { image, backend, endpoint } = props;
    const guest = { image, context, backend, endpoint, flavor: props.flavor, availabilityZone: props.availabilityZone };
    this.builder = new BuilderStack(this, `${id}-builder`, guest);
    this.release = new ReleaseStack(this, `${id}-release`, { image, context, backend, endpoint });
    // With one endpoint for every service the provider refuses clients for other regions
    // (huaweicloud/config/config.go NewServiceClient), and a copy needs one in its target
    // region: no copy stacks then, rather than copies that fail once made.
    if (endpoint && props.copyRegions?.length) throw new UserError(`${image.file}: copies to ${props.copyRegions.join(', ')} cannot be made through IMAGE_FACTORY_ENDPOINT (the huaweicloud provider refuses clients for other regions with custom endpoints); reach the cloud through IMAGE_FACTORY_PROXY instead`);
    const regions = props.copyRegions ?? (endpoint ? [] : image.spec.targetRegions);
    this.copies = Object.fromEntries(regions.map((region) => [region, new CopyStack(this, `${id}-copy-${region}`, { image, region, context, backend, endpoint })]));
    this.tester = new TesterStack(this, `${id}-tester`, guest);
    if (props.template) {
      this.template = new TemplateStack(this, `${id}-template`, { image, imageIds: props.templateImageIds, allowPlanned: props.allowPlannedTemplate });
    }
  }
}
