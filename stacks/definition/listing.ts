/**
 * The KooGallery listing of an image product: what the merchant types into seller center when
 * releasing it ("Releasing Images", https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html;
 * "Product Release Description", https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000012.html), kept in the image
 * definition so the manifest, the listing sheets and the buyer template all come from one place.
 *
 * Rules enforced here (the KooGallery seller guide pages above):
 * - product and specification names, overview, description and highlights exist in Chinese and
 *   in English;
 * - the product name carries no price, version string or phone number, and is not a
 *   "Huawei Cloud X" name;
 * - a per-vCPU product cannot be free;
 * - the logo is a PNG of 120x120 pixels, at most 5 MB (checked on the file: listing-files.ts).
 * Text lengths and characters: listing-text.ts (the seller guide publishes no numbers).
 */
import { z } from 'zod';
import { FLAVOR_PATTERN, flavorArchitecture, type Architecture } from '../catalogue/flavors.js';
import { TEXT_LIMITS, withinRule } from './listing-text.js';
import { whenValid } from './refine-when.js';

/** Chinese text must contain Han characters; English text must not. */
const HAN = /\p{Script=Han}/u;
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_.\-/]+$/;
const SKU_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ASSET_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export const LOGO = { widthPx: 120, heightPx: 120, maxBytes: 5 * 1024 * 1024 } as const;

/** Pricing modes of an image product ("Releasing Images", https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html). */
export const PRICING_MODES = ['yearly-monthly', 'pay-per-use', 'per-vcpu', 'free'] as const;
export type PricingMode = (typeof PRICING_MODES)[number];
export const PRICING_MODE_NAMES: Readonly<Record<PricingMode, { zh: string; en: string }>> = {
  'yearly-monthly': { zh: '包年/包月', en: 'Yearly/Monthly' },
  'pay-per-use': { zh: '按需计费', en: 'Pay-per-use' },
  'per-vcpu': { zh: '按vCPU计费', en: 'Per vCPU' },
  free: { zh: '免费', en: 'Free' },
};

export const ARCHITECTURES = ['x86_64', 'aarch64'] as const satisfies readonly Architecture[];

const zhText = (what: string, max: number, multiline = false) =>
  z.string({ error: `expected ${what} in Chinese (a string)` }).trim()
    .min(1, { error: `expected ${what} in Chinese, found an empty string` })
    .superRefine(withinRule(`${what} in Chinese`, { max, multiline }))
    .refine((s) => HAN.test(s), { error: `expected ${what} in Chinese (with Chinese characters); both languages are required` });

const enText = (what: string, max: number, multiline = false) =>
  z.string({ error: `expected ${what} in English (a string)` }).trim()
    .min(1, { error: `expected ${what} in English, found an empty string` })
    .superRefine(withinRule(`${what} in English`, { max, multiline }))
    .refine((s) => !HAN.test(s), { error: `expected ${what} in English, found Chinese characters; put the Chinese text in the zh field` });

/** A text in both languages. */
const bilingual = (what: string, max: number, multiline = false) => z.object({ zh: zhText(what, max, multiline), en: enText(what, max, multiline) }).strict();

const flavor = z.string().regex(FLAVOR_PATTERN, { error: 'expected an ECS flavor name like "s7.large.2"' });

/** vCPUs and memory a flavor name implies: `<family>.<size>.<memory per vCPU in GiB>`. */
export function flavorSize(name: string): { vcpus: number; ramMiB: number } | undefined {
  const m = FLAVOR_PATTERN.exec(name);
  if (!m) return undefined;
  const size = m[2];
  let vcpus: number;
  if (size === 'small' || size === 'medium') vcpus = 1;
  else if (size === 'large') vcpus = 2;
  else if (size === 'xlarge') vcpus = 4;
  else vcpus = 4 * Number(size.replace('xlarge', ''));
  return { vcpus, ramMiB: vcpus * Number(m[3]) * 1024 };
}

const specificationSchema = z.object({
  /** Stable key of the SKU, used in file names and the template. */
  id: z.string().regex(SKU_ID, { error: 'expected a SKU id of lowercase letters, digits and "-", e.g. "standard"' }),
  nameZh: zhText('the specification name', TEXT_LIMITS.specificationName),
  nameEn: enText('the specification name', TEXT_LIMITS.specificationName),
  /** The first is the template's default flavor for this SKU. */
  recommendedFlavors: z.array(flavor).min(1, { error: 'expected at least one recommended flavor' }),
  minimumFlavor: flavor,
}).strict();

