import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { HuaweicloudProvider, ImsEcsSystemImage } from './huaweicloud.js';
import { factoryTags } from './constructs/tags.js';
import { imageNameOf } from './definition/schema.js';
import type { LoadedImage } from './definition/load.js';
import { buildContextFromEnv, type BuildContext } from './build-context.js';
import { configureBackend, type StateBackend } from './backend.js';
import { providerEndpointConfig, type EndpointOverride } from './endpoint.js';
import { requireInput, siblingStack, stackInput } from './stack-input.js';

export interface ReleaseStackProps {
  /** The validated image product (loadImage, loadImages or imageFromDefinition). */
  readonly image: LoadedImage;
  /**
   * The build's ID and start time, put in the image's tags.
   * @default - buildContextFromEnv(): IMAGE_FACTORY_BUILD_ID, else a "manual" build started now
   */
  readonly context?: BuildContext;
  /** Where Terraform keeps the stack's state. @default - local, .image-factory/state/<stack id>.tfstate */
  readonly backend?: StateBackend;
  /** IMAGE_FACTORY_ENDPOINT, for the provider and the OBS state backend. @default - Huawei Cloud's public endpoints */
  readonly endpoint?: EndpointOverride;
}

/**
 * The system-disk private image captured from the builder ECS (the factory names it
 * `<image>-release`). Its copies to the target regions are stacks of their own
 * (`<image>-copy-<region>`, copy-stack.ts), fed with this stack's `image_id` output.
 *
 * The builder's instance ID comes in as the variable `builder_instance_id` and the image
 * ignores later changes to it, so this stack stays valid after the builder stack is destroyed;
 * left empty, the plan fails at once with the `--var` to pass.
 *
 * Construct IDs are part of the contract: `image` names the published image in Terraform's
 * state, and renaming it destroys that image on the next deploy (test/stacks/addresses.test.ts
 * pins them).
 */
export class ReleaseStack extends TerraformStack {
  public readonly systemImage: ImsEcsSystemImage;
  public readonly imageName: string;

  constructor(scope: Construct, id: string, props: ReleaseStackProps) {
    super(scope, id);
    const { image } = props;
    const context = props.context ?? buildContextFromEnv();
    const spec = image.spec;
    configureBackend(this, id, props.backend, props.endpoint);
    new HuaweicloudProvider(this, 'huaweicloud', { region: spec.buildRegion, ...providerEndpointConfig(props.endpoint) });

    // The name and tag count of the definition were checked when it was validated (definition/schema.ts).
    this.imageName = imageNameOf(spec);
    const tags = factoryTags(image.name, spec, context, { temporary: false });

    const builder = siblingStack(id, 'release', 'builder');
    const instanceId = stackInput(this, 'builder_instance_id', {
      description: 'ID of the stopped builder ECS to capture',
      from: `instance_id output of ${builder} (npx cdktf output ${builder})`,
    });
    this.systemImage = new ImsEcsSystemImage(this, 'image', {
      name: this.imageName,
      instanceId: instanceId.value,
      description: `${spec.product.nameEn} ${spec.version} (build ${spec.buildVersion})`,
      minRam: spec.minRamMiB,
      tags,
      lifecycle: { ignoreChanges: ['instance_id'] },
      // Capture is an asynchronous IMS job; large disks take a while.
      timeouts: { create: '60m' },
    });

    requireInput(new TerraformOutput(this, 'image_id', { value: this.systemImage.id, description: `private image ID in ${spec.buildRegion}` }), instanceId);
    new TerraformOutput(this, 'image_name', { value: this.imageName });
  }
}
