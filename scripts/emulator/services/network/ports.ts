/**
 * Ports (network interfaces): the ECS service creates one per server NIC in the chosen subnet
 * and deletes them with the server; the VPC API lists, shows and updates them. A port keeps its
 * subnet and security groups from being deleted.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { Account } from '../../account.js';
import { containsIp, formatIp, parseCidr, parseIp } from './ip.js';
import { eipsOfPort, unbindEip } from './publicips.js';
import { SG_CODES } from './rules.js';
import { portsOf, securityGroupsOf, subnetsOf, type PortRecord } from './store.js';

export const PORT_CODES = { invalid: 'VPC.2500', ipInUse: 'VPC.0701', notFound: 'VPC.0702' } as const;

/** The lowest free host of the subnet, after the gateway (Huawei keeps the last three for itself). */
function freeAddress(account: Account, region: string, subnetId: string): string {
  const subnet = subnetsOf(account, region)[subnetId];
  const cidr = parseCidr(subnet.cidr)!;
  const used = new Set(Object.values(portsOf(account, region)).filter((p) => p.network_id === subnetId).map((p) => p.ip_address));
  used.add(subnet.gateway_ip);
  for (let n = cidr.base + 2; n < cidr.base + cidr.size - 3; n++) {
    if (!used.has(formatIp(n))) return formatIp(n);
  }
  throw new ApiError(409, PORT_CODES.ipInUse, `No free IP address is left in subnet ${subnetId}.`);
}

const macOf = (id: string) => `fa:16:3e:${createHash('sha256').update(id).digest('hex').slice(0, 6).match(/../g)!.join(':')}`;

export interface NewPort {
  subnetId: string;
  /** The server ID ('' for a port made through the API). */
  deviceId: string;
  securityGroupIds: string[];
  /** e.g. `compute:ap-southeast-3a` for a server NIC. */
  deviceOwner?: string;
  name?: string;
  /** A fixed IP address, else the lowest free one. */
  ipAddress?: string;
  /** Emulated time of creation (ctx.now). */
  now: number;
}

/**
 * Creates a port in a subnet, for the ECS service (one per server NIC) and `POST /v1/{project_id}/ports`.
 * Throws ApiError 404 when the subnet or a security group does not exist, 409 VPC.0701 when the
 * address is taken or the subnet is full, 400 VPC.2500 for an address outside the subnet.
 */
export function createPort(account: Account, region: string, p: NewPort): PortRecord {
  const subnet = subnetsOf(account, region)[p.subnetId];
  if (!subnet) throw new ApiError(404, 'VPC.0202', `Subnet ${p.subnetId} could not be found.`);
  const groups = securityGroupsOf(account, region);
  for (const g of p.securityGroupIds) if (!groups[g]) throw new ApiError(404, SG_CODES.notFound, `Security group ${g} could not be found.`);
  let ip = p.ipAddress;
  if (ip !== undefined) {
    const n = parseIp(ip);
    if (n === undefined || !containsIp(parseCidr(subnet.cidr)!, n)) throw new ApiError(400, PORT_CODES.invalid, `IP address ${ip} is not in subnet ${subnet.cidr}.`);
    if (ip === subnet.gateway_ip || Object.values(portsOf(account, region)).some((x) => x.network_id === p.subnetId && x.ip_address === ip)) {
      throw new ApiError(409, PORT_CODES.ipInUse, 'IP is in use');
    }
  } else ip = freeAddress(account, region, p.subnetId);
  const id = account.newId();
  const port: PortRecord = {
    id, name: p.name ?? '', network_id: subnet.id, neutron_subnet_id: subnet.neutron_subnet_id, vpc_id: subnet.vpc_id,
    ip_address: ip, mac_address: macOf(id), device_id: p.deviceId, device_owner: p.deviceOwner ?? '',
    security_groups: [...p.securityGroupIds], allowed_address_pairs: [], created: p.now,
  };
  portsOf(account, region)[id] = port;
  account.touch();
  return port;
}

/**
 * Deletes every port of a device (a deleted server's NICs); an EIP bound to one of them is
 * unbound (DOWN), as Huawei keeps EIPs unless the server is deleted with delete_publicip (see
 * releaseEipsOfPort). Returns the deleted port IDs.
 */
export function deletePortsOf(account: Account, region: string, deviceId: string, now: number): string[] {
  const ports = portsOf(account, region);
  const gone = Object.values(ports).filter((p) => p.device_id === deviceId);
  for (const p of gone) {
    for (const ip of eipsOfPort(account, region, p.id)) unbindEip(account, ip, now);
    delete ports[p.id];
  }
  if (gone.length) account.touch();
  return gone.map((p) => p.id);
}

