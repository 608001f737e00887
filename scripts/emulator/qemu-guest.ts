/**
 * The QEMU guest: every emulated ECS is a real local VM. A server boots a copy-on-write disk
 * over its image's disk (a public image maps to the base disk: the cached Debian root
 * filesystem or a cloud image given with --base-disk; a private image to the disk captured from
 * its server), gets its user_data through a NoCloud seed and runs it with real cloud-init. Its
 * console output is the VM's serial console; a guest power-off ends the VM process, which the
 * ECS model sees through poweredOffAt (settle is lazy: the exit time is recorded when the
 * process ends and reported on the next call); an image capture copies the stopped server's disk.
 *
 * VMs run in real time: run the emulator on real time (or a ScaledClock for the other
 * durations); its clock only stamps what the VMs do.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseAccel, inspectDisk, makeSeed, overlay, startVm, type AccelChoice, type DiskImage, type KernelBoot, type Vm } from '../local/qemu.js';
import { DEBIAN_VARIANTS, ensureBaseDisk, requireLocalBoot, type DebianVariant } from '../local/rootfs.js';
import type { Clock } from '../pipeline/clock.js';
import type { GuestBackend, GuestServer } from './guest.js';
import type { EmuContext } from './types.js';

export interface QemuGuestOptions {
  /** A cloud image (qcow2 or raw) that every public image maps to. @default - the cached Debian root filesystem of `debian` */
  readonly baseDisk?: string;
  /** @default debian12 */
  readonly debian?: DebianVariant;
  /** Where server disks, consoles and captured images go. @default - a temporary folder, removed by close() */
  readonly dir?: string;
  /** nat: the guests reach the internet through the host (installs download); isolated: DHCP only. @default nat */
  readonly network?: 'nat' | 'isolated';
  /** @default 1536 */
  readonly memoryMiB?: number;
  readonly log?: (line: string) => void;
}

interface Base {
  readonly disk: DiskImage;
  readonly kernel?: KernelBoot;
  readonly description: string;
}

/** Prepares the base disk (building the Debian one on first use) and picks the accelerator. */
export async function createQemuGuest(options: QemuGuestOptions = {}): Promise<QemuGuest> {
  requireLocalBoot('the QEMU guest', options.baseDisk ? undefined : options.debian ?? 'debian12');
  const log = options.log ?? (() => {});
  let base: Base;
  if (options.baseDisk) {
    base = { disk: inspectDisk(options.baseDisk), description: `cloud image ${options.baseDisk}` };
  } else {
    const variant = options.debian ?? 'debian12';
    const d = await ensureBaseDisk(variant, log);
    base = { disk: { path: d.path, format: d.format }, kernel: { kernel: d.kernel, initrd: d.initrd, append: d.append }, description: `${DEBIAN_VARIANTS[variant].label} root filesystem (not a Huawei public image)` };
  }
  const accel = await chooseAccel();
  const owned = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'image-factory-emulator-vms-'));
  mkdirSync(join(dir, 'images'), { recursive: true });
  log(`QEMU guests: public images boot the ${base.description}; accelerator ${accel.accel} (${accel.reason}); disks in ${dir}`);
  return new QemuGuest(base, accel, dir, owned, options);
}

export class QemuGuest implements GuestBackend {
  private readonly vms = new Map<string, Vm>();
  /** Server ID -> emulated time its VM process ended. */
  private readonly exits = new Map<string, number>();

  constructor(
    private readonly base: Base,
    readonly accel: AccelChoice,
    readonly dir: string,
    private readonly owned: boolean,
    private readonly options: QemuGuestOptions,
  ) {}

  private serverDir(id: string): string {
    return join(this.dir, 'servers', id);
  }

  /** Where a captured image's disk is kept. */
  imagePath(imageId: string): string {
    return join(this.dir, 'images', `${imageId}.qcow2`);
  }

  /** A private image this backend captured, else the base disk (every public image). */
  private sourceOf(imageId: string): { disk: DiskImage; captured: boolean } {
    const captured = this.imagePath(imageId);
    return existsSync(captured) ? { disk: { path: captured, format: 'qcow2' }, captured: true } : { disk: this.base.disk, captured: false };
  }

  start(server: GuestServer, ctx: EmuContext): void {
    const boots = (server.guest?.boots ?? 0) + 1;
    const dir = this.serverDir(server.id);
    mkdirSync(dir, { recursive: true });
    const disk = join(dir, 'disk.qcow2');
    // A restarted server (os-start) boots the same disk; cloud-init knows the instance and does not rerun its user_data.
    if (!existsSync(disk)) {
      const source = this.sourceOf(server.imageId);
      if (!source.captured) this.options.log?.(`server ${server.id}: image ${server.imageId} boots the base disk`);
      overlay(source.disk, disk);
    }
    const seed = join(dir, 'seed.img');
    if (!existsSync(seed)) makeSeed(seed, Buffer.from(server.user_data ?? '', 'base64'), { instanceId: server.id, hostname: `ecs-${server.id.slice(0, 4)}` });
    const consoleFile = join(dir, `console-${boots}.log`);
    this.exits.delete(server.id);
    const vm = startVm({
      disk: { path: disk, format: 'qcow2' }, extraDisks: [seed], kernel: this.base.kernel, accel: this.accel.accel, consoleFile,
      network: this.options.network ?? 'nat', memoryMiB: this.options.memoryMiB ?? 1536, cpus: 2,
    });
    this.vms.set(server.id, vm);
    const clock: Clock = ctx.clock;
    void vm.exited.then(({ code, stderr }) => {
      this.exits.set(server.id, clock.now());
      if (code !== 0 && code !== null) this.options.log?.(`server ${server.id}: qemu exited ${code}: ${stderr.trim().split('\n').pop()}`);
    });
    server.guest = { ...server.guest, boots, dir, consoles: [...(server.guest?.consoles ?? []), consoleFile], pid: vm.pid };
  }

  consoleLines(server: GuestServer): string[] {
    const files: string[] = server.guest?.consoles ?? [];
    const text = files.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')).join('');
    const lines = text.replaceAll('\r', '').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  poweredOffAt(server: GuestServer, ctx: EmuContext): number | undefined {
    const exited = this.exits.get(server.id);
    if (exited !== undefined) return Math.min(exited, ctx.now);
    // A server of an earlier emulator process (--state): its VM is gone.
    if (!this.vms.has(server.id) && server.guest?.boots) return ctx.now;
    return undefined;
  }

  stop(server: GuestServer): void {
    this.vms.get(server.id)?.kill();
  }

  capture(server: GuestServer, imageId: string): void {
    const disk = join(this.serverDir(server.id), 'disk.qcow2');
    if (!existsSync(disk)) {
      this.options.log?.(`image ${imageId}: server ${server.id} has no local disk; servers from it boot the base disk`);
      return;
    }
    // The copy keeps its backing file (the base disk), as the server's disk did.
    copyFileSync(disk, this.imagePath(imageId));
  }

  /** Ends every VM; removes the disks when the folder was a temporary one. */
  async close(): Promise<void> {
    const vms = [...this.vms.values()];
    vms.forEach((vm) => vm.kill());
    await Promise.all(vms.map((vm) => vm.exited));
    this.vms.clear();
    if (this.owned) rmSync(this.dir, { recursive: true, force: true });
  }
}
