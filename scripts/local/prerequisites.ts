/**
 * What a local boot needs from the host, checked before anything starts: each missing command
 * is named with the Debian/Ubuntu package that provides it, in one line with the apt-get
 * install that fixes it, and a non-root run that needs root says so.
 */
import { spawnSync } from 'node:child_process';
import { UserError } from '../../stacks/errors.js';

/** Command -> the Debian/Ubuntu package that installs it. */
export const APT_PACKAGES: Readonly<Record<string, string>> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-img': 'qemu-utils',
  debootstrap: 'debootstrap',
  chroot: 'coreutils',
  'mkfs.ext4': 'e2fsprogs',
  debugfs: 'e2fsprogs',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  flock: 'util-linux',
};

/** The commands QEMU boots need (every local boot). */
export const BOOT_TOOLS = ['qemu-system-x86_64', 'qemu-img', 'mkfs.vfat', 'mcopy'] as const;
/** The commands that build the default Debian base disk. */
export const ROOTFS_TOOLS = ['debootstrap', 'chroot', 'mkfs.ext4', 'flock'] as const;

const PATH_DIRS = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function missingTools(tools: readonly string[]): string[] {
  const path = `${process.env.PATH ?? ''}:${PATH_DIRS}`;
  return tools.filter((t) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', t], { env: { ...process.env, PATH: path } }).status !== 0);
}

/** `what: needs qemu-img, mcopy (not found); install them: apt-get install -y qemu-utils mtools` */
export function requireTools(what: string, tools: readonly string[]): void {
  const missing = missingTools(tools);
  if (!missing.length) return;
  const packages = [...new Set(missing.map((t) => APT_PACKAGES[t] ?? t))];
  throw new UserError(`${what} needs ${missing.join(', ')} (not found); install ${packages.length > 1 ? 'them' : 'it'}: apt-get install -y ${packages.join(' ')}`);
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Root is needed to debootstrap, chroot and copy a root-owned tree into a disk image. */
export function requireRoot(what: string, why: string, alternative?: string): void {
  if (isRoot()) return;
  throw new UserError(`${what} needs root (${why}); run it as root (sudo)${alternative ? `, or ${alternative}` : ''}`);
}

/** PATH with the sbin directories (mkfs.*, debootstrap live there; a user's PATH often lacks them). */
export function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${process.env.PATH ?? ''}:${PATH_DIRS}` };
}
