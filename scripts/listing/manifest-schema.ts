/**
 * The manifest (dist/<image>/<version>/manifest.json): everything a merchant needs to register
 * the asset and release the product in seller center, and what the buyer template reads.
 * `manifest.schema.json` beside it is generated from this schema with z.toJSONSchema.
 */
import { z } from 'zod';
import { PRICING_MODES, ARCHITECTURES, LOGO } from '../../stacks/definition/listing.js';
import { SITES } from '../../stacks/catalogue/regions.js';
import { IMS } from '../../stacks/catalogue/ims-rules.js';

/** 2: regions carry regionNameZh and security-group rules descriptionZh. */
export const MANIFEST_SCHEMA_VERSION = 2;

const text = z.string().min(1);
const bilingual = z.object({ zh: text, en: text }).strict();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a sha256 hex digest' });
const region = z.string().regex(/^[a-z]{2}-[a-z]+-\d+$/, { error: 'expected a region ID like "ap-southeast-3"' });

const imageRegionSchema = z.object({
  region,
  regionName: text,
  /** The catalogue's Chinese name (华北-北京四), for the zh halves of the sheets. */
  regionNameZh: text,
  /** planned: nothing built yet; available: the image exists there; missing: the build did not reach it. */
  status: z.enum(['planned', 'available', 'missing']),
  imageId: z.string().min(1).nullable(),
}).strict().superRefine((r, ctx) => {
  if (r.status === 'available' && !r.imageId) ctx.addIssue({ code: 'custom', path: ['imageId'], message: `expected the image ID of region ${r.region}, which is marked available, found none` });
  if (r.status !== 'available' && r.imageId) ctx.addIssue({ code: 'custom', path: ['imageId'], message: `expected no image ID for region ${r.region}, which is ${r.status}, found "${r.imageId}"` });
});

const securityRuleSchema = z.object({
  direction: z.literal('ingress'),
  protocol: z.enum(['tcp', 'udp', 'icmp']),
  ports: z.string().regex(/^\d{1,5}(-\d{1,5})?$/).optional(),
  source: z.string(),
  description: text,
  /** The merchant's Chinese description; null when the definition has none. */
  descriptionZh: text.nullable(),
}).strict().superRefine((r, ctx) => {
  if (r.protocol !== 'icmp' && !r.ports) ctx.addIssue({ code: 'custom', path: ['ports'], message: `expected a port or range for protocol ${r.protocol}, found none` });
});

