import { afterAll, describe, expect, it } from 'vitest';
import { loadImages, validateDefinition } from '../../stacks/definition/load.js';
import { TEXT_LIMITS } from '../../stacks/definition/listing-text.js';
import { baseDefinition } from '../support/images.js';
import { validListing } from '../listing/fixtures.js';
import { ROOT, cleanUp, tempParent, writeImage } from './folder.js';
import { FILE, expectNoTrace, rejection } from './reject.js';

afterAll(cleanUp);

const withListing = (listing: Record<string, unknown>) => rejection((d: any) => { d.listing = { ...validListing(), ...listing }; });

describe('seller-center text limits, in both languages', () => {
  it('a product name over the limit, counted in characters', () => {
    const zh = '网'.repeat(TEXT_LIMITS.productName + 1);
    const message = rejection((d: any) => { d.product.nameZh = zh; });
    expect(message).toContain(`product.nameZh: expected the product name in Chinese of at most ${TEXT_LIMITS.productName} characters of plain one-line text, found ${TEXT_LIMITS.productName + 1} characters`);
    expectNoTrace(message);
    expect(rejection((d: any) => { d.product.nameEn = `Web ${'x'.repeat(TEXT_LIMITS.productName)}`; })).toContain(`product.nameEn: expected the product name in English of at most ${TEXT_LIMITS.productName} characters`);
  });

  it('an overview, highlight or SKU name over the limit', () => {
    expect(withListing({ overview: { zh: '简介'.repeat(101), en: 'Overview' } })).toContain(`listing.overview.zh: expected a short overview in Chinese of at most ${TEXT_LIMITS.overview} characters of plain one-line text, found 202 characters`);
    expect(withListing({ highlights: [{ zh: '亮点', en: 'h'.repeat(TEXT_LIMITS.highlight + 1) }] })).toContain(`listing.highlights[0].en: expected a highlight in English of at most ${TEXT_LIMITS.highlight} characters`);
    const sku = { id: 'std', nameZh: '标准版', nameEn: 'S'.repeat(TEXT_LIMITS.specificationName + 1), recommendedFlavors: ['s7.large.2'], minimumFlavor: 's7.medium.2' };
    expect(withListing({ specifications: [sku] })).toContain(`listing.specifications[0].nameEn: expected the specification name in English of at most ${TEXT_LIMITS.specificationName} characters`);
  });

  it('a description over the limit; line breaks are fine there', () => {
    expect(withListing({ description: { zh: '描述\n第二行', en: 'd'.repeat(TEXT_LIMITS.description + 1) } })).toContain(`listing.description.en: expected the description in English of at most ${TEXT_LIMITS.description} characters of plain text, found ${TEXT_LIMITS.description + 1} characters`);
    const spec = validateDefinition({ ...baseDefinition(), listing: { ...validListing(), description: { zh: '描述\n第二行', en: 'Line one.\nLine two.' } } }, FILE);
    expect(spec.listing?.description.en).toBe('Line one.\nLine two.');
  });

  it('control characters, line breaks in one-line fields, and markup', () => {
    expect(withListing({ overview: { zh: '简介', en: 'Fast\u0007 start' } })).toContain('listing.overview.en: expected a short overview in English of at most 200 characters of plain one-line text, found the control character U+0007 at character 5 (this field is one line)');
    expect(rejection((d: any) => { d.product.nameEn = 'Web\nServer'; })).toContain('product.nameEn: expected the product name in English of at most 50 characters of plain one-line text, found the control character U+000A at character 4');
    expect(withListing({ highlights: [{ zh: '亮点', en: 'Fast <b>start</b>' }] })).toContain('listing.highlights[0].en: expected a highlight in English of at most 100 characters of plain one-line text, found the markup "<b>" (seller center takes plain text)');
  });
});

describe('two image folders cannot publish the same product name', () => {
  it('rejects both, naming each other, and keeps the other images', async () => {
    const parent = tempParent();
    const same = { ...baseDefinition(), product: { nameZh: '网页服务器', nameEn: 'Web Server' } };
    writeImage(parent, 'web-a', { definition: same });
    writeImage(parent, 'web-b', { definition: { ...same, product: { nameZh: '另一个', nameEn: 'web  server ' } } });
    writeImage(parent, 'other', { definition: { ...baseDefinition(), product: { nameZh: '其他', nameEn: 'Other' } } });
    const { images, problems } = await loadImages(parent, ROOT);
    expect(images.map((i) => i.name)).toEqual(['other']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/web-a\/image\.ts: invalid image definition\n {2}- product\.nameEn: expected a product name no other image uses, found "Web Server", also the product name of test\/\.tmp-\w+\/web-b\/image\.ts; give each product its own name/);
    expect(problems[1]).toMatch(/web-b\/image\.ts: invalid image definition\n {2}- product\.nameEn: expected a product name no other image uses, found "web {2}server", also the product name of test\/\.tmp-\w+\/web-a\/image\.ts/);
    problems.forEach(expectNoTrace);
  });
});
