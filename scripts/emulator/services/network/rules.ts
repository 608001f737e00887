/**
 * Security-group rule validation and Huawei's default rules. The v1 API takes
 * port_range_min/max (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_sg01_0004.html), the
 * v3 API a `multiport` string (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_apiv3_0006.html);
 * both are kept as `multiport` ("", "80", "8000-8080", "22,80").
 */
import { ApiError, badRequest } from '../../errors.js';
import { isIpv6Cidr, parseCidr } from './ip.js';
import type { RuleRecord } from './store.js';

/**
 * Error codes of the security-group APIs. The public VPC error table we could read stops at
 * subnets and EIPs, so these codes are the emulator's choice in Huawei's VPC.06xx style.
 */
export const SG_CODES = { invalid: 'VPC.0601', notFound: 'VPC.0602', inUse: 'VPC.0603', duplicate: 'VPC.0604' } as const;

const invalid = (message: string) => badRequest(SG_CODES.invalid, message);

const NAMED_PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6'];

export interface RuleInput {
  direction?: unknown;
  ethertype?: unknown;
  protocol?: unknown;
  port_range_min?: unknown;
  port_range_max?: unknown;
  multiport?: unknown;
  remote_ip_prefix?: unknown;
  remote_group_id?: unknown;
  description?: unknown;
  action?: unknown;
  priority?: unknown;
}

const isPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

function portsOf(input: RuleInput, protocol: string): string {
  const hasRange = input.port_range_min != null || input.port_range_max != null;
  if (input.multiport != null && input.multiport !== '') {
    if (typeof input.multiport !== 'string') throw invalid('multiport is invalid.');
    const parts = input.multiport.split(',');
    for (const p of parts) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(p.trim());
      if (!m || !isPort(Number(m[1])) || (m[2] !== undefined && (!isPort(Number(m[2])) || Number(m[2]) < Number(m[1])))) {
        throw invalid(`multiport ${input.multiport} is invalid: ports are 1-65535, ranges low-high.`);
      }
    }
    if (protocol !== 'tcp' && protocol !== 'udp') throw invalid('Ports can only be given for the tcp and udp protocols.');
    return parts.map((p) => p.trim()).join(',');
  }
  if (!hasRange) return '';
  const min = input.port_range_min;
  const max = input.port_range_max;
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    // For ICMP the range carries the type and code.
    const ok = (n: unknown) => n == null || (Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 255);
    if (!ok(min) || !ok(max)) throw invalid('ICMP type and code must be 0-255.');
    return '';
  }
  if (protocol !== 'tcp' && protocol !== 'udp') throw invalid('Ports can only be given for the tcp and udp protocols.');
  if (!isPort(min) || !isPort(max)) throw invalid('port_range_min and port_range_max must both be given, 1-65535.');
  if ((min as number) > (max as number)) throw invalid('port_range_min must not exceed port_range_max.');
  return min === max ? String(min) : `${min}-${max}`;
}

/** The rule as it will be stored, or a 400 in Huawei's words; `groupExists` checks remote_group_id. */
export function validateRule(input: RuleInput, groupExists: (id: string) => boolean): Omit<RuleRecord, 'id' | 'security_group_id' | 'created'> {
  if (input.direction !== 'ingress' && input.direction !== 'egress') throw invalid('direction must be ingress or egress.');
  const ethertype = input.ethertype ?? 'IPv4';
  if (ethertype !== 'IPv4' && ethertype !== 'IPv6') throw invalid('ethertype must be IPv4 or IPv6.');
  let protocol = input.protocol == null ? '' : String(input.protocol).toLowerCase();
  if (protocol === 'any') protocol = '';
  if (protocol && !NAMED_PROTOCOLS.includes(protocol) && !(/^\d{1,3}$/.test(protocol) && Number(protocol) <= 255)) {
    throw invalid(`protocol ${protocol} is invalid: tcp, udp, icmp, icmpv6 or an IP protocol number.`);
  }
  const multiport = portsOf(input, protocol);
  const prefix = input.remote_ip_prefix == null ? '' : String(input.remote_ip_prefix);
  const group = input.remote_group_id == null ? '' : String(input.remote_group_id);
  if (prefix && group) throw invalid('remote_ip_prefix and remote_group_id cannot be given together.');
  if (prefix) {
    const ok = ethertype === 'IPv4' ? parseCidr(prefix) !== undefined : isIpv6Cidr(prefix);
    if (!ok) throw invalid(`remote_ip_prefix ${prefix} is not a valid ${ethertype} CIDR.`);
  }
  if (group && !groupExists(group)) throw new ApiError(404, SG_CODES.notFound, `Security group ${group} could not be found.`);
  const action = input.action ?? 'allow';
  if (action !== 'allow' && action !== 'deny') throw invalid('action must be allow or deny.');
  const priority = input.priority ?? 1;
  if (!Number.isInteger(priority) || (priority as number) < 1 || (priority as number) > 100) throw invalid('priority must be 1-100.');
  const description = input.description == null ? '' : String(input.description);
  if (description.length > 255) throw invalid('description is longer than 255 characters.');
  return {
    direction: input.direction, ethertype, protocol, multiport, remote_ip_prefix: prefix, remote_group_id: group,
    description, action: action as 'allow' | 'deny', priority: priority as number,
  };
}

/** Same traffic, same rule: Huawei refuses a duplicate with 409. */
export const sameRule = (a: Omit<RuleRecord, 'id' | 'created'>, b: Omit<RuleRecord, 'id' | 'created'>) =>
  a.security_group_id === b.security_group_id && a.direction === b.direction && a.ethertype === b.ethertype && a.protocol === b.protocol
  && a.multiport === b.multiport && a.remote_ip_prefix === b.remote_ip_prefix && a.remote_group_id === b.remote_group_id && a.action === b.action;

/**
 * A new group's rules: all egress (IPv4 and IPv6) and ingress from members of the same group
 * ("Default Security Group Rules", https://support.huaweicloud.com/intl/en-us/usermanual-vpc/SecurityGroup_0003.html).
 */
export function defaultRules(groupId: string): Omit<RuleRecord, 'id' | 'created'>[] {
  const base = { security_group_id: groupId, protocol: '', multiport: '', description: '', action: 'allow' as const, priority: 100 };
  return [
    { ...base, direction: 'egress', ethertype: 'IPv4', remote_ip_prefix: '0.0.0.0/0', remote_group_id: '' },
    { ...base, direction: 'egress', ethertype: 'IPv6', remote_ip_prefix: '::/0', remote_group_id: '' },
    { ...base, direction: 'ingress', ethertype: 'IPv4', remote_ip_prefix: '', remote_group_id: groupId },
    { ...base, direction: 'ingress', ethertype: 'IPv6', remote_ip_prefix: '', remote_group_id: groupId },
  ];
}

/** port_range_min/max of a single port or one range (v1 shape); null otherwise. */
export function rangeOf(multiport: string): { min: number | null; max: number | null } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(multiport);
  if (!m) return { min: null, max: null };
  return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
}
