/**
 * Synthesizes the buyer launch template of an image and packs it for RFS:
 *   dist/<image>/<version>/template/main.tf.json   the Terraform JSON configuration
 *   dist/<image>/<version>/template/README.md      the buyer's README, in English and Chinese
 *   dist/<image>/<version>/template/template.zip   both files, zipped for upload to RFS
 * Both are byte-identical for the same inputs: keys sorted, cdktf metadata removed, zip entries
 * dated 1980-01-01 00:00 UTC (the DOS epoch) with fixed compression settings.
 * The RFS rule pack runs on both before anything is written.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import JSZip from 'jszip';
import { OUTPUTS, TemplateStack } from '../../stacks/template-stack.js';
import { renderBuyerReadme, README_FILE } from '../../stacks/template/readme.js';
import type { ImageSource, TemplateModel } from '../../stacks/template/model.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { checkTemplate, formatFinding, bundleFromZip, type Finding, type TemplateFile } from '../../stacks/rfs/index.js';
import { UserError } from '../../stacks/errors.js';
import { stableJson } from '../listing/json.js';

export const TEMPLATE_FILE = 'main.tf.json';
export const TEMPLATE_ZIP = 'template.zip';
export { README_FILE };
const ZIP_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

/** Drops cdktf's "//" metadata comments: buyers read this file, and they say nothing to RFS. */
function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, stripComments(v)]));
  }
  return value;
}

export interface TemplateOptions {
  /**
   * Without listing.assetId or image IDs, write a planned template (it refuses to deploy, and
   * its README says so) instead of failing.
   * @default false
   */
  readonly allowPlanned?: boolean;
}

function synthStack(image: LoadedImage, imageIds: Readonly<Record<string, string>>, options: TemplateOptions): { json: Record<string, unknown>; model: TemplateModel } {
  const outdir = mkdtempSync(join(tmpdir(), 'image-factory-template-'));
  try {
    const app = new App({ outdir, skipValidation: false });
    const stack = new TemplateStack(app, `${image.name}-template`, { image, imageIds, allowPlanned: options.allowPlanned });
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
    return { json: stripComments(json) as Record<string, unknown>, model: stack.model };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The template's Terraform JSON, as a parsed object. */
export function synthTemplate(image: LoadedImage, imageIds: Readonly<Record<string, string>>, options: TemplateOptions = {}): Record<string, unknown> {
  return synthStack(image, imageIds, options).json;
}

/** A zip of `files` that is the same bytes every time for the same files. */
export async function packTemplate(files: readonly TemplateFile[]): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    zip.file(f.path, f.bytes, { date: ZIP_DATE, createFolders: false, binary: true });
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'DOS', streamFiles: false });
}

export interface BuiltTemplate {
  /** main.tf.json and README.md, as packed in the zip. */
  readonly files: TemplateFile[];
  readonly zip: Uint8Array;
  /** Where the template finds its image; `planned` templates refuse to deploy. */
  readonly source: ImageSource['kind'];
}

/** Builds the template in memory and checks it against every RFS rule. */
export async function buildTemplate(image: LoadedImage, imageIds: Readonly<Record<string, string>>, options: TemplateOptions = {}): Promise<BuiltTemplate> {
  const { json, model } = synthStack(image, imageIds, options);
  const outputs = Object.fromEntries(Object.keys((json.output ?? {}) as Record<string, unknown>).sort().map((name) => [name, name === 'access_url' ? OUTPUTS.access_url(model.spec.product) : OUTPUTS[name as Exclude<keyof typeof OUTPUTS, 'access_url'>]]));
  const encoder = new TextEncoder();
  const files: TemplateFile[] = [
    { path: TEMPLATE_FILE, bytes: encoder.encode(stableJson(json)) },
    { path: README_FILE, bytes: encoder.encode(renderBuyerReadme(model, outputs)) },
  ];
  const zip = await packTemplate(files);
  const findings: Finding[] = [...checkTemplate({ files }), ...checkTemplate(await bundleFromZip(zip, TEMPLATE_ZIP))];
  const unique = [...new Map(findings.map((f) => [formatFinding(f), f])).values()];
  if (unique.length) {
    throw new UserError(`${image.file}: the buyer template of ${image.name} breaks RFS rules:\n${unique.map((f) => `  - ${formatFinding(f)}`).join('\n')}`);
  }
  return { files, zip, source: model.source.kind };
}
