import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../stacks/definition/load.js';
import { baseDefinition } from '../support/images.js';
import { validListing } from '../listing/fixtures.js';
import { FILE, expectNoTrace, rejection } from './reject.js';

describe('invisible and look-alike characters, named by code point and Unicode name', () => {
  it('a zero-width space in a product name', () => {
    const message = rejection((d: any) => { d.product.nameEn = 'Web\u200BServer'; });
    expect(message.split('\n')).toEqual([
      `${FILE}: invalid image definition`,
      '  - product.nameEn: expected the product name in English of at most 50 characters of plain one-line text, found U+200B ZERO WIDTH SPACE at character 4, which shows as nothing; delete it (retype the text around it if you cannot see where it is)',
    ]);
    expectNoTrace(message);
  });

  it('a Cyrillic х in nameEn is named, not shown as a Latin x (and the IMS name rule does not repeat it)', () => {
    const message = rejection((d: any) => { d.product.nameEn = 'Nginх Server'; });
    expect(message.split('\n')).toEqual([
      `${FILE}: invalid image definition`,
      '  - product.nameEn: expected the product name in English of at most 50 characters of plain one-line text, found U+0445 CYRILLIC SMALL LETTER HA at character 5 in "Nginх", which looks like the Latin "x"; type the Latin letter',
    ]);
  });

  it('bidi controls, a word of look-alikes, Greek letters, and a security-group description', () => {
    expect(rejection((d: any) => { d.product.nameZh = '测试\u202E产品'; })).toContain('product.nameZh: expected the product name in Chinese of at most 50 characters of plain one-line text, found U+202E RIGHT-TO-LEFT OVERRIDE at character 3');
    expect(rejection((d: any) => { d.product.nameEn = 'Web сору'; })).toContain('found U+0441 CYRILLIC SMALL LETTER ES at character 5 in "сору", which looks like the Latin "c"');
    expect(rejection((d: any) => { d.product.nameEn = 'ΚooGallery App'; })).toContain('found U+039A GREEK CAPITAL LETTER KAPPA at character 1 in "ΚooGallery", which looks like the Latin "K"');
    expect(rejection((d: any) => { d.listing = { ...validListing(), overview: { zh: '简介', en: 'Fast\u2060web' } }; })).toContain('listing.overview.en: expected a short overview in English of at most 200 characters of plain one-line text, found U+2060 WORD JOINER at character 5');
    expect(rejection({ securityGroup: [{ protocol: 'tcp', ports: '443', description: 'HTTPS\uFEFF only' }] })).toContain('securityGroup[0].description: expected a description in characters a reader can see and tell apart, found U+FEFF ZERO WIDTH NO-BREAK SPACE at character 6');
  });

  it('ordinary text passes: Chinese, full-width spaces, accents, a Greek or Russian word of its own', () => {
    const def: any = baseDefinition();
    def.product = { nameZh: '测试　产品 Nginx', nameEn: 'Web Server' };
    def.securityGroup = [{ protocol: 'tcp', ports: '443', description: 'HTTPS для клиентов, μs latency, café' }];
    expect(validateDefinition(def, FILE).product.nameEn).toBe('Web Server');
  });
});
