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

  it('the listing sheet carries the warning, and none when there is nothing to warn about', () => {
    const risky = makeListedImage({}, { securityGroup: [{ protocol: 'tcp', ports: '3389', description: 'RDP' }] });
    const sheet = listingSheet(buildManifest(risky));
    expect(sheet.warnings).toEqual([expect.objectContaining({ en: expect.stringContaining('Recommended security group rule 1 opens RDP (tcp 3389, administration) to the whole internet (0.0.0.0/0)') })]);
    expect(renderMarkdown(sheet)).toContain('> **Warning / 警告**: Recommended security group rule 1 opens RDP');
    expect(listingSheet(buildManifest(makeListedImage())).warnings).toEqual([]);
  });
});
