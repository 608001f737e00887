import { describe, expect, it } from 'vitest';
import { siteOfRegionId } from '../../stacks/catalogue/regions.js';
import { validateDefinition } from '../../stacks/definition/load.js';
import { baseDefinition } from '../support/images.js';
import { FILE, expectNoTrace, rejection } from './reject.js';

describe('sites: no override makes a build or a copy cross sites', () => {
  it('an extra build region of another site', () => {
    const message = rejection({ buildRegion: 'cn-north-4', targetRegions: [], catalogue: { extraBuildRegions: ['cn-north-4'] } });
    expect(message).toContain('catalogue.extraBuildRegions[0]: expected a region of site intl, found "cn-north-4", a region of site cn; images never cross sites');
    expectNoTrace(message);
  });

  it('an extra copy region of another site, known to the catalogue or not', () => {
    expect(rejection({ targetRegions: ['cn-north-9'], catalogue: { extraRegions: ['cn-north-9'] } })).toContain('catalogue.extraRegions[0]: expected a region of site intl, found "cn-north-9", a region of site cn');
    expect(rejection({ targetRegions: ['cn-west-77'], catalogue: { extraRegions: ['cn-west-77'] } })).toContain('catalogue.extraRegions[0]: expected a region of site intl, found "cn-west-77", a region of site cn');
    expect(rejection({ site: 'eu', buildRegion: 'eu-west-101', targetRegions: ['ap-southeast-9'], catalogue: { extraRegions: ['ap-southeast-9'] } })).toContain('catalogue.extraRegions[0]: expected a region of site eu, found "ap-southeast-9", a region of site intl');
  });

  it('accepts an extra region of the same site', () => {
    const spec = validateDefinition({ ...baseDefinition(), site: 'eu', buildRegion: 'eu-west-101', targetRegions: ['eu-west-102'], catalogue: { extraRegions: ['eu-west-102'] } }, FILE);
    expect(spec.targetRegions).toEqual(['eu-west-102']);
  });

  it('tells the site of a region ID from the catalogue, else from its name', () => {
    expect(siteOfRegionId('ap-southeast-1')).toBe('intl');
    expect(siteOfRegionId('cn-east-9')).toBe('cn');
    expect(siteOfRegionId('eu-west-105')).toBe('eu');
    expect(siteOfRegionId('eu-west-0')).toBe('intl');
  });
});

describe('tags follow the strictest IMS/ECS/VPC rule', () => {
  it('a key with a period or a Chinese character, which IMS refuses', () => {
    expect(rejection({ tags: { 'team.name': 'web' } })).toContain('tags.team.name: expected a tag key of 1 to 36 letters, digits, "_" and "-" (the rule IMS, ECS and VPC share), found "team.name"');
    expect(rejection({ tags: { 团队: 'web' } })).toContain('found "团队"');
  });

  it('a value with a space, a slash or a colon', () => {
    for (const value of ['web team', 'a/b', '10:00']) {
      expect(rejection({ tags: { team: value } })).toContain(`tags.team: expected a tag value of at most 43 letters, digits, "_", "." and "-" (the rule IMS, ECS and VPC share), found "${value}"`);
    }
  });

  it('the whole image-factory- prefix is reserved, in any case', () => {
    for (const key of ['image-factory-owner', 'Image-Factory-Build']) {
      const message = rejection({ tags: { [key]: 'x' } });
      expect(message).toContain(`tags.${key}: expected a tag key of 1 to 36 letters, digits, "_" and "-" (the rule IMS, ECS and VPC share), found "${key}", which starts with the reserved prefix "image-factory-" (the factory's own tags: image-factory-build, image-factory-product, image-factory-version, image-factory-expires); choose another key`);
      expectNoTrace(message);
    }
  });

  it('system tag keys', () => {
    expect(rejection({ tags: { _sys_enterprise: 'x' } })).toContain('found "_sys_enterprise", which starts with "_sys_", reserved for system tags');
  });

  it('a build version that cannot be the image-factory-version tag value', () => {
    expect(rejection({ buildVersion: '1.0.0+build.5' })).toContain('buildVersion: expected a version that is also a tag value of at most 43 letters, digits, "_", "." and "-" (the rule IMS, ECS and VPC share), the image-factory-version tag, found "1.0.0+build.5"');
  });

  it('accepts keys and values within the rule, and an empty value', () => {
    const spec = validateDefinition({ ...baseDefinition(), tags: { 'cost_center-1': 'web.team-2', empty: '' } }, FILE);
    expect(spec.tags).toEqual({ 'cost_center-1': 'web.team-2', empty: '' });
  });
});
