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
  requirePrerequisites(what, { tools });
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export interface Prerequisites {
  readonly tools?: readonly string[];
  /** Root is needed, and why; `alternative` is a way that needs no root. */
  readonly root?: { readonly why: string; readonly alternative?: string };
}

/**
 * Every missing prerequisite in one message: the commands with the apt-get install that adds
 * them, and root, so a user fixes them all in one round. `has` and `root` are the host's by default.
 */
export function prerequisiteProblem(what: string, needs: Prerequisites, host: { has?: (tool: string) => boolean; root?: boolean } = {}): string | undefined {
  const has = host.has ?? ((t: string) => missingTools([t]).length === 0);
  const missing = (needs.tools ?? []).filter((t) => !has(t));
  const root = needs.root && !(host.root ?? isRoot()) ? needs.root : undefined;
  if (!missing.length && !root) return undefined;
  const packages = [...new Set(missing.map((t) => APT_PACKAGES[t] ?? t))];
  const needed = [...(missing.length ? [`${missing.join(', ')} (not found)`] : []), ...(root ? [`root (${root.why})`] : [])].join(' and ');
  const fixes = [
    ...(missing.length ? [`install ${packages.length > 1 ? 'them' : 'it'}: apt-get install -y ${packages.join(' ')}`] : []),
    ...(root ? [`run it as root (sudo)${root.alternative ? `, or ${root.alternative}` : ''}`] : []),
  ].join('; and ');
  return `${what} needs ${needed}; ${fixes}`;
}

export function requirePrerequisites(what: string, needs: Prerequisites): void {
  const problem = prerequisiteProblem(what, needs);
  if (problem) throw new UserError(problem);
}

/** PATH with the sbin directories (mkfs.*, debootstrap live there; a user's PATH often lacks them). */
export function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${process.env.PATH ?? ''}:${PATH_DIRS}` };
}
