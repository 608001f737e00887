import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { HuaweicloudProvider, DataHuaweicloudImagesImage } from './huaweicloud.js';
import { BuildNetwork } from './constructs/build-network.js';
import { SealedInstance } from './constructs/sealed-instance.js';
import { factoryTags } from './constructs/tags.js';
import { renderUserData, type UserDataBundle } from './guest/user-data.js';
import { flavorArchitecture } from './catalogue/flavors.js';
import type { LoadedImage } from './definition/load.js';
import { buildContextFromEnv, type BuildContext } from './build-context.js';
import type { RunMode } from './guest/protocol.js';
import { configureBackend, type StateBackend } from './backend.js';
import { requireInput, siblingStack, stackInput, type StackInput } from './stack-input.js';
import { providerEndpointConfig, type EndpointOverride } from './endpoint.js';

export interface GuestStackProps {
  /** The validated image product (loadImage, loadImages or imageFromDefinition). */
  readonly image: LoadedImage;
  /**
   * The build's ID and start time, put in every resource's tags (sweep finds orphans by them).
   * @default - buildContextFromEnv(): IMAGE_FACTORY_BUILD_ID, else a "manual" build started now
   */
  readonly context?: BuildContext;
  /** @default - the first flavor of the definition */
  readonly flavor?: string;
  /** @default - the region's choice */
  readonly availabilityZone?: string;
  /** Where Terraform keeps the stack's state. @default - local, .image-factory/state/<stack id>.tfstate */
  readonly backend?: StateBackend;
  /** IMAGE_FACTORY_ENDPOINT, for the provider and the OBS state backend. @default - Huawei Cloud's public endpoints */
  readonly endpoint?: EndpointOverride;
}

/**
 * Shared by the builder (mode `build`: public base image, install steps, sanitize) and the
 * tester (mode `test`: the captured image, test steps). Both are a sealed ECS in a network
 * of their own, which this stack owns entirely so destroying it leaves nothing behind.
 */
class GuestStack extends TerraformStack {
  public readonly instance: SealedInstance;
  public readonly network: BuildNetwork;
  public readonly userData: UserDataBundle;
  public readonly flavor: string;

  protected constructor(scope: Construct, id: string, props: GuestStackProps, mode: RunMode, sourceImage: (stack: GuestStack, flavor: string) => string | StackInput) {
    super(scope, id);
    const { image } = props;
    const context = props.context ?? buildContextFromEnv();
    const spec = image.spec;
    configureBackend(this, id, props.backend, props.endpoint);
    new HuaweicloudProvider(this, 'huaweicloud', { region: spec.buildRegion, ...providerEndpointConfig(props.endpoint) });
    const tags = factoryTags(image.name, spec, context, { temporary: true });
    const namePrefix = `${id}-${context.buildId}`.toLowerCase();
    this.flavor = props.flavor ?? spec.flavors[0];
    this.network = new BuildNetwork(this, 'network', {
      namePrefix,
      cidr: spec.build.vpcCidr,
      tags,
      eip: spec.build.eip,
      eipBandwidthMbps: spec.build.eipBandwidthMbps,
      eipType: spec.build.eipType,
      egress: spec.build.egress,
    });
    this.userData = renderUserData({
      mode,
      buildId: context.buildId,
      imageDir: image.dir,
      imageFiles: image.files,
      steps: mode === 'build' ? spec.install : spec.tests,
      waivers: spec.selfCheck.waivers,
      securityGroup: spec.securityGroup,
      timeoutMinutes: mode === 'build' ? spec.build.timeoutMinutes : undefined,
      definitionFile: image.file,
    });
    const source = sourceImage(this, this.flavor);
    this.instance = new SealedInstance(this, 'machine', {
      name: namePrefix,
      imageId: typeof source === 'string' ? source : source.value,
      flavor: this.flavor,
      availabilityZone: props.availabilityZone,
      network: this.network,
      systemDiskType: spec.systemDisk.type,
      systemDiskSizeGiB: spec.systemDisk.sizeGiB,
      userData: this.userData.base64,
      tags,
    });
    const instanceId = new TerraformOutput(this, 'instance_id', { value: this.instance.instance.id, description: 'ID of the sealed ECS' });
    if (typeof source !== 'string') requireInput(instanceId, source);
    new TerraformOutput(this, 'availability_zone', { value: this.instance.instance.availabilityZone });
    new TerraformOutput(this, 'flavor', { value: this.flavor });
  }
}

/**
 * The machine that installs the product on a Huawei public image (the factory names it
 * `<image>-builder`). The id is the stack's name and names its resources: keep it stable.
 */
export class BuilderStack extends GuestStack {
  public readonly baseImage: DataHuaweicloudImagesImage;

  constructor(scope: Construct, id: string, props: GuestStackProps) {
    const spec = props.image.spec;
    let baseImage: DataHuaweicloudImagesImage | undefined;
    super(scope, id, props, 'build', (stack, flavor) => {
      // Public images only, newest match: KooGallery takes system disk images made from Huawei
      // public images (https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html).
      const base = spec.baseImage;
      baseImage = new DataHuaweicloudImagesImage(stack, 'base-image', {
        ...('name' in base ? { name: base.name } : { os: base.os, osVersion: base.osVersion }),
        visibility: 'public',
        mostRecent: true,
        architecture: flavorArchitecture(flavor, spec.catalogue.extraFlavorFamilies) === 'aarch64' ? 'arm' : 'x86',
      });
      return baseImage.id;
    });
    this.baseImage = baseImage!;
    new TerraformOutput(this, 'source_image_id', { value: this.baseImage.id, description: 'resolved public base image ID' });
    new TerraformOutput(this, 'source_image_name', { value: this.baseImage.name });
  }
}

/**
 * Boots the captured image on a fresh machine and runs the test steps (the factory names it
 * `<image>-tester`). The image comes in as the variable `image_id`: left empty, the plan fails
 * at once with the `--var` to pass, never a prompt.
 */
export class TesterStack extends GuestStack {
  constructor(scope: Construct, id: string, props: GuestStackProps) {
    super(scope, id, props, 'test', (stack) => {
      const release = siblingStack(id, 'tester', 'release');
      return stackInput(stack, 'image_id', {
        description: 'ID of the captured private image to boot-test',
        from: `image_id output of ${release} (npx cdktf output ${release})`,
      });
    });
  }
}
