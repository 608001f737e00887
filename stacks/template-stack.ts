import { Construct } from 'constructs';
import { TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token, type TerraformElement } from 'cdktf';
import {
  HuaweicloudProvider, Vpc, VpcSubnet, VpcEip, NetworkingSecgroup, NetworkingSecgroupRule,
  ComputeInstance, ComputeEipAssociate, DataHuaweicloudAvailabilityZones, DataHuaweicloudKoogalleryAssets,
} from './huaweicloud.js';
import { FLAVOR_PATTERN } from './catalogue/flavors.js';
import { passwordValidations } from './template/ecs-password.js';
import { UserError } from './errors.js';
import type { LoadedImage } from './definition/load.js';

/**
 * The oldest huaweicloud provider release with everything this template uses. The newest
 * piece is the data source huaweicloud_koogallery_assets, added by
 * huaweicloud/terraform-provider-huaweicloud PR #3445 (merged 2023-09-27). The CHANGELOG.md
 * entry of 1.56.0 (2023-09-28) does not list it, so the first release certain to carry it is
 * 1.57.0 (2023-10-31). Everything else is older: the newest attribute used is
 * compute_instance.security_group_ids ("Support security_group_ids parameter", #1128, in the
 * release after 1.24.2 of May 2021); huaweicloud_vpc, vpc_subnet, vpc_eip, networking_secgroup
 * (_rule, with port_range_min/max), compute_eip_associate and availability_zones are in the
 * provider's first releases (CHANGELOG 1.28.0 of Aug 2021 already fixes compute_instance and
 * vpc_eip bugs). Preconditions and one() need Terraform >= 1.2 on the RFS side.
 * RFS offers a fixed set of provider versions, and Huawei's own samples use `>=`, so the
 * template accepts any release from this one on.
 */
export const TEMPLATE_PROVIDER_CONSTRAINT = '>= 1.57.0';

/** Terraform's own types for the regex of a flavor name (catalogue/flavors.ts FLAVOR_PATTERN). */
const FLAVOR_REGEX = FLAVOR_PATTERN.source;
const UUID_OR_EMPTY = '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$';

export interface TemplateStackProps {
  readonly image: LoadedImage;
  /**
   * Private image ID per region, from the build record. Regions without one can still be
   * deployed through the KooGallery asset ID (the `asset_id` variable).
   * @default - none known: buyers' deployments resolve the image from the asset
   */
  readonly imageIds?: Readonly<Record<string, string>>;
}

/** `huaweicloud_vpc.vpc`, or `data.huaweicloud_...` for a data source: for raw expressions. */
/**
 * A merchant's text placed in a Terraform string: `${` and `%{` would start an expression or
 * directive, so they are escaped as `$${` and `%%{`.
 */
export function literal(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}

function address(el: TerraformElement & { terraformResourceType: string }, data = false): string {
  return `${data ? 'data.' : ''}${el.terraformResourceType}.${el.friendlyUniqueId}`;
}

/**
 * `<image>-template`: the buyer's one-click deployment, run by RFS in the buyer's account.
 * One ECS from the product image, in a new or existing VPC, behind a security group made from
 * the seller's recommended rules, with an optional EIP. RFS rules (no backend, no provisioners,
 * only the huaweicloud provider, no credentials) are checked by stacks/rfs on the output.
 *
 * Conditional resources use raw Terraform expressions: cdktf's Op.eq renders "" as
 * `undefined`, and a counted resource must be read through `one(x[*].attr)`.
 */
export class TemplateStack extends TerraformStack {
  public readonly variables: Record<string, TerraformVariable> = {};
  public readonly instance: ComputeInstance;

