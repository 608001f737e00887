/**
 * The Terraform address of every resource a published image depends on, pinned. A construct ID
 * is part of the contract (aws-cdk design guidelines): renaming `image` or `copy`, or the release
 * or a copy stack, makes Terraform destroy the published image and create a new one on the next
 * deploy or distribute. A rename must fail here first, and come with a `moved` block (a stack's
 * name is its state: a renamed stack needs `terraform state mv` between states).
 */
import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { synthImage, type StackJson } from '../support/synth.js';

const addresses = (stack: StackJson) => Object.entries({ ...stack.resource, ...Object.fromEntries(Object.entries(stack.data ?? {}).map(([t, v]) => [`data.${t}`, v])) })
  .flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`)).sort();

const { builder, release, tester, copies, stacks } = synthImage(makeImage({ targetRegions: ['ap-southeast-2', 'af-south-1'] }));

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
  it('release: the captured image; each copy stack: its copy, under fixed names', () => {
    expect(addresses(release)).toEqual(['huaweicloud_ims_ecs_system_image.image']);
    expect(Object.keys(copies).sort()).toEqual(['af-south-1', 'ap-southeast-2']);
    for (const copy of Object.values(copies)) expect(addresses(copy)).toEqual(['huaweicloud_images_image_copy.copy']);
  });

  it('stacks: named <image>-builder, -release, -copy-<region> and -tester (the state file of each is named after it)', () => {
    expect(stacks.map((s) => [s.builder.node.id, s.release.node.id, s.tester.node.id])).toEqual([['demo-builder', 'demo-release', 'demo-tester']]);
    expect(stacks.map((s) => Object.values(s.copies).map((c) => c.node.id).sort())).toEqual([['demo-copy-af-south-1', 'demo-copy-ap-southeast-2']]);
  });

  it('builder and tester: the same network and machine addresses, so a resume finds what a crash left', () => {
    expect(addresses(builder)).toEqual([...GUEST, 'data.huaweicloud_images_image.base-image'].sort());
    expect(addresses(tester)).toEqual(GUEST);
  });

  it('inputs and outputs other stacks and the pipeline read', () => {
    expect(Object.keys(release.variable)).toEqual(['builder_instance_id']);
    expect(Object.keys(release.output).sort()).toEqual(['image_id', 'image_name']);
    for (const copy of Object.values(copies)) {
      expect(Object.keys(copy.variable)).toEqual(['source_image_id']);
      expect(Object.keys(copy.output)).toEqual(['image_id']);
    }
    expect(Object.keys(tester.variable)).toEqual(['image_id']);
    expect(Object.keys(builder.output).sort()).toEqual(['availability_zone', 'flavor', 'instance_id', 'source_image_id', 'source_image_name']);
  });
});
