/**
 * The guest tier's Debian 12 machine: a cached debootstrap root filesystem (build-rootfs.sh),
 * copies of it for root-filesystem tests, and QEMU boots of it with a NoCloud seed.
 * Needs root, debootstrap, qemu-system-x86, e2fsprogs, dosfstools and mtools.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BUILD_SCRIPT = join(REPO, 'test/guest/build-rootfs.sh');
/** Where rootfs trees are cached, keyed by a hash of build-rootfs.sh (package list and setup). */
const CACHE_DIR = process.env.IF_ROOTFS_CACHE ?? join(REPO, '.cache/rootfs');
const SCRATCH = process.env.IF_GUEST_SCRATCH ?? join(REPO, '.cache/guest-tmp');

/** Fails with the list of what is missing instead of a confusing error later. */
export function requireTools(tools: string[]): void {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  const problems = [
    ...(process.getuid?.() === 0 ? [] : ['root (debootstrap, chroot and mkfs -d need it)']),
    ...missing.map((t) => `the ${t} command`),
  ];
  if (problems.length) {
    throw new Error(`the guest tier needs ${problems.join(', ')}; install: apt-get install -y debootstrap qemu-system-x86 e2fsprogs dosfstools mtools`);
  }
}

function rootfsKey(): string {
  return createHash('sha256').update(readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 12);
}

/** The cached tree (read-only by convention: tests work on copies or on disk images made from it). */
export function ensureRootfs(): string {
  const dir = join(CACHE_DIR, `debian12-${rootfsKey()}`);
  if (!existsSync(join(dir, '.complete'))) {
    requireTools(['debootstrap', 'chroot']);
    mkdirSync(CACHE_DIR, { recursive: true });
    const started = Date.now();
    const r = spawnSync('bash', [BUILD_SCRIPT, dir], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`build-rootfs.sh failed (exit ${r.status}):\n${(r.stdout + r.stderr).split('\n').slice(-30).join('\n')}`);
    console.log(`debian12 rootfs built in ${Math.round((Date.now() - started) / 1000)} s at ${dir}`);
  }
  return join(dir, 'rootfs');
}

function scratchDir(prefix: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(join(SCRATCH, `${prefix}-`));
}

/** A private copy of the cached tree for a test to modify. */
export function copyRootfs(prefix: string): string {
  const dir = join(scratchDir(prefix), 'rootfs');
  execFileSync('cp', ['-a', '--reflink=auto', ensureRootfs(), dir]);
  return dir;
}

function newest(dir: string, prefix: string): string {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix)).sort();
  if (!files.length) throw new Error(`no ${prefix}* in ${dir}`);
  return join(dir, files[files.length - 1]);
}

export interface Disk { dir: string; root: string; seed: string; kernel: string; initrd: string }

/** An ext4 system disk (label rootfs, as fstab expects) made from the cached tree, plus a NoCloud seed with the user data. */
export function makeDisk(prefix: string, userData: Buffer, rootfs = ensureRootfs()): Disk {
  requireTools(['mkfs.ext4', 'mkfs.vfat', 'mcopy']);
  const dir = scratchDir(prefix);
  const root = join(dir, 'root.img');
  // mkfs -d copies the tree into the image: the cache itself is never booted or written.
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'rootfs', '-d', rootfs, root, '3G'], { stdio: 'pipe' });
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.img');
  execFileSync('cp', [newest(join(rootfs, 'boot'), 'vmlinuz-'), kernel]);
  execFileSync('cp', [newest(join(rootfs, 'boot'), 'initrd.img-'), initrd]);
  const seed = makeSeed(dir, userData);
  return { dir, root, seed, kernel, initrd };
}

/** NoCloud seed: a vfat disk labelled CIDATA holding user-data (the gzip bytes, as ECS delivers them) and meta-data. */
export function makeSeed(dir: string, userData: Buffer): string {
  const seedDir = join(dir, 'seed');
  mkdirSync(seedDir, { recursive: true });
  writeFileSync(join(seedDir, 'user-data'), userData);
  writeFileSync(join(seedDir, 'meta-data'), `instance-id: i-${Date.now().toString(16)}\nlocal-hostname: builder\n`);
  const seed = join(dir, `seed-${Date.now()}.img`);
  execFileSync('mkfs.vfat', ['-n', 'CIDATA', '-C', seed, '2048'], { stdio: 'pipe' });
  execFileSync('mcopy', ['-i', seed, join(seedDir, 'user-data'), join(seedDir, 'meta-data'), '::'], { stdio: 'pipe' });
  return seed;
}

export interface Boot { console: string; exitCode: number | null; seconds: number; timedOut: boolean; accel: string }

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return process.env.IF_NO_KVM !== '1';
  } catch {
    return false;
  }
}

function qemu(disk: Disk, accel: string, consoleFile: string, timeoutMs: number, firstOutputMs: number): Promise<Boot> {
  const args = [
    '-accel', accel, '-m', '1536', '-smp', '2', ...(accel === 'kvm' ? ['-cpu', 'host'] : []),
    '-kernel', disk.kernel, '-initrd', disk.initrd,
    '-append', 'root=LABEL=rootfs rw console=ttyS0,115200 panic=-1',
    '-drive', `file=${disk.root},if=virtio,format=raw`,
    '-drive', `file=${disk.seed},if=virtio,format=raw`,
    // User-mode network answers DHCP (so the NIC really comes up over DHCP); restrict=on: no outside.
    '-nic', 'user,model=virtio-net-pci,restrict=on',
    // -nodefaults: no floppy/CD-ROM for cloud-init to probe (tens of seconds under TCG).
    '-nodefaults', '-display', 'none', '-monitor', 'none', '-serial', `file:${consoleFile}`, '-no-reboot',
  ];
  const started = Date.now();
  return new Promise((resolveBoot, reject) => {
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    let timedOut = false;
    const kill = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    // A KVM boot that hangs before the kernel prints anything: give up early so TCG can retry.
    const probe = setTimeout(() => {
      if (!existsSync(consoleFile) || readFileSync(consoleFile).length === 0) { timedOut = true; child.kill('SIGKILL'); }
    }, firstOutputMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(kill); clearTimeout(probe);
      const text = existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '';
      if (code !== 0 && !timedOut && !text) { reject(new Error(`qemu failed (exit ${code}): ${stderr}`)); return; }
      resolveBoot({ console: text, exitCode: code, seconds: Math.round((Date.now() - started) / 1000), timedOut, accel });
    });
  });
}

/** Boots the disk until the guest powers itself off (QEMU exits) or the timeout passes. */
export async function boot(disk: Disk, timeoutMs: number): Promise<Boot> {
  const consoleFile = join(disk.dir, `console-${Date.now()}.log`);
  if (kvmUsable()) {
    const r = await qemu(disk, 'kvm', consoleFile, timeoutMs, 30_000);
    if (!(r.timedOut && r.console.length === 0)) return r;
    console.warn('KVM boot printed nothing in 30 s; retrying with TCG');
    rmSync(consoleFile, { force: true });
  }
  return qemu(disk, 'tcg', consoleFile, timeoutMs, 120_000);
}
