/**
 * What the buyer template is made of, derived once from the image definition and shared by
 * the Terraform stack (template-stack.ts) and the buyer's README (readme.ts), so both always
 * say the same thing: regions, pricing, SKUs and their flavors, the ingress rules with their
 * source variables, and where the image comes from.
 */
import type { LoadedImage } from '../definition/load.js';
import type { Listing } from '../definition/listing.js';
import { flavorSize } from '../definition/listing.js';
import type { ImageSpec } from '../definition/schema.js';
import { regionName, regionNameZh, SITE_CONSOLE } from '../catalogue/regions.js';
import { chineseOrQuoted } from '../catalogue/merchant-text.js';
import { ANYWHERE, sensitivePortsOf } from '../catalogue/sensitive-ports.js';
import { UserError } from '../errors.js';
import { cidrProblem, isPrivateRange } from './cidr.js';
import { templatePricing, type TemplatePricing } from './pricing.js';

/** Text in both languages; the template joins them as "English / 中文". */
export interface Bi { readonly en: string; readonly zh: string }
export const bi = (t: Bi): string => `${t.en} / ${t.zh}`;

/** Where the template's image comes from. */
export type ImageSource =
  | { readonly kind: 'asset'; readonly assetId: string; readonly assetVersion: string }
  | { readonly kind: 'image-ids'; readonly imageIds: Readonly<Record<string, string>> }
  /** Neither known: the template is written only on request and refuses to deploy. */
  | { readonly kind: 'planned' };

export interface TemplateSku {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly flavors: readonly string[];
  readonly minimumFlavor: string;
  readonly minVcpus: number;
  readonly minRamMiB: number;
}

export interface IngressRule {
  /** The Terraform variable holding the rule's source, e.g. ingress_tcp_22_source. */
  readonly variable: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly ports?: string;
  readonly portMin?: number;
  readonly portMax?: number;
  /** The default source, from the definition (securityGroup[].source). */
  readonly source: string;
  /**
   * The default source lies inside a private range (RFC 1918): it admits only addresses in the
   * VPC or networks joined to it privately, so nothing reaches the rule over the EIP.
   */
  readonly privateSource: boolean;
  readonly purpose: Bi;
  readonly sensitive: ReturnType<typeof sensitivePortsOf>;
}

export interface TemplateModel {
  readonly image: LoadedImage;
  readonly spec: ImageSpec;
  readonly listing: Listing;
  /** The build region first, then the target regions. */
  readonly regions: readonly string[];
  readonly source: ImageSource;
  readonly pricing: TemplatePricing;
  readonly skus: readonly TemplateSku[];
  readonly ingress: readonly IngressRule[];
  readonly windows: boolean;
  /** root, or Administrator on Windows. */
  readonly adminUser: string;
  /** An availability zone of the product's site, for examples: `<build region>a`. */
  readonly zoneExample: string;
  readonly console: string;
}

export interface TemplateModelOptions {
  /**
   * Private image ID per region, from the build record.
   * @default - none
   */
  readonly imageIds?: Readonly<Record<string, string>>;
  /**
   * Without an asset ID or image IDs, write a planned template (one that refuses to deploy)
   * instead of failing.
   * @default false
   */
  readonly allowPlanned?: boolean;
}

/** Defaults of the template's network variables, shared by the stack and the README. */
export const TEMPLATE_DEFAULTS = { vpcCidr: '192.168.0.0/16', subnetCidr: '192.168.1.0/24', eipBandwidthMbps: 5 } as const;

const GiB = (mib: number) => `${mib / 1024} GiB`;
export const vcpuText = (n: number): Bi => ({ en: `${n} vCPU${n === 1 ? '' : 's'}`, zh: `${n} vCPU` });
export const regionText = (r: string): Bi => ({ en: `${r} (${regionName(r)})`, zh: `${r}（${regionNameZh(r)}）` });
export { GiB };

