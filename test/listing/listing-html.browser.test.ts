/**
 * Opens listing.html in headless Chromium (Debian's `chromium` package) and checks what the
 * merchant sees: both languages and every region's image ID. Skipped, with the reason in its
 * name, only when /usr/bin/chromium is absent (CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { outputDir, writeManifestOutputs } from '../../scripts/listing/outputs.js';
import { makeListedImage, record } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where the screenshot goes, for a human to look at (gitignored). */
export const SCREENSHOT = resolve('.image-factory/screenshots/listing-html.png');

const IDS = {
  'ap-southeast-3': '5b1f0c3e-aaaa-4b4b-8c8c-000000000003',
  'ap-southeast-2': '5b1f0c3e-bbbb-4b4b-8c8c-000000000002',
  'af-south-1': '5b1f0c3e-cccc-4b4b-8c8c-000000000001',
};
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(hasChromium ? 'listing.html in headless Chromium' : `listing.html in headless Chromium (SKIPPED: ${CHROMIUM} not found; install it with apt-get install -y chromium)`, () => {
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    const image = makeListedImage();
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(outputDir(image, dist), { recursive: true });
    writeFileSync(join(outputDir(image, dist), 'build.json'), JSON.stringify(record(IDS)));
    writeManifestOutputs(image, { distDir: dist });
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-profile-')), {
      executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1200, height: 900 },
    });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(outputDir(image, dist), 'listing.html')).href);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('shows the product in both languages', async () => {
    const text = await page.locator('body').innerText();
    for (const s of ['Test Product', '测试产品', 'A demo product overview.', '演示产品简介', 'Standard', '标准版', 'Fast deployment', '快速部署', 'Pay-per-use', '按需计费']) {
      expect(text, s).toContain(s);
    }
    expect(await page.title()).toBe('Test Product V1.0 listing sheet / 测试产品 V1.0 上架信息');
    expect(await page.locator('[lang="zh-CN"]').count()).toBeGreaterThan(20);
  });

  it('shows every region with its image ID', async () => {
    const rows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    for (const [region, id] of Object.entries(IDS)) {
      expect(rows.find((r) => r.includes(region)), region).toContain(id);
    }
  });

  it('is self-contained: the logo is inline and nothing is fetched', async () => {
    const logo = page.locator('header img');
    expect(await logo.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(120);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('renders (screenshot for review)', async () => {
    mkdirSync(resolve('.image-factory/screenshots'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