const listingFields = z.object({
  overview: bilingual('a short overview', TEXT_LIMITS.overview),
  description: bilingual('the description', TEXT_LIMITS.description, true),
  highlights: z.array(bilingual('a highlight', TEXT_LIMITS.highlight)).min(1, { error: 'expected at least one highlight' }).max(10, { error: 'expected at most 10 highlights' }),
  /** One or more of yearly-monthly, pay-per-use, per-vcpu; or free alone. */
  pricingModes: z.array(z.enum(PRICING_MODES, { error: `expected one of ${PRICING_MODES.join(', ')}` })).min(1, { error: 'expected at least one pricing mode' }),
  /**
   * The mode the buyer template deploys by default (its charging_mode); one of pricingModes.
   * @default - the first of pricingModes
   */
  defaultPricingMode: z.enum(PRICING_MODES, { error: `expected one of ${PRICING_MODES.join(', ')}` }).optional(),
  /**
   * The KooGallery asset ID of the image, shown in seller center (Assets > My Assets) once the
   * asset is registered; the buyer template finds the image through it in every region.
   * @default - none yet: the template uses built image IDs, or is written only as planned
   */
  assetId: z.string().regex(ASSET_ID, { error: 'expected the asset ID from seller center (Assets > My Assets): 1 to 64 letters, digits, "-" or "_"' }).optional(),
  /**
   * The asset version the image belongs to.
   * @default - the definition's version (e.g. "V1.0")
   */
  assetVersion: z.string().regex(ASSET_VERSION, { error: 'expected an asset version such as "V1.0" (letters, digits, ".", "-", "_", at most 32)' }).optional(),
  specifications: z.array(specificationSchema).min(1, { error: 'expected at least one specification (SKU)' }),
  /** What buyers see as the supported OS, e.g. "Ubuntu 22.04 server 64bit". */
  operatingSystem: z.string().trim().min(1, { error: 'expected the supported OS, e.g. "Ubuntu 22.04 server 64bit"' }).max(100),
  architecture: z.enum(ARCHITECTURES, { error: `expected one of ${ARCHITECTURES.join(', ')}` }),
  /** PNG, 120x120 px, at most 5 MB; relative to the image folder. */
  logo: z.string().regex(RELATIVE_PATH, { error: 'expected a path relative to the image folder, e.g. "logo.png"' }),
  /** The usage guide buyers download; relative to the image folder. */
  usageGuide: z.string().regex(RELATIVE_PATH, { error: 'expected a path relative to the image folder, e.g. "USAGE.md"' }),
  /**
   * Where buyers reach the product once it runs; `{ip}` stands for the instance's address.
   * @default - none: the template outputs no access URL
   */
  accessUrl: z.string().regex(/^https?:\/\/\{ip\}(:\d{1,5})?(\/[^\s]*)?$/, { error: 'expected a URL on the instance\'s address, e.g. "http://{ip}/" or "https://{ip}:8443/admin"' }).optional(),
  /**
   * Replaced by the definition's top-level `minRamMiB`: one minimum RAM for the image (IMS
   * min_ram) and its listing, so they cannot disagree. Kept only to tell old definitions how to move.
   */
  minimumRamMiB: z.never({ error: 'expected no listing.minimumRamMiB: the minimum RAM is now the top-level minRamMiB, one value for the image and its listing; move this value to minRamMiB and delete this line' }).optional(),
}).strict();

type ListingFields = z.output<typeof listingFields>;

function refinePricing(listing: ListingFields, ctx: z.core.$RefinementCtx<ListingFields>): void {
  const modes = listing.pricingModes;
  const dupMode = modes.find((m, i) => modes.indexOf(m) !== i);
  if (dupMode) ctx.addIssue({ code: 'custom', path: ['pricingModes'], message: `expected each pricing mode once, found "${dupMode}" twice` });
  if (listing.defaultPricingMode && !modes.includes(listing.defaultPricingMode)) {
    ctx.addIssue({ code: 'custom', path: ['defaultPricingMode'], message: `expected one of pricingModes (${modes.join(', ')}), found "${listing.defaultPricingMode}"; the template cannot deploy in a mode the product is not sold in` });
  }
  if (modes.includes('free') && modes.includes('per-vcpu')) {
    ctx.addIssue({ code: 'custom', path: ['pricingModes'], message: 'expected a paid mode with per-vcpu, found "free": a per-vCPU product cannot be free (KooGallery pricing rule)' });
  } else if (modes.includes('free') && modes.length > 1) {
    ctx.addIssue({ code: 'custom', path: ['pricingModes'], message: `expected "free" alone, found it with ${modes.filter((m) => m !== 'free').join(', ')}; a product is either free or paid` });
  }
}

function refineSpecifications(listing: ListingFields, ctx: z.core.$RefinementCtx<ListingFields>): void {
  const ids = listing.specifications.map((s) => s.id);
  const dupId = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dupId) ctx.addIssue({ code: 'custom', path: ['specifications'], message: `expected unique specification ids, found "${dupId}" twice` });
  for (const lang of ['nameZh', 'nameEn'] as const) {
    const names = listing.specifications.map((s) => s[lang]);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['specifications'], message: `expected unique specification names, found ${lang} "${dup}" twice` });
  }
  listing.specifications.forEach((sku, i) => {
    const min = flavorSize(sku.minimumFlavor);
    sku.recommendedFlavors.forEach((f, j) => {
      const size = flavorSize(f);
      if (min && size && (size.vcpus < min.vcpus || size.ramMiB < min.ramMiB)) {
        ctx.addIssue({ code: 'custom', path: ['specifications', i, 'recommendedFlavors', j], message: `expected a flavor at least as large as the minimum "${sku.minimumFlavor}" (${min.vcpus} vCPU, ${min.ramMiB / 1024} GiB), found "${f}" (${size.vcpus} vCPU, ${size.ramMiB / 1024} GiB)` });
      }
    });
  });
}

