import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest, availableImageIds } from '../../scripts/listing/manifest.js';
import { manifestSchema, manifestJsonSchema, type Manifest } from '../../scripts/listing/manifest-schema.js';
import { readBuildRecord } from '../../scripts/listing/build-record.js';
import { writeManifestOutputs, writeListingOutputs, outputDir } from '../../scripts/listing/outputs.js';
import { writeSbom } from '../../scripts/sbom/sbom.js';
import { formatIssue } from '../../stacks/definition/issues.js';
import { makeImage } from '../support/images.js';
import { makeListedImage, record, SHA } from './fixtures.js';

const IDS = {
  'ap-southeast-3': '0d3f1c2a-1111-4c4c-9a9a-000000000003',
  'ap-southeast-2': '0d3f1c2a-2222-4c4c-9a9a-000000000002',
  'af-south-1': '0d3f1c2a-3333-4c4c-9a9a-000000000001',
};
const planned = () => buildManifest(makeListedImage());
/** The messages of validating a modified copy of a good manifest. */
function issues(mutate: (m: Manifest) => void): string[] {
  const m = structuredClone(planned());
  mutate(m);
  const r = manifestSchema.safeParse(m, { reportInput: true });
  return r.success ? [] : r.error.issues.map(formatIssue);
}

describe('manifest', () => {
  it('marks every image ID planned without a build record', () => {
    const m = planned();
    expect(m.images.status).toBe('planned');
    expect(m.images.regions).toEqual([
      { region: 'ap-southeast-3', regionName: 'AP-Singapore', regionNameZh: '亚太-新加坡', status: 'planned', imageId: null },
      { region: 'ap-southeast-2', regionName: 'AP-Bangkok', regionNameZh: '亚太-曼谷', status: 'planned', imageId: null },
      { region: 'af-south-1', regionName: 'AF-Johannesburg', regionNameZh: '非洲-约翰内斯堡', status: 'planned', imageId: null },
    ]);
    expect(m.provenance).toMatchObject({ status: 'planned', definition: { file: 'images/demo/image.ts' }, tool: { name: 'koogallery-image-factory' } });
    expect(m.provenance.build).toBeUndefined();
    expect(m.asset).toMatchObject({ version: 'V1.0', buildRegion: 'ap-southeast-3', replicationRegions: ['ap-southeast-2', 'af-south-1'], agencyName: 'ims_agency' });
    expect(m.asset.securityGroup).toEqual([{ direction: 'ingress', protocol: 'tcp', ports: '443', source: '0.0.0.0/0', description: 'HTTPS', descriptionZh: null }]);
    expect(m.requirements).toEqual({ minDiskGiB: 40, minRamMiB: 1024, architecture: 'x86_64', operatingSystem: 'Ubuntu 22.04 server 64bit' });
    expect(m.listing.logo).toMatchObject({ file: 'logo.png', widthPx: 120, heightPx: 120 });
  });

  it('takes image IDs and provenance from the build record', () => {
    const image = makeListedImage();
    const m = buildManifest(image, { record: readBuildRecordFrom(record(IDS)) });
    expect(m.images.status).toBe('built');
    expect(availableImageIds(m)).toEqual(IDS);
    expect(m.provenance.build).toEqual({
      buildId: '20261128T154500Z-3f9a', startedAt: '2026-11-28T15:45:00.000Z', finishedAt: '2026-11-28T16:30:00.000Z',
      sourceImage: { id: 'src-image-id', name: 'Ubuntu 22.04 server 64bit' },
      steps: [{ name: 'install', sha256: SHA }, { name: 'smoke', sha256: 'b'.repeat(64) }],
      tool: { name: 'koogallery-image-factory', version: '0.1.0' }, gitCommit: 'c0ffee', ciRunUrl: 'https://ci.example/run/1',
    });
  });

  it('marks regions the build did not reach as missing (partial)', () => {
    const m = buildManifest(makeListedImage(), { record: readBuildRecordFrom(record({ 'ap-southeast-3': IDS['ap-southeast-3'] })) });
    expect(m.images.status).toBe('partial');
    expect(m.images.regions.map((r) => r.status)).toEqual(['available', 'missing', 'missing']);
  });

  it('refuses to build without a listing, naming the definition file', () => {
    expect(() => buildManifest(makeImage())).toThrow('images/demo/image.ts: listing: expected the KooGallery listing');
  });

  it('reports an unusable build record with its path and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'record-'));
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ ...record(IDS), imageIds: 'none' }));
    expect(() => readBuildRecord(join(dir, 'build.json'), dir)).toThrow('build.json: unusable build record\n  - imageIds: expected record');
  });

  describe('zod rules (one rejecting case each)', () => {
    it.each<[string, (m: Manifest) => void, string]>([
      ['version like V1.0', (m) => { m.version = '1.0'; }, 'version: expected a KooGallery version like "V1.0", found "1.0"'],
      ['asset version like V1.0', (m) => { m.asset.version = 'v1'; }, 'asset.version: expected a KooGallery version like "V1.0", found "v1"'],
      ['an available region has an image ID', (m) => { m.images.regions[0].status = 'available'; }, 'images.regions[0].imageId: expected the image ID of region ap-southeast-3, which is marked available, found none'],
      ['a planned region has no image ID', (m) => { m.images.regions[1].imageId = 'x'; }, 'images.regions[1].imageId: expected no image ID for region ap-southeast-2, which is planned, found "x"'],
      ['every asset region is listed', (m) => { m.images.regions.pop(); }, 'images.regions: expected an entry for region af-south-1 (build or replication region), found none'],
      ['only asset regions are listed', (m) => { m.images.regions[2].region = 'tr-west-1'; }, 'images.regions[2].region: expected one of the asset\'s regions (ap-southeast-3, ap-southeast-2, af-south-1), found "tr-west-1"'],
      ['each region once', (m) => { m.asset.replicationRegions = ['ap-southeast-2']; m.images.regions[2].region = 'ap-southeast-2'; }, 'images.regions[2].region: expected each region once, found "ap-southeast-2" again'],
      ['a built manifest has every region available', (m) => { m.images.status = 'built'; m.provenance.status = 'built'; m.provenance.build = { buildId: 'b', startedAt: 't', steps: [] }; }, 'images.status: expected every region to be available in a built manifest, found regions without an image; use "partial"'],
      ['a planned manifest has only planned regions', (m) => { m.images.regions[0] = { ...m.images.regions[0], status: 'missing' }; }, 'images.status: expected every region to be planned in a planned manifest, found regions with other statuses'],
      ['provenance matches the image status', (m) => { m.provenance.status = 'built'; m.provenance.build = { buildId: 'b', startedAt: 't', steps: [] }; }, 'provenance.status: expected provenance planned to match images.status "planned", found "built"'],
      ['built provenance carries the build', (m) => { m.provenance.status = 'built'; }, 'provenance.build: expected the build\'s provenance for a built manifest, found none'],
      ['planned provenance carries no build', (m) => { m.provenance.build = { buildId: 'b', startedAt: 't', steps: [] }; }, 'provenance.build: expected no build provenance in a planned manifest, found one'],
      ['minimum disk at least 40 GiB', (m) => { m.requirements.minDiskGiB = 20; }, 'requirements.minDiskGiB: expected a minimum disk of at least 40 GiB (KooGallery), found 20'],
      ['minimum disk at most 1024 GiB', (m) => { m.requirements.minDiskGiB = 2048; }, 'requirements.minDiskGiB: expected a minimum disk of at most 1024 GiB (KooGallery), found 2048'],
      ['minimum RAM at least 512 MiB', (m) => { m.requirements.minRamMiB = 256; }, 'requirements.minRamMiB: expected a minimum RAM of at least 512 MiB (KooGallery, Linux), found 256'],
      ['architecture matches the listing', (m) => { m.requirements.architecture = 'aarch64'; }, 'requirements.architecture: expected "x86_64", the listing\'s architecture, found "aarch64"'],
      ['a per-vCPU product is not free', (m) => { m.listing.pricingModes = ['per-vcpu', 'free']; }, 'listing.pricingModes: expected a paid mode with per-vcpu, found "free": a per-vCPU product cannot be free'],
      ['the logo is 120 pixels wide', (m) => { m.listing.logo.widthPx = 64 as 120; }, 'listing.logo.widthPx: expected a logo 120 pixels wide, found 64'],
      ['the logo is at most 5 MB', (m) => { m.listing.logo.bytes = 6 * 1024 * 1024; }, 'listing.logo.bytes: expected a logo of at most 5242880 bytes (5 MB), found 6291456'],
      ['at least one SKU', (m) => { m.listing.specifications = []; }, 'listing.specifications: expected at least one specification (SKU), found an array of 0'],
      ['replication needs an agency', (m) => { m.asset.agencyName = null; }, 'asset.agencyName: expected an IAM agency name for replication to ap-southeast-2, af-south-1, found none'],
      ['tcp rules name their ports', (m) => { delete m.asset.securityGroup[0].ports; }, 'asset.securityGroup[0].ports: expected a port or range for protocol tcp, found none'],
    ])('%s', (_rule, mutate, message) => {
      expect(issues(mutate)).toContain(message);
    });

    it('accepts the manifest it builds', () => {
      expect(issues(() => {})).toEqual([]);
    });
  });

  it('generates a JSON Schema from the zod schema', () => {
    const schema = manifestJsonSchema() as { $schema: string; properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'listing', 'asset', 'images', 'requirements', 'provenance']));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain('images');
  });
});

