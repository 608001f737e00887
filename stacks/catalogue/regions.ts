/**
 * Region catalogue: which regions exist on each Huawei Cloud site, and in which of them
 * KooGallery accepts an image product's build ECS.
 *
 * Sources (Nov 2026):
 * - Build regions: KooGallery seller guide "Releasing Images" (https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html;
 *   EU site: https://support.huaweicloud.com/eu/sp-marketplace/eu_sp_topic_000075.html). Entries the docs leave unconfirmed
 *   are marked `confirmed: false`; an image definition can add regions the catalogue lacks with
 *   `catalogue.extraBuildRegions` / `catalogue.extraRegions`.
 * - All regions: Huawei Cloud "Regions and Endpoints" (developer.huaweicloud.com/intl/en-us/endpoint)
 *   and the per-service endpoint tables (e.g. SDRS, CC "Supported Regions") of the same date.
 */
export const SITES = ['cn', 'intl', 'eu'] as const;
export type Site = (typeof SITES)[number];

export interface RegionInfo {
  readonly id: string;
  readonly name: string;
  /** The region's name on the Chinese console, for buyer-facing Chinese text. */
  readonly nameZh: string;
  /**
   * Latitude and longitude of the region's city (its name above), rounded: how far apart two
   * regions are, which is all a copy's duration can be estimated from before any copy was timed.
   */
  readonly at: readonly [number, number];
  /** KooGallery accepts build ECSs in this region. */
  readonly build?: boolean;
  /** false where the docs leave the fact open (the page names a city, not a region ID). */
  readonly confirmed?: boolean;
  /** What is open about an unconfirmed entry, for the warning `plan` prints. */
  readonly doubt?: { readonly en: string; readonly zh: string };
}

export const REGIONS: Readonly<Record<Site, readonly RegionInfo[]>> = {
  intl: [
    { id: 'ap-southeast-1', name: 'CN-Hong Kong', nameZh: '中国-香港', at: [22.32, 114.17], build: true },
    { id: 'ap-southeast-2', name: 'AP-Bangkok', nameZh: '亚太-曼谷', at: [13.76, 100.5], build: true },
    { id: 'ap-southeast-3', name: 'AP-Singapore', nameZh: '亚太-新加坡', at: [1.35, 103.82], build: true },
    { id: 'ap-southeast-4', name: 'AP-Jakarta', nameZh: '亚太-雅加达', at: [-6.21, 106.85] },
    { id: 'ap-southeast-5', name: 'AP-Manila', nameZh: '亚太-马尼拉', at: [14.6, 120.98] },
    { id: 'af-south-1', name: 'AF-Johannesburg', nameZh: '非洲-约翰内斯堡', at: [-26.2, 28.05], build: true },
    { id: 'af-north-1', name: 'AF-Cairo', nameZh: '非洲-开罗', at: [30.04, 31.24] },
    { id: 'na-mexico-1', name: 'LA-Mexico City1', nameZh: '拉美-墨西哥城一', at: [19.43, -99.13], build: true, confirmed: false, doubt: { en: 'the seller guide names "Mexico City" without saying City1 or City2', zh: '卖家指南只写“墨西哥城”，未说明是城一还是城二' } },
    { id: 'la-north-2', name: 'LA-Mexico City2', nameZh: '拉美-墨西哥城二', at: [19.43, -99.13], build: true, confirmed: false, doubt: { en: 'the seller guide names "Mexico City" without saying City1 or City2', zh: '卖家指南只写“墨西哥城”，未说明是城一还是城二' } },
    { id: 'la-south-2', name: 'LA-Santiago', nameZh: '拉美-圣地亚哥', at: [-33.45, -70.67], build: true },
    { id: 'sa-brazil-1', name: 'LA-Sao Paulo1', nameZh: '拉美-圣保罗一', at: [-23.55, -46.63], build: true },
    { id: 'tr-west-1', name: 'TR-Istanbul', nameZh: '土耳其-伊斯坦布尔', at: [41.01, 28.98] },
    { id: 'me-east-1', name: 'ME-Riyadh', nameZh: '中东-利雅得', at: [24.71, 46.68] },
  ],
  cn: [
    { id: 'cn-north-4', name: 'CN North-Beijing4', nameZh: '华北-北京四', at: [39.9, 116.41], build: true },
    { id: 'cn-north-1', name: 'CN North-Beijing1', nameZh: '华北-北京一', at: [39.9, 116.41] },
    { id: 'cn-north-9', name: 'CN North-Ulanqab1', nameZh: '华北-乌兰察布一', at: [41.03, 113.13] },
    { id: 'cn-east-3', name: 'CN East-Shanghai1', nameZh: '华东-上海一', at: [31.23, 121.47], build: true, confirmed: false, doubt: { en: 'the Chinese seller guide accepts builds in Shanghai1 for existing merchants only', zh: '中国站卖家指南写明上海一仅对存量商家开放镜像构建' } },
    { id: 'cn-east-2', name: 'CN East-Shanghai2', nameZh: '华东-上海二', at: [31.23, 121.47] },
    { id: 'cn-south-1', name: 'CN South-Guangzhou', nameZh: '华南-广州', at: [23.13, 113.26], build: true },
    { id: 'cn-southwest-2', name: 'CN Southwest-Guiyang1', nameZh: '西南-贵阳一', at: [26.65, 106.63] },
  ],
  eu: [
    // EU-Dublin only (https://support.huaweicloud.com/eu/sp-marketplace/eu_sp_topic_000075.html).
    { id: 'eu-west-101', name: 'EU-Dublin', nameZh: '欧洲-都柏林', at: [53.35, -6.26], build: true, confirmed: false, doubt: { en: 'the EU seller guide names EU-Dublin; its region ID is believed to be eu-west-101', zh: '欧洲站卖家指南只写都柏林，其区域ID推测为 eu-west-101' } },
  ],
};

