/**
 * Local QEMU machines: copy-on-write disks over a base (qcow2 overlays: the base is never
 * written), NoCloud seeds, the accelerator (KVM when /dev/kvm really runs a guest, TCG
 * otherwise) and the VM process itself, its serial console in a file.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../stacks/errors.js';
import { writeFileAtomic } from '../lib/fs.js';
import { toolEnv } from './prerequisites.js';
import { cacheDir } from './rootfs.js';

type DiskFormat = 'raw' | 'qcow2';

export interface DiskImage {
  readonly path: string;
  readonly format: DiskFormat;
}

/** Direct kernel boot (a root file system image without a boot loader). */
export interface KernelBoot {
  readonly kernel: string;
  readonly initrd: string;
  readonly append: string;
}

const exec = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe', env: toolEnv(), encoding: 'utf8' });

/** The format of a disk image the user gave (qcow2 or raw), or one clear line about why it will not do. */
export function inspectDisk(path: string, flag = '--base-disk'): DiskImage & { virtualSize: number } {
  if (!existsSync(path)) throw new UserError(`${flag} ${path}: no such file`);
  let info: { format?: string; 'virtual-size'?: number; 'backing-filename'?: string };
  try {
    info = JSON.parse(exec('qemu-img', ['info', '--output=json', path]));
  } catch (err) {
    throw new UserError(`${flag} ${path}: qemu-img cannot read it (${String((err as { stderr?: string }).stderr ?? err).trim().split('\n')[0]})`);
  }
  if (info.format !== 'qcow2' && info.format !== 'raw') {
    throw new UserError(`${flag} ${path}: expected a qcow2 or raw cloud image, found format ${info.format}; convert it: qemu-img convert -O qcow2 ${path} base.qcow2`);
  }
  return { path, format: info.format, virtualSize: info['virtual-size'] ?? 0 };
}

