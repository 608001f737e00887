/**
 * `image-factory try`: a build rehearsed on this machine. The image's exact builder user_data
 * (the builder stack's, rendered from the same plan) reaches a real cloud-init through a
 * NoCloud seed on a QEMU machine; its steps, sanitize and self-check stream through the same
 * console follower and progress display as `build`; the powered-off disk is kept as the local
 * "captured image", booted once more with the tester stack's user_data for the test steps; and
 * dist/<image>/<version>/try.json records it all, with the captured disk's first-boot audit and
 * the SBOM (try.sbom.cdx.json: a cloud build's sbom.cdx.json is never replaced by a local one).
 *
 * Local only: the shell offered after a failure (--keep) comes from a second NoCloud seed made
 * here, never from anything a cloud build's user_data contains.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createFactoryApp } from '../../stacks/app.js';
import { newBuildId } from '../../stacks/build-context.js';
import type { LoadedImage } from '../../stacks/definition/load.js';
import { UserError } from '../../stacks/errors.js';
import { parseConsole } from '../../stacks/guest/protocol.js';
import { parseSelfCheckReport, type SelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { writeFileAtomic } from '../lib/fs.js';
import { SbomError, assembleSbom, sbomPath, writeSbom, type SbomRef } from '../sbom/sbom.js';
import { systemClock, formatDuration } from '../pipeline/clock.js';
import { GuestFailure, consoleTail, followGuest } from '../pipeline/guest.js';
import type { ProgressEvent, ProgressSink } from '../pipeline/progress.js';
import { baseDiskWarnings } from './base-disk-advice.js';
import { chooseAccel, inspectDisk, makeSeed, overlay, qemuArgs, startVm, type AccelChoice, type DiskImage, type KernelBoot, type Vm, type VmSpec } from './qemu.js';
import { DEBIAN_VARIANTS, ensureBaseDisk, requireLocalBoot, type DebianVariant } from './rootfs.js';
import { VmConsoleClient, readConsole } from './vm-console.js';

export interface TryOptions {
  readonly image: LoadedImage;
  /** A cloud image file (qcow2 or raw) matching the definition's base OS. @default - the cached Debian root filesystem of `debian` */
  readonly baseDisk?: string;
  /** @default debian12 */
  readonly debian?: DebianVariant;
  /** Keep the machines' disks after a failure (and the tester's after success), with a way in. */
  readonly keep?: boolean;
  readonly progress: ProgressSink;
  /** @default dist */
  readonly distDir?: string;
  /** Disks, seeds and consoles. @default .image-factory/try/<image>/<version> */
  readonly workDir?: string;
  /** @default nat (steps download packages) */
  readonly network?: 'nat' | 'isolated';
  readonly signal?: AbortSignal;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
  /** How long a guest that reported its result may take to power off. @default 4 min */
  readonly powerOffGraceMs?: number;
  /** Shows the self-check report once the builder sent it. @default - its lines as progress notes */
  readonly onSelfCheck?: (report: SelfCheckReport) => void;
  /** Recorded in the SBOM's tools. @default this package's version */
  readonly factoryVersion?: string;
}

type TryStage = 'build' | 'stop' | 'capture' | 'test' | 'record';

interface StageRecord {
  status: 'done' | 'failed';
  startedAt: string;
  endedAt: string;
  elapsedMs: number;
  error?: string;
}

export interface TryRecord {
  image: string;
  version: string;
  buildId: string;
  result: 'passed' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  accelerator: AccelChoice;
  baseDisk: {
    kind: 'debian-rootfs' | 'file';
    path: string;
    format: string;
    description: string;
    /** What a cloud build would start from instead. */
    huaweiBaseImage: unknown;
  };
  stages: Partial<Record<TryStage, StageRecord>>;
  installSteps: { name: string; status: string; seconds?: number }[];
  testSteps: { name: string; status: string; seconds?: number }[];
  selfcheck?: SelfCheckReport;
  /** The captured disk's first-boot audit (selfcheck.sh --audit), from the tester boot. */
  audit?: SelfCheckReport;
  /** try.sbom.cdx.json, next to try.json. */
  sbom?: SbomRef;
  capturedDisk?: string;
  failure?: { stage: TryStage; message: string; consoleTail?: string };
  kept?: { dir: string; shell: string };
}