/** The name of a rule's source variable: ingress_<protocol>[_<from>[_<to>]]_source. */
function variableName(rule: { protocol: string; ports?: string }, taken: Set<string>): string {
  const base = `ingress_${rule.protocol}${rule.ports ? `_${rule.ports.replace('-', '_')}` : ''}`;
  let name = `${base}_source`;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}_source`;
  taken.add(name);
  return name;
}

/**
 * No asset and no built image: the template would find nothing to deploy. Its last fix says how
 * to ask for a planned template, in the words of the caller: library options here; the CLI
 * rewords it with `planned` (its --planned flag).
 */
export class NoTemplateImageError extends UserError {
  constructor(readonly lines: readonly string[], plannedBy = 'set allowPlanned: true on the TemplateStack (allowPlannedTemplate: true on ImageProduct)') {
    super(NoTemplateImageError.text(lines, plannedBy));
  }

  static text(lines: readonly string[], plannedBy: string): string {
    return `${lines.join('\n')}, or ${plannedBy} to write a template marked planned, which refuses to deploy`;
  }

  /** The same message for another caller: `plannedBy` says how that caller allows a planned template. */
  reworded(plannedBy: string): UserError {
    return new UserError(NoTemplateImageError.text(this.lines, plannedBy));
  }
}

/** The template's model, or a UserError naming the definition field to fix. */
export function templateModel(image: LoadedImage, options: TemplateModelOptions = {}): TemplateModel {
  const spec = image.spec;
  const listing = spec.listing;
  if (!listing) throw new UserError(`${image.file}: listing: expected the KooGallery listing (specifications, access URL ...), found nothing; the buyer template needs it`);
  const regions = [spec.buildRegion, ...spec.targetRegions];
  const imageIds = Object.fromEntries(Object.entries(options.imageIds ?? {}).filter(([r]) => regions.includes(r)).sort(([a], [b]) => a.localeCompare(b)));

  let source: ImageSource;
  if (listing.assetId) source = { kind: 'asset', assetId: listing.assetId, assetVersion: listing.assetVersion ?? spec.version };
  else if (Object.keys(imageIds).length) source = { kind: 'image-ids', imageIds };
  else if (options.allowPlanned) source = { kind: 'planned' };
  else {
    throw new NoTemplateImageError([
      `${image.file}: listing.assetId: expected the KooGallery asset ID of ${spec.product.nameEn} ${spec.version}, or built image IDs in dist/${image.name}/${spec.buildVersion}/build.json, found neither; a template without them finds no image to deploy.`,
      `  fix: register the image as an asset in seller center (Assets > My Assets) and set listing.assetId (and listing.assetVersion if it is not ${spec.version}),`,
      `       or build the image (image-factory build ${image.name})`,
    ]);
  }

  const taken = new Set<string>();
  const ingress = spec.securityGroup.map((rule, i): IngressRule => {
    const problem = cidrProblem(rule.source);
    if (problem) {
      throw new UserError(`${image.file}: securityGroup[${i}].source: expected an IPv4 network CIDR such as "203.0.113.0/24" (the default of the buyer's source variable), found "${rule.source}", which ${problem}; fix the source in the definition`);
    }
    const [lo, hi = lo] = rule.ports ? rule.ports.split('-').map(Number) : [];
    return {
      variable: variableName(rule, taken),
      protocol: rule.protocol,
      ports: rule.ports,
      portMin: lo,
      portMax: hi,
      source: rule.source,
      privateSource: isPrivateRange(rule.source),
      purpose: { en: rule.description, zh: chineseOrQuoted(rule.description, rule.descriptionZh) },
      sensitive: sensitivePortsOf(rule),
    };
  });

  const skus = listing.specifications.map((s): TemplateSku => {
    const min = flavorSize(s.minimumFlavor)!;
    return { id: s.id, nameEn: s.nameEn, nameZh: s.nameZh, flavors: s.recommendedFlavors, minimumFlavor: s.minimumFlavor, minVcpus: min.vcpus, minRamMiB: min.ramMiB };
  });
  const windows = listing.operatingSystem.toLowerCase().includes('windows');
  return {
    image, spec, listing, regions, source,
    pricing: templatePricing(listing),
    skus, ingress, windows,
    adminUser: windows ? 'Administrator' : 'root',
    zoneExample: `${spec.buildRegion}a`,
    console: SITE_CONSOLE[spec.site],
  };
}

