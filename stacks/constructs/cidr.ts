/** Minimal IPv4 CIDR arithmetic for the build subnet (network address and gateway). */
export function parseCidr(cidr: string): { network: number; prefix: number } {
  const [ip, bits] = cidr.split('/');
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new Error(`invalid IPv4 address in ${cidr}`);
  const prefix = Number(bits);
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (value & mask) >>> 0, prefix };
}

function formatIp(value: number): string {
  return [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.');
}

/** The canonical form (host bits cleared) and the first host, used as gateway. */
export function subnetOf(cidr: string): { cidr: string; gateway: string } {
  const { network, prefix } = parseCidr(cidr);
  return { cidr: `${formatIp(network)}/${prefix}`, gateway: formatIp(network + 1) };
}
