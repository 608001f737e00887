/**
 * The image definition: what a merchant writes in images/<name>/image.ts.
 * Validated with zod at load time; every rule cites where its number comes from.
 */
import { z } from 'zod';
import { SITES, buildRegionIds, regionIds, siteOfRegionId } from '../catalogue/regions.js';
import { GENERAL_PURPOSE_FAMILIES, FLAVOR_PATTERN, flavorFamily } from '../catalogue/flavors.js';
import { IMS, imageNameProblem } from '../catalogue/ims-rules.js';
import { IMAGE_RESERVED_TAGS, TAG_RULES, tagKeyProblem } from './tags.js';
import { SELF_CHECK_IDS } from '../guest/selfcheck-report.js';
import { flavorSize, listingSchema, refineListingFlavors, refineProductNames } from './listing.js';
import { TEXT_LIMITS, withinRule, withoutConfusables } from './listing-text.js';
import { cidrContains, parseCidr, type Cidr } from '../net/cidr.js';
import { whenValid } from './refine-when.js';
import { destinationProblem } from './destinations.js';

// Each default lives once, on its field: `prefault({})` runs an omitted object through its own
// schema, so its fields' defaults fill it in.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** KooGallery versions look like V1.0 ("Product Release Description": https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000012.html). */
const KOOGALLERY_VERSION = /^V\d+\.\d+(\.\d+)?$/;
/** Names that travel through the guest's tab-separated plan and the console protocol. */
const STEP_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_.\-/]+$/;
/**
 * Why a region is not one of the site's, and only a fix that would be accepted: a region of
 * another site cannot be added by an override (images never cross sites), an unknown one of
 * this site can, if the catalogue is out of date.
 */
function otherSite(region: string, site: string, override: string): string {
  const its = siteOfRegionId(region);
  if (its !== site) {
    return `a region of site ${its}; images never cross sites: pick one of the list, or make a separate definition with site: '${its}' for ${its} buyers`;
  }
  return `which the catalogue does not know for site ${site}; if it is a new region of that site, add it to ${override}`;
}

const REGION_ID = /^[a-z]{2}-[a-z]+-\d+$/;

/** IAM agency names: "Creating an Agency", https://support.huaweicloud.com/intl/en-us/api-iam/iam_08_0002.html. */
const AGENCY_EXPECTED = 'an IAM agency name of 1 to 64 letters, digits and "_+=,.@-" (IAM "Creating an Agency": https://support.huaweicloud.com/intl/en-us/api-iam/iam_08_0002.html)';
function agencyNameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length < 1 || length > 64) return `${length} characters`;
  const bad = [...name].find((c) => !/[A-Za-z0-9_+=,.@-]/.test(c));
  if (!bad) return undefined;
  const cp = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${name}", with ${bad === ' ' ? 'a space' : `"${bad}" (${cp})`}; use the agency's name exactly as IAM shows it`;
}

/**
 * A CIDR read by the strict parser (stacks/net/cidr.ts), so a bad one fails here and never as a
 * trace during synth; `rule` adds the field's own constraint and returns what was found.
 */
const cidrSchema = (expected: string, rule?: (cidr: Cidr) => string | undefined) =>
  z.string({ error: expected }).superRefine((text, ctx) => {
    const parsed = parseCidr(text);
    const found = parsed.ok ? rule?.(parsed.value) : parsed.problem;
    if (found) ctx.addIssue({ code: 'custom', message: `${expected}, found ${found}` });
  });

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => (parseCidr(c) as { value: Cidr }).value);
const VPC_CIDR_EXPECTED = 'expected a private IPv4 CIDR (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) between /16 and /28, e.g. "10.254.239.0/24"';
/** VPC and subnet CIDRs: a private range (VPC rule), /16 to /28 so the subnet has room for its gateway. */
const vpcCidrSchema = cidrSchema(VPC_CIDR_EXPECTED, (c) =>
  c.prefix < 16 || c.prefix > 28 || !PRIVATE_RANGES.some((r) => cidrContains(r, c)) ? `"${c.text}"` : undefined);

const nonEmpty = (what: string) => z.string({ error: `expected ${what} (a string)` }).trim().min(1, { error: `expected ${what}, found an empty string` });