/**
 * One public address for examples, from a range reserved for documentation (TEST-NET-3,
 * https://www.rfc-editor.org/rfc/rfc5737#section-3): the buyer writes their own in its place.
 */
export const PUBLIC_SOURCE_EXAMPLE = '203.0.113.7/32';

/**
 * What a rule's default source means for who can reach it, in both languages; undefined when
 * there is nothing to say. Two notes, in this order:
 * - a private default (RFC 1918) admits nothing over the EIP: an inbound rule's source is the
 *   address a connection comes from ("Source of the security group rule. The value can be an IP
 *   address or a security group to allow access from IP addresses or instances in the security
 *   group", ECS "Configuring Security Group Rules",
 *   https://support.huaweicloud.com/intl/en-us/usermanual-ecs/en-us_topic_0030878383.html),
 *   and one from the internet comes from a public address;
 * - opening a sensitive port to ANYWHERE lets the whole internet try it (whatever the default:
 *   the buyer may widen it).
 * The template's variable descriptions and the buyer README's rule notes both use it.
 */
export function exposureWarning(rule: Pick<IngressRule, 'sensitive' | 'source' | 'privateSource' | 'protocol' | 'ports' | 'portMin' | 'portMax'>): Bi | undefined {
  const parts: Bi[] = [];
  if (rule.privateSource) {
    const target = ruleTarget(rule);
    parts.push({
      en: `The default ${rule.source} is a private range (RFC 1918): only addresses in your VPC or in networks joined to it privately (VPN, Direct Connect, VPC peering) reach ${target.en}. Connections over the EIP come from public addresses: they will not work until you set this to your own public address or CIDR, e.g. ${PUBLIC_SOURCE_EXAMPLE}.`,
      zh: `默认值 ${rule.source} 是私有网段（RFC 1918）：只有您的VPC内、或通过VPN、云专线、VPC对等连接与其私网互通的地址才能访问 ${target.zh}。经弹性公网IP（EIP）的连接来自公网地址：在您将此变量设为您自己的公网地址或网段（例如 ${PUBLIC_SOURCE_EXAMPLE}）之前，这些连接无法建立。`,
    });
  }
  for (const kind of ['admin', 'database'] as const) {
    const ports = rule.sensitive.filter((p) => p.kind === kind);
    if (!ports.length) continue;
    const list: Bi = { en: ports.map((p) => `${p.port} (${p.service})`).join(', '), zh: ports.map((p) => `${p.port}（${p.service}）`).join('、') };
    const one = ports.length === 1;
    parts.push(kind === 'admin'
      ? {
        en: `Port${one ? '' : 's'} ${list.en} ${one ? 'administers' : 'administer'} the server: with ${ANYWHERE} anyone on the internet can try to log in or take control; narrow it to the addresses you administer from.`,
        zh: `${list.zh}端口用于管理服务器：设为 ${ANYWHERE} 时，互联网上任何人都可以尝试登录或控制服务器；请收窄为您进行管理的地址。`,
      }
      : {
        en: `Port${one ? '' : 's'} ${list.en} ${one ? 'serves a database' : 'serve databases'}: with ${ANYWHERE} anyone on the internet can reach the data; narrow it to the addresses of your application servers.`,
        zh: `${list.zh}端口提供数据库服务：设为 ${ANYWHERE} 时，互联网上任何人都可以访问数据；请收窄为您的应用服务器地址。`,
      });
  }
  return parts.length ? { en: parts.map((p) => p.en).join(' '), zh: parts.map((p) => p.zh).join('') } : undefined;
}

/** "TCP port 443", "UDP ports 8000-8080", "ICMP", in both languages. */
export function ruleTarget(rule: Pick<IngressRule, 'protocol' | 'ports' | 'portMin' | 'portMax'>): Bi {
  const proto = rule.protocol.toUpperCase();
  if (!rule.ports) return { en: proto, zh: proto };
  const range = rule.portMin !== rule.portMax;
  return { en: `${proto} port${range ? 's' : ''} ${rule.ports}`, zh: `${proto} ${rule.ports} 端口` };
}
