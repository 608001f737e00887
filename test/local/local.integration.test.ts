/**
 * The local-VM layer without booting anything: prerequisite messages, QEMU command lines, the
 * local-only shell seed, the VM-as-ECS console adapter, and `try`'s command line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prerequisiteProblem, requireTools } from '../../scripts/local/prerequisites.js';
import { qemuArgs, type Vm } from '../../scripts/local/qemu.js';
import { formatSelfCheck, rehearse, shellUserData, stackUserData } from '../../scripts/local/try.js';
import { VmConsoleClient } from '../../scripts/local/vm-console.js';
import { followGuest } from '../../scripts/pipeline/guest.js';
import { systemClock } from '../../scripts/pipeline/clock.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { makeImage } from '../support/images.js';

const CLI = join(import.meta.dirname, '..', '..', 'scripts', 'bin', 'image-factory.mjs');

describe('local VM prerequisites', () => {
  it('a missing command is one line naming it and the apt-get install that fixes it', () => {
    expect(() => requireTools('try', ['sh', 'if-no-such-tool-qemu', 'mcopy-missing-too'])).toThrow(
      'try needs if-no-such-tool-qemu, mcopy-missing-too (not found); install them: apt-get install -y if-no-such-tool-qemu mcopy-missing-too',
    );
    expect(() => requireTools('try', ['sh'])).not.toThrow();
  });
});

describe('qemuArgs', () => {
  const base = { disk: { path: '/d/disk.qcow2', format: 'qcow2' as const }, consoleFile: '/d/console.log', extraDisks: ['/d/seed.img'] };
  it('isolated networking answers DHCP but reaches nothing outside; nat reaches the internet', () => {
    expect(qemuArgs({ ...base, accel: 'tcg', network: 'isolated' })).toEqual(expect.arrayContaining(['-nic', 'user,model=virtio-net-pci,restrict=on']));
    expect(qemuArgs({ ...base, accel: 'tcg', network: 'nat' })).toEqual(expect.arrayContaining(['-nic', 'user,model=virtio-net-pci']));
    expect(qemuArgs({ ...base, accel: 'tcg', network: 'none' })).not.toContain('-nic');
  });
  it('the seed is read-only, the console a file, a power-off ends QEMU; KVM uses the host CPU', () => {
    const args = qemuArgs({ ...base, accel: 'kvm', network: 'nat', kernel: { kernel: '/k', initrd: '/i', append: 'root=LABEL=rootfs' } }).join(' ');
    expect(args).toContain('-drive file=/d/disk.qcow2,if=virtio,format=qcow2 -drive file=/d/seed.img,if=virtio,format=raw,readonly=on');
    expect(args).toContain('-serial file:/d/console.log');
    expect(args).toContain('-no-reboot');
    expect(args).toContain('-accel kvm -m 1536 -smp 2 -cpu host -kernel /k -initrd /i -append root=LABEL=rootfs');
    expect(qemuArgs({ ...base, accel: 'tcg', network: 'nat' }).join(' ')).not.toContain('-kernel');
  });
});

describe('try', () => {
  it('the console login exists only in the local shell seed, never in the builder or tester user_data', () => {
    const image = makeImage();
    const { builder, tester } = stackUserData(image, 'try-1', new Date());
    for (const ud of [builder, tester]) {
      const text = gunzipSync(ud).toString('utf8');
      expect(text.startsWith('#cloud-config\n')).toBe(true);
      expect(text).not.toMatch(/autologin|agetty|try-shell/);
    }
    expect(gunzipSync(builder).toString('utf8')).toContain('"mode\\tbuild');
    expect(shellUserData()).toContain('--autologin root');
  });

  it('refuses a --base-disk inside the folder the try starts afresh, before anything runs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'if-try-work-'));
    writeFileSync(join(work, 'captured.qcow2'), 'x');
    await expect(rehearse({ image: makeImage(), baseDisk: join(work, 'captured.qcow2'), workDir: work, progress: new MemoryProgress() }))
      .rejects.toThrow(/captured\.qcow2: it is inside .*, which this try starts afresh; copy it elsewhere first/);
  });

  it('prints the self-check report one check a line, waivers with their reason', () => {
    const lines = formatSelfCheck({ passed: true, os: 'Debian GNU/Linux 12 (bookworm)', checks: [
      { id: 'no-password-hash', status: 'pass', detail: 'locked' },
      { id: 'clamav-scan', status: 'waived', detail: 'x', reason: 'not shipped' },
    ] });
    expect(lines).toEqual(['self-check passed on Debian GNU/Linux 12 (bookworm):', '  ✓ no-password-hash  locked', '  ~ clamav-scan       waived: not shipped']);
  });

  it('follows a local VM through the pipeline\'s console follower: steps, then the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'if-vm-console-'));
    const consoleFile = join(dir, 'console.log');
    writeFileSync(consoleFile, [
      '[    1.0] Linux version 6.1.0',
      'IMAGE-FACTORY event=begin mode=test steps=1',
      'IMAGE-FACTORY event=step step=1/1 name=smoke status=start',
      'IMAGE-FACTORY event=step step=1/1 name=smoke status=fail exit=3 seconds=2',
      'IMAGE-FACTORY event=log step=1/1 text=curl%3A%20(7)%20Failed%20to%20connect',
      'IMAGE-FACTORY event=result result=failure step=1/1 reason=step%20smoke%3A%20fail',
      '',
    ].join('\r\n'));
    const vm: Vm = { pid: 1, exitCode: 0, exitedAt: Date.now(), exited: Promise.resolve({ code: 0, stderr: '' }), kill: () => {} };
    const seen: string[] = [];
    await expect(followGuest({
      ecs: new VmConsoleClient(vm, consoleFile), clock: systemClock, serverId: 'local', region: 'local', steps: [{ name: 'smoke', timeoutMinutes: 1 }],
      overallTimeoutMs: 60_000, pollIntervalMs: 10, onStep: (s) => seen.push(`${s.name} ${s.status}`),
    })).rejects.toThrow(/step 1\/1 \(smoke\) failed: step smoke: fail\ncurl: \(7\) Failed to connect/);
    expect(seen).toEqual(['smoke start', 'smoke fail']);
  });

  it('command line: one image, --debian 12 or 13, not both --debian and --base-disk (exit 2)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'try', ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '..', '..') });
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('try: expected one image name, found 0');
    const bad = run('nginx', '--debian', '11');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('try: --debian: expected 12 or 13, found "11"');
    const both = run('nginx', '--debian', '13', '--base-disk', 'x.qcow2');
    expect(both.status).toBe(2);
    expect(both.stderr).not.toMatch(/\n\s+at /);
    const missing = run('nginx', '--base-disk', '/nonexistent/ubuntu.img');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('image-factory: --base-disk /nonexistent/ubuntu.img: no such file');
  });
});

describe('every missing prerequisite in one message', () => {
  const none = () => false;
  it('commands and root together, with one fix for each', () => {
    expect(prerequisiteProblem('try', { tools: ['qemu-system-x86_64', 'qemu-img', 'debootstrap'], root: { why: 'debootstrap builds the default disk', alternative: 'pass --base-disk FILE' } }, { has: none, root: false }))
      .toBe('try needs qemu-system-x86_64, qemu-img, debootstrap (not found) and root (debootstrap builds the default disk); install them: apt-get install -y qemu-system-x86 qemu-utils debootstrap; and run it as root (sudo), or pass --base-disk FILE');
    expect(prerequisiteProblem('try', { tools: ['qemu-img'], root: { why: 'w' } }, { has: () => true, root: true })).toBeUndefined();
    expect(prerequisiteProblem('try', { root: { why: 'w' } }, { root: false })).toBe('try needs root (w); run it as root (sudo)');
  });
});
