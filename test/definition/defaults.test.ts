/**
 * Each default of the definition lives once, on its own field: an omitted object section
 * (systemDisk, build, catalogue, selfCheck) gets exactly what its fields' defaults give `{}`,
 * never a second literal that could drift from them.
 */
import { describe, expect, it } from 'vitest';
import { baseDefinition } from '../support/images.js';
import { validateDefinition } from '../../stacks/definition/load.js';

describe('definition defaults', () => {
  it('an omitted section equals an empty one, field for field', () => {
    const { build: _build, ...base } = baseDefinition();
    const omitted = validateDefinition({ ...base, targetRegions: [] }, 'images/demo/image.ts');
    const empty = validateDefinition({ ...base, targetRegions: [], systemDisk: {}, build: {}, catalogue: {}, selfCheck: {} }, 'images/demo/image.ts');
    expect(omitted).toEqual(empty);
    expect(omitted.build).toMatchObject({ vpcCidr: '10.254.239.0/24', eip: true, eipBandwidthMbps: 50, eipType: '5_bgp', expiryHours: 6, timeoutMinutes: 90, egress: 'web', distribution: 'alongside-test' });
    expect(omitted.systemDisk).toEqual({ type: 'GPSSD', sizeGiB: 40 });
  });
});
