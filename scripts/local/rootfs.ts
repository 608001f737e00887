/**
 * The default local base disk: a Debian root filesystem built with debootstrap
 * (build-rootfs.sh) and cached, then an ext4 disk image made from it once, with its kernel and
 * initrd beside it for a direct kernel boot. It stands in for the Huawei public image when no
 * cloud image is given; it is not that image.
 *
 * Cache: `$IF_ROOTFS_CACHE`, else `$XDG_CACHE_HOME/image-factory/rootfs`, else
 * `~/.cache/image-factory/rootfs`; one folder per variant and hash of build-rootfs.sh, so a
 * changed package list rebuilds. Builds take a lock (flock), so two runs never build one tree.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOOT_TOOLS, ROOTFS_TOOLS, requirePrerequisites, toolEnv } from './prerequisites.js';

const BUILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'build-rootfs.sh');

export const DEBIAN_VARIANTS = {
  debian12: { suite: 'bookworm', label: 'Debian 12 (bookworm)', network: 'ifupdown + dhclient' },
  debian13: { suite: 'trixie', label: 'Debian 13 (trixie)', network: 'netplan + systemd-networkd' },
} as const;
export type DebianVariant = keyof typeof DEBIAN_VARIANTS;


export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.IF_ROOTFS_CACHE) return env.IF_ROOTFS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'image-factory', 'rootfs');
}

function rootfsKey(): string {
  return createHash('sha256').update(readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 12);
}

function variantDir(variant: DebianVariant): string {
  return join(cacheDir(), `${variant}-${rootfsKey()}`);
}

/** Runs a command with its output to a log file; rejects with the log's tail. */
function run(cmd: string, args: string[], log: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log, { flags: 'a' });
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv() });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      out.end(() => {
        if (code === 0) return resolve();
        const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-25).join('\n') : '';
        reject(new Error(`${what} failed (exit ${code}); log ${log}:\n${tail}`));
      });
    });
  });
}

/** The cached tree (read-only by convention: boots use disk images made from it). */
export async function ensureRootfs(variant: DebianVariant, note: (line: string) => void = () => {}): Promise<string> {
  const dir = variantDir(variant);
  if (!existsSync(join(dir, '.complete'))) {
    mkdirSync(cacheDir(), { recursive: true });
    const started = Date.now();
    note(`building the ${DEBIAN_VARIANTS[variant].label} root filesystem with debootstrap (once, 2 to 6 minutes depending on the mirror; cached in ${dir})`);
    await run('flock', [`${dir}.lock`, 'sh', '-c', 'test -e "$1/.complete" || bash "$2" "$3" "$1"', 'sh', dir, BUILD_SCRIPT, variant], `${dir}.log`, `build-rootfs.sh ${variant}`);
    note(`${variant} root filesystem ready in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return join(dir, 'rootfs');
}

function newest(dir: string, prefix: string): string {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix)).sort();
  if (!files.length) throw new Error(`no ${prefix}* in ${dir}`);
  return join(dir, files[files.length - 1]);
}

/** A bootable disk without a boot loader: an ext4 image (label rootfs, as fstab says) and the kernel to boot it with. */
export interface DebianBaseDisk {
  readonly variant: DebianVariant;
  readonly path: string;
  readonly format: 'raw';
  readonly kernel: string;
  readonly initrd: string;
  /** Kernel command line (root by label, serial console). */
  readonly append: string;
}

/** Whether the variant's base disk is already made (using it needs no root; making it does). */
function baseDiskReady(variant: DebianVariant): boolean {
  return existsSync(join(variantDir(variant), 'disk', '.complete'));
}

/** Size of the base disk's file system: the tree is ~0.9 GB, installs get the rest. */
const BASE_DISK_SIZE = '4G';

/** The cached base disk of a variant, made from its root filesystem on first use. */
export async function ensureBaseDisk(variant: DebianVariant, note: (line: string) => void = () => {}): Promise<DebianBaseDisk> {
  const rootfs = await ensureRootfs(variant, note);
  const dir = join(dirname(rootfs), 'disk');
  if (!existsSync(join(dir, '.complete'))) {
    const tmp = `${dir}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    // mkfs -d copies the tree into the image: the cached tree itself is never booted or written.
    await run('mkfs.ext4', ['-q', '-F', '-L', 'rootfs', '-d', rootfs, join(tmp, 'root.img'), BASE_DISK_SIZE], join(tmp, 'mkfs.log'), 'mkfs.ext4 -d');
    copyFileSync(newest(join(rootfs, 'boot'), 'vmlinuz-'), join(tmp, 'vmlinuz'));
    copyFileSync(newest(join(rootfs, 'boot'), 'initrd.img-'), join(tmp, 'initrd.img'));
    copyFileSync(join(tmp, 'mkfs.log'), join(tmp, '.complete'));
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run made it meanwhile: use theirs.
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(dir, '.complete'))) throw err;
    }
  }
  return {
    variant,
    path: join(dir, 'root.img'),
    format: 'raw',
    kernel: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.img'),
    append: 'root=LABEL=rootfs rw console=ttyS0,115200 panic=-1',
  };
}

/**
 * Every prerequisite of a local boot in one message: QEMU's tools and, when the default Debian
 * disk (`defaultDisk`, the variant used without --base-disk) is not built yet, debootstrap's
 * tools and root.
 */
export function requireLocalBoot(what: string, defaultDisk: DebianVariant | undefined): void {
  const buildsRootfs = defaultDisk !== undefined && !baseDiskReady(defaultDisk);
  requirePrerequisites(buildsRootfs ? `${what} (with the default ${DEBIAN_VARIANTS[defaultDisk].label} base disk)` : what, {
    tools: [...BOOT_TOOLS, ...(buildsRootfs ? ROOTFS_TOOLS : [])],
    root: buildsRootfs ? { why: 'debootstrap and mkfs.ext4 -d build the default Debian base disk', alternative: 'pass --base-disk FILE with a downloaded cloud image' } : undefined,
  });
}
