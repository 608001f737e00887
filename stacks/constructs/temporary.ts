/**
 * The temporary resources the builder and tester stacks create, by Terraform type, with the
 * kind `sweep` knows them by, in deletion order (what depends on a resource goes first: the
 * server holds a port in the subnet and the EIP, the subnet sits in the VPC).
 *
 * This is the one list: sweep's resource kinds and their order come from it
 * (scripts/cloud/types.ts), and test/stacks/temporary.test.ts fails when a construct starts
 * creating an expiring resource of a type missing here, or stops creating one listed.
 * Plain strings, so the sweep command never loads CDKTF; the test checks them against the
 * generated bindings' tfResourceType.
 */
export const TEMPORARY_RESOURCES = [
  { terraformType: 'huaweicloud_compute_instance', kind: 'ecs' },
  { terraformType: 'huaweicloud_vpc_eip', kind: 'eip' },
  { terraformType: 'huaweicloud_networking_secgroup', kind: 'security-group' },
  { terraformType: 'huaweicloud_vpc_subnet', kind: 'subnet' },
  { terraformType: 'huaweicloud_vpc', kind: 'vpc' },
] as const;

export type TemporaryResourceKind = (typeof TEMPORARY_RESOURCES)[number]['kind'];