/** A qcow2 overlay over `base`: the VM writes here, the base stays as it is. */
export function overlay(base: DiskImage, path: string, sizeGiB?: number): DiskImage {
  rmSync(path, { force: true });
  exec('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base.path, '-F', base.format, path, ...(sizeGiB ? [`${sizeGiB}G`] : [])]);
  return { path, format: 'qcow2' };
}

/**
 * A NoCloud seed: a vfat disk labelled CIDATA with user-data (the bytes as ECS delivers them,
 * here the gzip bundle) and meta-data. A new instance-id makes cloud-init treat the boot as a
 * new instance, as a server created from a captured image is.
 */
export function makeSeed(path: string, userData: Buffer | string, meta: { instanceId: string; hostname: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'if-seed-'));
  try {
    writeFileSync(join(dir, 'user-data'), userData);
    writeFileSync(join(dir, 'meta-data'), `instance-id: ${meta.instanceId}\nlocal-hostname: ${meta.hostname}\n`);
    rmSync(path, { force: true });
    exec('mkfs.vfat', ['-n', 'CIDATA', '-C', path, '2048']);
    exec('mcopy', ['-i', path, join(dir, 'user-data'), join(dir, 'meta-data'), '::']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return path;
}

type Accel = 'kvm' | 'tcg';
export interface AccelChoice {
  readonly accel: Accel;
  /** Why, in words for the user. */
  readonly reason: string;
}

/**
 * A boot sector that writes "K" to the first serial port and halts: if a KVM guest prints it
 * within a few seconds, KVM really runs guests here (a /dev/kvm can exist and still hang, e.g.
 * nested or PVM hosts).
 */
function probeDisk(dir: string): string {
  const sector = Buffer.alloc(512);
  Buffer.from([0xba, 0xf8, 0x03, 0xb0, 0x4b, 0xee, 0xf4, 0xeb, 0xfd]).copy(sector); // mov dx,0x3f8; mov al,'K'; out dx,al; hlt; jmp $-1
  sector[510] = 0x55;
  sector[511] = 0xaa;
  const path = join(dir, 'probe.img');
  writeFileSync(path, sector);
  return path;
}

let chosen: Promise<AccelChoice> | undefined;

/** The probe's answer holds until the host reboots: kept per boot ID beside the rootfs cache. */
function rememberedAccel(): { file: string; bootId: string; choice?: AccelChoice } {
  const file = join(cacheDir(), '..', 'accelerator.json');
  const bootId = existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '';
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { bootId: string; choice: AccelChoice };
    if (bootId && saved.bootId === bootId) return { file, bootId, choice: saved.choice };
  } catch {
    // None yet, or unreadable: probe.
  }
  return { file, bootId };
}

/** KVM when it works (probed once per host boot), TCG otherwise; IMAGE_FACTORY_ACCEL=tcg|kvm forces one. */
export function chooseAccel(env: NodeJS.ProcessEnv = process.env): Promise<AccelChoice> {
  const forced = env.IMAGE_FACTORY_ACCEL ?? (env.IF_NO_KVM === '1' ? 'tcg' : undefined);
  if (forced === 'tcg' || forced === 'kvm') return Promise.resolve({ accel: forced, reason: 'IMAGE_FACTORY_ACCEL' });
  chosen ??= (async () => {
    const remembered = rememberedAccel();
    if (remembered.choice) return remembered.choice;
    const choice = await probeAccel();
    if (remembered.bootId) {
      try {
        writeFileAtomic(remembered.file, `${JSON.stringify({ bootId: remembered.bootId, choice })}\n`);
      } catch {
        // A read-only cache only costs the next run another probe.
      }
    }
    return choice;
  })();
  return chosen;
}

async function probeAccel(): Promise<AccelChoice> {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', reason: 'no usable /dev/kvm' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'if-kvm-probe-'));
  try {
    const consoleFile = join(dir, 'console');
    const vm = startVm({ disk: { path: probeDisk(dir), format: 'raw' }, accel: 'kvm', consoleFile, memoryMiB: 64, cpus: 1, network: 'none' });
    const until = Date.now() + 8_000;
    while (Date.now() < until && vm.exitCode === undefined) {
      if (existsSync(consoleFile) && readFileSync(consoleFile, 'utf8').includes('K')) {
        vm.kill();
        return { accel: 'kvm', reason: '/dev/kvm runs guests' };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    vm.kill();
    return { accel: 'tcg', reason: '/dev/kvm exists but a KVM guest printed nothing in 8 s' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface VmSpec {
  readonly disk: DiskImage;
  /** NoCloud seeds and other extra disks, attached after the system disk. */
  readonly extraDisks?: readonly string[];
  readonly kernel?: KernelBoot;
  readonly accel: Accel;
  readonly consoleFile: string;
  /** @default 1536 */
  readonly memoryMiB?: number;
  /** @default 2 */
  readonly cpus?: number;
  /**
   * nat: user-mode networking with DHCP and the host's outbound access (installs download);
   * isolated: DHCP only, nothing outside reachable; none: no NIC.
   */
  readonly network: 'nat' | 'isolated' | 'none';
}

export function qemuArgs(spec: VmSpec): string[] {
  const nic = spec.network === 'none' ? [] : ['-nic', `user,model=virtio-net-pci${spec.network === 'isolated' ? ',restrict=on' : ''}`];
  return [
    '-accel', spec.accel, '-m', String(spec.memoryMiB ?? 1536), '-smp', String(spec.cpus ?? 2), ...(spec.accel === 'kvm' ? ['-cpu', 'host'] : []),
    ...(spec.kernel ? ['-kernel', spec.kernel.kernel, '-initrd', spec.kernel.initrd, '-append', spec.kernel.append] : []),
    '-drive', `file=${spec.disk.path},if=virtio,format=${spec.disk.format}`,
    ...(spec.extraDisks ?? []).flatMap((d) => ['-drive', `file=${d},if=virtio,format=raw,readonly=on`]),
    ...nic,
    // -nodefaults: no floppy or CD-ROM for cloud-init to probe (tens of seconds under TCG).
    '-nodefaults', '-vga', 'none', '-display', 'none', '-monitor', 'none', '-serial', `file:${spec.consoleFile}`,
    // The guest's power-off (or a reboot) ends QEMU: the machine is off.
    '-no-reboot',
  ];
}

export interface Vm {
  readonly pid: number;
  /** Exit code once the process ended (null when killed by a signal). */
  readonly exitCode: number | null | undefined;
  /** Date.now() when the process ended. */
  readonly exitedAt: number | undefined;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  kill(): void;
}

export function startVm(spec: VmSpec): Vm {
  mkdirSync(join(spec.consoleFile, '..'), { recursive: true });
  writeFileSync(spec.consoleFile, '');
  const child: ChildProcess = spawn('qemu-system-x86_64', qemuArgs(spec), { stdio: ['ignore', 'ignore', 'pipe'], env: toolEnv() });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const state: { exitCode: number | null | undefined; exitedAt: number | undefined } = { exitCode: undefined, exitedAt: undefined };
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('error', (err) => {
      state.exitCode = -1;
      state.exitedAt = Date.now();
      resolve({ code: -1, stderr: `${stderr}${err.message}` });
    });
    child.on('exit', (code) => {
      state.exitCode = code;
      state.exitedAt = Date.now();
      resolve({ code, stderr });
    });
  });
  return {
    pid: child.pid ?? -1,
    get exitCode() { return state.exitCode; },
    get exitedAt() { return state.exitedAt; },
    exited,
    kill: () => { if (state.exitCode === undefined) child.kill('SIGKILL'); },
  };
}