describe('listing outputs', () => {
  it('writes manifest.json, its schema and both sheets, reading the build record beside them', () => {
    const image = makeListedImage();
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const dir = outputDir(image, dist);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'build.json'), JSON.stringify(record(IDS)));
    const { files } = writeManifestOutputs(image, { distDir: dist });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['manifest.json', 'manifest.schema.json', 'listing.md', 'listing.html']);
    const written = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifestSchema.parse(written).images.status).toBe('built');
    const md = readFileSync(join(dir, 'listing.md'), 'utf8');
    for (const id of Object.values(IDS)) expect(md).toContain(id);
    expect(md).toContain('Test Product');
    expect(md).toContain('测试产品');
    expect(md).toContain('### Overview / 商品简介');
  });

  it('references the build\'s SBOM by sha256 and lists the product\'s own packages on the sheet; a changed SBOM is refused', () => {
    const image = makeListedImage();
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const dir = outputDir(image, dist);
    mkdirSync(dir, { recursive: true });
    const tsv = `os\tdebian\t12\ndeb\tbash\t5.2.15-2+b7\tamd64\tbash\tGPL-3+\ndeb\t${image.name}\t1.22.1-9\tamd64\t${image.name}\tBSD-2-clause\ndeb\t${image.name}-common\t1.22.1-9\tall\t${image.name}\t\n`;
    const sbom = writeSbom(join(dir, 'sbom.cdx.json'), tsv, { name: image.name, version: '1.0', timestamp: '2026-11-28T10:00:00Z', factoryVersion: 'test' });
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ ...record(IDS), sbom }));
    const { manifest } = writeManifestOutputs(image, { distDir: dist });
    expect(manifest.provenance.build?.sbom).toEqual({ ...sbom, packages: 3, products: [{ name: image.name, version: '1.22.1-9' }, { name: `${image.name}-common`, version: '1.22.1-9' }] });
    expect(readFileSync(join(dir, 'listing.md'), 'utf8')).toContain(`sbom.cdx.json: 3 packages; ${image.name} 1.22.1-9, ${image.name}-common 1.22.1-9`);
    writeFileSync(join(dir, 'sbom.cdx.json'), '{}\n');
    expect(() => writeManifestOutputs(image, { distDir: dist })).toThrow(/sbom\.cdx\.json: expected the SBOM build\.json refers to \(sha256 [0-9a-f]{64}\), found a file with sha256 [0-9a-f]{64}; restore the build's own SBOM/);
  });

  it('--planned ignores the build record', () => {
    const image = makeListedImage();
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(outputDir(image, dist), { recursive: true });
    writeFileSync(join(outputDir(image, dist), 'build.json'), JSON.stringify(record(IDS)));
    expect(writeManifestOutputs(image, { distDir: dist, planned: true }).manifest.images.status).toBe('planned');
  });

  it('is deterministic: the same inputs give byte-identical files', async () => {
    const image = makeListedImage();
    const a = mkdtempSync(join(tmpdir(), 'dist-a-'));
    const b = mkdtempSync(join(tmpdir(), 'dist-b-'));
    const first = await writeListingOutputs(image, { distDir: a, planned: true });
    const second = await writeListingOutputs(image, { distDir: b, planned: true });
    expect(first.files.map((f) => f.slice(a.length))).toEqual(second.files.map((f) => f.slice(b.length)));
    expect(first.files).toHaveLength(7);
    first.files.forEach((f, i) => expect(readFileSync(f).equals(readFileSync(second.files[i])), f).toBe(true));
    const manifest = readFileSync(first.files[0], 'utf8');
    expect(manifest).toMatch(/^\{\n {2}"\$schema": "\.\/manifest\.schema\.json",\n {2}"asset": /);
  });
});

function readBuildRecordFrom(raw: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'record-'));
  writeFileSync(join(dir, 'build.json'), JSON.stringify(raw));
  return readBuildRecord(join(dir, 'build.json'), dir)!;
}
