/** IPv4 addresses and CIDR blocks, as the VPC APIs validate and allocate them. */

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIp(ip: unknown): number | undefined {
  if (typeof ip !== 'string' || !IPV4.test(ip)) return undefined;
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export const formatIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** A canonical CIDR (host bits zero, as Huawei requires for VPCs and subnets), or undefined. */
export function parseCidr(cidr: unknown): Cidr | undefined {
  if (typeof cidr !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const base = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { base, prefix, size };
}

export const containsIp = (c: Cidr, ip: number) => ip >= c.base && ip < c.base + c.size;
export const containsCidr = (outer: Cidr, inner: Cidr) => inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
export const overlaps = (a: Cidr, b: Cidr) => a.base < b.base + b.size && b.base < a.base + a.size;

/** IPv6 prefix for security-group rules: loose shape check (hex groups, `::`, /0-128). */
export function isIpv6Cidr(cidr: string): boolean {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(cidr);
  return !!m && Number(m[2]) <= 128 && m[1].includes(':') && (m[1].match(/::/g) ?? []).length <= 1;
}
