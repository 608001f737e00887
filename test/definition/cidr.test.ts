import { describe, expect, it } from 'vitest';
import { cidrContains, firstHost, parseCidr, parseIpv4 } from '../../stacks/net/cidr.js';

const problem = (text: string) => {
  const parsed = parseCidr(text);
  return parsed.ok ? '' : parsed.problem;
};

describe('strict IPv4 CIDR parsing', () => {
  it('accepts network addresses with prefixes 0 to 32', () => {
    for (const ok of ['0.0.0.0/0', '10.0.0.0/8', '10.254.239.0/24', '203.0.113.7/32', '255.255.255.255/32']) expect(problem(ok)).toBe('');
    expect(parseCidr('172.16.0.0/12')).toEqual({ ok: true, value: { network: 0xac100000, prefix: 12, text: '172.16.0.0/12' } });
  });

  it('names the network meant when host bits are set', () => {
    expect(problem('10.0.0.5/24')).toBe('"10.0.0.5/24", which is not the network address of a /24; did you mean 10.0.0.0/24?');
    expect(problem('192.168.1.1/16')).toContain('did you mean 192.168.0.0/16?');
    expect(problem('1.2.3.4/0')).toContain('did you mean 0.0.0.0/0?');
  });

  it('refuses octets over 255, leading zeros, signs and missing parts', () => {
    expect(problem('10.0.0.256/24')).toBe('"10.0.0.256/24", whose octet 256 is over 255');
    expect(problem('10.0.01.0/24')).toBe('"10.0.01.0/24", whose octet "01" is not a whole number 0 to 255 without leading zeros');
    expect(problem('10.0.-1.0/24')).toContain('octet "-1"');
    expect(problem('10.0.0/24')).toBe('"10.0.0/24", which is not four numbers separated by dots');
    expect(problem('10.0.0.0.0/24')).toContain('not four numbers');
    expect(problem(' 10.0.0.0/24')).toContain('octet " 10"');
  });

  it('refuses prefixes over 32 and malformed ones', () => {
    expect(problem('10.0.0.0/33')).toBe('"10.0.0.0/33", whose prefix "/33" is not a length of 0 to 32');
    expect(problem('10.0.0.0/')).toContain('prefix "/"');
    expect(problem('10.0.0.0/08')).toContain('prefix "/08"');
    expect(problem('10.0.0.0/24/1')).toContain('prefix "/24/1"');
  });

  it('asks for /32 when the prefix is missing', () => {
    expect(problem('203.0.113.7')).toBe('"203.0.113.7", which has no prefix length (write 203.0.113.7/32 for this one address)');
  });

  it('parses addresses, containment and the first host', () => {
    expect(parseIpv4('192.168.0.1')).toEqual({ ok: true, value: 0xc0a80001 });
    const vpc = parseCidr('192.168.0.0/16');
    const subnet = parseCidr('192.168.1.0/24');
    const outside = parseCidr('192.169.0.0/24');
    if (!vpc.ok || !subnet.ok || !outside.ok) throw new Error('fixture CIDRs must parse');
    expect(cidrContains(vpc.value, subnet.value)).toBe(true);
    expect(cidrContains(vpc.value, outside.value)).toBe(false);
    expect(cidrContains(subnet.value, vpc.value)).toBe(false);
    expect(firstHost(subnet.value)).toBe('192.168.1.1');
  });
});
