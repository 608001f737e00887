/**
 * The ECS flavor catalogue of a region and the availability zones it is sold in.
 *
 * Names and sizes follow Huawei Cloud's general-purpose families (s6/s7 general computing,
 * c6/c7 general computing-plus, t6 burstable, kc1 Kunpeng/Arm): `<family>.<size>.<ram:vcpu>`,
 * e.g. s6.large.2 = 2 vCPUs, 4 GiB (https://support.huaweicloud.com/intl/en-us/productdesc-ecs/en-us_topic_0035470096.html).
 * The answer shape is ECS ListFlavors `GET /v1/{project_id}/cloudservers/flavors`
 * (https://support.huaweicloud.com/intl/en-us/api-ecs/en-us_topic_0020212656.html): vcpus and
 * disk are strings, ram an integer in MiB, and os_extra_specs carries the sale status per AZ in
 * `cond:operation:status` and `cond:operation:az` ("az(normal), az(sellout)"), which is what
 * the provider's golangsdk ecs/v1/flavors model and our preflight (flavorAvailability) read.
 */
import type { Account } from '../../account.js';

/** Huawei names a region's AZs <region>a, <region>b ... (e.g. ap-southeast-3a). */
export const zonesOf = (region: string): string[] => ['a', 'b', 'c'].map((s) => `${region}${s}`);

const SIZES: [size: string, vcpus: number][] = [
  ['small', 1], ['medium', 1], ['large', 2], ['xlarge', 4], ['2xlarge', 8], ['4xlarge', 16],
];

const FAMILIES: { family: string; ratios: number[]; from: number; performance: string; arm?: boolean }[] = [
  { family: 's6', ratios: [1, 2, 4], from: 0, performance: 'normal' },
  { family: 's7', ratios: [1, 2, 4], from: 0, performance: 'normal' },
  { family: 'c6', ratios: [2, 4], from: 2, performance: 'computingv3' },
  { family: 'c7', ratios: [2, 4], from: 2, performance: 'computingv3' },
  { family: 't6', ratios: [1, 2, 4], from: 0, performance: 'normal' },
  { family: 'kc1', ratios: [1, 2, 4], from: 0, performance: 'normal', arm: true },
];

export interface FlavorRecord {
  name: string;
  vcpus: number;
  ramMiB: number;
  family: string;
  performance: string;
  arm: boolean;
}

/** Every flavor of the catalogue (the same in every region). */
export const FLAVORS: readonly FlavorRecord[] = FAMILIES.flatMap((f) => SIZES.flatMap(([size, vcpus]) => f.ratios
  // small is 1:1 only, medium 1 vCPU with 2 or 4 GiB, from `large` up every ratio.
  .filter((r) => (size === 'small' ? r === 1 : size === 'medium' ? r > 1 : r > 1))
  .filter(() => SIZES.findIndex(([s]) => s === size) >= f.from)
  .map((ratio) => ({ name: `${f.family}.${size}.${ratio}`, vcpus, ramMiB: vcpus * ratio * 1024, family: f.family, performance: f.performance, arm: !!f.arm }))));

export function findFlavor(name: string): FlavorRecord | undefined {
  return FLAVORS.find((f) => f.name === name);
}

/** The AZs where the flavor is sold out (account.config.soldOut; "*" = every AZ). */
export function soldOutZones(account: Account, region: string, flavor: string): string[] {
  const zones = account.config.soldOut[region]?.[flavor] ?? [];
  return zones.includes('*') ? zonesOf(region) : zones;
}

export function flavorBody(account: Account, region: string, f: FlavorRecord): Record<string, unknown> {
  const sold = soldOutZones(account, region, f.name);
  const zones = zonesOf(region);
  const everywhere = zones.every((z) => sold.includes(z));
  return {
    id: f.name, name: f.name, vcpus: String(f.vcpus), ram: f.ramMiB, disk: '0', swap: '',
    'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': false, rxtx_factor: 1, rxtx_quota: null, rxtx_cap: null,
    'os-flavor-access:is_public': true,
    links: [{ rel: 'self', href: `https://ecs.${region}.myhuaweicloud.com/v1/flavors/${f.name}`, type: null }],
    os_extra_specs: {
      'ecs:performancetype': f.performance,
      'ecs:generation': f.family,
      'ecs:virtualization_env_types': 'CloudCompute',
      'ecs:instance_architecture': f.arm ? 'arm64' : 'x86',
      resource_type: `IES-${f.family}`,
      'quota:local_disk': 'false',
      'cond:operation:status': everywhere ? 'sellout' : 'normal',
      'cond:operation:az': zones.map((z) => `${z}(${sold.includes(z) ? 'sellout' : 'normal'})`).join(','),
      'cond:storage:type': 'SAS,SSD,GPSSD,ESSD',
    },
  };
}
