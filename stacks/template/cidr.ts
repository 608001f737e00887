/**
 * Strict IPv4 CIDR checks for the template's security-group source variables, in Terraform
 * (variable validation) and in JavaScript (the definition's defaults are checked before a
 * template is written, so Terraform never refuses a default). Both use the same pattern.
 *
 * Strict means: four decimal octets of 0-255 without leading zeros, a prefix of 0-32, and the
 * network address itself (no host bits set: 10.0.0.0/8, not 10.1.2.3/8): a source like
 * 192.168.1.10/24 reads as one host while it opens 256 addresses, so it is refused.
 */
import { cidrContains, parseCidr, type Cidr } from '../net/cidr.js';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
/** Valid in RE2 (Terraform's regex()) and in JavaScript. */
const IPV4_CIDR = `^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(3[0-2]|[12]?[0-9])$`;

/**
 * Terraform condition for `ref` (e.g. `var.ingress_tcp_22_source`). `&&` does not short-circuit
 * in Terraform before 1.12, hence try() around cidrhost().
 */
export function cidrCondition(ref: string): string {
  return `\${can(regex(${JSON.stringify(IPV4_CIDR)}, ${ref})) && try(cidrhost(${ref}, 0) == split("/", ${ref})[0], false)}`;
}

/** Why `text` is not a strict IPv4 network CIDR (the definition's own parser); undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const parsed = parseCidr(text);
  return parsed.ok ? undefined : parsed.problem;
}

/** The private IPv4 ranges of RFC 1918 (https://www.rfc-editor.org/rfc/rfc1918#section-3). */
const PRIVATE_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => {
  const parsed = parseCidr(t);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
});

/**
 * Whether the network `text` lies entirely inside one private range (RFC 1918): a source that
 * admits no public address, so nothing reaches the rule over an EIP from the internet.
 */
export function isPrivateRange(text: string): boolean {
  const parsed = parseCidr(text);
  return parsed.ok && PRIVATE_RANGES.some((range) => cidrContains(range, parsed.value));
}
