import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateDefinition } from '../../stacks/definition/load.js';
import { listingFileProblems } from '../../stacks/definition/listing-files.js';
import { productNameProblems, flavorSize } from '../../stacks/definition/listing.js';
import { readPngHeader } from '../../stacks/definition/png.js';
import { baseDefinition } from '../support/images.js';
import { makeListedImage, makePng, validListing } from './fixtures.js';

const FILE = 'images/demo/image.ts';
/** The error message of validating `raw`, or '' when it is valid. */
function errors(raw: Record<string, unknown>): string {
  try {
    validateDefinition(raw, FILE);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}
const withListing = (listing: Record<string, unknown>, rest: Record<string, unknown> = {}) => errors({ ...baseDefinition(), ...rest, listing: { ...validListing(), ...listing } });

describe('listing in the image definition', () => {
  it('accepts a complete bilingual listing and applies defaults', () => {
    const spec = validateDefinition({ ...baseDefinition(), listing: validListing() }, FILE);
    expect(spec.minRamMiB).toBe(1024);
    expect(spec.listing?.specifications[0].nameZh).toBe('标准版');
  });

  it('stays optional: definitions without a listing still validate', () => {
    expect(errors(baseDefinition() as Record<string, unknown>)).toBe('');
  });

  it('requires Chinese text in zh fields', () => {
    expect(withListing({ overview: { zh: 'Only English here', en: 'Overview' } })).toContain('listing.overview.zh: expected a short overview in Chinese (with Chinese characters); both languages are required');
  });

  it('requires the English text to be English', () => {
    expect(withListing({ highlights: [{ zh: '快速', en: '快速部署' }] })).toContain('listing.highlights[0].en: expected a highlight in English, found Chinese characters');
  });

  it('requires both languages (a missing one is named)', () => {
    expect(withListing({ description: { zh: '描述' } })).toContain('listing.description.en: expected the description in English (a string), found nothing (the field is required)');
  });

  it('requires both languages in specification names', () => {
    expect(withListing({ specifications: [{ id: 'std', nameZh: 'Standard', nameEn: 'Standard', recommendedFlavors: ['s7.large.2'], minimumFlavor: 's7.large.2' }] }))
      .toContain('listing.specifications[0].nameZh: expected the specification name in Chinese (with Chinese characters)');
  });

  it('requires the product name in both languages', () => {
    expect(errors({ ...baseDefinition(), product: { nameZh: 'Demo', nameEn: 'Demo' } })).toContain('product.nameZh: expected the product name in Chinese (with Chinese characters), found "Demo"');
  });

  it('requires a KooGallery version like V1.0', () => {
    expect(errors({ ...baseDefinition(), version: '1.0' })).toContain('version: expected a KooGallery version like "V1.0", found "1.0"');
  });

  it.each([
    ['a price', 'Demo Server ¥99', 'contains a price'],
    ['a price in Chinese', '演示服务器 99元', 'contains a price'],
    ['a version string', 'Demo Server V2.1', 'contains a version string (the version belongs in the version field)'],
    ['a semantic version', 'Demo Server 1.24.0', 'contains a version string (the version belongs in the version field)'],
    ['a phone number', 'Demo Server 400-800-1234', 'contains a phone number'],
    ['a mobile number', '演示 13800138000', 'contains a phone number'],
  ])('rejects a product name with %s', (_what, name, problem) => {
    const field = /\p{Script=Han}/u.test(name) ? 'nameZh' : 'nameEn';
    const product = field === 'nameZh' ? { nameZh: name, nameEn: 'Demo Server' } : { nameZh: '演示', nameEn: name };
    expect(errors({ ...baseDefinition(), product })).toContain(`product.${field}: expected a product name that describes the software, found "${name}", which ${problem} (KooGallery naming rules)`);
  });

  it('rejects "Huawei Cloud X" product names', () => {
    expect(productNameProblems('Huawei Cloud Nginx')).toEqual(['is a "Huawei Cloud X" name']);
    expect(productNameProblems('Nginx Web Server')).toEqual([]);
  });

  it('rejects a free per-vCPU product', () => {
    expect(withListing({ pricingModes: ['per-vcpu', 'free'] })).toContain('listing.pricingModes: expected a paid mode with per-vcpu, found "free": a per-vCPU product cannot be free (KooGallery pricing rule)');
  });

  it('rejects free alongside paid modes', () => {
    expect(withListing({ pricingModes: ['pay-per-use', 'free'] })).toContain('listing.pricingModes: expected "free" alone, found it with pay-per-use; a product is either free or paid');
  });

  it('rejects an unknown pricing mode', () => {
    expect(withListing({ pricingModes: ['hourly'] })).toContain('listing.pricingModes[0]: expected one of yearly-monthly, pay-per-use, per-vcpu, free, found "hourly"');
  });

  it('rejects a minimum flavor below the minimum RAM', () => {
    expect(withListing({}, { minRamMiB: 4096 })).toContain('listing.specifications[0].minimumFlavor: expected a flavor with at least 4096 MiB of RAM (minRamMiB), found "s7.medium.2" with 2048 MiB');
  });

  it('rejects a recommended flavor smaller than the minimum', () => {
    expect(withListing({ specifications: [{ id: 'std', nameZh: '标准版', nameEn: 'Standard', recommendedFlavors: ['s7.medium.2'], minimumFlavor: 's7.large.2' }] }))
      .toContain('listing.specifications[0].recommendedFlavors[0]: expected a flavor at least as large as the minimum "s7.large.2" (2 vCPU, 4 GiB), found "s7.medium.2" (1 vCPU, 2 GiB)');
  });

  it('rejects an architecture other than the build flavors\'', () => {
    expect(withListing({ architecture: 'aarch64' })).toContain('listing.architecture: expected "x86_64", the architecture of the build flavors, found "aarch64"');
  });

  it('rejects an access URL without the {ip} placeholder', () => {
    expect(withListing({ accessUrl: 'http://example.com/' })).toContain('listing.accessUrl: expected a URL on the instance\'s address, e.g. "http://{ip}/"');
  });

  it('keeps one minimum RAM: listing.minimumRamMiB is refused with how to move it', () => {
    const message = withListing({ minimumRamMiB: 2048 }, { minRamMiB: 1024 });
    expect(message).toContain('listing.minimumRamMiB: expected no listing.minimumRamMiB: the minimum RAM is now the top-level minRamMiB, one value for the image and its listing; move this value to minRamMiB and delete this line, found 2048');
    expect(message).not.toMatch(/undefined|\n\s+at /);
  });

  it('derives vCPUs and RAM from flavor names', () => {
    expect(flavorSize('s7.large.2')).toEqual({ vcpus: 2, ramMiB: 4096 });
    expect(flavorSize('c7.4xlarge.4')).toEqual({ vcpus: 16, ramMiB: 65536 });
    expect(flavorSize('s6.medium.2')).toEqual({ vcpus: 1, ramMiB: 2048 });
  });
});

describe('listing files', () => {
  it('accepts a 120x120 PNG logo and a usage guide', () => {
    const image = makeListedImage();
    expect(listingFileProblems(image.spec.listing, image.dir)).toEqual([]);
  });

  it('reads the PNG header, not the extension: a JPEG named logo.png is refused', () => {
    const image = makeListedImage({}, {}, { 'logo.png': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]) });
    expect(listingFileProblems(image.spec.listing, image.dir)).toEqual(['listing.logo: expected a PNG image, found "logo.png", which is not a PNG (its first bytes are a JPEG signature, not the PNG signature)']);
  });

  it('refuses a PNG that is not 120x120', () => {
    const image = makeListedImage({}, {}, { 'logo.png': makePng(128, 120) });
    expect(listingFileProblems(image.spec.listing, image.dir)).toEqual(['listing.logo: expected a PNG of 120x120 pixels (KooGallery logo rule), found "logo.png" of 128x120']);
  });

  it('refuses a logo above 5 MB', () => {
    const image = makeListedImage({}, {}, { 'logo.png': makePng(120, 120, 5 * 1024 * 1024 + 10) });
    expect(listingFileProblems(image.spec.listing, image.dir)[0]).toMatch(/^listing\.logo: expected a logo of at most 5\.0 MB, found "logo\.png" of 5\.0 MB$/);
  });

  it('refuses a PNG whose first chunk is not IHDR', () => {
    const png = makePng(120, 120);
    png.write('IDAT', 12, 'latin1');
    expect(readPngHeader(png)).toEqual({ ok: false, problem: 'is a damaged PNG (its first chunk is "IDAT" of 13 bytes, expected IHDR of 13)' });
  });

  it('names a missing logo and an empty usage guide', () => {
    const image = makeListedImage({}, {}, { 'USAGE.md': '' });
    writeFileSync(join(image.dir, 'logo.png'), makePng(120, 120));
    expect(listingFileProblems({ ...image.spec.listing!, logo: 'missing.png' }, image.dir)).toEqual([
      `listing.logo: expected a PNG file in the image folder, found no file "missing.png" in ${image.dir}`,
      'listing.usageGuide: expected a usage guide with content, found "USAGE.md" empty',
    ]);
  });

  it('the example image loads with its logo and guide', async () => {
    const { loadImage } = await import('../../stacks/definition/load.js');
    const image = await loadImage('images/nginx');
    expect(image.spec.listing?.logo).toBe('logo.png');
  });
});
