import { describe, expect, it } from 'vitest';
import { REGIONS, SITES, buildRegionIds, regionIds, siteOfRegion } from '../../stacks/catalogue/regions.js';

describe('region catalogue', () => {
  it.each(SITES)('every %s build region is a region of that site', (site) => {
    const all = regionIds(site);
    expect(buildRegionIds(site).length).toBeGreaterThan(0);
    for (const r of buildRegionIds(site)) expect(all).toContain(r);
  });

  it('names each region exactly once across sites', () => {
    const ids = SITES.flatMap((s) => REGIONS[s].map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("holds the seller guide's build regions of the international site", () => {
    expect(buildRegionIds('intl')).toEqual(expect.arrayContaining(['ap-southeast-2', 'ap-southeast-1', 'af-south-1', 'la-south-2', 'sa-brazil-1', 'ap-southeast-3']));
    expect(buildRegionIds('cn')).toContain('cn-north-4');
    expect(buildRegionIds('eu')).toEqual(['eu-west-101']);
  });

  it('marks what the docs leave unconfirmed', () => {
    const unconfirmed = SITES.flatMap((s) => REGIONS[s].filter((r) => r.confirmed === false).map((r) => r.id));
    expect(unconfirmed.sort()).toEqual(['cn-east-3', 'eu-west-101', 'la-north-2', 'na-mexico-1']);
  });

  it('lets a definition add regions the catalogue lacks', () => {
    expect(buildRegionIds('eu', { extraBuildRegions: ['eu-west-0'] })).toEqual(['eu-west-101', 'eu-west-0']);
    expect(regionIds('eu', { extraRegions: ['eu-west-102'] })).toContain('eu-west-102');
    expect(siteOfRegion('af-south-1')).toBe('intl');
    expect(siteOfRegion('nowhere-1')).toBeUndefined();
  });
});
