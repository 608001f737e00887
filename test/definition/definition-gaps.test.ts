import { afterAll, describe, expect, it } from 'vitest';
import { validateDefinition } from '../../stacks/definition/load.js';
import { listingFileProblems } from '../../stacks/definition/listing-files.js';
import { BOOT_ALLOWANCE_MINUTES, definitionWarnings } from '../../stacks/definition/warnings.js';
import { baseDefinition } from '../support/images.js';
import { makeListedImage, validListing } from '../listing/fixtures.js';
import { FILE, expectNoTrace, rejection } from './reject.js';
import { ROOT, cleanUp, tempParent, writeImage } from './folder.js';
import { loadImage } from '../../stacks/definition/load.js';

afterAll(cleanUp);

describe('minRamMiB against every flavor the image runs on', () => {
  it('a build flavor under minRamMiB is refused before the build is paid for', () => {
    const message = rejection({ minRamMiB: 8192 });
    expect(message.split('\n')).toEqual([
      `${FILE}: invalid image definition`,
      '  - flavors[0]: expected a build flavor with at least 8192 MiB of RAM (minRamMiB), found "s7.large.2" with 4096 MiB; the boot test would fail on it after the build is paid for: pick a larger flavor or lower minRamMiB',
      '  - flavors[1]: expected a build flavor with at least 8192 MiB of RAM (minRamMiB), found "c7.large.2" with 4096 MiB; the boot test would fail on it after the build is paid for: pick a larger flavor or lower minRamMiB',
    ]);
    expectNoTrace(message);
  });

  it('a SKU flavor under minRamMiB is refused too, recommended and minimum', () => {
    const sku = { id: 'standard', nameZh: '标准版', nameEn: 'Standard', recommendedFlavors: ['s7.xlarge.2', 's7.large.2'], minimumFlavor: 's7.large.2' };
    const message = rejection((d: any) => { d.minRamMiB = 8192; d.flavors = ['s7.xlarge.2']; d.listing = { ...validListing(), specifications: [sku] }; });
    expect(message.split('\n').slice(1)).toEqual([
      '  - listing.specifications[0].recommendedFlavors[1]: expected a flavor with at least 8192 MiB of RAM (minRamMiB), found "s7.large.2" with 4096 MiB; buyers could not start the image on it: pick a larger flavor or lower minRamMiB',
      '  - listing.specifications[0].minimumFlavor: expected a flavor with at least 8192 MiB of RAM (minRamMiB), found "s7.large.2" with 4096 MiB',
    ]);
  });

  it('flavors of exactly minRamMiB pass', () => {
    expect(validateDefinition({ ...baseDefinition(), minRamMiB: 4096 }, FILE).minRamMiB).toBe(4096);
  });
});

describe('IAM agency name', () => {
  const EXPECTED = 'build.agencyName: expected an IAM agency name of 1 to 64 letters, digits and "_+=,.@-" (IAM "Creating an Agency": https://support.huaweicloud.com/intl/en-us/api-iam/iam_08_0002.html)';
  it('a character IAM does not allow, or a length out of range', () => {
    expect(rejection({ build: { agencyName: 'ims agency' } })).toContain(`${EXPECTED}, found "ims agency", with a space; use the agency's name exactly as IAM shows it`);
    expect(rejection({ build: { agencyName: 'ims/agency' } })).toContain(`${EXPECTED}, found "ims/agency", with "/" (U+002F)`);
    expect(rejection({ build: { agencyName: 'a'.repeat(65) } })).toContain(`${EXPECTED}, found 65 characters`);
    expect(rejection({ build: { agencyName: '' }, targetRegions: [] })).toContain(`${EXPECTED}, found 0 characters`);
  });

  it('every allowed character passes', () => {
    expect(validateDefinition({ ...baseDefinition(), build: { agencyName: 'Ims_agency+=,.@-1' } }, FILE).build.agencyName).toBe('Ims_agency+=,.@-1');
  });
});

describe('non-Linux base images', () => {
  const WHY = 'Windows images are not supported: the runner is bash + cloud-init; Huawei Cloud has also stopped providing Windows public images (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0610.html)';
  it('a Windows image by name or by os', () => {
    expect(rejection({ baseImage: { name: 'Windows Server 2019 Datacenter 64bit English' } })).toContain(`baseImage.name: expected a Linux public image, found "Windows Server 2019 Datacenter 64bit English": ${WHY}`);
    const byOs = rejection({ baseImage: { os: 'Windows', osVersion: 'Windows Server 2022 Standard 64bit' } });
    expect(byOs).toContain(`baseImage.os: expected a Linux public image, found "Windows": ${WHY}`);
    expect(byOs.split('\n')).toHaveLength(2);
  });
});

describe('usage guide', () => {
  it('a USAGE.md of only whitespace is refused like an empty one', () => {
    const image = makeListedImage({}, {}, { 'USAGE.md': ' \n\t\n' });
    expect(listingFileProblems(image.spec.listing, image.dir)).toEqual([
      'listing.usageGuide: expected a usage guide with content, found "USAGE.md" of 4 bytes of only whitespace; write how buyers start and log in to the product',
    ]);
  });

  it('and loading the folder says so, naming the file', async () => {
    const dir = writeImage(tempParent(), 'demo', { definition: { ...baseDefinition(), listing: validListing() }, files: { 'USAGE.md': '\n\n' } });
    const err = await loadImage(dir, ROOT).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/demo\/image\.ts: invalid image definition\n {2}- listing\.logo: .*\n {2}- listing\.usageGuide: expected a usage guide with content, found "USAGE\.md" of 2 bytes of only whitespace/);
  });
});

describe('build.timeoutMinutes against the step timeouts', () => {
  const warnings = (over: Record<string, unknown>) => definitionWarnings(validateDefinition({ ...baseDefinition(), ...over } as never, FILE)).filter((w) => w.path === 'build.timeoutMinutes');

  it('warns (does not refuse) when under the install steps plus the boot allowance', () => {
    const install = [{ name: 'install', script: 'install.sh', timeoutMinutes: 60 }, { name: 'configure', script: 'configure.sh', timeoutMinutes: 30 }];
    expect(warnings({ install, build: { agencyName: 'a', timeoutMinutes: 90 } })).toEqual([{
      path: 'build.timeoutMinutes',
      en: `90 minutes is under the install steps' timeouts (90 minutes) plus ${BOOT_ALLOWANCE_MINUTES} for boot and cloud-init (105); allowed, but a slow build is stopped by the overall limit before its steps' own: raise build.timeoutMinutes to at least 105 or lower the steps' timeoutMinutes`,
      zh: expect.stringContaining('build.timeoutMinutes 提高到至少 105'),
    }]);
  });

  it('says nothing when the budget covers them', () => {
    expect(warnings({})).toEqual([]);
    expect(warnings({ install: [{ name: 'install', script: 'install.sh', timeoutMinutes: 75 }], build: { agencyName: 'a', timeoutMinutes: 90 } })).toEqual([]);
  });
});