const fileSchema = z.object({
  source: z.string().regex(RELATIVE_PATH, { error: 'expected a path relative to the image folder (no "..", no leading "/")' }),
  destination: z.string().regex(/^\/[^\t\n]+$/, { error: 'expected an absolute path on the guest, e.g. /etc/nginx/nginx.conf' }).superRefine((path, ctx) => {
    const problem = destinationProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  mode: z.string().regex(/^0[0-7]{3}$/, { error: 'expected an octal file mode like "0644"' }).default('0644'),
}).strict();

const stepSchema = z.object({
  name: z.string().regex(STEP_NAME, { error: 'expected a step name of lowercase letters, digits and "-" (at most 48), e.g. "install-nginx"' }),
  script: z.string().regex(RELATIVE_PATH, { error: 'expected a script path relative to the image folder, e.g. "install.sh"' }),
  files: z.array(fileSchema).default([]),
  timeoutMinutes: z.number().int().min(1).max(240, { error: 'expected at most 240 minutes per step' }).default(20),
}).strict();

const securityRuleSchema = z.object({
  protocol: z.enum(['tcp', 'udp', 'icmp'], { error: 'expected "tcp", "udp" or "icmp"' }),
  /** A port ("443") or a range ("8000-8080"); omitted for icmp. */
  ports: z.string().regex(/^\d{1,5}(-\d{1,5})?$/, { error: 'expected a port like "443" or a range like "8000-8080"' }).optional(),
  source: cidrSchema('expected an IPv4 CIDR such as "0.0.0.0/0" or "203.0.113.0/24"').default('0.0.0.0/0'),
  description: nonEmpty('a description of what the port is for').max(255).superRefine(withoutConfusables('a description')),
  /** The description in Chinese, for the buyer template. @default - the template quotes `description` */
  descriptionZh: nonEmpty('the description in Chinese').max(255).superRefine(withoutConfusables('the description in Chinese')).optional(),
}).strict().superRefine((rule, ctx) => {
  if (rule.protocol !== 'icmp' && !rule.ports) ctx.addIssue({ code: 'custom', path: ['ports'], message: `expected a port or range for protocol ${rule.protocol}, found nothing` });
  if (rule.ports) {
    const [lo, hi = lo] = rule.ports.split('-').map(Number);
    if (lo < 1 || hi > 65535 || lo > hi) ctx.addIssue({ code: 'custom', path: ['ports'], message: `expected ports within 1-65535 with low <= high, found "${rule.ports}"` });
  }
});

/** Keys and values follow the strictest of the IMS, ECS and VPC tag rules (tags.ts). */
const tagsSchema = z.record(
  z.string().superRefine((key, ctx) => {
    const found = tagKeyProblem(key);
    if (found) ctx.addIssue({ code: 'custom', message: `expected ${TAG_RULES.keyExpected}, found ${found}` });
  }),
  z.string({ error: `expected ${TAG_RULES.valueExpected}` }).regex(TAG_RULES.valuePattern, { error: `expected ${TAG_RULES.valueExpected}` }),
);

const baseImageSchema = z.union([
  z.object({ name: nonEmpty('the public image name, e.g. "Ubuntu 22.04 server 64bit"') }).strict(),
  z.object({ os: nonEmpty('the OS, e.g. "Ubuntu"'), osVersion: nonEmpty('the OS version, e.g. "Ubuntu 22.04 server 64bit"') }).strict(),
], { error: 'expected { name } or { os, osVersion } naming a Huawei Cloud public image' }).superRefine((base, ctx) => {
  // The runner is bash + cloud-init: a Windows build would boot, run nothing and time out, billed.
  const field = (['name', 'os', 'osVersion'] as const).find((f) => /windows/i.test((base as Record<string, string>)[f] ?? ''));
  if (field) ctx.addIssue({ code: 'custom', path: [field], message: `expected a Linux public image, found "${(base as Record<string, string>)[field]}": Windows images are not supported: the runner is bash + cloud-init; Huawei Cloud has also stopped providing Windows public images (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0610.html); pick a Linux image, e.g. "Ubuntu 22.04 server 64bit" or "Huawei Cloud EulerOS 2.0 Standard 64 bit"` });
});

const definitionFields = z.object({
  product: z.object({
    nameZh: nonEmpty('the product name in Chinese').superRefine(withinRule('the product name in Chinese', { max: TEXT_LIMITS.productName })),
    nameEn: nonEmpty('the product name in English').superRefine(withinRule('the product name in English', { max: TEXT_LIMITS.productName })),
  }).strict(),
  version: z.string().regex(KOOGALLERY_VERSION, { error: 'expected a KooGallery version like "V1.0"' }),
  buildVersion: z.string().regex(SEMVER, { error: 'expected a semantic version like "1.0.0"' }),
  site: z.enum(SITES, { error: `expected one of ${SITES.join(', ')}` }),
  buildRegion: nonEmpty('a build region'),
  targetRegions: z.array(z.string()).default([]),
  baseImage: baseImageSchema,
  flavors: z.array(z.string().regex(FLAVOR_PATTERN, { error: 'expected an ECS flavor name like "s7.large.2"' })).min(1, { error: 'expected at least one flavor' }),
  systemDisk: z.object({
    type: z.enum(['SAS', 'SSD', 'GPSSD', 'ESSD', 'GPSSD2', 'ESSD2'], { error: 'expected an EVS disk type: SAS, SSD, GPSSD, ESSD, GPSSD2 or ESSD2' }).default('GPSSD'),
    // Market images need a disk of at least 40 GB (seller guide, https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html);
    // IMS replicates images of at most 128 GB (https://support.huaweicloud.com/intl/en-us/usermanual-ims/ims_01_0332.html).
    sizeGiB: z.number().int().min(IMS.minSystemDiskGiB, { error: `expected at least ${IMS.minSystemDiskGiB} GiB (KooGallery minimum disk)` }).max(IMS.maxImageGiB, { error: `expected at most ${IMS.maxImageGiB} GiB (IMS image size limit)` }).default(40),
  }).strict().prefault({}),
  /**
   * The image's minimum RAM: the IMS image's min_ram and the listing's minimum RAM, one value.
   * KooGallery wants at least 512 MB for Linux images.
   */
  minRamMiB: z.number().int().min(512, { error: 'expected at least 512 MiB (KooGallery minimum RAM for Linux images)' }).max(1048576).default(1024),
  install: z.array(stepSchema).min(1, { error: 'expected at least one install step' }),
  tests: z.array(stepSchema).default([]),
  securityGroup: z.array(securityRuleSchema).default([]),
  tags: tagsSchema.default({}),
  build: z.object({
    /** @default 10.254.239.0/24: outside the 192.168/16 Huawei default VPC and common 10.0/16, 172.16-31 ranges. */
    vpcCidr: vpcCidrSchema.default('10.254.239.0/24'),
    /** Outbound internet through an EIP; set false when the network has NAT. */
    eip: z.boolean().default(true),
    eipBandwidthMbps: z.number().int().min(1).max(300).default(50),
    /** EIP line type: 5_bgp (dynamic BGP) in most regions; some offer only 5_sbgp (static BGP). */
    eipType: z.string().regex(/^5_[a-z]+$/, { error: 'expected an EIP line type such as "5_bgp" or "5_sbgp"' }).default('5_bgp'),
    /** IAM agency (IMS Administrator) used for cross-region copies. */
    agencyName: z.string({ error: `expected ${AGENCY_EXPECTED}` }).superRefine((name, ctx) => {
      const found = agencyNameProblem(name);
      if (found) ctx.addIssue({ code: 'custom', message: `expected ${AGENCY_EXPECTED}, found ${found}` });
    }).optional(),
    /** Temporary resources are tagged to expire this long after the build starts (sweep uses it). */
    expiryHours: z.number().int().min(1).max(72).default(6),
    /** Overall time the guest may take for all install steps. */
    timeoutMinutes: z.number().int().min(5).max(720).default(90),
    /** Outbound access of the builder: the default opens only DNS, NTP, HTTP and HTTPS. */
    egress: z.enum(['web', 'all']).default('web'),
    /**
     * When the cross-region copies start: with the boot test, as soon as the image is captured
     * (a failed test deletes them), or only once the test has passed.
     */
    distribution: z.enum(['alongside-test', 'after-test'], { error: 'expected "alongside-test" (copies start at capture, while the boot test runs) or "after-test"' }).default('alongside-test'),
  }).strict().prefault({}),
  /** Facts the docs leave open (a city without its region ID, new flavor families), overridable per image. */
  catalogue: z.object({
    extraBuildRegions: z.array(z.string().regex(REGION_ID, { error: 'expected a region ID like "ap-southeast-9"' })).default([]),
    extraRegions: z.array(z.string().regex(REGION_ID, { error: 'expected a region ID like "ap-southeast-9"' })).default([]),
    extraFlavorFamilies: z.record(z.string().regex(/^[a-z]+\d+[a-z]*$/, { error: 'expected a flavor family like "s9" or "c9n"' }), z.enum(['x86_64', 'aarch64'], { error: 'expected "x86_64" or "aarch64"' })).default({}),
    /** Public image names you have seen in your build region that the base-image catalogue lacks: `plan` stops warning about them. */
    extraBaseImages: z.array(nonEmpty('a public image name')).default([]),
  }).strict().prefault({}),
  /** What the merchant enters in seller center (listing.ts); `manifest` and `template` need it. */
  listing: listingSchema.optional(),
  /** Self-check findings accepted on purpose: check id -> written reason (recorded in the build). */
  selfCheck: z.object({
    waivers: z.record(z.string(), z.string().min(10, { error: 'expected a written reason of at least 10 characters' })).default({}),
  }).strict().prefault({}),
}).strict();

type Def = z.output<typeof definitionFields>;
type Ctx = z.core.$RefinementCtx<Def>;

// Checks across fields, each run whenever the fields it reads are valid (whenValid), so one run
// reports every mistake: a bad CIDR does not hide a wrong build region.
function refineRegions(def: Def, ctx: Ctx): void {
  const overrides = def.catalogue;
  // An override may add a region the catalogue lacks, never one of another site.
  for (const list of ['extraBuildRegions', 'extraRegions'] as const) {
    overrides[list].forEach((r, i) => {
      const site = siteOfRegionId(r);
      if (site !== def.site) ctx.addIssue({ code: 'custom', path: ['catalogue', list, i], message: `expected a region of site ${def.site}, found "${r}", a region of site ${site}; images never cross sites: build and copy within one site, or make a separate definition with site: '${site}'` });
    });
  }
  const builds = buildRegionIds(def.site, overrides);
  if (!builds.includes(def.buildRegion)) {
    const known = regionIds(def.site, overrides).includes(def.buildRegion);
    ctx.addIssue({
      code: 'custom', path: ['buildRegion'],
      message: known
        ? `expected one of the ${def.site} KooGallery build regions (${builds.join(', ')}), found "${def.buildRegion}", a region of that site where KooGallery does not accept builds`
        : `expected one of the ${def.site} KooGallery build regions (${builds.join(', ')}), found "${def.buildRegion}", ${otherSite(def.buildRegion, def.site, 'catalogue.extraBuildRegions')}`,
    });
  }
  const all = regionIds(def.site, overrides);
  def.targetRegions.forEach((r, i) => {
    if (!all.includes(r)) ctx.addIssue({ code: 'custom', path: ['targetRegions', i], message: `expected a region of site ${def.site} (${all.join(', ')}), found "${r}", ${otherSite(r, def.site, 'catalogue.extraRegions')}` });
    if (r === def.buildRegion) ctx.addIssue({ code: 'custom', path: ['targetRegions', i], message: `expected a region other than the build region "${def.buildRegion}" (the image already lives there), found it in targetRegions` });
  });
  const dup = def.targetRegions.find((r, i) => def.targetRegions.indexOf(r) !== i);
  if (dup) ctx.addIssue({ code: 'custom', path: ['targetRegions'], message: `expected each region once, found "${dup}" twice` });
}

function refineAgency(def: Def, ctx: Ctx): void {
  const agencyProblem = copiesNeedAgency(def.targetRegions, def.build.agencyName);
  if (agencyProblem) ctx.addIssue({ code: 'custom', path: ['build', 'agencyName'], message: agencyProblem });
}

function refineFlavors(def: Def, ctx: Ctx): void {
  const families = { ...GENERAL_PURPOSE_FAMILIES, ...def.catalogue.extraFlavorFamilies };
  const archs = new Set<string>();
  def.flavors.forEach((f, i) => {
    const family = flavorFamily(f);
    if (family && !(family in families)) {
      ctx.addIssue({ code: 'custom', path: ['flavors', i], message: `expected a general-purpose flavor (families ${Object.keys(families).join(', ')}), found "${f}" of family ${family}; KooGallery recommends general computing(-plus) flavors for builds` });
    } else if (family) archs.add(families[family]);
  });
  if (archs.size > 1) ctx.addIssue({ code: 'custom', path: ['flavors'], message: `expected flavors of one CPU architecture, found ${[...archs].join(' and ')}; an image is built for one architecture` });
}

/**
 * minRamMiB is the image's min_ram: ECS refuses to boot it on a smaller flavor, so a build
 * flavor under it fails the boot test after the build is paid for (the SKUs' flavors:
 * refineListingFlavors). flavorSize reads the RAM from the name (`<family>.<size>.<GiB per vCPU>`).
 */
function refineMinRam(def: Def, ctx: Ctx): void {
  def.flavors.forEach((f, i) => {
    const ram = flavorSize(f)?.ramMiB;
    if (ram !== undefined && ram < def.minRamMiB) ctx.addIssue({ code: 'custom', path: ['flavors', i], message: `expected a build flavor with at least ${def.minRamMiB} MiB of RAM (minRamMiB), found "${f}" with ${ram} MiB; the boot test would fail on it after the build is paid for: pick a larger flavor or lower minRamMiB` });
  });
}

function refineWaivers(def: Def, ctx: Ctx): void {
  // A misspelled id would waive nothing and fail the build later, after paying for it.
  for (const id of Object.keys(def.selfCheck.waivers)) {
    if (!(SELF_CHECK_IDS as readonly string[]).includes(id)) ctx.addIssue({ code: 'custom', path: ['selfCheck', 'waivers', id], message: `expected a self-check id (${SELF_CHECK_IDS.join(', ')}), found "${id}"` });
  }
}

function refineStepNames(def: Def, ctx: Ctx): void {
  const names = [...def.install, ...def.tests].map((s) => s.name);
  const dupStep = names.find((n, i) => names.indexOf(n) !== i);
  if (dupStep) ctx.addIssue({ code: 'custom', path: ['install'], message: `expected unique step names, found "${dupStep}" twice` });
}

function refineBuildVersion(def: Def, ctx: Ctx): void {
  // The factory tags every resource with image-factory-version: the build version must be a valid tag value.
  if (!TAG_RULES.valuePattern.test(def.buildVersion)) {
    ctx.addIssue({ code: 'custom', path: ['buildVersion'], message: `expected a version that is also ${TAG_RULES.valueExpected}, the image-factory-version tag, found "${def.buildVersion}"; drop build metadata ("+...") or shorten it` });
  }
}

function refineTagCount(def: Def, ctx: Ctx): void {
  const imageTags = Object.keys(def.tags).length + IMAGE_RESERVED_TAGS;
  if (imageTags > IMS.maxTags) {
    ctx.addIssue({ code: 'custom', path: ['tags'], message: `expected at most ${IMS.maxTags - IMAGE_RESERVED_TAGS} tags (IMS allows ${IMS.maxTags} per image and the factory adds ${IMAGE_RESERVED_TAGS}), found ${Object.keys(def.tags).length}` });
  }
}

function refineImageName(def: Def, ctx: Ctx): void {
  const problem = imageNameProblem(imageNameOf(def));
  if (problem) ctx.addIssue({ code: 'custom', path: ['product', 'nameEn'], message: `the image name "${imageNameOf(def)}" (product.nameEn + "-" + version) breaks the IMS naming rules: it ${problem}` });
}

export const imageDefinitionSchema = definitionFields
  .superRefine(refineRegions, whenValid('catalogue', 'site', 'buildRegion', 'targetRegions'))
  .superRefine(refineAgency, whenValid('targetRegions', 'build'))
  .superRefine(refineFlavors, whenValid('flavors', 'catalogue'))
  .superRefine(refineMinRam, whenValid('flavors', 'minRamMiB'))
  .superRefine(refineWaivers, whenValid('selfCheck'))
  .superRefine(refineStepNames, whenValid('install', 'tests'))
  .superRefine(refineBuildVersion, whenValid('buildVersion'))
  .superRefine(refineTagCount, whenValid('tags'))
  .superRefine(refineProductNames, whenValid('product'))
  .superRefine(refineListingFlavors, whenValid('listing.architecture', 'listing.specifications', 'flavors', 'catalogue', 'minRamMiB'))
  .superRefine(refineImageName, whenValid('product', 'version'));

export type ImageDefinitionInput = z.input<typeof imageDefinitionSchema>;
export type ImageSpec = z.output<typeof imageDefinitionSchema>;

/**
 * Cross-region copies need an IAM agency holding IMS Administrator
 * (https://support.huaweicloud.com/intl/en-us/usermanual-ims/ims_01_0332.html): the one rule for
 * the definition's targetRegions and a release stack's copyRegions.
 */
export function copiesNeedAgency(regions: readonly string[], agencyName: string | undefined): string | undefined {
  return regions.length > 0 && !agencyName
    ? `expected the name of an IAM agency holding IMS Administrator, found none; cross-region copies to ${regions.join(', ')} need one (IMS requires agency_name for copies)`
    : undefined;
}

/** The private image's name: `<product>-<version>`, checked against IMS naming rules. */
export function imageNameOf(def: Pick<ImageSpec, 'product' | 'version'>): string {
  return `${def.product.nameEn}-${def.version}`;
}
