import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { makeImage, baseDefinition } from '../support/images.js';
import { validateDefinition } from '../../stacks/definition/load.js';
import { createFactoryApp } from '../../stacks/app.js';
import { TEST_CONTEXT } from '../support/synth.js';

import { FILE, rejection } from './reject.js';

describe('image definition: one clear error per rejected field', () => {
  it('starts with the file and lists each problem on its own line', () => {
    const message = rejection({ version: '1.0', buildVersion: 'one' });
    expect(message.split('\n')).toEqual([
      `${FILE}: invalid image definition`,
      '  - version: expected a KooGallery version like "V1.0", found "1.0"',
      '  - buildVersion: expected a semantic version like "1.0.0", found "one"',
    ]);
  });

  it('a build region of another site', () => {
    expect(rejection({ site: 'cn', targetRegions: [] })).toContain(
      'buildRegion: expected one of the cn KooGallery build regions (cn-north-4, cn-east-3, cn-south-1), found "ap-southeast-3", a region of site intl; images never cross sites: pick one of the list, or make a separate definition with site: \'intl\' for intl buyers',
    );
    // No hint that would be refused in turn: an override cannot add another site's region.
    expect(rejection({ site: 'cn', targetRegions: [] })).not.toContain('extraBuildRegions');
  });

  it('a region of the site where KooGallery does not accept builds', () => {
    expect(rejection({ buildRegion: 'tr-west-1' })).toContain(
      'buildRegion: expected one of the intl KooGallery build regions (ap-southeast-1, ap-southeast-2, ap-southeast-3, af-south-1, na-mexico-1, la-north-2, la-south-2, sa-brazil-1), found "tr-west-1", a region of that site where KooGallery does not accept builds',
    );
  });

  it('an unknown target region, with the list of valid ones', () => {
    const message = rejection({ targetRegions: ['ap-southeast-2', 'mars-north-1'] });
    expect(message).toContain('targetRegions[1]: expected a region of site intl (ap-southeast-1, ap-southeast-2, ap-southeast-3');
    expect(message).toContain('found "mars-north-1", which the catalogue does not know for site intl; if it is a new region of that site, add it to catalogue.extraRegions');
  });

  it('a target region on another site, with no hint that would be refused too', () => {
    expect(rejection({ targetRegions: ['cn-north-4'] })).toContain('targetRegions[0]: expected a region of site intl');
    const cn = rejection({ site: 'cn', buildRegion: 'cn-north-4', targetRegions: ['ap-southeast-1'] });
    expect(cn).toContain('targetRegions[0]: expected a region of site cn (cn-north-4, cn-north-1, cn-north-9, cn-east-3, cn-east-2, cn-south-1, cn-southwest-2), found "ap-southeast-1", a region of site intl; images never cross sites');
    expect(cn).not.toContain('extraRegions');
  });

  it('accepts a region the catalogue lacks when the definition adds it', () => {
    const spec = validateDefinition({ ...baseDefinition(), buildRegion: 'ap-southeast-9', catalogue: { extraBuildRegions: ['ap-southeast-9'] } }, FILE);
    expect(spec.buildRegion).toBe('ap-southeast-9');
  });

  it('a flavor that is not general-purpose', () => {
    expect(rejection({ flavors: ['s7.large.2', 'm7.large.8'] })).toContain(
      'flavors[1]: expected a general-purpose flavor (families s3, s6, s7, s7n, sn3, c3, c3ne, c6, c6s, c6h, c7, c7n, c7t, ac7, ac8, kc1, kc2), found "m7.large.8" of family m7',
    );
  });

  it('an ill-formed flavor name', () => {
    expect(rejection({ flavors: ['big'] })).toContain('flavors[0]: expected an ECS flavor name like "s7.large.2", found "big"');
  });

  it('flavors of two architectures', () => {
    expect(rejection({ flavors: ['s7.large.2', 'kc1.large.2'] })).toContain('flavors: expected flavors of one CPU architecture, found x86_64 and aarch64');
  });

  it('a system disk under 40 GiB or over 128 GiB', () => {
    expect(rejection({ systemDisk: { sizeGiB: 20 } })).toContain('systemDisk.sizeGiB: expected at least 40 GiB (KooGallery minimum disk), found 20');
    expect(rejection({ systemDisk: { sizeGiB: 200 } })).toContain('systemDisk.sizeGiB: expected at most 128 GiB (IMS image size limit), found 200');
  });

  it('a self-check waiver for an unknown check, or without a reason', () => {
    expect(rejection({ selfCheck: { waivers: { 'clamav-scann': 'not part of this product' } } })).toContain('selfCheck.waivers.clamav-scann: expected a self-check id (no-password-hash,');
    expect(rejection({ selfCheck: { waivers: { 'clamav-scan': 'no' } } })).toContain('selfCheck.waivers.clamav-scan: expected a written reason of at least 10 characters, found "no"');
  });

  it('a build VPC CIDR outside the private ranges', () => {
    expect(rejection({ build: { agencyName: 'a', vpcCidr: '172.64.0.0/16' } })).toContain('build.vpcCidr: expected a private IPv4 CIDR (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) between /16 and /28, e.g. "10.254.239.0/24", found "172.64.0.0/16"');
    expect(rejection({ build: { agencyName: 'a', vpcCidr: '192.0.2.0/24' } })).toContain('build.vpcCidr: expected a private IPv4 CIDR');
    expect(validateDefinition({ ...baseDefinition(), build: { agencyName: 'a', vpcCidr: '172.31.0.0/16' } }, FILE).build.vpcCidr).toBe('172.31.0.0/16');
  });

  it('a minimum RAM under the KooGallery floor', () => {
    expect(rejection({ minRamMiB: 256 })).toContain('minRamMiB: expected at least 512 MiB (KooGallery minimum RAM for Linux images), found 256');
  });

  it('an over-long image name', () => {
    const version = `V${'1'.repeat(125)}.0`;
    const message = rejection((d) => { d.version = version; });
    expect(message).toMatch(new RegExp(`product\\.nameEn: the image name ".*-${version}" \\(product\\.nameEn \\+ "-" \\+ version\\) breaks the IMS naming rules: it must be 1 to 128 characters, found \\d+`));
    // An over-long nameEn is one mistake, told once: its own limit, not also the image name's.
    const long = rejection((d) => { d.product.nameEn = 'A'.repeat(125); });
    expect(long.split('\n')).toHaveLength(2);
    expect(long).toContain('product.nameEn: expected the product name in English of at most 50 characters');
  });

  it('an ill-formed image name', () => {
    expect(rejection((d) => { d.product.nameEn = 'Nginx/Web: Server'; })).toContain(
      `breaks the IMS naming rules: it may contain only letters, digits, space, '-', '.' and '_', found "/:"`,
    );
  });

  it('too many tags', () => {
    const tags = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'v']));
    expect(rejection({ tags })).toContain('tags: expected at most 7 tags (IMS allows 10 per image and the factory adds 3), found 8');
  });

  it('a tag key or value over the IMS limits', () => {
    expect(rejection({ tags: { ['k'.repeat(37)]: 'v' } })).toContain(`tags.${'k'.repeat(37)}: expected a tag key of 1 to 36 letters, digits, "_" and "-" (the rule IMS, ECS and VPC share), found "${'k'.repeat(37)}"`);
    expect(rejection({ tags: { 'a:b': 'v' } })).toContain('tags.a:b: expected a tag key of 1 to 36 letters, digits, "_" and "-" (the rule IMS, ECS and VPC share), found "a:b"');
    expect(rejection({ tags: { team: 'v'.repeat(44) } })).toContain(`tags.team: expected a tag value of at most 43 letters, digits, "_", "." and "-" (the rule IMS, ECS and VPC share), found "${'v'.repeat(44).slice(0, 57)}"`);
  });

  it('a reserved tag key', () => {
    expect(rejection({ tags: { 'image-factory-build': 'x' } })).toContain('tags.image-factory-build: expected a tag key of 1 to 36 letters, digits, "_" and "-" (the rule IMS, ECS and VPC share), found "image-factory-build", which starts with the reserved prefix "image-factory-"');
  });

  it('copies without an agency', () => {
    expect(rejection({ build: {} })).toContain(
      'build.agencyName: expected the name of an IAM agency holding IMS Administrator, found none; cross-region copies to ap-southeast-2, af-south-1 need one',
    );
  });

  it('a missing required field and an unknown one', () => {
    const message = rejection((d) => { delete d.site; d.sight = 'intl'; });
    expect(message).toContain('site: expected one of cn, intl, eu, found nothing');
    expect(message).toContain('(root): unknown field "sight"; remove it or check the spelling');
  });

  it('a wrong type', () => {
    expect(rejection({ flavors: 's7.large.2' as never })).toContain('flavors: expected array, found "s7.large.2"');
  });

  it('a security group rule without ports, and a bad range', () => {
    expect(rejection({ securityGroup: [{ protocol: 'tcp', description: 'x' }] })).toContain('securityGroup[0].ports: expected a port or range for protocol tcp, found nothing');
    expect(rejection({ securityGroup: [{ protocol: 'tcp', ports: '90-80', description: 'x' }] })).toContain('securityGroup[0].ports: expected ports within 1-65535 with low <= high, found "90-80"');
  });

  it('a script path that leaves the image folder', () => {
    expect(rejection({ install: [{ name: 'x', script: '../../etc/passwd' }] })).toContain('install[0].script: expected a script path relative to the image folder');
  });

  it('user_data over 32 KB, saying how big the bundle is', () => {
    // Random bytes do not compress: 40 KB of them cannot fit in 32 KB of gzip.
    const image = makeImage({}, { files: { 'files/app.conf': randomBytes(40 * 1024) } });
    expect(() => createFactoryApp({ images: [image], context: TEST_CONTEXT, outdir: '/tmp/unused' }))
      .toThrow(/^images\/demo\/image\.ts: install: the user_data bundle is \d+ bytes gzip-compressed \(\d+ bytes before compression\), over the ECS limit of 32768 bytes/);
  });
});
