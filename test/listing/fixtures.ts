/** Listing fixtures: a valid listing, real PNG bytes of any size, and an image folder with both. */
import { deflateSync } from 'node:zlib';
import type { ListingInput } from '../../stacks/definition/listing.js';
import type { ImageDefinitionInput } from '../../stacks/definition/schema.js';
import { makeImage } from '../support/images.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** A real, decodable RGB PNG of `width` x `height`, optionally padded to `padTo` bytes. */
export function makePng(width: number, height: number, padTo = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x40);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw))];
  const size = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (padTo > size) parts.push(chunk('tEXt', Buffer.alloc(padTo - size - 12, 0x61)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export const validListing = (): ListingInput => ({
  overview: { zh: '演示产品简介', en: 'A demo product overview.' },
  description: { zh: '演示产品的详细描述。', en: 'A longer description of the demo product.' },
  highlights: [{ zh: '快速部署', en: 'Fast deployment' }],
  pricingModes: ['pay-per-use'],
  specifications: [
    { id: 'standard', nameZh: '标准版', nameEn: 'Standard', recommendedFlavors: ['s7.large.2'], minimumFlavor: 's7.medium.2' },
  ],
  operatingSystem: 'Ubuntu 22.04 server 64bit',
  architecture: 'x86_64',
  logo: 'logo.png',
  usageGuide: 'USAGE.md',
  accessUrl: 'https://{ip}/',
});

/** An image folder whose definition has a valid listing (overridable) and its logo and guide. */
export function makeListedImage(listing: Partial<ListingInput> = {}, overrides: Partial<ImageDefinitionInput> = {}, files: Record<string, string | Buffer> = {}) {
  return makeImage({ listing: { ...validListing(), ...listing }, ...overrides }, { files: { 'logo.png': makePng(120, 120), 'USAGE.md': '# Usage\n', ...files } });
}

export const SHA = 'a'.repeat(64);

/** A build record as scripts/pipeline/record.ts writes it (fields beyond those read included). */
export const record = (imageIds: Record<string, string>) => ({
  schema: 1, image: 'demo', product: { nameEn: 'Test Product', nameZh: '测试产品' }, version: '1.0.0', productVersion: 'V1.0',
  buildId: '20261128T154500Z-3f9a', site: 'intl', imageName: 'Test Product-V1.0', buildRegion: 'ap-southeast-3',
  complete: Object.keys(imageIds).length === 3, imageIds, regions: {},
  sourceImage: { id: 'src-image-id', name: 'Ubuntu 22.04 server 64bit' },
  installSteps: [{ name: 'install', script: 'install.sh', sha256: SHA, status: 'done', seconds: 12 }],
  testSteps: [{ name: 'smoke', script: 'test.sh', sha256: 'b'.repeat(64), status: 'done', seconds: 2 }],
  timings: {}, startedAt: '2026-11-28T15:45:00.000Z', finishedAt: '2026-11-28T16:30:00.000Z',
  tool: { name: 'koogallery-image-factory', version: '0.1.0' }, git: { commit: 'c0ffee' }, ci: { runUrl: 'https://ci.example/run/1' },
});

