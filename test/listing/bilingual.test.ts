/**
 * The Chinese halves of the listing outputs are Chinese wherever a Chinese source exists: the
 * catalogue's region names (华北-北京四) and the merchant's descriptionZh, on every site. And the
 * sheets link to the product's own site: seller center, the release guide, the console pages.
 */
import { describe, expect, it } from 'vitest';
import { regionNameZh, SITE_CONSOLE, type Site } from '../../stacks/catalogue/regions.js';
import { buildManifest } from '../../scripts/listing/manifest.js';
import { listingSheet } from '../../scripts/listing/sheet.js';
import { renderMarkdown } from '../../scripts/listing/render-md.js';
import { renderHtml } from '../../scripts/listing/render-html.js';
import { makeListedImage, makePng } from './fixtures.js';

const HAN = /\p{Script=Han}/u;

const PRODUCTS: Record<Site, { buildRegion: string; targetRegions: string[]; console: RegExp; koogallery: RegExp }> = {
  cn: { buildRegion: 'cn-north-4', targetRegions: ['cn-south-1', 'cn-east-2'], console: /^https:\/\/console\.huaweicloud\.com\//, koogallery: /^https:\/\/marketplace\.huaweicloud\.com\/$/ },
  intl: { buildRegion: 'ap-southeast-3', targetRegions: ['ap-southeast-2', 'af-south-1'], console: /^https:\/\/console-intl\.huaweicloud\.com\//, koogallery: /^https:\/\/marketplace\.huaweicloud\.com\/intl\/$/ },
  eu: { buildRegion: 'eu-west-101', targetRegions: [], console: /^https:\/\/console\.eu\.huaweicloud\.com\//, koogallery: /^https:\/\/marketplace\.eu\.huaweicloud\.com\/$/ },
};

describe.each(Object.entries(PRODUCTS) as [Site, (typeof PRODUCTS)[Site]][])('a %s product', (site, p) => {
  const image = makeListedImage({}, {
    site, buildRegion: p.buildRegion, targetRegions: p.targetRegions,
    securityGroup: [
      { protocol: 'tcp', ports: '443', description: 'HTTPS for the web console', descriptionZh: '网页控制台的 HTTPS 访问' },
      { protocol: 'tcp', ports: '8443', description: 'Admin API' },
    ],
    ...(p.targetRegions.length ? {} : { build: {} }),
  });
  const manifest = buildManifest(image);
  const sheet = listingSheet(manifest);
  const md = renderMarkdown(sheet);
  const html = renderHtml(sheet, makePng(120, 120));
  const regions = [p.buildRegion, ...p.targetRegions];

  it('the manifest has each region\'s Chinese name and each rule\'s Chinese description', () => {
    expect(manifest.images.regions.map((r) => r.regionNameZh)).toEqual(regions.map(regionNameZh));
    for (const r of manifest.images.regions) expect(r.regionNameZh, r.region).toMatch(HAN);
    expect(manifest.asset.securityGroup.map((r) => r.descriptionZh)).toEqual(['网页控制台的 HTTPS 访问', null]);
  });

  it('the sheets\' Chinese columns and halves use them, and mark an untranslated text as the merchant\'s own', () => {
    for (const id of regions) {
      expect(md).toContain(`| ${id} | `);
      expect(md).toMatch(new RegExp(`\\| ${id} \\| [^|]+ \\| ${regionNameZh(id)} \\|`));
      expect(html).toContain(`<span class="text">${regionNameZh(id)}</span>`);
    }
    expect(md).toMatch(/\| ingress \| TCP \| 443 \| 0\.0\.0\.0\/0 \| HTTPS for the web console \| 网页控制台的 HTTPS 访问 \|/);
    expect(md).toContain('| Admin API | “Admin API”（商家原文） |');
    // Every 中文 half of the markdown is Chinese, the release regions among them.
    const zhHalves = md.split('\n').filter((l) => l.startsWith('- 中文：'));
    expect(zhHalves.length).toBeGreaterThan(3);
    for (const l of zhHalves) expect(l, l).toMatch(HAN);
    const release = md.slice(md.indexOf('### Release regions / 发布区域'));
    expect(release.split('\n')[2]).toBe(`- 中文：${regions.map((r) => `${r}（${regionNameZh(r)}）`).join('、')}`);
  });

  it('link to seller center, the release guide and the console pages of the product\'s site only', () => {
    const urls = sheet.links.map((l) => l.url);
    expect(urls[0]).toMatch(p.koogallery);
    expect(urls[1]).toMatch(/^https:\/\/support\.huaweicloud\.com\//);
    expect(urls.slice(2)).toEqual([expect.stringMatching(p.console), expect.stringMatching(p.console)]);
    expect(urls[2]).toContain(`region=${p.buildRegion}`);
    expect(urls.slice(2).every((u) => u.startsWith(SITE_CONSOLE[site]))).toBe(true);
    for (const l of sheet.links) {
      expect(l.zh).toMatch(HAN);
      expect(md).toContain(`](${l.url})`);
      expect(html).toContain(`<a href="${l.url}" rel="noopener noreferrer" target="_blank">`);
    }
  });
});
