/**
 * Buyer-template variants the tests run through synthesis, the RFS pack, the schema check and
 * terraform plan: one per pricing situation and site, plus the planned template.
 */
import type { ListingInput } from '../../stacks/definition/listing.js';
import type { ImageDefinitionInput } from '../../stacks/definition/schema.js';
import { makeListedImage } from '../listing/fixtures.js';

export const ASSET_ID = '5f2c7e1a9b3d4c8e8a6f0d1e2b3c4d5e';
export const BUILT_IDS = { 'ap-southeast-3': '0d3f1c2a-1111-4c4c-9a9a-000000000003' };

/** The product: Redis on Huawei Cloud EulerOS, cn site, sold yearly/monthly only, asset registered. */
export const redisCn = () => makeListedImage({
  overview: { zh: '基于 Huawei Cloud EulerOS 的 Redis 缓存服务器。', en: 'A Redis cache server on Huawei Cloud EulerOS.' },
  pricingModes: ['yearly-monthly'],
  assetId: ASSET_ID,
  assetVersion: 'V2.1',
  specifications: [
    { id: 'basic', nameZh: '基础版', nameEn: 'Basic', recommendedFlavors: ['s7.large.4', 's7.xlarge.4'], minimumFlavor: 's7.large.2' },
    { id: 'cluster', nameZh: '集群版', nameEn: 'Cluster', recommendedFlavors: ['c7.2xlarge.4'], minimumFlavor: 'c7.xlarge.4' },
  ],
  operatingSystem: 'Huawei Cloud EulerOS 2.0 64bit',
  accessUrl: undefined,
}, {
  product: { nameZh: 'Redis 缓存服务器', nameEn: 'Redis Cache Server' },
  site: 'cn',
  buildRegion: 'cn-north-4',
  targetRegions: ['cn-south-1', 'cn-east-3'],
  baseImage: { name: 'Huawei Cloud EulerOS 2.0 64bit' },
  securityGroup: [
    { protocol: 'tcp', ports: '6379', source: '10.0.0.0/8', description: 'Redis clients', descriptionZh: 'Redis 客户端' },
    { protocol: 'tcp', ports: '22', description: 'SSH for administration', descriptionZh: '用于管理的SSH' },
    { protocol: 'icmp', source: '192.168.0.0/16', description: 'Ping from the VPC' },
  ],
});

/** Pay-per-use only, international site, image IDs from a build record, no asset ID yet. */
export const payPerUseIntl = () => makeListedImage({ pricingModes: ['pay-per-use'] });

/** Both modes, pay-per-use by default, EU site, asset registered. */
export const bothEu = () => makeListedImage({ pricingModes: ['yearly-monthly', 'pay-per-use'], defaultPricingMode: 'pay-per-use', assetId: 'eu-asset-01' }, {
  site: 'eu', buildRegion: 'eu-west-101', targetRegions: [],
});

/** Nothing known about the image: only written as planned. */
export const plannedIntl = (listing: Partial<ListingInput> = {}, def: Partial<ImageDefinitionInput> = {}) => makeListedImage({ pricingModes: ['yearly-monthly', 'pay-per-use'], ...listing }, def);

/** [name, image, image IDs, allowPlanned] for table-driven tests. */
export const VARIANTS = [
  ['yearly-monthly, cn, asset', redisCn, {}, false],
  ['pay-per-use, intl, built image IDs', payPerUseIntl, BUILT_IDS, false],
  ['both modes, eu, asset', bothEu, {}, false],
  ['planned', () => plannedIntl(), {}, true],
] as const;
