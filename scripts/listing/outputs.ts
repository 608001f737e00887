/**
 * Writes every listing output of an image into dist/<image>/<buildVersion>/:
 *   manifest.json, manifest.schema.json, listing.md, listing.html, template/main.tf.json,
 *   template/README.md, template/template.zip.
 * `planned: true` ignores any build record and marks every image ID as planned. The buyer
 * template needs listing.assetId or built image IDs; without either it is written only when
 * planned templates are allowed (`planned`, or `allowPlannedTemplate` as `npm start` does), and
 * then refuses to deploy and says so in its README.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../../stacks/errors.js';
import { productVersions } from '../sbom/sbom.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { readImageFile } from '../../stacks/definition/image-files.js';
import { writeFileAtomic } from '../lib/fs.js';
import { stableJson } from './json.js';
import { buildManifest, availableImageIds } from './manifest.js';
import { manifestJsonSchema, type Manifest } from './manifest-schema.js';
import { readBuildRecord } from './build-record.js';
import { listingSheet } from './sheet.js';
import { renderMarkdown } from './render-md.js';
import { renderHtml } from './render-html.js';
import { buildTemplate, TEMPLATE_ZIP, type BuiltTemplate } from '../template/write.js';

export interface ListingOutputOptions {
  /** Ignore any build record: every image ID is marked planned (allows a planned template). @default false */
  readonly planned?: boolean;
  /**
   * Without listing.assetId or built image IDs, write a planned template (one that refuses to
   * deploy) instead of failing. @default - the value of `planned`
   */
  readonly allowPlannedTemplate?: boolean;
  /** @default <cwd>/dist */
  readonly distDir?: string;
  /** Paths in messages are shown relative to this. @default process.cwd() */
  readonly root?: string;
}

export function outputDir(image: LoadedImage, distDir = join(process.cwd(), 'dist')): string {
  return join(distDir, image.name, image.spec.buildVersion);
}

export interface WrittenOutputs {
  readonly manifest: Manifest;
  /** Absolute paths of the files written, in order. */
  readonly files: string[];
}

/**
 * The product's own packages (named like the image: nginx, nginx-common ...) in the build's SBOM,
 * once its bytes match the sha256 build.json holds: a changed or missing SBOM is named, never listed.
 */
function readSbomProducts(path: string, sha: string, name: string): { name: string; version: string }[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new UserError(`${path}: the SBOM build.json refers to is missing; run \`image-factory resume\` to rewrite the build's record, or restore the file`);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha) throw new UserError(`${path}: expected the SBOM build.json refers to (sha256 ${sha}), found a file with sha256 ${actual}; restore the build's own SBOM`);
  return productVersions(JSON.parse(bytes.toString('utf8')) as { components?: { name: string; version?: string }[] }, [name]);
}

/** manifest.json, manifest.schema.json, listing.md and listing.html. */
export function writeManifestOutputs(image: LoadedImage, options: ListingOutputOptions = {}): WrittenOutputs {
  const dir = outputDir(image, options.distDir);
  const record = options.planned ? undefined : readBuildRecord(join(dir, 'build.json'), options.root);
  const manifest = buildManifest(image, { record, sbomProducts: record?.sbom ? readSbomProducts(join(dir, record.sbom.file), record.sbom.sha256, image.name) : undefined });
  const sheet = listingSheet(manifest);
  const logo = readImageFile(image.dir, manifest.listing.logo.file);
  const outputs: [string, string][] = [
    ['manifest.json', stableJson({ $schema: './manifest.schema.json', ...manifest })],
    ['manifest.schema.json', stableJson(manifestJsonSchema())],
    ['listing.md', renderMarkdown(sheet)],
    ['listing.html', renderHtml(sheet, logo)],
  ];
  const files = outputs.map(([name, text]) => {
    const path = join(dir, name);
    writeFileAtomic(path, text);
    return path;
  });
  return { manifest, files };
}

export interface WrittenTemplate {
  /** Absolute paths: main.tf.json, README.md, template.zip. */
  readonly files: string[];
  /** Where the template finds its image; `planned` templates refuse to deploy. */
  readonly source: BuiltTemplate['source'];
}

/** template/main.tf.json, template/README.md and template/template.zip, from the manifest's image IDs. */
export async function writeTemplateOutputs(image: LoadedImage, manifest: Manifest, options: ListingOutputOptions = {}): Promise<WrittenTemplate> {
  const dir = join(outputDir(image, options.distDir), 'template');
  const built = await buildTemplate(image, availableImageIds(manifest), { allowPlanned: options.allowPlannedTemplate ?? options.planned ?? false });
  const files = built.files.map((f) => {
    const path = join(dir, f.path);
    writeFileAtomic(path, f.bytes);
    return path;
  });
  const zipPath = join(dir, TEMPLATE_ZIP);
  writeFileAtomic(zipPath, built.zip);
  return { files: [...files, zipPath], source: built.source };
}

/**
 * Every listing output of `image`: what `npm start` (plan) calls for each image with a listing.
 * Returns the manifest and the files written.
 */
export async function writeListingOutputs(image: LoadedImage, options: ListingOutputOptions = {}): Promise<WrittenOutputs & { templateSource: WrittenTemplate['source'] }> {
  const { manifest, files } = writeManifestOutputs(image, options);
  const template = await writeTemplateOutputs(image, manifest, options);
  return { manifest, files: [...files, ...template.files], templateSource: template.source };
}

/** "dist/nginx/1.0.0/manifest.json, ..." for messages. */
export function describeWritten(files: readonly string[], root = process.cwd()): string {
  return files.map((f) => relative(root, f) || f).join('\n  ');
}

/**
 * For `plan` (npm start): the listing outputs of every image that has a listing, printed as
 * one line per image. Image IDs come from a build record when one exists (so a plan after a
 * real build never replaces real IDs with planned ones), otherwise they are marked planned.
 * A product with neither listing.assetId nor built images gets a planned buyer template,
 * which refuses to deploy; the line says so. Images without a listing are named, not failed.
 */
export async function writeListingOutputsForPlan(images: readonly LoadedImage[], options: Omit<ListingOutputOptions, 'planned'> = {}): Promise<string[]> {
  const root = options.root ?? process.cwd();
  const lines: string[] = [];
  for (const image of images) {
    if (!image.spec.listing) {
      lines.push(`${image.name}: no listing in ${image.file}; add one to get the manifest, listing sheets and buyer template`);
      continue;
    }
    const { manifest, files, templateSource } = await writeListingOutputs(image, { ...options, allowPlannedTemplate: true });
    const dir = outputDir(image, options.distDir);
    lines.push(`${image.name}: listing outputs (image IDs ${manifest.images.status}) in ${relative(root, dir) || dir}/: ${files.map((f) => relative(dir, f)).join(', ')}`);
    if (templateSource === 'planned') {
      lines.push(`${image.name}: the buyer template is PLANNED and refuses to deploy: set listing.assetId in ${image.file} once the asset is registered in seller center, or build the image`);
    }
  }
  return lines;
}
