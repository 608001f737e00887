/**
 * Strict IPv4 and CIDR parsing, one place for every address a definition or a stack holds:
 * four decimal octets of at most 255 without leading zeros, a prefix of 0 to 32, and host bits
 * cleared, so "10.0.0.5/24" is refused with the network that was probably meant.
 */
export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
  /** "a.b.c.d/n", as parsed. */
  readonly text: string;
}

/** `problem` starts with the quoted input and reads after "found", e.g. `"10.0.0.5/24", which ...`. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const OCTET = /^(0|[1-9]\d{0,2})$/;

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.');
}

/** "192.168.0.1" -> its 32-bit value; leading zeros are refused (some tools read them as octal). */
export function parseIpv4(text: string): Parsed<number> {
  const parts = text.split('.');
  if (parts.length !== 4) return { ok: false, problem: `"${text}", which is not four numbers separated by dots` };
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return { ok: false, problem: `"${text}", whose octet "${part}" is not a whole number 0 to 255 without leading zeros` };
    const n = Number(part);
    if (n > 255) return { ok: false, problem: `"${text}", whose octet ${n} is over 255` };
    value = value * 256 + n;
  }
  return { ok: true, value };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** "10.0.0.0/24" -> network and prefix; a host address with a prefix is refused, naming the network. */
export function parseCidr(text: string): Parsed<Cidr> {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, problem: `"${text}", which has no prefix length (write ${text}/32 for this one address)` };
  const ip = parseIpv4(text.slice(0, slash));
  // Name the whole CIDR, not only its address part.
  if (!ip.ok) return { ok: false, problem: ip.problem.replace(`"${text.slice(0, slash)}"`, `"${text}"`) };
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9]\d?)$/.test(bits) || Number(bits) > 32) return { ok: false, problem: `"${text}", whose prefix "/${bits}" is not a length of 0 to 32` };
  const prefix = Number(bits);
  const network = (ip.value & maskOf(prefix)) >>> 0;
  if (network !== ip.value) {
    return { ok: false, problem: `"${text}", which is not the network address of a /${prefix}; did you mean ${formatIpv4(network)}/${prefix}?` };
  }
  return { ok: true, value: { network, prefix, text } };
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.network & maskOf(outer.prefix)) >>> 0) === outer.network;
}

/** The first host of a network, used as the subnet gateway. */
export function firstHost(cidr: Cidr): string {
  return formatIpv4(cidr.network + 1);
}
