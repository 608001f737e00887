import { Construct } from 'constructs';
import { TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token, type TerraformElement } from 'cdktf';
import {
  HuaweicloudProvider, Vpc, VpcSubnet, VpcEip, NetworkingSecgroup, NetworkingSecgroupRule,
  ComputeInstance, ComputeEipAssociate, DataHuaweicloudAvailabilityZones, DataHuaweicloudKoogalleryAssets,
} from './huaweicloud.js';
import { FLAVOR_PATTERN } from './catalogue/flavors.js';
import { ANYWHERE } from './catalogue/sensitive-ports.js';
import { ECS_PASSWORD, passwordValidations } from './template/ecs-password.js';
import { cidrCondition } from './template/cidr.js';
import { CHARGING_MODE_NAMES, type ChargingMode } from './template/pricing.js';
import { bi, exposureWarning, GiB, TEMPLATE_DEFAULTS, regionText, ruleTarget, templateModel, vcpuText, type Bi, type TemplateModel, type TemplateSku } from './template/model.js';
import type { LoadedImage } from './definition/load.js';

/** The template's outputs and what they mean, shared with the buyer's README. */
export const OUTPUTS = {
  instance_id: { en: 'ID of the ECS', zh: '云服务器的ID' },
  private_ip: { en: 'Private IP address of the ECS', zh: '云服务器的私有IP地址' },
  public_ip: { en: 'Elastic public IP of the ECS; empty without one', zh: '云服务器的弹性公网IP；未绑定时为空' },
  access_url: (product: { nameEn: string; nameZh: string }): Bi => ({ en: `Where to reach ${product.nameEn}`, zh: `${product.nameZh}的访问地址` }),
} as const;

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
const q = (value: unknown) => JSON.stringify(value);

export interface TemplateStackProps {
  readonly image: LoadedImage;
  /**
   * Private image ID per region, from the build record; used when the listing has no assetId.
   * @default - none
   */
  readonly imageIds?: Readonly<Record<string, string>>;
  /**
   * Without listing.assetId or image IDs, synthesize a planned template (its instance has a
   * precondition that always fails) instead of throwing.
   * @default false
   */
  readonly allowPlanned?: boolean;
}

/**
 * A merchant's text placed in a Terraform string: `${` and `%{` would start an expression or
 * directive, so they are escaped as `$${` and `%%{`.
 */
function literal(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}

/** `huaweicloud_vpc.vpc`, or `data.huaweicloud_...` for a data source: for raw expressions. */
function address(el: TerraformElement & { terraformResourceType: string }, data = false): string {
  return `${data ? 'data.' : ''}${el.terraformResourceType}.${el.friendlyUniqueId}`;
}

/** The precondition of a planned template: always false, with the reason. */
const PLANNED_MESSAGE: Bi = {
  en: 'This template is PLANNED: it was generated before the product had a KooGallery asset ID or built images, so it has no image to deploy. Ask the seller for the released template.',
  zh: '此模板为规划版本（PLANNED）：生成时商品尚无云商店资产ID或已构建的镜像，因此没有可部署的镜像。请向商家获取正式发布的模板。',
};

/**
 * The buyer's one-click deployment (the factory names it `<image>-template`), run by RFS in the buyer's account.
 * One ECS from the product image, in a new or existing VPC, behind a security group made from
 * the seller's recommended rules (each source narrowable by the buyer), with an optional EIP,
 * billed in the modes the product is sold in. RFS rules (no backend, no provisioners, only the
 * huaweicloud provider, no credentials) are checked by stacks/rfs on the output.
 *
 * Conditional resources use raw Terraform expressions: cdktf's Op.eq renders "" as
 * `undefined`, and a counted resource must be read through `one(x[*].attr)`.
 */
export class TemplateStack extends TerraformStack {
  public readonly variables: Record<string, TerraformVariable> = {};
  public readonly instance: ComputeInstance;
  public readonly model: TemplateModel;

