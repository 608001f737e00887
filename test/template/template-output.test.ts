import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { buildTemplate, packTemplate, README_FILE, TEMPLATE_FILE } from '../../scripts/template/write.js';
import { checkAgainstSchema } from '../../stacks/schema-check.js';
import { writeListingOutputs, writeListingOutputsForPlan } from '../../scripts/listing/outputs.js';
import { makeImage } from '../support/images.js';
import { bundleFromZip, checkTemplate } from '../../stacks/rfs/index.js';
import { loadImage } from '../../stacks/definition/load.js';
import { makeListedImage } from '../listing/fixtures.js';

describe('template outputs', () => {
  it('packs main.tf.json and the buyer README into an RFS-compliant zip', async () => {
    const built = await buildTemplate(makeListedImage(), { 'ap-southeast-3': 'id-1' });
    const bundle = await bundleFromZip(built.zip);
    expect(bundle.files.map((f) => f.path)).toEqual([TEMPLATE_FILE, README_FILE]);
    for (const f of bundle.files) expect(Buffer.from(f.bytes).equals(Buffer.from(built.files.find((b) => b.path === f.path)!.bytes)), f.path).toBe(true);
    expect(bundle.zip!.packedBytes).toBeLessThan(1024 * 1024);
    expect(checkTemplate(bundle)).toEqual([]);
  });

  it('dates zip entries 1980-01-01 UTC whatever the clock or time zone says', async () => {
    const zip = await JSZip.loadAsync(await packTemplate([{ path: 'a.tf', bytes: new TextEncoder().encode('# a\n') }]));
    expect(zip.files['a.tf'].date.toISOString()).toBe('1980-01-01T00:00:00.000Z');
  });

  it('is byte-identical across runs', async () => {
    const image = makeListedImage();
    const a = await buildTemplate(image, { 'ap-southeast-3': 'id-1' });
    await new Promise((r) => setTimeout(r, 1100)); // a different second on the clock
    const b = await buildTemplate(image, { 'ap-southeast-3': 'id-1' });
    expect(Buffer.from(a.zip).equals(Buffer.from(b.zip))).toBe(true);
    a.files.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(b.files[i].bytes)), f.path).toBe(true));
  });

  it('writes every output of the example image, all RFS- and schema-valid (what npm start shows)', async () => {
    const image = await loadImage('images/nginx');
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const { files, manifest } = await writeListingOutputs(image, { distDir: dist, planned: true });
    expect(files.map((f) => f.slice(dist.length + 1))).toEqual([
      'nginx/1.0.0/manifest.json', 'nginx/1.0.0/manifest.schema.json', 'nginx/1.0.0/listing.md', 'nginx/1.0.0/listing.html',
      'nginx/1.0.0/template/main.tf.json', 'nginx/1.0.0/template/README.md', 'nginx/1.0.0/template/template.zip',
    ]);
    expect(manifest.images.status).toBe('planned');
    expect(checkTemplate(await bundleFromZip(readFileSync(files[6])))).toEqual([]);
    const tf = JSON.parse(readFileSync(files[4], 'utf8'));
    expect(checkAgainstSchema(tf)).toEqual([]);
    // no asset ID and no build yet: written as planned, and it says so
    expect(tf.locals).toMatchObject({ image_ids: {}, template_status: 'planned' });
    expect(readFileSync(files[5], 'utf8')).toContain('**PLANNED, NOT DEPLOYABLE.**');
    expect(tf.variable.flavor.default).toBe('');
    expect(tf.locals.specifications.standard.flavors[0]).toBe('s6.large.2');
    expect(tf.variable.charging_mode.default).toBe('prePaid');
  });

  it('plan writes the outputs of listed images and names the others', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const lines = await writeListingOutputsForPlan([makeListedImage({}, {}, {}), makeImage({}, { name: 'bare' })], { distDir: dist, root: dist });
    expect(lines).toEqual([
      'demo: listing outputs (image IDs planned) in demo/1.0.0/: manifest.json, manifest.schema.json, listing.md, listing.html, template/main.tf.json, template/README.md, template/template.zip',
      'demo: the buyer template is PLANNED and refuses to deploy: set listing.assetId in images/demo/image.ts once the asset is registered in seller center, or build the image',
      'bare: no listing in images/bare/image.ts; add one to get the manifest, listing sheets and buyer template',
    ]);
    const withAsset = await writeListingOutputsForPlan([makeListedImage({ assetId: 'asset-1' })], { distDir: dist, root: dist });
    expect(withAsset).toHaveLength(1);
  });
});
