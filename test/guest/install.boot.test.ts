/**
 * The whole guest side on a real boot: the builder stack's synthesized user_data (base64 of the
 * gzip bundle, exactly what ECS receives) is handed to cloud-init through a NoCloud seed on a
 * Debian 12 QEMU machine. The runner must report its steps, sanitize, self-check and power the
 * machine off by itself; the captured disk must then boot again for the tester's steps; and a
 * failing step must end in a failure result and a power-off too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactoryApp } from '../../stacks/app.js';
import { loadImage } from '../../stacks/definition/load.js';
import { ComputeInstance } from '../../stacks/huaweicloud.js';
import { parseConsole, type ProtocolEvent } from '../../stacks/guest/protocol.js';
import { selfCheckFromConsole } from '../../stacks/guest/selfcheck-report.js';
import { boot, ensureRootfs, makeDisk, makeSeed, REPO, requireTools, type Boot, type Disk } from './lib/debian.js';
import { cloudConfigOf } from './lib/bundle.js';

const BOOT_TIMEOUT_MS = 12 * 60_000;

/** user_data of the builder and tester stacks as synthesized for a fixture image: the gzip bytes. */
async function synthesizedUserData(fixture: string): Promise<{ builder: Buffer; tester: Buffer }> {
  const image = await loadImage(join(REPO, 'test/guest/fixtures', fixture), REPO);
  const outdir = mkdtempSync(join(tmpdir(), 'guest-synth-'));
  try {
    const { app } = createFactoryApp({ images: [image], context: { buildId: 'boot-test-1', startedAt: new Date() }, outdir });
    app.synth();
    const userData = (stack: string) => {
      const json = JSON.parse(execFileSync('cat', [join(outdir, 'stacks', `${image.name}-${stack}`, 'cdk.tf.json')], { encoding: 'utf8' }));
      const instances = Object.values(json.resource?.[ComputeInstance.tfResourceType] ?? {}) as { user_data?: string }[];
      if (instances.length !== 1 || !instances[0].user_data) throw new Error(`expected one ${ComputeInstance.tfResourceType} with user_data in ${stack}`);
      return Buffer.from(instances[0].user_data, 'base64');
    };
    return { builder: userData('builder'), tester: userData('tester') };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const shape = (events: ProtocolEvent[]) => events.flatMap((e) => {
  switch (e.event) {
    case 'begin': return [`begin ${e.mode} ${e.steps}`];
    case 'step': return [`step ${e.index}/${e.total} ${e.name} ${e.status}`];
    case 'phase': return e.name.startsWith('wait-') ? [] : [`phase ${e.name} ${e.status}`];
    case 'result': return [`result ${e.result}`];
    default: return [e.event];
  }
});
const debugfs = (img: string, cmd: string) => execFileSync('debugfs', ['-R', cmd, img], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const explain = (b: Boot) => `accel=${b.accel} exit=${b.exitCode} timedOut=${b.timedOut} after ${b.seconds}s; console tail:\n${b.console.split('\n').slice(-40).join('\n')}`;

describe('guest runner on a QEMU boot of Debian 12 with cloud-init', () => {
  const disks: Disk[] = [];
  beforeAll(() => {
    requireTools(['qemu-system-x86_64', 'mkfs.ext4', 'mkfs.vfat', 'mcopy', 'debugfs']);
    ensureRootfs();
  });
  afterAll(() => { if (!process.env.IF_KEEP_DISKS) for (const d of disks) rmSync(d.dir, { recursive: true, force: true }); });

  let built: Disk | undefined;
  let userData: { builder: Buffer; tester: Buffer };

  it('builds: steps, sanitize and self-check reported in order, result success, powers itself off', async () => {
    userData = await synthesizedUserData('guest-ok');
    expect(userData.builder.length).toBeLessThan(12 * 1024);
    expect(cloudConfigOf(userData.builder).runcmd).toEqual([['bash', '/var/lib/image-factory/runner.sh']]);
    const disk = makeDisk('boot-ok', userData.builder);
    disks.push(disk);
    const b = await boot(disk, BOOT_TIMEOUT_MS);
    console.log(`build boot: ${b.accel}, ${b.seconds} s`);
    expect(b.timedOut, explain(b)).toBe(false);
    expect(b.exitCode, explain(b)).toBe(0);
    const summary = parseConsole(b.console);
    expect(shape(summary.events), explain(b)).toEqual([
      'begin build 2',
      'step 1/2 install-app start', 'step 1/2 install-app ok',
      'step 2/2 configure-app start', 'step 2/2 configure-app ok',
      'phase sanitize start', 'phase sanitize ok', 'phase selfcheck start', 'phase selfcheck ok',
      'selfcheck', 'result success',
    ]);
    expect(summary.events[0]).toMatchObject({ buildId: 'boot-test-1' });
    const report = selfCheckFromConsole(b.console)!;
    expect(report.checks.filter((c) => c.status === 'fail'), JSON.stringify(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.os).toMatch(/Debian GNU\/Linux 12/);
    // cloud-init really ran the network over DHCP and wrote its config; sanitize removed the traces.
    expect(b.console).toMatch(/Cloud-init v\. .* finished/);
    // The captured disk, read without mounting it.
    const shadow = debugfs(disk.root, 'cat /etc/shadow');
    expect(shadow).toMatch(/^appuser:!:/m);
    expect(shadow).not.toContain('$y$');
    expect(shadow).not.toContain('$6$');
    for (const gone of ['/root/.bash_history', '/root/.ssh/authorized_keys', '/var/lib/image-factory', '/var/lib/cloud/instance', '/etc/ssh/ssh_host_ed25519_key']) {
      expect(debugfs(disk.root, `stat ${gone}`), gone).not.toMatch(/Inode:/);
    }
    expect(debugfs(disk.root, 'cat /etc/machine-id')).toBe('');
    // What the builder's own boot produced (compare the unsanitized disk of the failing build below).
    expect(debugfs(disk.root, 'ls /var/lib/dhcp')).not.toMatch(/\.leases/);
    expect(debugfs(disk.root, 'stat /etc/network/interfaces.d/50-cloud-init')).not.toMatch(/Inode:/);
    expect(debugfs(disk.root, 'stat /var/log/cloud-init.log')).not.toMatch(/Inode:/);
    expect(debugfs(disk.root, 'cat /etc/guest-app/app.conf')).toBe('greeting=hello\n');
    built = disk;
  });

  it('the captured disk boots again as a new instance and the tester user_data runs the test steps', async () => {
    expect(built, 'the build boot must pass first').toBeDefined();
    const disk = { ...built!, seed: makeSeed(built!.dir, userData.tester) };
    const b = await boot(disk, BOOT_TIMEOUT_MS);
    console.log(`test boot: ${b.accel}, ${b.seconds} s`);
    expect(b.timedOut, explain(b)).toBe(false);
    const summary = parseConsole(b.console);
    expect(shape(summary.events), explain(b)).toEqual(['begin test 1', 'step 1/1 app-present start', 'step 1/1 app-present ok', 'result success']);
    expect(summary.selfcheck).toBeUndefined();
    // First boot of the buyer's instance: cloud-init generated fresh host keys.
    expect(debugfs(disk.root, 'stat /etc/ssh/ssh_host_ed25519_key')).toMatch(/Inode:/);
  });

  it('a failing install step: failure result naming the step, its log tail, no sanitize, powers itself off', async () => {
    const { builder } = await synthesizedUserData('guest-fail');
    const disk = makeDisk('boot-fail', builder);
    disks.push(disk);
    const b = await boot(disk, BOOT_TIMEOUT_MS);
    console.log(`failing boot: ${b.accel}, ${b.seconds} s`);
    expect(b.timedOut, explain(b)).toBe(false);
    expect(b.exitCode, explain(b)).toBe(0);
    const summary = parseConsole(b.console);
    expect(shape(summary.events).filter((e) => e !== 'log'), explain(b)).toEqual([
      'begin build 3', 'step 1/3 prepare start', 'step 1/3 prepare ok', 'step 2/3 install-missing start', 'step 2/3 install-missing fail', 'result failure',
    ]);
    expect(summary.lastStep).toMatchObject({ name: 'install-missing', status: 'fail', exitCode: 100 });
    expect(summary.failureLog).toEqual(['Reading package lists...', 'E: Unable to locate package guest-app-that-does-not-exist']);
    expect(summary.result).toMatchObject({ result: 'failure', index: 2, total: 3 });
    // Not sanitized: the build's files are still on the disk for a post-mortem.
    expect(debugfs(disk.root, 'stat /var/lib/image-factory/plan.tsv')).toMatch(/Inode:/);
    expect(debugfs(disk.root, 'cat /var/lib/image-factory/logs/2.log')).toContain('E: Unable to locate package');
    // The traces a build boot leaves, which the successful build's sanitize removed: a DHCP lease
    // (the NIC really came up over DHCP) and cloud-init's generated network configuration.
    expect(debugfs(disk.root, 'ls /var/lib/dhcp')).toMatch(/\.leases/);
    expect(debugfs(disk.root, 'stat /etc/network/interfaces.d/50-cloud-init')).toMatch(/Inode:/);
  });
});