  constructor(scope: Construct, props: TemplateStackProps) {
    const id = `${props.image.name}-template`;
    super(scope, id);
    const { image } = props;
    const spec = image.spec;
    const listing = spec.listing;
    if (!listing) throw new UserError(`${image.file}: listing: expected the KooGallery listing (specifications, access URL ...), found nothing; the buyer template needs it`);
    const regions = [spec.buildRegion, ...spec.targetRegions];
    const imageIds = Object.fromEntries(Object.entries(props.imageIds ?? {}).filter(([r]) => regions.includes(r)).sort(([a], [b]) => a.localeCompare(b)));
    const defaultFlavor = listing.specifications[0].recommendedFlavors[0];
    const recommended = listing.specifications.map((s) => `${s.nameEn}: ${s.recommendedFlavors.join(', ')}`).join('; ');

    const v = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => {
      this.variables[name] = new TerraformVariable(this, name, config);
      return `var.${name}`;
    };
    const region = v('region', {
      type: 'string', default: spec.buildRegion,
      description: `Region to deploy in, one of ${regions.join(', ')}. / 部署区域。`,
      validation: [{ condition: `\${contains(${JSON.stringify(regions)}, var.region)}`, errorMessage: `The product is offered in ${regions.join(', ')} only. / 本产品仅在 ${regions.join('、')} 提供。` }],
    });
    const flavor = v('flavor', {
      type: 'string', default: defaultFlavor,
      description: `ECS flavor. Recommended: ${recommended}; minimum ${listing.specifications.map((s) => s.minimumFlavor).join(' / ')}. / 云服务器规格。`,
      validation: [{ condition: `\${can(regex(${JSON.stringify(FLAVOR_REGEX)}, var.flavor))}`, errorMessage: 'Expected an ECS flavor name such as s7.large.2. / 请输入云服务器规格名称，例如 s7.large.2。' }],
    });
    const password = v('admin_password', {
      type: 'string', sensitive: true, nullable: false,
      description: `Password of ${listing.operatingSystem.toLowerCase().includes('windows') ? 'Administrator' : 'root'}: 8-26 characters, at least 3 of uppercase, lowercase, digits, special characters. / 管理员密码。`,
      validation: passwordValidations('var.admin_password'),
    });
    // Flavors sell out per availability zone (FACTS.md): let the buyer pick one where it is on sale.
    const zone = v('availability_zone', {
      type: 'string', default: '',
      description: 'Availability zone, e.g. ap-southeast-3a; leave empty for the region\'s first zone, or pick one where the flavor is on sale. / 可用区，留空使用第一个可用区。',
      validation: [{ condition: '${can(regex("^([a-z]+-)+[0-9]+[a-z]?$|^$", var.availability_zone))}', errorMessage: 'Expected an availability zone name such as ap-southeast-3a, or empty. / 请输入可用区名称，例如 ap-southeast-3a，或留空。' }],
    });
    const instanceName = v('instance_name', {
      type: 'string', default: image.name,
      description: 'Name of the ECS, its security group, VPC and EIP. / 云服务器及相关资源的名称。',
      validation: [{ condition: '${can(regex("^[A-Za-z0-9_.-]{1,48}$", var.instance_name))}', errorMessage: 'Use 1 to 48 letters, digits, "_", "-" or ".". / 名称为1到48位字母、数字、“_”、“-”或“.”。' }],
    });
    const vpcId = v('vpc_id', {
      type: 'string', default: '',
      description: 'ID of an existing VPC; leave empty to create a new one. / 已有VPC的ID，留空则新建。',
      validation: [{ condition: `\${can(regex(${JSON.stringify(UUID_OR_EMPTY)}, var.vpc_id))}`, errorMessage: 'Expected a VPC ID (UUID) or nothing. / 请输入VPC ID或留空。' }],
    });
    const subnetId = v('subnet_id', {
      type: 'string', default: '',
      description: 'ID of an existing subnet of vpc_id; leave empty to create a new one. / 已有子网的ID，留空则新建。',
      validation: [{ condition: `\${can(regex(${JSON.stringify(UUID_OR_EMPTY)}, var.subnet_id))}`, errorMessage: 'Expected a subnet ID (UUID) or nothing. / 请输入子网ID或留空。' }],
    });
    const vpcCidr = v('vpc_cidr', {
      type: 'string', default: '192.168.0.0/16',
      description: 'CIDR of the new VPC (used when vpc_id is empty). / 新建VPC的网段。',
      validation: [{ condition: '${can(cidrhost(var.vpc_cidr, 0))}', errorMessage: 'Expected an IPv4 CIDR such as 192.168.0.0/16. / 请输入IPv4网段。' }],
    });
    const subnetCidr = v('subnet_cidr', {
      type: 'string', default: '192.168.1.0/24',
      description: 'CIDR of the new subnet, inside vpc_cidr (used when subnet_id is empty). / 新建子网的网段。',
      validation: [{ condition: '${can(cidrhost(var.subnet_cidr, 1))}', errorMessage: 'Expected an IPv4 CIDR such as 192.168.1.0/24. / 请输入IPv4网段。' }],
    });
    const createEip = v('create_eip', {
      type: 'bool', default: true,
      description: 'Give the ECS an elastic public IP. / 是否绑定弹性公网IP。',
    });
    const eipBandwidth = v('eip_bandwidth_size', {
      type: 'number', default: 5,
      description: 'EIP bandwidth in Mbit/s, billed by traffic. / 公网带宽（Mbit/s，按流量计费）。',
      validation: [{ condition: '${var.eip_bandwidth_size >= 1 && var.eip_bandwidth_size <= 300 && floor(var.eip_bandwidth_size) == var.eip_bandwidth_size}', errorMessage: 'Expected a whole number of Mbit/s from 1 to 300. / 带宽须为1到300的整数。' }],
    });
    const eipType = v('eip_type', {
      type: 'string', default: '5_bgp',
      description: 'EIP line type: 5_bgp (dynamic BGP) in most regions. / 公网IP线路类型。',
      validation: [{ condition: '${can(regex("^5_[a-z]+$", var.eip_type))}', errorMessage: 'Expected an EIP type such as 5_bgp. / 请输入公网IP类型，例如 5_bgp。' }],
    });
    const eps = v('enterprise_project_id', {
      type: 'string', default: '',
      description: 'Enterprise project ID; leave empty for the default project. / 企业项目ID，留空使用默认项目。',
      validation: [{ condition: '${can(regex("^(0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$", var.enterprise_project_id))}', errorMessage: 'Expected an enterprise project ID (UUID or 0) or nothing. / 请输入企业项目ID或留空。' }],
    });
    const chargingMode = v('charging_mode', {
      type: 'string', default: 'postPaid',
      description: 'postPaid (pay-per-use) or prePaid (yearly/monthly). / 计费模式：postPaid 按需，prePaid 包年/包月。',
      validation: [{ condition: '${contains(["postPaid", "prePaid"], var.charging_mode)}', errorMessage: 'Expected postPaid or prePaid. / 请输入 postPaid 或 prePaid。' }],
    });
    const periodUnit = v('charging_period_unit', {
      type: 'string', default: 'month',
      description: 'For prePaid: month or year. / 包周期单位。',
      validation: [{ condition: '${contains(["month", "year"], var.charging_period_unit)}', errorMessage: 'Expected month or year. / 请输入 month 或 year。' }],
    });
    const period = v('charging_period', {
      type: 'number', default: 1,
      description: 'For prePaid: number of months (1-9) or years (1-3). / 包周期时长。',
      validation: [{ condition: '${var.charging_period >= 1 && var.charging_period <= 9 && floor(var.charging_period) == var.charging_period}', errorMessage: 'Expected 1 to 9 months or 1 to 3 years. / 包月1到9个月，包年1到3年。' }],
    });
    const diskType = v('system_disk_type', {
      type: 'string', default: spec.systemDisk.type,
      description: 'System disk type (SAS, SSD, GPSSD, ESSD ...). / 系统盘类型。',
      validation: [{ condition: '${contains(["SAS", "SSD", "GPSSD", "ESSD", "GPSSD2", "ESSD2"], var.system_disk_type)}', errorMessage: 'Expected SAS, SSD, GPSSD, ESSD, GPSSD2 or ESSD2. / 系统盘类型无效。' }],
    });
    const diskSize = v('system_disk_size', {
      type: 'number', default: spec.systemDisk.sizeGiB,
      description: `System disk in GiB, at least ${spec.systemDisk.sizeGiB} (the image's minimum disk). / 系统盘大小（GiB）。`,
      validation: [{ condition: `\${var.system_disk_size >= ${spec.systemDisk.sizeGiB} && var.system_disk_size <= 1024}`, errorMessage: `Expected ${spec.systemDisk.sizeGiB} to 1024 GiB. / 系统盘须为${spec.systemDisk.sizeGiB}到1024 GiB。` }],
    });
    const assetId = v('asset_id', {
      type: 'string', default: '',
      description: 'KooGallery asset ID of the image; when set, the image is looked up in the chosen region, otherwise the built image IDs are used. / 云商店资产ID。',
      validation: [{ condition: '${can(regex("^[A-Za-z0-9-]*$", var.asset_id))}', errorMessage: 'Expected a KooGallery asset ID. / 请输入云商店资产ID。' }],
    });
    const assetVersion = v('asset_version', {
      type: 'string', default: spec.version,
      description: 'KooGallery asset version, used with asset_id. / 资产版本。',
      validation: [{ condition: '${can(regex("^V[0-9]+[.][0-9]+([.][0-9]+)?$", var.asset_version))}', errorMessage: 'Expected a version like V1.0. / 版本格式如 V1.0。' }],
    });

    new HuaweicloudProvider(this, 'huaweicloud', { region: `\${${region}}` });
    const optional = (ref: string) => `\${${ref} == "" ? null : ${ref}}`;

    const zones = new DataHuaweicloudAvailabilityZones(this, 'zones', { region: `\${${region}}` });
    const asset = new DataHuaweicloudKoogalleryAssets(this, 'asset', {
      count: Token.asNumber(`\${${assetId} == "" ? 0 : 1}`),
      assetId: `\${${assetId}}`,
      deployedType: 'image',
      assetVersion: `\${${assetVersion}}`,
      region: `\${${region}}`,
    });

    const vpc = new Vpc(this, 'vpc', {
      count: Token.asNumber(`\${${vpcId} == "" ? 1 : 0}`),
      name: `\${${instanceName}}-vpc`,
      cidr: `\${${vpcCidr}}`,
      enterpriseProjectId: optional(eps),
    });
    const vpcRef = `${vpcId} == "" ? one(${address(vpc)}[*].id) : ${vpcId}`;
    const subnet = new VpcSubnet(this, 'subnet', {
      count: Token.asNumber(`\${${subnetId} == "" ? 1 : 0}`),
      name: `\${${instanceName}}-subnet`,
      vpcId: `\${${vpcRef}}`,
      cidr: `\${${subnetCidr}}`,
      gatewayIp: `\${cidrhost(${subnetCidr}, 1)}`,
    });
    const subnetRef = `${subnetId} == "" ? one(${address(subnet)}[*].id) : ${subnetId}`;

    const secgroup = new NetworkingSecgroup(this, 'secgroup', {
      name: `\${${instanceName}}-secgroup`,
      description: literal(`Recommended rules of ${spec.product.nameEn} ${spec.version}`),
      enterpriseProjectId: optional(eps),
    });
    spec.securityGroup.forEach((rule, i) => {
      const [lo, hi = lo] = rule.ports ? rule.ports.split('-').map(Number) : [];
      new NetworkingSecgroupRule(this, `ingress-${i + 1}`, {
        securityGroupId: secgroup.id,
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: rule.protocol,
        portRangeMin: lo,
        portRangeMax: hi,
        remoteIpPrefix: rule.source,
        description: literal(rule.description),
      });
    });

    const imageRef = `${assetId} == "" ? lookup(local.image_ids, ${region}, "") : one(${address(asset, true)}[*].assets[0].image_deployed_object[0].image_id)`;
    new TerraformLocal(this, 'image_ids', imageIds);
    const prePaid = `${chargingMode} == "prePaid"`;
    this.instance = new ComputeInstance(this, 'instance', {
      name: `\${${instanceName}}`,
      imageId: `\${${imageRef}}`,
      flavorId: `\${${flavor}}`,
      adminPass: `\${${password}}`,
      availabilityZone: `\${${zone} == "" ? ${address(zones, true)}.names[0] : ${zone}}`,
      securityGroupIds: [secgroup.id],
      systemDiskType: `\${${diskType}}`,
      systemDiskSize: Token.asNumber(`\${${diskSize}}`),
      network: [{ uuid: `\${${subnetRef}}` }],
      enterpriseProjectId: optional(eps),
      chargingMode: `\${${chargingMode}}`,
      periodUnit: `\${${prePaid} ? ${periodUnit} : null}`,
      period: Token.asNumber(`\${${prePaid} ? ${period} : null}`),
      lifecycle: {
        precondition: [
          {
            condition: `\${${assetId} != "" || contains(keys(local.image_ids), ${region})}`,
            errorMessage: 'No image ID is known for this region: set asset_id to the KooGallery asset ID. / 该区域没有镜像ID，请填写 asset_id（云商店资产ID）。',
          },
          {
            condition: `\${(${vpcId} == "") == (${subnetId} == "")}`,
            errorMessage: 'Give both vpc_id and subnet_id, or neither to create a new network. / 请同时填写 vpc_id 和 subnet_id，或都留空以新建网络。',
          },
          {
            // A variable's validation may only read that variable (Terraform < 1.9): the unit is checked here.
            condition: `\${!(${prePaid} && ${periodUnit} == "year") || ${period} <= 3}`,
            errorMessage: 'A yearly subscription lasts 1 to 3 years. / 包年时长为1到3年。',
          },
        ],
      },
    });

    const eip = new VpcEip(this, 'eip', {
      count: Token.asNumber(`\${${createEip} ? 1 : 0}`),
      name: `\${${instanceName}}-eip`,
      publicip: { type: `\${${eipType}}` },
      bandwidth: { shareType: 'PER', name: `\${${instanceName}}-bandwidth`, size: Token.asNumber(`\${${eipBandwidth}}`), chargeMode: 'traffic' },
      enterpriseProjectId: optional(eps),
    });
    new ComputeEipAssociate(this, 'eip-associate', {
      count: Token.asNumber(`\${${createEip} ? 1 : 0}`),
      publicIp: `\${one(${address(eip)}[*].address)}`,
      instanceId: this.instance.id,
    });

    const publicIp = `${createEip} ? one(${address(eip)}[*].address) : ""`;
    new TerraformOutput(this, 'instance_id', { value: this.instance.id, description: 'ID of the ECS / 云服务器ID' });
    new TerraformOutput(this, 'private_ip', { value: this.instance.accessIpV4, description: 'Private IP address / 私有IP地址' });
    new TerraformOutput(this, 'public_ip', { value: `\${${publicIp}}`, description: 'Elastic public IP, empty without one / 弹性公网IP' });
    if (listing.accessUrl) {
      const [before, after] = listing.accessUrl.split('{ip}');
      const host = `${createEip} ? one(${address(eip)}[*].address) : ${address(this.instance)}.access_ip_v4`;
      new TerraformOutput(this, 'access_url', { value: `${literal(before)}\${${host}}${literal(after ?? '')}`, description: `Where to reach ${spec.product.nameEn} / 访问地址` });
    }
  }

  /**
   * RFS refuses `backend` blocks (FACTS.md "Buyers"), but cdktf adds a LocalBackend to every
   * stack that has none when it synthesizes; it is removed here, with the metadata that names
   * it, and the provider is constrained with `>=` (TEMPLATE_PROVIDER_CONSTRAINT).
   */
  public override toTerraform(): any {
    const tf = super.toTerraform();
    delete tf.terraform?.backend;
    delete tf['//'];
    tf.terraform.required_providers.huaweicloud.version = TEMPLATE_PROVIDER_CONSTRAINT;
    return tf;
  }
}
