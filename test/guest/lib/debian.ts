/**
 * The guest tier's Debian machines, on the product's own local-VM code (scripts/local): the
 * cached debootstrap root filesystems (Debian 12 and 13), private copies of them for
 * root-filesystem tests, raw disks made from their cached base disk, and QEMU boots with a
 * NoCloud seed. Needs root, debootstrap, qemu-system-x86, qemu-utils, e2fsprogs, dosfstools, mtools.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRoot, missingTools, APT_PACKAGES } from '../../../scripts/local/prerequisites.js';
import { chooseAccel, makeSeed as seedDisk, startVm } from '../../../scripts/local/qemu.js';
import { ensureBaseDisk, ensureRootfs as ensureTree, type DebianBaseDisk, type DebianVariant } from '../../../scripts/local/rootfs.js';
import { readConsole } from '../../../scripts/local/vm-console.js';

export type { DebianVariant };
export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SCRATCH = process.env.IF_GUEST_SCRATCH ?? join(REPO, '.cache/guest-tmp');
/** The variants the tier proves: Debian 12 (ifupdown) and Debian 13 (netplan + systemd-networkd). */
export const VARIANTS: readonly DebianVariant[] = ['debian12', 'debian13'];

/** Fails with the list of what is missing instead of a confusing error later. */
export function requireTools(tools: string[]): void {
  const missing = missingTools(tools);
  const problems = [...(isRoot() ? [] : ['root (debootstrap, chroot and mkfs -d need it)']), ...missing.map((t) => `the ${t} command`)];
  if (problems.length) {
    const packages = [...new Set(missing.map((t) => APT_PACKAGES[t] ?? t))];
    throw new Error(`the guest tier needs ${problems.join(', ')}${packages.length ? `; install: apt-get install -y ${packages.join(' ')}` : ''}`);
  }
}

const log = (line: string) => console.log(line);

/** The cached tree (read-only by convention: tests work on copies or on disk images made from it). */
export const ensureRootfs = (variant: DebianVariant) => ensureTree(variant, log);

export function scratchDir(prefix: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(join(SCRATCH, `${prefix}-`));
}

/** A private copy of the cached tree for a test to modify. */
export async function copyRootfs(prefix: string, variant: DebianVariant): Promise<string> {
  const dir = join(scratchDir(prefix), 'rootfs');
  execFileSync('cp', ['-a', '--reflink=auto', await ensureRootfs(variant), dir]);
  return dir;
}

export interface Disk { dir: string; root: string; seed: string; base: DebianBaseDisk }

/** A raw copy of the variant's cached base disk (debugfs reads it without mounting), plus a NoCloud seed with the user data. */
export async function makeDisk(prefix: string, userData: Buffer, variant: DebianVariant): Promise<Disk> {
  const base = await ensureBaseDisk(variant, log);
  const dir = scratchDir(prefix);
  const root = join(dir, 'root.img');
  execFileSync('cp', ['--sparse=always', '--reflink=auto', base.path, root]);
  return { dir, root, seed: makeSeed(dir, userData), base };
}

export function makeSeed(dir: string, userData: Buffer): string {
  const id = `i-${Date.now().toString(16)}`;
  return seedDisk(join(dir, `seed-${id}.img`), userData, { instanceId: id, hostname: 'builder' });
}

export interface Boot { console: string; exitCode: number | null; seconds: number; timedOut: boolean; accel: string }

/** Boots the disk (isolated network: DHCP only) until the guest powers itself off (QEMU exits) or the timeout passes. */
export async function boot(disk: Disk, timeoutMs: number): Promise<Boot> {
  const { accel } = await chooseAccel();
  const consoleFile = join(disk.dir, `console-${Date.now()}.log`);
  const started = Date.now();
  const vm = startVm({ disk: { path: disk.root, format: 'raw' }, extraDisks: [disk.seed], kernel: disk.base, accel, consoleFile, network: 'isolated' });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; vm.kill(); }, timeoutMs);
  const { code, stderr } = await vm.exited;
  clearTimeout(timer);
  const text = readConsole(consoleFile);
  if (code !== 0 && !timedOut && !text) throw new Error(`qemu failed (exit ${code}): ${stderr}`);
  return { console: text, exitCode: code, seconds: Math.round((Date.now() - started) / 1000), timedOut, accel };
}