export interface CatalogueOverrides {
  readonly extraBuildRegions?: readonly string[];
  readonly extraRegions?: readonly string[];
}

export function regionIds(site: Site, overrides: CatalogueOverrides = {}): string[] {
  const ids = REGIONS[site].map((r) => r.id);
  return [...new Set([...ids, ...(overrides.extraRegions ?? []), ...(overrides.extraBuildRegions ?? [])])];
}

export function buildRegionIds(site: Site, overrides: CatalogueOverrides = {}): string[] {
  const ids = REGIONS[site].filter((r) => r.build).map((r) => r.id);
  return [...new Set([...ids, ...(overrides.extraBuildRegions ?? [])])];
}

/** The site a region belongs to, if the catalogue knows it. */
export function siteOfRegion(region: string): Site | undefined {
  return SITES.find((site) => REGIONS[site].some((r) => r.id === region));
}

/**
 * The site a region ID belongs to, from the catalogue or else from how each site names its
 * regions (Huawei Cloud "Regions and Endpoints"): Chinese mainland regions are `cn-<area>-<n>`,
 * EU-site regions `eu-west-1<nn>` (Dublin, eu-west-101), every other ID is on the
 * international site (ap-, af-, la-, na-, sa-, tr-, me-, and eu-west-0 Paris). Used so no
 * catalogue override can put a build or a copy on another site: images never cross sites.
 */
export function siteOfRegionId(region: string): Site {
  const known = siteOfRegion(region);
  if (known) return known;
  if (/^cn-/.test(region)) return 'cn';
  if (/^eu-west-1\d+$/.test(region)) return 'eu';
  return 'intl';
}

/** The region's English name, or its ID when the catalogue does not know it. */
export function regionName(region: string): string {
  return regionInfo(region)?.name ?? region;
}

/** The region's Chinese name, or its ID when the catalogue does not know it. */
export function regionNameZh(region: string): string {
  return regionInfo(region)?.nameZh ?? region;
}

/**
 * The management console of each site, for links in buyer-facing text. Sites do not share
 * accounts (a region belongs to one site), so a cn buyer must be sent to the cn console: Chinese mainland
 * console.huaweicloud.com, international console-intl.huaweicloud.com (the address the intl
 * Help Center's ECS guides link to), EU console.eu.huaweicloud.com.
 */
export const SITE_CONSOLE: Readonly<Record<Site, string>> = {
  cn: 'https://console.huaweicloud.com',
  intl: 'https://console-intl.huaweicloud.com',
  eu: 'https://console.eu.huaweicloud.com',
};

/** The catalogue entry of a region, if it has one. */
export function regionInfo(region: string): RegionInfo | undefined {
  for (const site of SITES) {
    const hit = REGIONS[site].find((r) => r.id === region);
    if (hit) return hit;
  }
  return undefined;
}
