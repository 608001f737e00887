import { describe, expect, it } from 'vitest';
import { definitionWarnings } from '../../stacks/definition/warnings.js';
import { validateDefinition } from '../../stacks/definition/load.js';
import { listingSheet } from '../../scripts/listing/sheet.js';
import { renderMarkdown } from '../../scripts/listing/render-md.js';
import { buildManifest } from '../../scripts/listing/manifest.js';
import { baseDefinition } from '../support/images.js';
import { makeListedImage } from '../listing/fixtures.js';
import { FILE } from './reject.js';

const specWith = (securityGroup: unknown[]) => validateDefinition({ ...baseDefinition(), securityGroup } as never, FILE);

describe('warnings: allowed, but said out loud', () => {
  it('an administration port open to 0.0.0.0/0 warns, naming the rule and the service', () => {
    const warnings = definitionWarnings(specWith([
      { protocol: 'tcp', ports: '443', description: 'HTTPS' },
      { protocol: 'tcp', ports: '22', source: '0.0.0.0/0', description: 'SSH' },
    ]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].path).toBe('securityGroup[1]');
    expect(warnings[0].en).toBe('opens SSH (tcp 22, administration) to the whole internet (0.0.0.0/0); allowed, but such ports are scanned and brute-forced: recommend a narrower source (the buyer\'s office or bastion) unless the product needs it open');
    expect(warnings[0].zh).toContain('SSH（tcp 22，管理端口）');
  });

  it('a range covering database ports names each of them', () => {
    const [w] = definitionWarnings(specWith([{ protocol: 'tcp', ports: '3300-5500', description: 'databases' }]));
    expect(w.en).toContain('opens MySQL (tcp 3306, database), RDP (tcp 3389, administration), PostgreSQL (tcp 5432, database) to the whole internet');
  });

  it('no warning for a narrow source, icmp, or ordinary ports', () => {
    expect(definitionWarnings(specWith([
      { protocol: 'tcp', ports: '22', source: '203.0.113.0/24', description: 'SSH from the office' },
      { protocol: 'icmp', description: 'ping' },
      { protocol: 'tcp', ports: '80', description: 'HTTP' },
    ]))).toEqual([]);
  });

  it('a build region the catalogue leaves unconfirmed warns, with what is open and the guide to check; a confirmed one does not', () => {
    const shanghai = validateDefinition({ ...baseDefinition(), site: 'cn', buildRegion: 'cn-east-3', targetRegions: [] } as never, FILE);
    expect(definitionWarnings(shanghai)).toEqual([{
      path: 'buildRegion',
      en: 'cn-east-3 (CN East-Shanghai1) as a KooGallery build region is not confirmed: the Chinese seller guide accepts builds in Shanghai1 for existing merchants only; check the seller guide (https://support.huaweicloud.com/usermanual-marketplace/sp_topic_0000007.html) or ask KooGallery before a paid build, or pick a confirmed build region',
      zh: expect.stringContaining('cn-east-3（华东-上海一）作为云商店镜像构建区域尚未确认：中国站卖家指南写明上海一仅对存量商家开放镜像构建'),
    }]);
    const dublin = validateDefinition({ ...baseDefinition(), site: 'eu', buildRegion: 'eu-west-101', targetRegions: [], build: {} } as never, FILE);
    expect(definitionWarnings(dublin)[0].en).toContain('its region ID is believed to be eu-west-101; check the seller guide (https://support.huaweicloud.com/eu/sp-marketplace/eu_sp_topic_000075.html)');
    const beijing = validateDefinition({ ...baseDefinition(), site: 'cn', buildRegion: 'cn-north-4', targetRegions: [] } as never, FILE);
    expect(definitionWarnings(beijing)).toEqual([]);
  });

  it('the listing sheet carries the warning, and none when there is nothing to warn about', () => {
    const risky = makeListedImage({}, { securityGroup: [{ protocol: 'tcp', ports: '3389', description: 'RDP' }] });
    const sheet = listingSheet(buildManifest(risky));
    expect(sheet.warnings).toEqual([expect.objectContaining({ en: expect.stringContaining('Recommended security group rule 1 opens RDP (tcp 3389, administration) to the whole internet (0.0.0.0/0)') })]);
    expect(renderMarkdown(sheet)).toContain('> **Warning / 警告**: Recommended security group rule 1 opens RDP');
    expect(listingSheet(buildManifest(makeListedImage())).warnings).toEqual([]);
  });
});