export interface TryOutcome {
  readonly record: TryRecord;
  readonly recordPath: string;
}

const DEFAULT_GRACE_MS = 4 * 60_000;

/** The builder's and the tester's user_data (gzip bytes), exactly as their stacks carry them. */
export function stackUserData(image: LoadedImage, buildId: string, startedAt: Date): { builder: Buffer; tester: Buffer } {
  const outdir = mkdtempSync(join(tmpdir(), 'image-factory-try-'));
  try {
    const { stacks } = createFactoryApp({ images: [image], context: { buildId, startedAt }, outdir });
    return { builder: stacks[0].builder.userData.gzipped, tester: stacks[0].tester.userData.gzipped };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * A seed that only a local try ever makes: root logs in on the serial console without a
 * password. It goes on a kept disk booted with -snapshot, so the disk itself stays as it was.
 */
export function shellUserData(): string {
  return [
    '#cloud-config',
    'write_files:',
    '- path: /etc/systemd/system/serial-getty@ttyS0.service.d/image-factory-try-shell.conf',
    '  content: |',
    '    [Service]',
    '    ExecStart=',
    '    ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200,57600,38400,9600 %I $TERM',
    'runcmd:',
    '- [systemctl, daemon-reload]',
    '- [systemctl, restart, serial-getty@ttyS0.service]',
    '',
  ].join('\n');
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_./=,:@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

interface Base {
  readonly disk: DiskImage;
  readonly virtualSize: number;
  readonly kernel?: KernelBoot;
  readonly record: TryRecord['baseDisk'];
}

async function resolveBase(opts: TryOptions, note: (l: string) => void): Promise<Base> {
  const huaweiBaseImage = opts.image.spec.baseImage;
  if (opts.baseDisk) {
    const disk = inspectDisk(resolve(opts.baseDisk));
    return { disk, virtualSize: disk.virtualSize, record: { kind: 'file', path: disk.path, format: disk.format, description: `cloud image file ${opts.baseDisk}`, huaweiBaseImage } };
  }
  const variant = opts.debian ?? 'debian12';
  const base = await ensureBaseDisk(variant, note);
  const label = DEBIAN_VARIANTS[variant].label;
  return {
    disk: { path: base.path, format: base.format },
    virtualSize: 0,
    kernel: { kernel: base.kernel, initrd: base.initrd, append: base.append },
    record: { kind: 'debian-rootfs', path: base.path, format: base.format, description: `${label} root filesystem built with debootstrap`, huaweiBaseImage },
  };
}

function describeBase(image: LoadedImage): string {
  const b = image.spec.baseImage as { name?: string; os?: string; osVersion?: string };
  return b.name ? `"${b.name}"` : `${b.os} ${b.osVersion}`;
}

export function formatSelfCheck(report: SelfCheckReport, title = 'self-check'): string[] {
  const mark = { pass: '✓', fail: '✗', waived: '~', skip: '·', warn: '!' } as const;
  const width = Math.max(...report.checks.map((c) => c.id.length));
  return [
    `${title} ${report.passed ? 'passed' : 'FAILED'} on ${report.os || 'an unknown OS'}:`,
    ...report.checks.map((c) => `  ${mark[c.status]} ${c.id.padEnd(width)}  ${c.status === 'waived' ? `waived: ${c.reason ?? ''}` : c.detail}`),
  ];
}

class StageFailure extends Error {
  constructor(message: string, readonly consoleTail?: string) {
    super(message);
  }
}

export async function rehearse(opts: TryOptions): Promise<TryOutcome> {
  const { image, progress } = opts;
  const spec = image.spec;
  const version = spec.buildVersion;
  const note = (l: string) => progress.note(l);
  if (opts.baseDisk !== undefined && !existsSync(opts.baseDisk)) throw new UserError(`--base-disk ${opts.baseDisk}: no such file`);
  const workDir = resolve(opts.workDir ?? join('.image-factory', 'try', image.name, version));
  if (opts.baseDisk !== undefined && `${resolve(opts.baseDisk)}/`.startsWith(`${workDir}/`)) {
    throw new UserError(`--base-disk ${opts.baseDisk}: it is inside ${relative(process.cwd(), workDir)}, which this try starts afresh; copy it elsewhere first`);
  }
  // Before anything is booted or built: what the default disk will not rehearse, then every missing prerequisite at once.
  if (!opts.baseDisk) for (const line of baseDiskWarnings(spec.baseImage, DEBIAN_VARIANTS[opts.debian ?? 'debian12'].label)) note(line);
  requireLocalBoot('try', opts.baseDisk ? undefined : opts.debian ?? 'debian12');
  const distDir = opts.distDir ?? 'dist';
  const recordPath = join(distDir, image.name, version, 'try.json');
  const startedAt = new Date();
  const buildId = `try-${newBuildId(startedAt)}`;
  const userData = stackUserData(image, buildId, startedAt);
  const base = await resolveBase(opts, note);
  if (base.record.kind === 'debian-rootfs') {
    note(`base disk: the ${base.record.description}; this is NOT the Huawei base image ${describeBase(image)} a cloud build starts from. For a closer rehearsal download that OS's cloud image and pass --base-disk FILE`);
  } else {
    note(`base disk: ${base.disk.path} (${base.disk.format}), standing in for the Huawei base image ${describeBase(image)}; it is never written (the VM writes to an overlay)`);
  }
  const accel = await chooseAccel();
  note(accel.accel === 'kvm' ? `accelerator: KVM (${accel.reason})` : `accelerator: TCG, software emulation (${accel.reason}); expect steps to run several times slower than on an ECS`);

  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const record: TryRecord = {
    image: image.name, version, buildId, result: 'failed', startedAt: startedAt.toISOString(), accelerator: accel, baseDisk: base.record,
    stages: {}, installSteps: [], testSteps: [],
  };
  const emit = (stage: ProgressEvent['stage'], status: ProgressEvent['status'], extra: Partial<ProgressEvent> = {}) =>
    progress.emit({ time: new Date().toISOString(), image: image.name, version, buildId, stage, status, ...extra });
  const vmSpec = (disk: DiskImage, seeds: string[], consoleFile: string): VmSpec => ({
    disk, extraDisks: seeds, kernel: base.kernel, accel: accel.accel, consoleFile, network: opts.network ?? 'nat',
    memoryMiB: Math.max(1536, spec.minRamMiB), cpus: 2,
  });
  const running: Vm[] = [];
  const onAbort = () => running.forEach((vm) => vm.kill());
  opts.signal?.addEventListener('abort', onAbort);

  /** Boots a machine and follows its runner until its result; returns its console. */
  const bootAndFollow = async (stage: 'build' | 'test', disk: DiskImage, seed: string, steps: readonly { name: string; timeoutMinutes: number }[], overallMs: number) => {
    const consoleFile = join(workDir, `${stage}-console.log`);
    const vm = startVm(vmSpec(disk, [seed], consoleFile));
    running.push(vm);
    emit(stage, 'progress', { message: `local VM (pid ${vm.pid}, ${accel.accel}) from ${relative(process.cwd(), disk.path)}` });
    try {
      const result = await followGuest({
        ecs: new VmConsoleClient(vm, consoleFile), clock: systemClock, serverId: `local-${stage}`, region: 'local',
        steps, overallTimeoutMs: overallMs, pollIntervalMs: opts.pollIntervalMs ?? 1000, signal: opts.signal,
        onStep: (s) => {
          const list = stage === 'build' ? record.installSteps : record.testSteps;
          if (s.status !== 'start') list.push({ name: s.name, status: s.status, seconds: s.seconds });
          emit(stage, 'progress', { step: `${s.index}/${s.total} ${s.name}`, message: s.status === 'start' ? 'running' : `${s.status}${s.seconds !== undefined ? ` in ${formatDuration(s.seconds * 1000)}` : ''}` });
        },
      }).catch(async (err) => {
        if (vm.exitCode !== undefined && vm.exitCode !== 0 && !readConsole(consoleFile).trim()) {
          throw new StageFailure(`qemu-system-x86_64 failed (exit ${vm.exitCode}): ${(await vm.exited).stderr.trim()}`);
        }
        throw err;
      });
      return { vm, consoleFile, result };
    } catch (err) {
      if (!(err instanceof GuestFailure) && !(err instanceof StageFailure)) vm.kill();
      throw err;
    }
  };

  /** The guest powers itself off after its result; a machine still up after the grace is killed, and that fails. */
  const waitPowerOff = async (vm: Vm, consoleFile: string) => {
    const grace = opts.powerOffGraceMs ?? DEFAULT_GRACE_MS;
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), grace).unref());
    const r = await Promise.race([vm.exited.then(() => 'off' as const), timer]);
    if (r === 'timeout') {
      vm.kill();
      throw new StageFailure(`the guest reported its result but did not power itself off within ${formatDuration(grace)}; a running machine is never captured`, consoleTail(readConsole(consoleFile)));
    }
  };

  let stage: TryStage = 'build';
  let stageStart = Date.now();
  const begin = (s: TryStage) => {
    stage = s;
    stageStart = Date.now();
    emit(s, 'start');
  };
  const end = () => {
    const elapsedMs = Date.now() - stageStart;
    record.stages[stage] = { status: 'done', startedAt: new Date(stageStart).toISOString(), endedAt: new Date().toISOString(), elapsedMs };
    emit(stage, 'done', { elapsedMs });
  };
  const builderDisk = join(workDir, 'builder.qcow2');
  const capturedDisk = join(workDir, 'captured.qcow2');
  const testerDisk = join(workDir, 'tester.qcow2');
  let lastDisk: DiskImage | undefined;
  try {
    begin('build');
    // A cloud image grows to the definition's system disk at first boot (cloud-init growpart), as on ECS.
    const grow = !base.kernel && spec.systemDisk.sizeGiB * 2 ** 30 > base.virtualSize ? spec.systemDisk.sizeGiB : undefined;
    const disk = overlay(base.disk, builderDisk, grow);
    lastDisk = disk;
    const seed = makeSeed(join(workDir, 'seed-build.img'), userData.builder, { instanceId: `${buildId}-builder`, hostname: 'builder' });
    const built = await bootAndFollow('build', disk, seed, spec.install, spec.build.timeoutMinutes * 60_000).finally(() => {
      const report = reportOf(join(workDir, 'build-console.log'), 'selfcheck');
      if (report) {
        record.selfcheck = report;
        if (opts.onSelfCheck) opts.onSelfCheck(report);
        else for (const line of formatSelfCheck(report)) note(line);
      }
    });
    try {
      record.sbom = writeSbom(sbomPath(distDir, image.name, version, 'try'), assembleSbom(built.result.sbomParts), {
        name: image.name, version: spec.version, timestamp: new Date().toISOString(), factoryVersion: opts.factoryVersion ?? packageVersion(),
      });
    } catch (err) {
      if (err instanceof SbomError) throw new StageFailure(`the build's SBOM: ${err.message}`, consoleTail(readConsole(built.consoleFile)));
      throw err;
    }
    end();

    begin('stop');
    await waitPowerOff(built.vm, built.consoleFile);
    end();

    begin('capture');
    renameSync(builderDisk, capturedDisk);
    record.capturedDisk = relative(process.cwd(), capturedDisk);
    emit('capture', 'progress', { message: `captured disk ${record.capturedDisk} (copy-on-write over the base disk)` });
    end();

    begin('test');
    const tdisk = overlay({ path: capturedDisk, format: 'qcow2' }, testerDisk);
    lastDisk = tdisk;
    const tseed = makeSeed(join(workDir, 'seed-test.img'), userData.tester, { instanceId: `${buildId}-tester`, hostname: 'tester' });
    const testTimeoutMs = Math.max(10, spec.tests.reduce((n, s) => n + s.timeoutMinutes, 10)) * 60_000;
    const tested = await bootAndFollow('test', tdisk, tseed, spec.tests, testTimeoutMs).finally(() => {
      const audit = reportOf(join(workDir, 'test-console.log'), 'audit');
      if (audit) {
        record.audit = audit;
        for (const line of formatSelfCheck(audit, 'first-boot audit')) note(line);
      }
    });
    await waitPowerOff(tested.vm, tested.consoleFile);
    end();
    record.result = 'passed';
    if (!opts.keep) rmSync(testerDisk, { force: true });
  } catch (err) {
    const interrupted = opts.signal?.aborted === true;
    const message = interrupted ? 'interrupted' : (err as Error).message;
    const elapsedMs = Date.now() - stageStart;
    record.stages[stage] = { status: 'failed', startedAt: new Date(stageStart).toISOString(), endedAt: new Date().toISOString(), elapsedMs, error: message };
    record.result = interrupted ? 'interrupted' : 'failed';
    emit(stage, 'failed', { elapsedMs, message });
    const tail = err instanceof GuestFailure || err instanceof StageFailure ? err.consoleTail : undefined;
    record.failure = { stage, message, consoleTail: tail };
    // The step's own log tail is in the message (event=log lines); the console matters when there is none.
    if (tail && !/\n/.test(message)) note(`--- console log of the local VM (last lines) ---\n${tail}\n--- end of console log ---`);
    if (!(err instanceof GuestFailure) && !(err instanceof StageFailure) && !interrupted && !(err instanceof UserError)) {
      note(`unexpected error: ${(err as Error).stack ?? message}`);
    }
    // A kept disk should be as the guest left it: after a result the runner syncs and powers
    // off by itself (forcing it after 3 min), so let it; anything else is killed at once.
    const reported = stage === 'build' || stage === 'test' ? parseConsole(readConsole(join(workDir, `${stage}-console.log`))).result : undefined;
    if (opts.keep && reported && !interrupted) {
      await Promise.race([Promise.all(running.map((vm) => vm.exited)), new Promise((r) => setTimeout(r, 200_000).unref())]);
    }
    running.forEach((vm) => vm.kill());
    if (opts.keep && lastDisk && existsSync(lastDisk.path)) {
      record.kept = { dir: relative(process.cwd(), workDir), shell: relative(process.cwd(), writeShell(workDir, lastDisk, base, accel)) };
    } else if (!opts.keep) {
      rmSync(builderDisk, { force: true });
      rmSync(testerDisk, { force: true });
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (record.result === 'passed' && opts.keep && existsSync(testerDisk)) {
    record.kept = { dir: relative(process.cwd(), workDir), shell: relative(process.cwd(), writeShell(workDir, { path: testerDisk, format: 'qcow2' }, base, accel)) };
  }

  begin('record');
  record.finishedAt = new Date().toISOString();
  writeFileAtomic(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  end();
  if (record.kept) {
    note([
      `kept for inspection: ${record.kept.dir}/ (disks and console logs)`,
      `  a root shell on the kept disk, local only: sh ${record.kept.shell}`,
      '  (boots it as a snapshot, so the disk stays as it was; root logs in on the serial console without a password through a seed made here, never part of a cloud build; Ctrl-A X quits)',
      `  or read its files without booting: qemu-nbd --connect=/dev/nbd0 ${record.kept.dir}/${record.failure?.stage === 'test' ? 'tester' : record.failure ? 'builder' : 'tester'}.qcow2 (after modprobe nbd), then mount /dev/nbd0 or /dev/nbd0p1`,
    ].join('\n'));
  }
  return { record, recordPath };
}

/** The self-check (builder) or first-boot audit (tester) report on a local console, if it got that far. */
function reportOf(consoleFile: string, which: 'selfcheck' | 'audit'): SelfCheckReport | undefined {
  const raw = parseConsole(readConsole(consoleFile))[which];
  if (raw === undefined) return undefined;
  try {
    return parseSelfCheckReport(raw);
  } catch {
    return undefined;
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** shell.sh: boots the kept disk as a snapshot with the local shell seed, on this terminal. */
function writeShell(workDir: string, disk: DiskImage, base: Base, accel: AccelChoice): string {
  const seed = makeSeed(join(workDir, 'seed-shell.img'), shellUserData(), { instanceId: `shell-${Date.now().toString(16)}`, hostname: 'try-shell' });
  const args = qemuArgs({ disk, extraDisks: [seed], kernel: base.kernel, accel: accel.accel, consoleFile: '/dev/null', network: 'nat' })
    .map((a) => (a === 'file:/dev/null' ? 'mon:stdio' : a));
  const path = join(workDir, 'shell.sh');
  writeFileAtomic(path, `#!/bin/sh\n# Written by image-factory try --keep: a root shell on a kept local disk (never in a cloud build).\nexec qemu-system-x86_64 -snapshot ${args.map(shellQuote).join(' ')}\n`);
  chmodSync(path, 0o755);
  return path;
}
