/**
 * The Terraform address of every resource a published image depends on, pinned. A construct ID
 * is part of the contract (aws-cdk design guidelines): renaming `image` or `copy-<region>`, or
 * the release stack, makes Terraform destroy the published image and create a new one on the
 * next deploy or distribute. A rename must fail here first, and come with a `moved` block.
 */
import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { synthImage, type StackJson } from '../support/synth.js';

const addresses = (stack: StackJson) => Object.entries({ ...stack.resource, ...Object.fromEntries(Object.entries(stack.data ?? {}).map(([t, v]) => [`data.${t}`, v])) })
  .flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`)).sort();

const { builder, release, tester, stacks } = synthImage(makeImage({ targetRegions: ['ap-southeast-2', 'af-south-1'] }));

const GUEST = [
  'huaweicloud_compute_instance.machine_ecs_71285F9F',
  'huaweicloud_networking_secgroup.network_sg_80092386',
  'huaweicloud_networking_secgroup_rule.network_egress-dns-tcp_BAE6A027',
  'huaweicloud_networking_secgroup_rule.network_egress-dns_ADFCF1A5',
  'huaweicloud_networking_secgroup_rule.network_egress-http_8C6641D2',
  'huaweicloud_networking_secgroup_rule.network_egress-https_03ECEC15',
  'huaweicloud_networking_secgroup_rule.network_egress-ntp_FDD0A0D1',
  'huaweicloud_vpc.network_vpc_4E8F0223',
  'huaweicloud_vpc_eip.network_eip_B70CF6B9',
  'huaweicloud_vpc_subnet.network_subnet_E45498CD',
];

describe('Terraform addresses (renaming one replaces the resource)', () => {
  it('release: the captured image and one copy per region, under fixed names', () => {
    expect(addresses(release)).toEqual([
      'huaweicloud_images_image_copy.copy-af-south-1',
      'huaweicloud_images_image_copy.copy-ap-southeast-2',
      'huaweicloud_ims_ecs_system_image.image',
    ]);
  });

  it('stacks: named <image>-builder, -release and -tester (the state file of each is named after it)', () => {
    expect(stacks.map((s) => [s.builder.node.id, s.release.node.id, s.tester.node.id])).toEqual([['demo-builder', 'demo-release', 'demo-tester']]);
  });

  it('builder and tester: the same network and machine addresses, so a resume finds what a crash left', () => {
    expect(addresses(builder)).toEqual([...GUEST, 'data.huaweicloud_images_image.base-image'].sort());
    expect(addresses(tester)).toEqual(GUEST);
  });

  it('inputs and outputs other stacks and the pipeline read', () => {
    expect(Object.keys(release.variable)).toEqual(['builder_instance_id']);
    expect(Object.keys(release.output).sort()).toEqual(['image_ids', 'image_name']);
    expect(Object.keys(tester.variable)).toEqual(['image_id']);
    expect(Object.keys(builder.output).sort()).toEqual(['availability_zone', 'flavor', 'instance_id', 'source_image_id', 'source_image_name']);
  });
});