  constructor(scope: Construct, id: string, props: TemplateStackProps) {
    super(scope, id);
    const model = templateModel(props.image, { imageIds: props.imageIds, allowPlanned: props.allowPlanned });
    this.model = model;
    const { spec, listing, regions, pricing, skus, source } = model;
    const zoneExample = model.zoneExample;

    // Descriptions and messages are templates in Terraform JSON: merchant text is escaped.
    const v = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => {
      this.variables[name] = new TerraformVariable(this, name, { ...config, description: config.description && literal(config.description) });
      return `var.${name}`;
    };
    const text = (message: Bi) => literal(bi(message));
    const validation = (condition: string, message: Bi) => ({ condition, errorMessage: text(message) });

    const region = v('region', {
      type: 'string', default: spec.buildRegion,
      description: bi({
        en: `Region to deploy in: ${regions.map((r) => regionText(r).en).join(', ')}.`,
        zh: `部署区域：${regions.map((r) => regionText(r).zh).join('、')}。`,
      }),
      validation: [validation(`\${contains(${q(regions)}, var.region)}`, {
        en: `The product is offered in ${regions.join(', ')} only.`,
        zh: `本产品仅在 ${regions.join('、')} 提供。`,
      })],
    });

    const skuText = (s: TemplateSku): Bi => ({
      en: `${s.id} (${s.nameEn}): ${s.flavors.join(', ')}, or at least ${s.minimumFlavor} (${vcpuText(s.minVcpus).en}, ${GiB(s.minRamMiB)})`,
      zh: `${s.id}（${s.nameZh}）：${s.flavors.join('、')}，或至少 ${s.minimumFlavor}（${vcpuText(s.minVcpus).zh}，${GiB(s.minRamMiB)}）`,
    });
    const specification = v('specification', {
      type: 'string', default: skus[0].id,
      description: bi({
        en: `Specification (SKU) of ${spec.product.nameEn} you bought: ${skus.map((s) => `${s.id} (${s.nameEn})`).join(', ')}. It sets the default flavor and the smallest flavor allowed.`,
        zh: `您购买的${spec.product.nameZh}产品规格：${skus.map((s) => `${s.id}（${s.nameZh}）`).join('、')}。它决定默认的云服务器规格和允许的最小规格。`,
      }),
      validation: [validation(`\${contains(${q(skus.map((s) => s.id))}, var.specification)}`, {
        en: `Expected one of the product's specifications: ${skus.map((s) => s.id).join(', ')}.`,
        zh: `请输入本产品的规格之一：${skus.map((s) => s.id).join('、')}。`,
      })],
    });
    const flavor = v('flavor', {
      type: 'string', default: '',
      description: bi({
        en: `ECS flavor; leave empty for the first recommended flavor of the chosen specification. Per specification, recommended flavors or the minimum: ${skus.map((s) => skuText(s).en).join('; ')}.`,
        zh: `云服务器规格；留空则使用所选产品规格的第一个推荐规格。各产品规格的推荐规格或最低要求：${skus.map((s) => skuText(s).zh).join('；')}。`,
      }),
      validation: [validation(`\${var.flavor == "" || can(regex(${q(FLAVOR_REGEX)}, var.flavor))}`, {
        en: `Expected an ECS flavor name such as ${skus[0].flavors[0]}, or nothing.`,
        zh: `请输入云服务器规格名称，例如 ${skus[0].flavors[0]}，或留空。`,
      })],
    });
    const p = ECS_PASSWORD;
    const password = v('admin_password', {
      type: 'string', sensitive: true, nullable: false,
      description: bi({
        en: `Password of ${model.adminUser}: ${p.minLength} to ${p.maxLength} characters with at least ${p.minClasses} of uppercase letters, lowercase letters, digits and special characters (${p.specials}); it must not contain root, Administrator or either reversed.`,
        zh: `${model.adminUser} 的密码：${p.minLength}到${p.maxLength}位，至少包含大写字母、小写字母、数字和特殊字符（${p.specials}）中的${p.minClasses}种；不能包含 root、Administrator 及其逆序。`,
      }),
      validation: passwordValidations('var.admin_password'),
    });
    // Flavors sell out per availability zone: let the buyer pick one where it is on sale.
    const zone = v('availability_zone', {
      type: 'string', default: '',
      description: bi({
        en: `Availability zone, e.g. ${zoneExample}; leave empty for the region's first zone, or pick one where the flavor is on sale.`,
        zh: `可用区，例如 ${zoneExample}；留空则使用该区域的第一个可用区，也可选择在售该云服务器规格的可用区。`,
      }),
      validation: [validation('${can(regex("^([a-z]+-)+[0-9]+[a-z]?$|^$", var.availability_zone))}', {
        en: `Expected an availability zone name such as ${zoneExample}, or nothing.`,
        zh: `请输入可用区名称，例如 ${zoneExample}，或留空。`,
      })],
    });
    const instanceName = v('instance_name', {
      type: 'string', default: props.image.name,
      description: bi({
        en: 'Name of the ECS; its security group, VPC, subnet and EIP are named after it.',
        zh: '云服务器名称；其安全组、VPC、子网和弹性公网IP（EIP）以此命名。',
      }),
      validation: [validation('${can(regex("^[A-Za-z0-9_.-]{1,48}$", var.instance_name))}', {
        en: 'Use 1 to 48 letters, digits, "_", "-" or ".".',
        zh: '名称须为1到48位字母、数字、"_"、"-"或"."。',
      })],
    });
    const vpcId = v('vpc_id', {
      type: 'string', default: '',
      description: bi({
        en: 'ID of an existing VPC; leave empty to create a new one. Give subnet_id with it.',
        zh: '已有VPC的ID；留空则新建VPC。填写时须同时填写 subnet_id。',
      }),
      validation: [validation(`\${can(regex(${q(UUID_OR_EMPTY)}, var.vpc_id))}`, { en: 'Expected a VPC ID (a UUID), or nothing.', zh: '请输入VPC ID（UUID），或留空。' })],
    });
    const subnetId = v('subnet_id', {
      type: 'string', default: '',
      description: bi({
        en: 'ID of an existing subnet of vpc_id; leave empty to create a new one.',
        zh: 'vpc_id 中已有子网的ID；留空则新建子网。',
      }),
      validation: [validation(`\${can(regex(${q(UUID_OR_EMPTY)}, var.subnet_id))}`, { en: 'Expected a subnet ID (a UUID), or nothing.', zh: '请输入子网ID（UUID），或留空。' })],
    });
    const cidrMessage = (example: string): Bi => ({
      en: `Expected an IPv4 network CIDR such as ${example}: octets 0-255, prefix 0-32, no host bits set.`,
      zh: `请输入IPv4网段，例如 ${example}：每段0-255，前缀0-32，且须为网络地址（主机位为0）。`,
    });
    const vpcCidr = v('vpc_cidr', {
      type: 'string', default: TEMPLATE_DEFAULTS.vpcCidr,
      description: bi({ en: 'CIDR of the new VPC, used when vpc_id is empty.', zh: '新建VPC的网段，vpc_id 为空时使用。' }),
      validation: [validation(cidrCondition('var.vpc_cidr'), cidrMessage('192.168.0.0/16'))],
    });
    const subnetCidr = v('subnet_cidr', {
      type: 'string', default: TEMPLATE_DEFAULTS.subnetCidr,
      description: bi({ en: 'CIDR of the new subnet, inside vpc_cidr; used when subnet_id is empty.', zh: '新建子网的网段，须在 vpc_cidr 之内；subnet_id 为空时使用。' }),
      validation: [validation(cidrCondition('var.subnet_cidr'), cidrMessage('192.168.1.0/24'))],
    });
    const createEip = v('create_eip', {
      type: 'bool', default: true,
      description: bi({ en: 'Bind an elastic public IP (EIP) to the ECS.', zh: '是否为云服务器绑定弹性公网IP（EIP）。' }),
    });
    const eipBandwidth = v('eip_bandwidth_size', {
      type: 'number', default: TEMPLATE_DEFAULTS.eipBandwidthMbps,
      description: bi({ en: 'EIP bandwidth in Mbit/s, 1 to 300, billed by traffic (pay-per-use).', zh: '弹性公网IP带宽（Mbit/s），1到300，按流量计费（按需）。' }),
      validation: [validation('${var.eip_bandwidth_size >= 1 && var.eip_bandwidth_size <= 300 && floor(var.eip_bandwidth_size) == var.eip_bandwidth_size}', {
        en: 'Expected a whole number of Mbit/s from 1 to 300.', zh: '带宽须为1到300之间的整数（Mbit/s）。',
      })],
    });
    const eipType = v('eip_type', {
      type: 'string', default: spec.build.eipType,
      description: bi({
        en: 'EIP line type: 5_bgp (dynamic BGP) in most regions, 5_sbgp (static BGP) where offered.',
        zh: '弹性公网IP线路类型：多数区域为 5_bgp（全动态BGP），部分区域提供 5_sbgp（静态BGP）。',
      }),
      validation: [validation('${can(regex("^5_[a-z]+$", var.eip_type))}', { en: 'Expected an EIP line type such as 5_bgp.', zh: '请输入弹性公网IP线路类型，例如 5_bgp。' })],
    });
    const eps = v('enterprise_project_id', {
      type: 'string', default: '',
      description: bi({ en: 'Enterprise project ID; leave empty for the default project (0).', zh: '企业项目ID；留空则使用默认项目（0）。' }),
      validation: [validation('${can(regex("^(0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$", var.enterprise_project_id))}', {
        en: 'Expected an enterprise project ID (a UUID, or 0), or nothing.', zh: '请输入企业项目ID（UUID或0），或留空。',
      })],
    });

    const modeText = (m: ChargingMode): Bi => ({ en: `${m} (${CHARGING_MODE_NAMES[m].en})`, zh: `${m}（${CHARGING_MODE_NAMES[m].zh}）` });
    const only = pricing.allowed.length === 1;
    const chargingMode = v('charging_mode', {
      type: 'string', default: pricing.default,
      description: bi(only
        ? {
          en: `Charging mode of the ECS and the image: ${modeText(pricing.default).en}, the only mode ${spec.product.nameEn} is sold in.`,
          zh: `云服务器和镜像的计费模式：${modeText(pricing.default).zh}，${spec.product.nameZh}仅以此模式销售。`,
        }
        : {
          en: `Charging mode of the ECS and the image: ${pricing.allowed.map((m) => modeText(m).en).join(' or ')}; default ${pricing.default}.`,
          zh: `云服务器和镜像的计费模式：${pricing.allowed.map((m) => modeText(m).zh).join('或')}；默认 ${pricing.default}。`,
        }),
      validation: [validation(`\${contains(${q(pricing.allowed)}, var.charging_mode)}`, only
        ? { en: `${spec.product.nameEn} is sold ${CHARGING_MODE_NAMES[pricing.default].en} only: use ${pricing.default}.`, zh: `${spec.product.nameZh}仅以${CHARGING_MODE_NAMES[pricing.default].zh}方式销售：请使用 ${pricing.default}。` }
        : { en: `Expected ${pricing.allowed.join(' or ')}.`, zh: `请输入 ${pricing.allowed.join(' 或 ')}。` })],
    });
    const prePaidAllowed = pricing.allowed.includes('prePaid');
    let periodUnit = '';
    let period = '';
    if (prePaidAllowed) {
      periodUnit = v('charging_period_unit', {
        type: 'string', default: 'month',
        description: bi({ en: 'For prePaid: the unit of the subscription, month or year.', zh: '包年/包月（prePaid）时的订购周期单位：month（月）或 year（年）。' }),
        validation: [validation('${contains(["month", "year"], var.charging_period_unit)}', { en: 'Expected month or year.', zh: '请输入 month 或 year。' })],
      });
      period = v('charging_period', {
        type: 'number', default: 1,
        description: bi({ en: 'For prePaid: the length of the subscription, 1 to 9 months or 1 to 3 years.', zh: '包年/包月（prePaid）时的订购时长：1到9个月，或1到3年。' }),
        validation: [validation('${var.charging_period >= 1 && var.charging_period <= 9 && floor(var.charging_period) == var.charging_period}', {
          en: 'Expected 1 to 9 months or 1 to 3 years.', zh: '包月为1到9个月，包年为1到3年。',
        })],
      });
    }
    const diskTypes = ['SAS', 'SSD', 'GPSSD', 'ESSD', 'GPSSD2', 'ESSD2'];
    const diskType = v('system_disk_type', {
      type: 'string', default: spec.systemDisk.type,
      description: bi({ en: `System disk type: ${diskTypes.join(', ')}.`, zh: `系统盘类型：${diskTypes.join('、')}。` }),
      validation: [validation(`\${contains(${q(diskTypes)}, var.system_disk_type)}`, { en: `Expected one of ${diskTypes.join(', ')}.`, zh: `系统盘类型须为 ${diskTypes.join('、')} 之一。` })],
    });
    const minDisk = spec.systemDisk.sizeGiB;
    const diskSize = v('system_disk_size', {
      type: 'number', default: minDisk,
      description: bi({ en: `System disk size in GiB, ${minDisk} to 1024 (the image needs at least ${minDisk}).`, zh: `系统盘大小（GiB），${minDisk}到1024（镜像至少需要${minDisk}）。` }),
      validation: [validation(`\${var.system_disk_size >= ${minDisk} && var.system_disk_size <= 1024}`, { en: `Expected ${minDisk} to 1024 GiB.`, zh: `系统盘须为${minDisk}到1024 GiB。` })],
    });
    const sources = model.ingress.map((rule) => {
      const target = ruleTarget(rule);
      const everyone = rule.source === ANYWHERE;
      const warning = exposureWarning(rule);
      return v(rule.variable, {
        type: 'string', default: rule.source,
        description: bi({
          en: `Source addresses (IPv4 CIDR) allowed to reach ${target.en}, ${rule.purpose.en}; default ${rule.source}${everyone ? ' (the whole internet)' : ''}.${warning ? ` ${warning.en}` : ''}`,
          zh: `允许访问 ${target.zh}（用途：${rule.purpose.zh}）的源地址（IPv4网段），默认 ${rule.source}${everyone ? '（整个互联网）' : ''}。${warning?.zh ?? ''}`,
        }),
        validation: [validation(cidrCondition(`var.${rule.variable}`), cidrMessage('203.0.113.0/24'))],
      });
    });

    new HuaweicloudProvider(this, 'huaweicloud', { region: `\${${region}}` });
    const optional = (ref: string) => `\${${ref} == "" ? null : ${ref}}`;

    const zones = new DataHuaweicloudAvailabilityZones(this, 'zones', { region: `\${${region}}` });

    // SKU -> recommended flavors and minimum size; the flavor's size from its name
    // (<family>.<size>.<GiB per vCPU>, as stacks/definition/listing.ts flavorSize reads it).
    new TerraformLocal(this, 'specifications', Object.fromEntries(skus.map((s) => [s.id, { flavors: s.flavors, min_vcpus: s.minVcpus, min_ram_mib: s.minRamMiB }])));
    new TerraformLocal(this, 'flavor_name', `\${${flavor} == "" ? local.specifications[${specification}].flavors[0] : ${flavor}}`);
    new TerraformLocal(this, 'flavor_parts', `\${try(regex(${q(FLAVOR_REGEX)}, local.flavor_name), ["", "", "0"])}`);
    // HCL evaluates both branches of a conditional: try() keeps tonumber("large") from failing.
    new TerraformLocal(this, 'flavor_vcpus', '${contains(["small", "medium"], local.flavor_parts[1]) ? 1 : local.flavor_parts[1] == "large" ? 2 : 4 * try(tonumber(trimsuffix(local.flavor_parts[1], "xlarge")), 1)}');
    new TerraformLocal(this, 'flavor_ram_mib', '${local.flavor_vcpus * tonumber(local.flavor_parts[2]) * 1024}');

    // Where the image comes from, visible to anyone reading main.tf.json: asset, image-ids or planned.
    new TerraformLocal(this, 'template_status', source.kind);
    let imageRef: string;
    const imagePrecondition: { condition: string; errorMessage: string }[] = [];
    if (source.kind === 'asset') {
      // Not buyer variables: only the merchant knows them, and the market image is what the buyer pays for.
      new TerraformLocal(this, 'koogallery_asset', { id: source.assetId, version: source.assetVersion });
      const asset = new DataHuaweicloudKoogalleryAssets(this, 'asset', {
        assetId: '${local.koogallery_asset.id}',
        deployedType: 'image',
        assetVersion: '${local.koogallery_asset.version}',
        region: `\${${region}}`,
      });
      new TerraformLocal(this, 'image_id', `\${try(${address(asset, true)}.assets[0].image_deployed_object[0].image_id, "")}`);
      imageRef = 'local.image_id';
      imagePrecondition.push({
        condition: '${local.image_id != ""}',
        errorMessage: text({
          en: `KooGallery asset ${source.assetId} (version ${source.assetVersion}) has no image in this region yet; choose another region or ask the seller.`,
          zh: `云商店资产 ${source.assetId}（版本 ${source.assetVersion}）在该区域尚无镜像；请选择其他区域或联系商家。`,
        }),
      });
    } else {
      const ids = source.kind === 'image-ids' ? source.imageIds : {};
      new TerraformLocal(this, 'image_ids', ids);
      imageRef = `lookup(local.image_ids, ${region}, "")`;
      imagePrecondition.push(source.kind === 'planned'
        // A condition must refer to something (Terraform refuses a bare false): the status local.
        ? { condition: '${local.template_status != "planned"}', errorMessage: text(PLANNED_MESSAGE) }
        : {
          condition: `\${contains(keys(local.image_ids), ${region})}`,
          errorMessage: text({
            en: `No image of this product is built in this region; choose one of ${Object.keys(ids).join(', ')}.`,
            zh: `本产品在该区域尚无镜像；请选择 ${Object.keys(ids).join('、')} 之一。`,
          }),
        });
    }

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
    model.ingress.forEach((rule, i) => {
      new NetworkingSecgroupRule(this, `ingress-${i + 1}`, {
        securityGroupId: secgroup.id,
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: rule.protocol,
        portRangeMin: rule.portMin,
        portRangeMax: rule.portMax,
        remoteIpPrefix: `\${${sources[i]}}`,
        description: literal(rule.purpose.en),
      });
    });

    const prePaid = `${chargingMode} == "prePaid"`;
    const flavorMessage: Bi = {
      en: `The flavor is smaller than the chosen specification allows. ${skus.map((s) => `${s.id} needs one of ${s.flavors.join(', ')} or at least ${vcpuText(s.minVcpus).en} and ${GiB(s.minRamMiB)} (${s.minimumFlavor})`).join('; ')}.`,
      zh: `云服务器规格低于所选产品规格的要求。${skus.map((s) => `${s.id} 需要 ${s.flavors.join('、')} 之一，或至少 ${vcpuText(s.minVcpus).zh}、${GiB(s.minRamMiB)}（${s.minimumFlavor}）`).join('；')}。`,
    };
    this.instance = new ComputeInstance(this, 'instance', {
      name: `\${${instanceName}}`,
      imageId: `\${${imageRef}}`,
      flavorId: '${local.flavor_name}',
      adminPass: `\${${password}}`,
      availabilityZone: `\${${zone} == "" ? ${address(zones, true)}.names[0] : ${zone}}`,
      securityGroupIds: [secgroup.id],
      systemDiskType: `\${${diskType}}`,
      systemDiskSize: Token.asNumber(`\${${diskSize}}`),
      network: [{ uuid: `\${${subnetRef}}` }],
      enterpriseProjectId: optional(eps),
      chargingMode: `\${${chargingMode}}`,
      ...(prePaidAllowed ? {
        periodUnit: `\${${prePaid} ? ${periodUnit} : null}`,
        period: Token.asNumber(`\${${prePaid} ? ${period} : null}`),
      } : {}),
      lifecycle: {
        precondition: [
          ...imagePrecondition,
          {
            condition: `\${(${vpcId} == "") == (${subnetId} == "")}`,
            errorMessage: text({
              en: 'Give both vpc_id and subnet_id, or neither to create a new network.',
              zh: '请同时填写 vpc_id 和 subnet_id，或都留空以新建网络。',
            }),
          },
          // A variable's validation may only read that variable (Terraform < 1.9): cross-variable rules are preconditions.
          ...(prePaidAllowed ? [{
            condition: `\${!(${prePaid} && ${periodUnit} == "year") || ${period} <= 3}`,
            errorMessage: text({ en: 'A yearly subscription lasts 1 to 3 years.', zh: '包年时长为1到3年。' }),
          }] : []),
          {
            condition: '${contains(local.specifications[var.specification].flavors, local.flavor_name) || (local.flavor_vcpus >= local.specifications[var.specification].min_vcpus && local.flavor_ram_mib >= local.specifications[var.specification].min_ram_mib)}',
            errorMessage: text(flavorMessage),
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
    new TerraformOutput(this, 'instance_id', { value: this.instance.id, description: text(OUTPUTS.instance_id) });
    new TerraformOutput(this, 'private_ip', { value: this.instance.accessIpV4, description: text(OUTPUTS.private_ip) });
    new TerraformOutput(this, 'public_ip', { value: `\${${publicIp}}`, description: text(OUTPUTS.public_ip) });
    if (listing.accessUrl) {
      const [before, after] = listing.accessUrl.split('{ip}');
      const host = `${createEip} ? one(${address(eip)}[*].address) : ${address(this.instance)}.access_ip_v4`;
      new TerraformOutput(this, 'access_url', { value: `${literal(before)}\${${host}}${literal(after ?? '')}`, description: text(OUTPUTS.access_url(spec.product)) });
    }
  }

  /**
   * RFS refuses `backend` blocks (https://support.huaweicloud.com/intl/en-us/tr-aos/rf_05_0028.html), but cdktf adds a LocalBackend to every
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
