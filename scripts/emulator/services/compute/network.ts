/**
 * What ECS needs from VPC and EIP: the subnet and security groups a server is created in, its
 * port (private IP and MAC) and the EIP bound to it. The VPC and EIP modules own those records;
 * until they export their own helpers, this adapter reads and writes their collections
 * (`subnets`, `security_groups`, `ports`, `publicips`) by the field names below, so switching
 * to their helpers later changes this file only.
 */
import type { Account } from '../../account.js';

export interface SubnetView {
  readonly id: string;
  readonly vpc_id: string;
  readonly cidr: string;
  readonly gateway_ip?: string;
}

export interface PortView {
  readonly id: string;
  readonly ip: string;
  readonly mac: string;
}

export function findSubnet(account: Account, region: string, id: string): SubnetView | undefined {
  // Neutron-style network IDs equal the subnet's VPC-API ID on Huawei Cloud (the provider's
  // `network.uuid` is the subnet ID); both spellings are accepted.
  const subnets = account.collection<Record<string, any>>(region, 'subnets');
  const s = subnets[id] ?? Object.values(subnets).find((x) => x.neutron_network_id === id || x.neutron_subnet_id === id);
  return s ? { id: s.id, vpc_id: s.vpc_id, cidr: s.cidr, gateway_ip: s.gateway_ip } : undefined;
}

export function findSecurityGroup(account: Account, region: string, id: string): { id: string; name: string } | undefined {
  const sg = account.collection<Record<string, any>>(region, 'security_groups')[id];
  return sg ? { id: sg.id, name: sg.name ?? id } : undefined;
}

/** The next free host address of the subnet's CIDR (after the gateway and the ports already there). */
function nextAddress(account: Account, region: string, subnet: SubnetView): string {
  const used = new Set(Object.values(account.collection<Record<string, any>>(region, 'ports')).flatMap((p) => (p.fixed_ips ?? []).map((f: { ip_address: string }) => f.ip_address)));
  const [base] = subnet.cidr.split('/');
  const octets = base.split('.').map(Number);
  for (let host = 2; host < 255; host++) {
    const ip = [...octets.slice(0, 3), host].join('.');
    if (ip !== subnet.gateway_ip && !used.has(ip)) return ip;
  }
  return [...octets.slice(0, 3), 254].join('.');
}

/** A port for the server in the subnet (VPC `GET /v1/{project_id}/ports?device_id=` lists it). */
export function createPort(account: Account, region: string, subnet: SubnetView, deviceId: string, securityGroups: readonly string[]): PortView {
  const id = account.newId();
  const ip = nextAddress(account, region, subnet);
  const mac = `fa:16:3e:${id.slice(0, 2)}:${id.slice(2, 4)}:${id.slice(4, 6)}`;
  account.collection(region, 'ports')[id] = {
    id, name: '', status: 'ACTIVE', admin_state_up: true, network_id: subnet.id, tenant_id: account.projectOf(region),
    device_owner: 'compute:' + region + 'a', device_id: deviceId, mac_address: mac,
    fixed_ips: [{ subnet_id: subnet.id, ip_address: ip }], security_groups: [...securityGroups], allowed_address_pairs: [],
    extra_dhcp_opts: [], binding_vnic_type: 'normal',
  };
  account.touch();
  return { id, ip, mac };
}

export function deletePortsOf(account: Account, region: string, deviceId: string): void {
  const ports = account.collection<Record<string, any>>(region, 'ports');
  for (const [id, p] of Object.entries(ports)) if (p.device_id === deviceId) delete ports[id];
  account.touch();
}

/** Binds an existing EIP to the port; its address, or undefined when no such EIP exists. */
export function bindEip(account: Account, region: string, eipId: string, port: PortView): string | undefined {
  const eip = account.collection<Record<string, any>>(region, 'publicips')[eipId];
  if (!eip) return undefined;
  Object.assign(eip, { port_id: port.id, private_ip_address: port.ip, status: 'ACTIVE' });
  account.touch();
  return eip.public_ip_address;
}

/** The server is deleted: its EIP is released (delete_publicip) or just unbound. */
export function releaseEip(account: Account, region: string, eipId: string, release: boolean): void {
  const eips = account.collection<Record<string, any>>(region, 'publicips');
  if (!eips[eipId]) return;
  if (release) delete eips[eipId];
  else Object.assign(eips[eipId], { port_id: null, private_ip_address: null, status: 'DOWN' });
  account.touch();
}
