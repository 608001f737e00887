import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { HuaweicloudProvider, ImagesImageCopy } from './huaweicloud.js';
import { factoryTags } from './constructs/tags.js';
import { copiesNeedAgency, imageNameOf } from './definition/schema.js';
import { UserError } from './errors.js';
import type { LoadedImage } from './definition/load.js';
import { buildContextFromEnv, type BuildContext } from './build-context.js';
import { configureBackend, type StateBackend } from './backend.js';
import { providerEndpointConfig, type EndpointOverride } from './endpoint.js';
import { requireInput, siblingStack, stackInput } from './stack-input.js';

export interface CopyStackProps {
  /** The validated image product (loadImage, loadImages or imageFromDefinition). */
  readonly image: LoadedImage;
  /** The region that receives the copy. */
  readonly region: string;
  /** The build's ID and start time, put in the copy's tags. @default - buildContextFromEnv() */
  readonly context?: BuildContext;
  /** Where Terraform keeps the stack's state. @default - local, .image-factory/state/<stack id>.tfstate */
  readonly backend?: StateBackend;
  /** IMAGE_FACTORY_ENDPOINT, for the provider and the OBS state backend. @default - Huawei Cloud's public endpoints */
  readonly endpoint?: EndpointOverride;
}

/**
 * One cross-region copy of the captured image (the factory names it `<image>-copy-<region>`),
 * in a stack and a state of its own, so that each copy is applied, reported, retried and
 * cancelled on its own: a Terraform apply gives an error's reason only when the whole apply
 * ends, and starts ready resources in an order of its own. The factory runs at most 5 of these
 * applies at once (IMS's limit), longest first.
 *
 * The captured image's ID comes in as the variable `source_image_id` (the `image_id` output of
 * `<image>-release`); left empty, the plan fails at once with the `--var` to pass.
 *
 * Construct IDs are part of the contract: the stack's name and `copy` name the published copy in
 * its state, and renaming either destroys that image on the next deploy
 * (test/stacks/addresses.test.ts pins them).
 */
export class CopyStack extends TerraformStack {
  public readonly copy: ImagesImageCopy;

  constructor(scope: Construct, id: string, props: CopyStackProps) {
    super(scope, id);
    const { image, region } = props;
    const spec = image.spec;
    const context = props.context ?? buildContextFromEnv();
    configureBackend(this, id, props.backend, props.endpoint);
    // The provider's region is the source region: IMS copies from there (cross_region_copy).
    new HuaweicloudProvider(this, 'huaweicloud', { region: spec.buildRegion, ...providerEndpointConfig(props.endpoint) });

    const agencyProblem = copiesNeedAgency([region], spec.build.agencyName);
    if (agencyProblem) throw new UserError(`${image.file}: build.agencyName: ${agencyProblem}`);

    const release = siblingStack(id, `copy-${region}`, 'release');
    const source = stackInput(this, 'source_image_id', {
      description: 'ID of the captured private image to copy',
      from: `image_id output of ${release} (npx cdktf output ${release})`,
    });
    this.copy = new ImagesImageCopy(this, 'copy', {
      name: imageNameOf(spec),
      sourceImageId: source.value,
      targetRegion: region,
      agencyName: spec.build.agencyName,
      minRam: spec.minRamMiB,
      tags: factoryTags(image.name, spec, context, { temporary: false }),
      // Cross-region copies are billed replication jobs that can queue behind the 5-copy limit.
      timeouts: { create: '120m' },
    });
    requireInput(new TerraformOutput(this, 'image_id', { value: this.copy.id, description: `private image ID in ${region}` }), source);
  }
}
