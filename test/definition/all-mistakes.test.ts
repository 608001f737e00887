/**
 * Every mistake of a definition in one run: checks across fields run whenever the fields they
 * read are valid (stacks/definition/refine-when.ts), so fixing one mistake never reveals another.
 */
import { describe, expect, it } from 'vitest';
import { validListing } from '../listing/fixtures.js';
import { rejection } from './reject.js';

const mistakes = (message: string) => message.split('\n').slice(1).map((l) => l.replace(/^ {2}- /, '').split(':')[0]);

describe('a definition with one mistake per class reports all of them in one run', () => {
  it('a bad CIDR, a bad tag key, a region that is not a build region and a region of another site', () => {
    const message = rejection({ site: 'cn', buildRegion: 'cn-north-1', targetRegions: ['ap-southeast-2'], build: { vpcCidr: '10.0.0.1/24', agencyName: 'koogallery_ims_agency' }, tags: { 'bad key!': 'x' } });
    expect(mistakes(message).sort()).toEqual(['build.vpcCidr', 'buildRegion', 'tags.bad key!', 'targetRegions[0]']);
    expect(message).toContain('found "cn-north-1", a region of that site where KooGallery does not accept builds');
    expect(message).toContain('found "ap-southeast-2", a region of site intl');
  });

  it('inside the listing: a field, a rule across its own fields, and a rule across the definition', () => {
    const message = rejection({
      listing: { ...validListing(), logo: '../logo.png', pricingModes: ['pay-per-use', 'pay-per-use'], architecture: 'aarch64' },
      flavors: ['s7.large.2'],
      selfCheck: { waivers: { 'no-such-check': 'a reason long enough' } },
    });
    expect(mistakes(message).sort()).toEqual(['listing.architecture', 'listing.logo', 'listing.pricingModes', 'selfCheck.waivers.no-such-check']);
  });

  it('a check whose own fields are wrong stays quiet: one message per mistake, none about its consequences', () => {
    // buildRegion is not a string: the region check cannot run, the unrelated tag check still does.
    const message = rejection({ buildRegion: 42 as never, tags: { 'bad key!': 'x' } });
    expect(mistakes(message).sort()).toEqual(['buildRegion', 'tags.bad key!']);
    expect(message).not.toContain('KooGallery build regions');
  });
});