describe('base image: checked against the catalogue of Huawei public images', () => {
  const spec = (over: Record<string, unknown>) => validateDefinition({ ...baseDefinition(), ...over } as never, FILE);
  const baseWarnings = (over: Record<string, unknown>) => definitionWarnings(spec(over)).filter((w) => w.path.startsWith('baseImage'));

  it('a catalogue name of the site and architecture says nothing', () => {
    expect(baseWarnings({ baseImage: { name: 'Ubuntu 22.04 server 64bit' } })).toEqual([]);
    expect(baseWarnings({ baseImage: { name: 'Huawei Cloud EulerOS 2.0 Standard 64 bit' } })).toEqual([]);
    expect(baseWarnings({ site: 'cn', buildRegion: 'cn-north-4', targetRegions: [], baseImage: { name: 'Huawei Cloud EulerOS 2.0 标准版 64位' } })).toEqual([]);
  });

  it('a misspelt name warns with the nearest names of the site', () => {
    const [w] = baseWarnings({ baseImage: { name: 'Ubuntu 22.04 Server 64-bit' } });
    expect(w.path).toBe('baseImage.name');
    expect(w.en).toMatch(/^"Ubuntu 22\.04 Server 64-bit" is not in the catalogue of Huawei public images for site intl \(x86_64\); did you mean "Ubuntu 22\.04 server 64bit"/);
    expect(w.en).toContain('add it to catalogue.extraBaseImages');
    expect(w.zh).toContain('是否应为“Ubuntu 22.04 server 64bit”');
    const [hce] = baseWarnings({ baseImage: { name: 'Huawei Cloud EulerOS 2.0 Standard 64bit' } });
    expect(hce.en).toContain('did you mean "Huawei Cloud EulerOS 2.0 Standard 64 bit"?');
  });

  it('a name far from every catalogue name lists what the site has instead of guessing', () => {
    const [w] = baseWarnings({ baseImage: { name: 'FreeBSD 14.1 amd64 Release' } });
    expect(w.en).not.toContain('did you mean');
    expect(w.en).toContain('its x86_64 public images on site intl include "Ubuntu 24.04 server 64bit"');
  });

  it('the name of another site or another architecture names the one to use', () => {
    const [site] = baseWarnings({ site: 'cn', buildRegion: 'cn-north-4', targetRegions: [], baseImage: { name: 'Huawei Cloud EulerOS 2.0 Standard 64 bit' } });
    expect(site.en).toBe('"Huawei Cloud EulerOS 2.0 Standard 64 bit" is its name on site intl, not on site cn; did you mean "Huawei Cloud EulerOS 2.0 标准版 64位"? (if no public image has that name, the builder\'s image lookup fails before anything is created)');
    const [arch] = baseWarnings({ site: 'cn', buildRegion: 'cn-north-4', targetRegions: [], flavors: ['kc2.large.2'], baseImage: { name: 'Ubuntu 24.04 server 64bit' } });
    expect(arch.en).toContain('"Ubuntu 24.04 server 64bit" is the x86_64 image, but the flavors (kc2.large.2) are aarch64; did you mean "Ubuntu 24.04 server 64bit with ARM"?');
  });

  it('an end-of-life OS warns with its date; catalogue.extraBaseImages silences a name the merchant has seen', () => {
    const [eol] = baseWarnings({ baseImage: { name: 'CentOS 7.9 64bit' } });
    expect(eol.en).toMatch(/^"CentOS 7\.9 64bit" reached its end of life on 2024-06-30/);
    expect(baseWarnings({ baseImage: { name: 'Ubuntu 26.04 server 64bit' } })).toHaveLength(1);
    expect(baseWarnings({ baseImage: { name: 'Ubuntu 26.04 server 64bit' }, catalogue: { extraBaseImages: ['Ubuntu 26.04 server 64bit'] } })).toEqual([]);
  });

  it('{ os, osVersion } warns on an OS family IMS does not list', () => {
    expect(baseWarnings({ baseImage: { os: 'Ubuntu', osVersion: 'Ubuntu 22.04 server 64bit' } })).toEqual([]);
    const [w] = baseWarnings({ baseImage: { os: 'ubuntu', osVersion: 'Ubuntu 22.04 server 64bit' } });
    expect(w).toMatchObject({ path: 'baseImage.os', en: expect.stringContaining('did you mean "Ubuntu"?') });
  });
});
