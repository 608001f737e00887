/**
 * Region catalogue: which regions exist on each Huawei Cloud site, and in which of them
 * KooGallery accepts an image product's build ECS.
 *
 * Sources (Nov 2026):
 * - Build regions: KooGallery seller guide "Image asset creation" region list, as summarised in
 *   the project's FACTS.md ("Where the image must be built"). Entries the docs leave unconfirmed
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
  /** KooGallery accepts build ECSs in this region. */
  readonly build?: boolean;
  /** false where the docs leave the fact open (FACTS.md "unconfirmed"). */
  readonly confirmed?: boolean;
}

export const REGIONS: Readonly<Record<Site, readonly RegionInfo[]>> = {
  intl: [
    { id: 'ap-southeast-1', name: 'CN-Hong Kong', build: true },
    { id: 'ap-southeast-2', name: 'AP-Bangkok', build: true },
    { id: 'ap-southeast-3', name: 'AP-Singapore', build: true },
    { id: 'ap-southeast-4', name: 'AP-Jakarta' },
    { id: 'ap-southeast-5', name: 'AP-Manila' },
    { id: 'af-south-1', name: 'AF-Johannesburg', build: true },
    { id: 'af-north-1', name: 'AF-Cairo' },
    // FACTS.md: LA-Mexico City1 and/or City2 accept builds; which one is unconfirmed.
    { id: 'na-mexico-1', name: 'LA-Mexico City1', build: true, confirmed: false },
    { id: 'la-north-2', name: 'LA-Mexico City2', build: true, confirmed: false },
    { id: 'la-south-2', name: 'LA-Santiago', build: true },
    { id: 'sa-brazil-1', name: 'LA-Sao Paulo1', build: true },
    { id: 'tr-west-1', name: 'TR-Istanbul' },
    { id: 'me-east-1', name: 'ME-Riyadh' },
  ],
  cn: [
    { id: 'cn-north-4', name: 'CN North-Beijing4', build: true },
    { id: 'cn-north-1', name: 'CN North-Beijing1' },
    { id: 'cn-north-9', name: 'CN North-Ulanqab1' },
    // FACTS.md: Shanghai1 accepts builds for existing merchants only.
    { id: 'cn-east-3', name: 'CN East-Shanghai1', build: true, confirmed: false },
    { id: 'cn-east-2', name: 'CN East-Shanghai2' },
    { id: 'cn-south-1', name: 'CN South-Guangzhou', build: true },
    { id: 'cn-southwest-2', name: 'CN Southwest-Guiyang1' },
  ],
  eu: [
    // FACTS.md: EU-Dublin only; its ID is believed to be eu-west-101 (unconfirmed).
    { id: 'eu-west-101', name: 'EU-Dublin', build: true, confirmed: false },
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
 * EU-site regions `eu-west-1<nn>` (FACTS.md: Dublin, eu-west-101), every other ID is on the
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

export function regionName(region: string): string {
  for (const site of SITES) {
    const hit = REGIONS[site].find((r) => r.id === region);
    if (hit) return hit.name;
  }
  return region;
}
