/**
 * The whole guest side on a real boot: the builder stack's synthesized user_data (base64 of the
 * gzip bundle, exactly what ECS receives) is handed to cloud-init through a NoCloud seed on a
 * QEMU machine, on Debian 12 (ifupdown + dhclient) and on Debian 13 (netplan +
 * systemd-networkd, as Ubuntu's and Debian 13's cloud images). The runner must report its
 * steps, sanitize, self-check (network checks included) and power the machine off by itself;
 * the captured disk must then boot again for the tester's steps. A failing step is proven
 * through `image-factory try` (try.boot.test.ts).
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
import { parseSelfCheckReport, selfCheckFromConsole } from '../../stacks/guest/selfcheck-report.js';
import { assembleSbom, parseInventory } from '../../scripts/sbom/sbom.js';
import { boot, ensureRootfs, makeDisk, makeSeed, REPO, requireTools, VARIANTS, type Boot, type Disk } from './lib/debian.js';
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
    // One entry for the SBOM however many parts it takes (a base Debian inventory: ~5).
    case 'sbom': return e.part === 1 ? ['sbom'] : [];
    default: return [e.event];
  }
});
const debugfs = (img: string, cmd: string) => execFileSync('debugfs', ['-R', cmd, img], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const explain = (b: Boot) => `accel=${b.accel} exit=${b.exitCode} timedOut=${b.timedOut} after ${b.seconds}s; console tail:\n${b.console.split('\n').slice(-40).join('\n')}`;

const NETWORK = {
  // What cloud-init renders for the NIC, and where a DHCP client keeps its lease.
  debian12: { os: /Debian GNU\/Linux 12/, generated: '/etc/network/interfaces.d/50-cloud-init' },
  debian13: { os: /Debian GNU\/Linux 13/, generated: '/etc/netplan/50-cloud-init.yaml' },
} as const;
const NETWORK_CHECKS = ['nic-dhcp', 'no-mac-in-network-config', 'no-persistent-net-rules', 'no-dhcp-leases'];

describe.each(VARIANTS)('guest runner on a QEMU boot of %s with cloud-init', (variant) => {
  const disks: Disk[] = [];
  beforeAll(async () => {
    requireTools(['qemu-system-x86_64', 'qemu-img', 'mkfs.ext4', 'mkfs.vfat', 'mcopy', 'debugfs']);
    await ensureRootfs(variant);
  });
  afterAll(() => { if (!process.env.IF_KEEP_DISKS) for (const d of disks) rmSync(d.dir, { recursive: true, force: true }); });

  let built: Disk | undefined;
  let userData: { builder: Buffer; tester: Buffer };

  it('builds: steps, sanitize and self-check reported in order, result success, powers itself off', async () => {
    userData = await synthesizedUserData('guest-ok');
    expect(userData.builder.length).toBeLessThan(16 * 1024);
    expect(cloudConfigOf(userData.builder).runcmd).toEqual([['bash', '/var/lib/image-factory/runner.sh']]);
    const disk = await makeDisk(`boot-ok-${variant}`, userData.builder, variant);
    disks.push(disk);
    const b = await boot(disk, BOOT_TIMEOUT_MS);
    console.log(`${variant} build boot: ${b.accel}, ${b.seconds} s`);
    expect(b.timedOut, explain(b)).toBe(false);
    expect(b.exitCode, explain(b)).toBe(0);
    const summary = parseConsole(b.console);
    expect(shape(summary.events), explain(b)).toEqual([
      'begin build 2',
      'step 1/2 install-app start', 'step 1/2 install-app ok',
      'step 2/2 configure-app start', 'step 2/2 configure-app ok',
      'phase sanitize start', 'phase sanitize ok', 'phase selfcheck start', 'phase selfcheck ok',
      'selfcheck', 'phase sbom start', 'sbom', 'phase sbom ok', 'result success',
    ]);
    expect(summary.events[0]).toMatchObject({ buildId: 'boot-test-1' });
    // Every part reached the console and the inventory reassembles (sha256 checked) with the OS's own packages.
    expect(parseInventory(assembleSbom(summary.sbomParts)).packages.map((x) => x.name)).toContain('openssh-server');
    const report = selfCheckFromConsole(b.console)!;
    expect(report.checks.filter((c) => c.status === 'fail'), JSON.stringify(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.os).toMatch(NETWORK[variant].os);
    for (const id of NETWORK_CHECKS) expect(report.checks.find((c) => c.id === id)?.status, id).toBe('pass');
    // cloud-init really ran: the NIC got its address over DHCP (QEMU's user network hands out 10.0.2.15).
    expect(b.console).toMatch(/Cloud-init v\. .* finished/);
    expect(b.console).toMatch(/ci-info: \|\s+\w+\s+\| True \|\s+10\.0\.2\.15\s/);
    // The captured disk, read without mounting it.
    const shadow = debugfs(disk.root, 'cat /etc/shadow');
    expect(shadow).toMatch(/^appuser:!:/m);
    expect(shadow).not.toContain('$y$');
    expect(shadow).not.toContain('$6$');
    for (const gone of ['/root/.bash_history', '/root/.ssh/authorized_keys', '/var/lib/image-factory', '/var/lib/cloud/instance', '/etc/ssh/ssh_host_ed25519_key']) {
      expect(debugfs(disk.root, `stat ${gone}`), gone).not.toMatch(/Inode:/);
    }
    expect(debugfs(disk.root, 'cat /etc/machine-id')).toBe('');
    // What the builder's own boot produced is gone: leases, cloud-init's network file, its log.
    expect(debugfs(disk.root, 'ls /var/lib/dhcp')).not.toMatch(/\.leases/);
    expect(debugfs(disk.root, `stat ${NETWORK[variant].generated}`)).not.toMatch(/Inode:/);
    expect(debugfs(disk.root, 'stat /var/log/cloud-init.log')).not.toMatch(/Inode:/);
    expect(debugfs(disk.root, 'cat /etc/guest-app/app.conf')).toBe('greeting=hello\n');
    built = disk;
  });

  it('the captured disk boots again as a new instance and the tester user_data runs the test steps', async () => {
    expect(built, 'the build boot must pass first').toBeDefined();
    const disk = { ...built!, seed: makeSeed(built!.dir, userData.tester) };
    const b = await boot(disk, BOOT_TIMEOUT_MS);
    console.log(`${variant} test boot: ${b.accel}, ${b.seconds} s`);
    expect(b.timedOut, explain(b)).toBe(false);
    const summary = parseConsole(b.console);
    expect(shape(summary.events), explain(b)).toEqual(['begin test 1', 'phase audit start', 'phase audit ok', 'audit', 'step 1/1 app-present start', 'step 1/1 app-present ok', 'result success']);
    expect(summary.selfcheck).toBeUndefined();
    // The first-boot audit ran live on the captured image: it passed, and it saw this boot's listeners
    // (sshd as root on port 22, which guest-ok's definition does not declare: warnings, not failures).
    const audit = parseSelfCheckReport(summary.audit);
    expect(audit.checks.filter((c) => c.status === 'fail'), JSON.stringify(audit)).toEqual([]);
    expect(audit.checks.find((c) => c.id === 'no-ssh-host-keys')).toBeUndefined();
    const listeners = audit.checks.find((c) => c.id === 'listening-services')!;
    expect(listeners.status, listeners.detail).toBe('warn');
    expect(listeners.detail).toMatch(/does not declare: .*tcp\/22:sshd/);
    expect(listeners.detail).toMatch(/running as root.*sshd/);
    // First boot of the buyer's instance: cloud-init generated fresh host keys and the network again.
    expect(debugfs(disk.root, 'stat /etc/ssh/ssh_host_ed25519_key')).toMatch(/Inode:/);
    expect(debugfs(disk.root, `stat ${NETWORK[variant].generated}`)).toMatch(/Inode:/);
    expect(b.console).toMatch(/10\.0\.2\.15/);
  });
});
