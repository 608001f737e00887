/**
 * Sweep's list of temporary resource kinds comes from stacks/constructs/temporary.ts; this keeps
 * that list equal to what the builder and tester stacks really create with an expiry tag.
 */
import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { synthImage, type StackJson } from '../support/synth.js';
import { TEMPORARY_RESOURCES } from '../../stacks/constructs/temporary.js';
import { TAG } from '../../stacks/definition/tags.js';
import { ComputeInstance, NetworkingSecgroup, Vpc, VpcEip, VpcSubnet } from '../../stacks/huaweicloud.js';
import { DELETE_ORDER } from '../../scripts/cloud/types.js';

/** Terraform types of the resources tagged to expire, in every stack given. */
function expiringTypes(...stacks: StackJson[]): string[] {
  const types = new Set<string>();
  for (const stack of stacks) {
    for (const [type, byName] of Object.entries(stack.resource ?? {})) {
      for (const body of Object.values(byName as Record<string, StackJson>)) if (body.tags?.[TAG.expiresAt]) types.add(type);
    }
  }
  return [...types].sort();
}

describe('temporary resources', () => {
  // The EIP is optional: with it on, every kind the stacks can create is present.
  const withEip = synthImage(makeImage({ build: { agencyName: 'ims_agency', eip: true, egress: 'all' } }));

  it('lists exactly the Terraform types the builder and tester create with an expiry tag', () => {
    expect(TEMPORARY_RESOURCES.map((r) => r.terraformType).sort()).toEqual(expiringTypes(withEip.builder, withEip.tester));
  });

  it('names the generated bindings\' own types', () => {
    expect(TEMPORARY_RESOURCES.map((r) => r.terraformType)).toEqual([ComputeInstance, VpcEip, NetworkingSecgroup, VpcSubnet, Vpc].map((c) => c.tfResourceType));
  });

  it('is where sweep gets its kinds and deletion order', () => {
    expect(DELETE_ORDER).toEqual(['ecs', 'eip', 'security-group', 'subnet', 'vpc']);
  });

  it('never includes what the release stack creates: published images are not swept', () => {
    expect(expiringTypes(withEip.release)).toEqual([]);
  });
});
