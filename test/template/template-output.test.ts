import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { buildTemplate, packTemplate, TEMPLATE_FILE } from '../../scripts/template/write.js';
import { writeListingOutputs, writeListingOutputsForPlan } from '../../scripts/listing/outputs.js';
import { makeImage } from '../support/images.js';
import { bundleFromZip, checkTemplate } from '../../stacks/rfs/index.js';
import { loadImage } from '../../stacks/definition/load.js';
import { makeListedImage } from '../listing/fixtures.js';

describe('template outputs', () => {
  it('packs main.tf.json alone into an RFS-compliant zip', async () => {
    const built = await buildTemplate(makeListedImage(), {});
    const bundle = await bundleFromZip(built.zip);
    expect(bundle.files.map((f) => f.path)).toEqual([TEMPLATE_FILE]);
    expect(Buffer.from(bundle.files[0].bytes).equals(Buffer.from(built.files[0].bytes))).toBe(true);
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
    expect(Buffer.from(a.files[0].bytes).equals(Buffer.from(b.files[0].bytes))).toBe(true);
  });

  it('writes every output of the example image, all RFS- and schema-valid (what npm start shows)', async () => {
    const image = await loadImage('images/nginx');
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const { files, manifest } = await writeListingOutputs(image, { distDir: dist, planned: true });
    expect(files.map((f) => f.slice(dist.length + 1))).toEqual([
      'nginx/1.0.0/manifest.json', 'nginx/1.0.0/manifest.schema.json', 'nginx/1.0.0/listing.md', 'nginx/1.0.0/listing.html',
      'nginx/1.0.0/template/main.tf.json', 'nginx/1.0.0/template/template.zip',
    ]);
    expect(manifest.images.status).toBe('planned');
    expect(checkTemplate(await bundleFromZip(readFileSync(files[5])))).toEqual([]);
    const tf = JSON.parse(readFileSync(files[4], 'utf8'));
    expect(tf.locals.image_ids).toEqual({});
    expect(tf.variable.flavor.default).toBe('s6.large.2');
  });

  it('plan writes the outputs of listed images and names the others', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const lines = await writeListingOutputsForPlan([makeListedImage({}, {}, {}), makeImage({}, { name: 'bare' })], { distDir: dist, root: dist });
    expect(lines).toEqual([
      'demo: listing outputs (image IDs planned) in demo/1.0.0/: manifest.json, manifest.schema.json, listing.md, listing.html, template/main.tf.json, template/template.zip',
      'bare: no listing in images/bare/image.ts; add one to get the manifest, listing sheets and buyer template',
    ]);
  });
});
