import { describe, expect, it } from 'vitest';
import { synthTemplate } from '../../scripts/template/write.js';
import { cidrContains, parseCidr } from '../../stacks/net/cidr.js';
import { makeListedImage } from '../listing/fixtures.js';
import { rejection, expectNoTrace } from './reject.js';

describe('network values are parsed strictly where they are defined', () => {
  it('build.vpcCidr with host bits names the network meant', () => {
    const message = rejection({ build: { agencyName: 'a', vpcCidr: '10.0.0.5/24' } });
    expect(message).toContain('build.vpcCidr: expected a private IPv4 CIDR (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) between /16 and /28, e.g. "10.254.239.0/24", found "10.0.0.5/24", which is not the network address of a /24; did you mean 10.0.0.0/24?');
    expectNoTrace(message);
  });

  it('build.vpcCidr with an octet over 255 or a prefix over 32', () => {
    expect(rejection({ build: { agencyName: 'a', vpcCidr: '10.0.300.0/24' } })).toContain('build.vpcCidr: expected a private IPv4 CIDR (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) between /16 and /28, e.g. "10.254.239.0/24", found "10.0.300.0/24", whose octet 300 is over 255');
    expect(rejection({ build: { agencyName: 'a', vpcCidr: '10.0.0.0/40' } })).toContain('found "10.0.0.0/40", whose prefix "/40" is not a length of 0 to 32');
    expect(rejection({ build: { agencyName: 'a', vpcCidr: '10.0.0.0/29' } })).toContain('between /16 and /28, e.g. "10.254.239.0/24", found "10.0.0.0/29"');
  });

  it('a security group source with host bits, a bad octet, or no prefix', () => {
    const rule = (source: string) => rejection({ securityGroup: [{ protocol: 'tcp', ports: '443', source, description: 'HTTPS' }] });
    expect(rule('203.0.113.9/24')).toContain('securityGroup[0].source: expected an IPv4 CIDR such as "0.0.0.0/0" or "203.0.113.0/24", found "203.0.113.9/24", which is not the network address of a /24; did you mean 203.0.113.0/24?');
    expect(rule('999.0.0.0/8')).toContain('securityGroup[0].source: expected an IPv4 CIDR such as "0.0.0.0/0" or "203.0.113.0/24", found "999.0.0.0/8", whose octet 999 is over 255');
    expect(rule('203.0.113.9')).toContain('found "203.0.113.9", which has no prefix length (write 203.0.113.9/32 for this one address)');
    expectNoTrace(rule('1.2.3.4/33'));
  });

  it('the buyer template\'s CIDR defaults are network addresses, the subnet inside the VPC', () => {
    const tf = synthTemplate(makeListedImage(), {}, { allowPlanned: true }) as unknown as { variable: Record<string, { default?: unknown }> };
    const vpc = parseCidr(String(tf.variable.vpc_cidr.default));
    const subnet = parseCidr(String(tf.variable.subnet_cidr.default));
    if (!vpc.ok || !subnet.ok) throw new Error(`template CIDR defaults must parse: ${JSON.stringify([vpc, subnet])}`);
    expect(cidrContains(vpc.value, subnet.value)).toBe(true);
  });
});