export const manifestSchema = z.object({
  /** Lets editors find manifest.schema.json beside the manifest. */
  $schema: z.literal('./manifest.schema.json').optional(),
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  image: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/),
  product: z.object({ nameZh: text, nameEn: text }).strict(),
  /** KooGallery version. */
  version: z.string().regex(/^V\d+\.\d+(\.\d+)?$/, { error: 'expected a KooGallery version like "V1.0"' }),
  buildVersion: text,
  site: z.enum(SITES),
  listing: z.object({
    overview: bilingual,
    description: bilingual,
    highlights: z.array(bilingual).min(1),
    pricingModes: z.array(z.enum(PRICING_MODES)).min(1),
    specifications: z.array(z.object({
      id: text,
      nameZh: text,
      nameEn: text,
      recommendedFlavors: z.array(text).min(1),
      minimumFlavor: text,
    }).strict()).min(1, { error: 'expected at least one specification (SKU)' }),
    operatingSystem: text,
    architecture: z.enum(ARCHITECTURES),
    logo: z.object({
      file: text,
      sha256,
      bytes: z.number().int().positive().max(LOGO.maxBytes, { error: `expected a logo of at most ${LOGO.maxBytes} bytes (5 MB)` }),
      widthPx: z.literal(LOGO.widthPx, { error: `expected a logo ${LOGO.widthPx} pixels wide` }),
      heightPx: z.literal(LOGO.heightPx, { error: `expected a logo ${LOGO.heightPx} pixels high` }),
    }).strict(),
    usageGuide: z.object({ file: text, sha256, bytes: z.number().int().positive() }).strict(),
    accessUrl: z.string().optional(),
  }).strict().superRefine((l, ctx) => {
    if (l.pricingModes.includes('free') && l.pricingModes.includes('per-vcpu')) {
      ctx.addIssue({ code: 'custom', path: ['pricingModes'], message: 'expected a paid mode with per-vcpu, found "free": a per-vCPU product cannot be free' });
    }
  }),
  /** What seller center asks when registering the image asset. */
  asset: z.object({
    version: z.string().regex(/^V\d+\.\d+(\.\d+)?$/, { error: 'expected a KooGallery version like "V1.0"' }),
    buildRegion: region,
    replicationRegions: z.array(region),
    /** IAM agency holding IMS Administrator that KooGallery uses to copy the image. */
    agencyName: z.string().min(1).nullable(),
    securityGroup: z.array(securityRuleSchema),
  }).strict().superRefine((a, ctx) => {
    if (a.replicationRegions.length > 0 && !a.agencyName) ctx.addIssue({ code: 'custom', path: ['agencyName'], message: `expected an IAM agency name for replication to ${a.replicationRegions.join(', ')}, found none` });
  }),
  images: z.object({
    /** planned: no build yet (e.g. `npm start`); built: every region available; partial: some missing. */
    status: z.enum(['planned', 'built', 'partial']),
    name: text,
    regions: z.array(imageRegionSchema).min(1),
  }).strict(),
  requirements: z.object({
    minDiskGiB: z.number().int().min(IMS.minSystemDiskGiB, { error: `expected a minimum disk of at least ${IMS.minSystemDiskGiB} GiB (KooGallery)` }).max(1024, { error: 'expected a minimum disk of at most 1024 GiB (KooGallery)' }),
    minRamMiB: z.number().int().min(512, { error: 'expected a minimum RAM of at least 512 MiB (KooGallery, Linux)' }),
    architecture: z.enum(ARCHITECTURES),
    operatingSystem: text,
  }).strict(),
  provenance: z.object({
    status: z.enum(['planned', 'built']),
    definition: z.object({ file: text, sha256 }).strict(),
    tool: z.object({ name: text, version: text }).strict(),
    build: z.object({
      buildId: text,
      startedAt: text,
      finishedAt: text.optional(),
      sourceImage: z.object({ id: text, name: text }).strict().optional(),
      steps: z.array(z.object({ name: text, sha256 }).strict()),
      tool: z.object({ name: text, version: text }).strict().optional(),
      gitCommit: text.optional(),
      ciRunUrl: text.optional(),
      /** The build's CycloneDX SBOM next to build.json, by sha256, and the product's own packages in it. */
      sbom: z.object({
        file: text,
        sha256,
        packages: z.number().int().min(0),
        products: z.array(z.object({ name: text, version: text }).strict()).optional(),
      }).strict().optional(),
    }).strict().optional(),
  }).strict().superRefine((p, ctx) => {
    if (p.status === 'built' && !p.build) ctx.addIssue({ code: 'custom', path: ['build'], message: 'expected the build\'s provenance for a built manifest, found none' });
    if (p.status === 'planned' && p.build) ctx.addIssue({ code: 'custom', path: ['build'], message: 'expected no build provenance in a planned manifest, found one' });
  }),
}).strict().superRefine((m, ctx) => {
  const expected = [m.asset.buildRegion, ...m.asset.replicationRegions];
  const listed = m.images.regions.map((r) => r.region);
  for (const r of expected) {
    if (!listed.includes(r)) ctx.addIssue({ code: 'custom', path: ['images', 'regions'], message: `expected an entry for region ${r} (build or replication region), found none` });
  }
  listed.forEach((r, i) => {
    if (!expected.includes(r)) ctx.addIssue({ code: 'custom', path: ['images', 'regions', i, 'region'], message: `expected one of the asset's regions (${expected.join(', ')}), found "${r}"` });
    if (listed.indexOf(r) !== i) ctx.addIssue({ code: 'custom', path: ['images', 'regions', i, 'region'], message: `expected each region once, found "${r}" again` });
  });
  const statuses = new Set(m.images.regions.map((r) => r.status));
  if (m.images.status === 'planned' && (statuses.size !== 1 || !statuses.has('planned'))) {
    ctx.addIssue({ code: 'custom', path: ['images', 'status'], message: 'expected every region to be planned in a planned manifest, found regions with other statuses' });
  }
  if (m.images.status === 'built' && (statuses.size !== 1 || !statuses.has('available'))) {
    ctx.addIssue({ code: 'custom', path: ['images', 'status'], message: 'expected every region to be available in a built manifest, found regions without an image; use "partial"' });
  }
  if (m.images.status === 'partial' && (statuses.has('planned') || !statuses.has('available'))) {
    ctx.addIssue({ code: 'custom', path: ['images', 'status'], message: 'expected a partial manifest to have available and missing regions, found otherwise' });
  }
  if ((m.images.status === 'planned') !== (m.provenance.status === 'planned')) {
    ctx.addIssue({ code: 'custom', path: ['provenance', 'status'], message: `expected provenance ${m.images.status === 'planned' ? 'planned' : 'built'} to match images.status "${m.images.status}", found "${m.provenance.status}"` });
  }
  if (m.listing.architecture !== m.requirements.architecture) {
    ctx.addIssue({ code: 'custom', path: ['requirements', 'architecture'], message: `expected "${m.listing.architecture}", the listing's architecture, found "${m.requirements.architecture}"` });
  }
});

export type Manifest = z.output<typeof manifestSchema>;

/** The JSON Schema of the manifest, written beside it as manifest.schema.json. */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { target: 'draft-2020-12' }),
    $id: 'https://koogallery-image-factory/manifest.schema.json',
    title: 'KooGallery image product manifest',
  } as Record<string, unknown>;
}
