/**
 * What ECS needs from VPC and EIP: the subnet and security groups a server is created in, its
 * port (private IP and MAC) and the EIP bound to it. The VPC module owns those records
 * (services/network/); this adapter names the few operations ECS uses and delegates to its
 * helpers, so ECS stays independent of their record layout.
 */
import type { Account } from '../../account.js';
import { createPort as vpcCreatePort, deletePortsOf as vpcDeletePortsOf } from '../network/ports.js';
import { bindEip as vpcBindEip, eipsOfPort, releaseEipsOfPort } from '../network/publicips.js';
import { publicIpsOf, securityGroupsOf, subnetsOf } from '../network/store.js';

export interface SubnetView {
  readonly id: string;
  readonly vpc_id: string;
}

export interface PortView {
  readonly id: string;
  readonly ip: string;
  readonly mac: string;
}

/** The provider's `network.uuid` is the subnet's VPC-API ID; the Neutron subnet ID is accepted too. */
export function findSubnet(account: Account, region: string, id: string): SubnetView | undefined {
  const subnets = subnetsOf(account, region);
  const s = subnets[id] ?? Object.values(subnets).find((x) => x.neutron_subnet_id === id);
  return s ? { id: s.id, vpc_id: s.vpc_id } : undefined;
}

export function findSecurityGroup(account: Account, region: string, id: string): { id: string; name: string } | undefined {
  const sg = securityGroupsOf(account, region)[id];
  return sg ? { id: sg.id, name: sg.name } : undefined;
}

export function createPort(account: Account, region: string, subnet: SubnetView, deviceId: string, securityGroups: readonly string[], az: string, now: number): PortView {
  const p = vpcCreatePort(account, region, { subnetId: subnet.id, deviceId, securityGroupIds: [...securityGroups], deviceOwner: `compute:${az}`, now });
  return { id: p.id, ip: p.ip_address, mac: p.mac_address };
}

export const eipExists = (account: Account, region: string, id: string): boolean => publicIpsOf(account, region)[id] !== undefined;

/** Binds an existing EIP to the port; its address, or undefined when no such EIP exists. */
export function bindEip(account: Account, region: string, eipId: string, port: PortView, now: number): string | undefined {
  return vpcBindEip(account, region, eipId, port.id, now)?.address;
}

/**
 * The addresses of the EIPs bound to a port, once the binding is done (ACTIVE), however they were
 * bound: at server creation (`publicip.id`) or later through the EIP API (PUT publicips port_id,
 * as huaweicloud_compute_eip_associate does). ECS lists them among the server's `addresses` as
 * `OS-EXT-IPS:type: floating`.
 */
export function floatingAddresses(account: Account, region: string, portId: string): string[] {
  return eipsOfPort(account, region, portId).filter((ip) => ip.status === 'ACTIVE').map((ip) => ip.address);
}

/** The server is deleted: with delete_publicip its EIPs are released, else unbound; its ports go. */
export function deleteServerNetwork(account: Account, region: string, deviceId: string, portIds: readonly string[], releaseEips: boolean, now: number): void {
  if (releaseEips) for (const id of portIds) releaseEipsOfPort(account, region, id);
  vpcDeletePortsOf(account, region, deviceId, now);
}
