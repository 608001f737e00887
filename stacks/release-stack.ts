import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { HuaweicloudProvider, ImsEcsSystemImage, ImagesImageCopy } from './huaweicloud.js';
import { factoryTags } from './constructs/tags.js';
import { imageNameOf } from './definition/schema.js';
import { IMS, imageNameProblem } from './catalogue/ims-rules.js';
import { UserError } from './errors.js';
import type { LoadedImage } from './definition/load.js';
import type { BuildContext } from './build-context.js';
import { configureBackend, type StateBackend } from './backend.js';
import { providerEndpointConfig, type EndpointOverride } from './endpoint.js';

export interface ReleaseStackProps {
  readonly image: LoadedImage;
  readonly context: BuildContext;
  /**
   * Regions to hold a copy. Every region already copied must stay in the list: Terraform
   * destroys a copy whose region is dropped.
   * @default - the definition's targetRegions
   */
  readonly copyRegions?: readonly string[];
  readonly backend?: StateBackend;
  /** IMAGE_FACTORY_ENDPOINT, for the provider and the OBS state backend. */
  readonly endpoint?: EndpointOverride;
}

/**
 * `<image>-release`: the system-disk private image captured from the builder ECS, and one
 * cross-region copy per target region.
 *
 * The builder's instance ID comes in as a variable and the image ignores later changes to it,
 * so this stack stays valid (and plans clean) after the builder stack is destroyed.
 */
export class ReleaseStack extends TerraformStack {
  public readonly systemImage: ImsEcsSystemImage;
  public readonly copies: Record<string, ImagesImageCopy> = {};
  public readonly imageName: string;

  constructor(scope: Construct, props: ReleaseStackProps) {
    const id = `${props.image.name}-release`;
    super(scope, id);
    const { image, context } = props;
    const spec = image.spec;
    configureBackend(this, id, props.backend, props.endpoint);
    new HuaweicloudProvider(this, 'huaweicloud', { region: spec.buildRegion, ...providerEndpointConfig(props.endpoint) });

    this.imageName = imageNameOf(spec);
    const problem = imageNameProblem(this.imageName);
    if (problem) throw new UserError(`${image.file}: product.nameEn: the image name "${this.imageName}" breaks the IMS naming rules: it ${problem}`);
    const tags = factoryTags(image.name, spec, context, { temporary: false });
    if (Object.keys(tags).length > IMS.maxTags) {
      throw new UserError(`${image.file}: tags: expected at most ${IMS.maxTags} tags on the image (IMS limit), found ${Object.keys(tags).length}; remove some`);
    }

    const instanceId = new TerraformVariable(this, 'builder_instance_id', {
      type: 'string',
      nullable: false,
      description: 'ID of the stopped builder ECS to capture (output instance_id of the builder stack)',
    });
    this.systemImage = new ImsEcsSystemImage(this, 'image', {
      name: this.imageName,
      instanceId: instanceId.stringValue,
      description: `${spec.product.nameEn} ${spec.version} (build ${spec.buildVersion})`,
      minRam: spec.minRamMiB,
      tags,
      lifecycle: { ignoreChanges: ['instance_id'] },
      // Capture is an asynchronous IMS job; large disks take a while.
      timeouts: { create: '60m' },
    });

    const regions = props.copyRegions ?? spec.targetRegions;
    if (regions.length > 0 && !spec.build.agencyName) {
      throw new UserError(`${image.file}: build.agencyName: expected the name of an IAM agency holding IMS Administrator, found none; copies to ${regions.join(', ')} need one`);
    }
    for (const region of regions) {
      this.copies[region] = new ImagesImageCopy(this, `copy-${region}`, {
        name: this.imageName,
        sourceImageId: this.systemImage.id,
        targetRegion: region,
        agencyName: spec.build.agencyName,
        minRam: spec.minRamMiB,
        tags,
        // Cross-region copies are billed replication jobs that can queue behind the 5-copy limit.
        timeouts: { create: '120m' },
      });
    }

    const ids: Record<string, string> = { [spec.buildRegion]: this.systemImage.id };
    for (const [region, copy] of Object.entries(this.copies)) ids[region] = copy.id;
    new TerraformOutput(this, 'image_ids', { value: ids, description: 'private image ID per region' });
    new TerraformOutput(this, 'image_name', { value: this.imageName });
  }
}
