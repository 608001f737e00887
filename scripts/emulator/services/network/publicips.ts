/**
 * EIP state shared by the EIP API (eip.ts), the VPC ports (a port's deletion unbinds its EIP)
 * and the ECS service (a server created with an EIP binds it; deleting a server with
 * delete_publicip releases it).
 */
import type { Account } from '../../account.js';
import { formatIp, parseIp } from './ip.js';
import { bandwidthsOf, portsOf, publicIpsOf, type PublicIpRecord } from './store.js';

/** 198.18.0.0/15, the benchmarking range: never a real customer address. */
const POOL_BASE = parseIp('198.18.0.0')!;
const POOL_SIZE = 2 ** 17;

/** A free address of the pool, chosen from the EIP's (deterministic) ID. */
export function allocateAddress(account: Account, id: string): string {
  const used = new Set<string>();
  for (const [, ip] of account.all<PublicIpRecord>('publicips')) used.add(ip.address);
  let n = Number.parseInt(id.replace(/-/g, '').slice(0, 8), 16) % POOL_SIZE;
  for (;;) {
    const last = n % 256;
    const address = formatIp(POOL_BASE + n);
    if (last !== 0 && last !== 255 && !used.has(address)) return address;
    n = (n + 1) % POOL_SIZE;
  }
}

/**
 * Binds an EIP to a port: BINDING until `now + delayMs`, then ACTIVE (settle moves it on).
 * Returns undefined when the EIP or the port does not exist in the region.
 */
export function bindEip(account: Account, region: string, eipId: string, portId: string, now: number, delayMs = 0): PublicIpRecord | undefined {
  const ip = publicIpsOf(account, region)[eipId];
  const port = portsOf(account, region)[portId];
  if (!ip || !port) return undefined;
  ip.port_id = portId;
  ip.private_ip = port.ip_address;
  ip.status = delayMs > 0 ? 'BINDING' : 'ACTIVE';
  ip.readyAt = now + delayMs;
  ip.updated = now;
  account.touch();
  return ip;
}

export function unbindEip(account: Account, ip: PublicIpRecord, now: number): void {
  ip.port_id = '';
  ip.private_ip = '';
  ip.status = 'DOWN';
  ip.readyAt = now;
  ip.updated = now;
  account.touch();
}

/** Deletes an EIP and its dedicated (PER) bandwidth. */
export function releaseEip(account: Account, region: string, eipId: string): void {
  const ip = publicIpsOf(account, region)[eipId];
  if (!ip) return;
  const bandwidths = bandwidthsOf(account, region);
  const bw = bandwidths[ip.bandwidth_id];
  if (bw) {
    bw.publicip_ids = bw.publicip_ids.filter((id) => id !== eipId);
    if (bw.share_type === 'PER' || bw.publicip_ids.length === 0) delete bandwidths[bw.id];
  }
  delete publicIpsOf(account, region)[eipId];
  account.touch();
}

/** The EIPs bound to a port (what ECS shows as the server's `floating` addresses). */
export const eipsOfPort = (account: Account, region: string, portId: string): PublicIpRecord[] =>
  Object.values(publicIpsOf(account, region)).filter((ip) => ip.port_id === portId);

/**
 * For the ECS service: releases (deletes) every EIP bound to the port, as ECS does for a server
 * deleted with `delete_publicip: true`. Returns the released EIP IDs.
 */
export function releaseEipsOfPort(account: Account, region: string, portId: string): string[] {
  const ids = eipsOfPort(account, region, portId).map((ip) => ip.id);
  for (const id of ids) releaseEip(account, region, id);
  return ids;
}
