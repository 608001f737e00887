/** Builds the manifest of an image from its definition and, when one exists, its build record. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { imageNameOf } from '../../stacks/definition/schema.js';
import { readPngHeader } from '../../stacks/definition/png.js';
import { readImageFile } from '../../stacks/definition/image-files.js';
import { regionName, regionNameZh } from '../../stacks/catalogue/regions.js';
import { formatIssue } from '../../stacks/definition/issues.js';
import { UserError } from '../../stacks/errors.js';
import { manifestSchema, MANIFEST_SCHEMA_VERSION, type Manifest } from './manifest-schema.js';
import type { BuildRecord } from './build-record.js';
import { stableJson } from './json.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The listing of `image`, or a clear error naming the definition file. */
function requireListing(image: LoadedImage) {
  const listing = image.spec.listing;
  if (!listing) {
    throw new UserError(`${image.file}: listing: expected the KooGallery listing (overview, description, highlights, pricingModes, specifications, operatingSystem, architecture, logo, usageGuide), found nothing; add \`listing: { ... }\` to the definition (see images/nginx/image.ts)`);
  }
  return listing;
}

export interface ManifestOptions {
  /** The build record; undefined marks every image ID as planned. */
  readonly record?: BuildRecord;
  /** The product's own packages in the record's SBOM (outputs.ts reads it), for the listing sheet. */
  readonly sbomProducts?: readonly { name: string; version: string }[];
}

export function buildManifest(image: LoadedImage, options: ManifestOptions = {}): Manifest {
  const spec = image.spec;
  const listing = requireListing(image);
  const { record } = options;
  const logoBytes = readImageFile(image.dir, listing.logo);
  const logo = readPngHeader(logoBytes);
  const guideBytes = readImageFile(image.dir, listing.usageGuide);
  const regions = [spec.buildRegion, ...spec.targetRegions];
  const imageRegions = regions.map((r) => {
    const id = record?.imageIds[r];
    return { region: r, regionName: regionName(r), regionNameZh: regionNameZh(r), status: record ? (id ? 'available' : 'missing') : 'planned', imageId: id ?? null } as const;
  });
  const status = !record ? 'planned' : imageRegions.every((r) => r.status === 'available') ? 'built' : 'partial';

  const manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    image: image.name,
    product: { nameZh: spec.product.nameZh, nameEn: spec.product.nameEn },
    version: spec.version,
    buildVersion: spec.buildVersion,
    site: spec.site,
    listing: {
      overview: listing.overview,
      description: listing.description,
      highlights: listing.highlights,
      pricingModes: listing.pricingModes,
      specifications: listing.specifications,
      operatingSystem: listing.operatingSystem,
      architecture: listing.architecture,
      logo: { file: listing.logo, sha256: sha256(logoBytes), bytes: logoBytes.length, widthPx: logo.ok ? logo.width : 0, heightPx: logo.ok ? logo.height : 0 },
      usageGuide: { file: listing.usageGuide, sha256: sha256(guideBytes), bytes: guideBytes.length },
      accessUrl: listing.accessUrl,
    },
    asset: {
      version: listing.assetVersion ?? spec.version,
      buildRegion: spec.buildRegion,
      replicationRegions: spec.targetRegions,
      agencyName: spec.build.agencyName ?? null,
      securityGroup: spec.securityGroup.map((r) => ({ direction: 'ingress' as const, protocol: r.protocol, ports: r.ports, source: r.source, description: r.description, descriptionZh: r.descriptionZh ?? null })),
    },
    images: { status, name: imageNameOf(spec), regions: imageRegions },
    requirements: {
      minDiskGiB: spec.systemDisk.sizeGiB,
      minRamMiB: spec.minRamMiB,
      architecture: listing.architecture,
      operatingSystem: listing.operatingSystem,
    },
    provenance: {
      status: record ? 'built' : 'planned',
      // The validated definition as canonical JSON: formatting and comments do not change it.
      definition: { file: image.file, sha256: sha256(Buffer.from(stableJson(spec))) },
      tool: toolInfo(),
      build: record ? {
        buildId: record.buildId,
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
        sourceImage: record.sourceImage ? { id: record.sourceImage.id, name: record.sourceImage.name } : undefined,
        steps: [...record.installSteps, ...record.testSteps].map((s) => ({ name: s.name, sha256: s.sha256 })),
        tool: record.tool ? { name: record.tool.name, version: record.tool.version } : undefined,
        gitCommit: record.git?.commit,
        ciRunUrl: record.ci?.runUrl,
        sbom: record.sbom ? { file: record.sbom.file, sha256: record.sbom.sha256, packages: record.sbom.packages, products: options.sbomProducts ? [...options.sbomProducts] : undefined } : undefined,
      } : undefined,
    },
  };
  const parsed = manifestSchema.safeParse(manifest, { reportInput: true });
  if (!parsed.success) {
    throw new UserError(`${image.file}: the manifest of ${image.name} ${spec.buildVersion} is invalid\n${parsed.error.issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
  }
  return parsed.data;
}

/** Image IDs of the regions where the image is available: what the template may hard-code. */
export function availableImageIds(manifest: Manifest): Record<string, string> {
  return Object.fromEntries(manifest.images.regions.filter((r) => r.status === 'available' && r.imageId).map((r) => [r.region, r.imageId!]));
}
