import { Construct } from 'constructs';
import { Vpc, VpcSubnet, VpcEip, NetworkingSecgroup, NetworkingSecgroupRule } from '../huaweicloud.js';
import { firstHost, parseCidr } from '../net/cidr.js';

export type EgressPolicy = 'web' | 'all';

export interface BuildNetworkProps {
  /** Prefix of every resource name, e.g. `nginx-builder-20261128T154500Z-3f9a`. */
  readonly namePrefix: string;
  readonly cidr: string;
  readonly tags: Record<string, string>;
  /** An EIP gives the machine outbound internet; off when the network has NAT. */
  readonly eip: boolean;
  readonly eipBandwidthMbps: number;
  /** EIP line type, e.g. 5_bgp (the definition's build.eipType holds the default). */
  readonly eipType: string;
  /** `web` opens only DNS, NTP, HTTP and HTTPS outbound; `all` opens all IPv4 egress. */
  readonly egress: EgressPolicy;
}

/** Outbound rules of the `web` policy: what package installs and cloud-init need. */
export const WEB_EGRESS: readonly { protocol: 'tcp' | 'udp'; port: number; why: string }[] = [
  { protocol: 'udp', port: 53, why: 'dns' },
  { protocol: 'tcp', port: 53, why: 'dns-tcp' },
  { protocol: 'udp', port: 123, why: 'ntp' },
  { protocol: 'tcp', port: 80, why: 'http' },
  { protocol: 'tcp', port: 443, why: 'https' },
];

/** What each resource of a build network is named after its prefix (`<prefix>-vpc` ...). */
export const NETWORK_NAME_SUFFIX = { vpc: 'vpc', subnet: 'subnet', 'security-group': 'sg', eip: 'eip' } as const;

/**
 * Whether `name` is one the build `buildId` gave a network resource of this type (its stacks'
 * prefixes are `<image>-builder-<buildId>` and `<image>-tester-<buildId>`, lower-cased). The
 * VPC, subnet, security group and EIP get their tags in a second call after the create
 * (the provider's Create functions: tags.Create), so a build that died in between left one
 * that only its name tells apart.
 */
export function isBuildNetworkName(type: keyof typeof NETWORK_NAME_SUFFIX, name: string | undefined, buildId: string): boolean {
  const tail = `-${buildId.toLowerCase()}-${NETWORK_NAME_SUFFIX[type]}`;
  return !!name && (name.endsWith(`-builder${tail}`) || name.endsWith(`-tester${tail}`));
}

/**
 * A throwaway network for one build machine: its own VPC and subnet, and a security group
 * with the default rules deleted and egress rules only. Nobody can reach the machine (least
 * privilege, as EC2 Image Builder does); it reaches out through an optional EIP.
 */
export class BuildNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly subnet: VpcSubnet;
  public readonly securityGroup: NetworkingSecgroup;
  public readonly eip?: VpcEip;

  constructor(scope: Construct, id: string, props: BuildNetworkProps) {
    super(scope, id);
    // The definition already refused bad CIDRs; a construct used directly gets the same rule.
    const parsed = parseCidr(props.cidr);
    if (!parsed.ok) throw new Error(`BuildNetwork ${id}: cidr ${parsed.problem}`);
    const cidr = props.cidr;
    const gateway = firstHost(parsed.value);
    this.vpc = new Vpc(this, 'vpc', { name: `${props.namePrefix}-${NETWORK_NAME_SUFFIX.vpc}`, cidr, tags: props.tags });
    this.subnet = new VpcSubnet(this, 'subnet', {
      name: `${props.namePrefix}-${NETWORK_NAME_SUFFIX.subnet}`,
      vpcId: this.vpc.id,
      cidr,
      gatewayIp: gateway,
      dhcpEnable: true,
      tags: props.tags,
    });
    this.securityGroup = new NetworkingSecgroup(this, 'sg', {
      name: `${props.namePrefix}-${NETWORK_NAME_SUFFIX['security-group']}`,
      deleteDefaultRules: true,
      tags: props.tags,
    });
    if (props.egress === 'all') {
      new NetworkingSecgroupRule(this, 'egress-all', {
        securityGroupId: this.securityGroup.id,
        direction: 'egress',
        ethertype: 'IPv4',
        remoteIpPrefix: '0.0.0.0/0',
      });
    } else {
      for (const rule of WEB_EGRESS) {
        new NetworkingSecgroupRule(this, `egress-${rule.why}`, {
          securityGroupId: this.securityGroup.id,
          direction: 'egress',
          ethertype: 'IPv4',
          protocol: rule.protocol,
          portRangeMin: rule.port,
          portRangeMax: rule.port,
          remoteIpPrefix: '0.0.0.0/0',
        });
      }
    }
    if (props.eip) {
      this.eip = new VpcEip(this, 'eip', {
        name: `${props.namePrefix}-${NETWORK_NAME_SUFFIX.eip}`,
        publicip: { type: props.eipType },
        bandwidth: { shareType: 'PER', name: `${props.namePrefix}-bw`, size: props.eipBandwidthMbps, chargeMode: 'traffic' },
        chargingMode: 'postPaid',
        tags: props.tags,
      });
    }
  }
}
