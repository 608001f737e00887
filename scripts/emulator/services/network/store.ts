/**
 * The records of the emulated VPC service (VPCs, subnets, security groups and their rules,
 * ports) and of EIPs, kept as plain JSON in the account's per-region collections. Shared by
 * vpc.ts, eip.ts, the tag APIs and the ECS service (which creates a server's port here).
 */
import type { Account } from '../../account.js';
import { isoTime } from '../../jobs.js';

export type Tags = Record<string, string>;

interface Tagged {
  id: string;
  name: string;
  tags: Tags;
  created: number;
  updated: number;
}

export interface VpcRecord extends Tagged {
  cidr: string;
  description: string;
  enterprise_project_id: string;
  status: 'CREATING' | 'OK';
  readyAt: number;
}

export interface SubnetRecord extends Tagged {
  vpc_id: string;
  cidr: string;
  gateway_ip: string;
  description: string;
  dhcp_enable: boolean;
  ipv6_enable: boolean;
  primary_dns: string;
  secondary_dns: string;
  dnsList: string[];
  availability_zone: string;
  neutron_subnet_id: string;
  extra_dhcp_opts: { opt_name: string; opt_value: string }[];
  status: 'UNKNOWN' | 'ACTIVE';
  readyAt: number;
}

export interface SecurityGroupRecord extends Tagged {
  description: string;
  enterprise_project_id: string;
}

export interface RuleRecord {
  id: string;
  security_group_id: string;
  description: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  /** '' = any protocol. */
  protocol: string;
  /** '' = every port; "80", "8000-8080" or "22,80". */
  multiport: string;
  remote_ip_prefix: string;
  remote_group_id: string;
  action: 'allow' | 'deny';
  priority: number;
  created: number;
}

export interface PortRecord {
  id: string;
  name: string;
  /** The VPC subnet ID (Huawei's neutron network ID is the subnet's ID). */
  network_id: string;
  neutron_subnet_id: string;
  vpc_id: string;
  ip_address: string;
  mac_address: string;
  device_id: string;
  device_owner: string;
  security_groups: string[];
  allowed_address_pairs: { ip_address: string; mac_address?: string }[];
  created: number;
}

export interface PublicIpRecord extends Tagged {
  type: string;
  ip_version: 4 | 6;
  address: string;
  status: 'PENDING_CREATE' | 'DOWN' | 'BINDING' | 'ACTIVE';
  /** When the current transitional status (PENDING_CREATE, BINDING) ends. */
  readyAt: number;
  port_id: string;
  private_ip: string;
  bandwidth_id: string;
  description: string;
  enterprise_project_id: string;
}

export interface BandwidthRecord {
  id: string;
  name: string;
  size: number;
  share_type: 'PER' | 'WHOLE';
  charge_mode: 'bandwidth' | 'traffic';
  publicip_ids: string[];
  created: number;
  updated: number;
}

const COLLECTIONS = {
  vpcs: 'vpcs',
  subnets: 'subnets',
  securityGroups: 'security_groups',
  rules: 'security_group_rules',
  ports: 'ports',
  publicips: 'publicips',
  bandwidths: 'bandwidths',
} as const;

export const vpcsOf = (a: Account, region: string) => a.collection<VpcRecord>(region, COLLECTIONS.vpcs);
export const subnetsOf = (a: Account, region: string) => a.collection<SubnetRecord>(region, COLLECTIONS.subnets);
export const securityGroupsOf = (a: Account, region: string) => a.collection<SecurityGroupRecord>(region, COLLECTIONS.securityGroups);
export const rulesOf = (a: Account, region: string) => a.collection<RuleRecord>(region, COLLECTIONS.rules);
export const portsOf = (a: Account, region: string) => a.collection<PortRecord>(region, COLLECTIONS.ports);
export const publicIpsOf = (a: Account, region: string) => a.collection<PublicIpRecord>(region, COLLECTIONS.publicips);
export const bandwidthsOf = (a: Account, region: string) => a.collection<BandwidthRecord>(region, COLLECTIONS.bandwidths);

/** Huawei's VPC timestamps: "2026-11-28T10:00:00Z". */
export const utc = isoTime;
/** EIP v1 `create_time`: "2026-11-28 10:00:00" (UTC, no zone). */
export const eipTime = (ms: number) => isoTime(ms).replace('T', ' ').replace('Z', '');

export const tagList = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));

/**
 * Marker pagination as the VPC v1 and v3 list APIs do it: the records after `marker` (an ID),
 * at most `limit` of them. Clients page until a page is empty or shorter than the limit.
 */
export function page<T extends { id: string }>(records: T[], query: URLSearchParams, maxLimit = 2000): T[] {
  const marker = query.get('marker');
  const start = marker ? records.findIndex((r) => r.id === marker) + 1 : 0;
  const limit = Math.min(Number(query.get('limit') ?? maxLimit) || maxLimit, maxLimit);
  if (marker && start === 0) return [];
  return records.slice(start, start + limit);
}

/** Records in creation order (Huawei lists oldest first). */
export const byCreation = <T extends { created: number; id: string }>(records: Record<string, T>) =>
  Object.values(records).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