// Each runs whenever the fields it reads are valid: one run reports every mistake (refine-when.ts).
export const listingSchema = listingFields
  .superRefine(refinePricing, whenValid('pricingModes', 'defaultPricingMode'))
  .superRefine(refineSpecifications, whenValid('specifications'));

export type ListingInput = z.input<typeof listingSchema>;
export type Listing = z.output<typeof listingSchema>;

/** Why a product name breaks KooGallery's naming rules; empty when it is fine. */
export function productNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (/[¥￥$€£]\s*\d|\d\s*(元|块|美元|欧元|USD|CNY|RMB|EUR)\b|\d\s*(元|块)/i.test(name)) problems.push('contains a price');
  if (/\bv\d+(\.\d+)*\b|\b\d+\.\d+(\.\d+)*\b|\bversion\b|版本/i.test(name)) problems.push('contains a version string (the version belongs in the version field)');
  if (/(?:\+?\d[\s-]?){7,}/.test(name)) problems.push('contains a phone number');
  if (/huawei\s*cloud|华为云/i.test(name)) problems.push('is a "Huawei Cloud X" name');
  return problems;
}

interface ListingOwner {
  product: { nameZh: string; nameEn: string };
  minRamMiB: number;
  flavors: string[];
  catalogue: { extraFlavorFamilies: Record<string, Architecture> };
  listing?: Listing;
}

/**
 * Checks that need the rest of the definition: the product names, and the listing's
 * architecture against the build flavors. The definition schema runs them (schema.ts).
 */
export function refineProductNames(def: Pick<ListingOwner, 'product'>, ctx: z.core.$RefinementCtx<unknown>): void {
  const { nameZh, nameEn } = def.product;
  if (!HAN.test(nameZh)) ctx.addIssue({ code: 'custom', path: ['product', 'nameZh'], message: `expected the product name in Chinese (with Chinese characters), found "${nameZh}"; KooGallery needs both languages` });
  if (HAN.test(nameEn)) ctx.addIssue({ code: 'custom', path: ['product', 'nameEn'], message: `expected the product name in English, found Chinese characters in "${nameEn}"` });
  for (const [field, name] of [['nameZh', nameZh], ['nameEn', nameEn]] as const) {
    for (const p of productNameProblems(name)) {
      ctx.addIssue({ code: 'custom', path: ['product', field], message: `expected a product name that describes the software, found "${name}", which ${p} (KooGallery naming rules)` });
    }
  }
}

/** The listing's architecture and minimum flavors against the build flavors and minRamMiB. */
export function refineListingFlavors(def: Omit<ListingOwner, 'product'>, ctx: z.core.$RefinementCtx<unknown>): void {
  const listing = def.listing;
  if (!listing) return;
  const extra = def.catalogue.extraFlavorFamilies;
  const buildArch = def.flavors.map((f) => flavorArchitecture(f, extra)).find(Boolean);
  if (buildArch && buildArch !== listing.architecture) {
    ctx.addIssue({ code: 'custom', path: ['listing', 'architecture'], message: `expected "${buildArch}", the architecture of the build flavors, found "${listing.architecture}"` });
  }
  // The SKUs' flavors are held to the image's real architecture: a wrong listing.architecture is one mistake, not one per flavor.
  const imageArch = buildArch ?? listing.architecture;
  listing.specifications.forEach((sku, i) => {
    // ECS will not start the image on a flavor under its min_ram: buyers could not use such a SKU flavor.
    sku.recommendedFlavors.forEach((f, j) => {
      const ram = flavorSize(f)?.ramMiB;
      if (ram !== undefined && ram < def.minRamMiB) {
        ctx.addIssue({ code: 'custom', path: ['listing', 'specifications', i, 'recommendedFlavors', j], message: `expected a flavor with at least ${def.minRamMiB} MiB of RAM (minRamMiB), found "${f}" with ${ram} MiB; buyers could not start the image on it: pick a larger flavor or lower minRamMiB` });
      }
    });
    const min = flavorSize(sku.minimumFlavor);
    if (min && min.ramMiB < def.minRamMiB) {
      ctx.addIssue({ code: 'custom', path: ['listing', 'specifications', i, 'minimumFlavor'], message: `expected a flavor with at least ${def.minRamMiB} MiB of RAM (minRamMiB), found "${sku.minimumFlavor}" with ${min.ramMiB} MiB` });
    }
    [...sku.recommendedFlavors.map((f, j) => [['recommendedFlavors', j], f] as const), [['minimumFlavor'], sku.minimumFlavor] as const].forEach(([path, f]) => {
      const arch = flavorArchitecture(f, extra);
      if (arch && arch !== imageArch) {
        ctx.addIssue({ code: 'custom', path: ['listing', 'specifications', i, ...path], message: `expected a ${imageArch} flavor (the image's architecture), found "${f}", which is ${arch}` });
      }
    });
  });
}
