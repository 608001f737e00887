/**
 * Self-check and sanitize on real Debian 12 and Debian 13 root filesystems (debootstrap,
 * cached; 12 networks with ifupdown, 13 with netplan + systemd-networkd), without booting:
 * violations are planted in a private copy, self-check must name each one, sanitize
 * must remove them without touching this host, and self-check must then pass.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSelfCheckReport, type SelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { copyRootfs, ensureRootfs, REPO, requireTools, VARIANTS } from './lib/debian.js';

const SCRIPTS = join(REPO, 'scripts/guest');

function selfcheck(root: string, plan?: string): { report: SelfCheckReport; exit: number | null; stderr: string } {
  const r = spawnSync('bash', [join(SCRIPTS, 'selfcheck.sh'), '--root', root, ...(plan ? ['--plan', plan] : [])], { encoding: 'utf8', timeout: 300_000 });
  if (!r.stdout.trim()) throw new Error(`selfcheck.sh printed no report (exit ${r.status}): ${r.stderr}`);
  return { report: parseSelfCheckReport(JSON.parse(r.stdout)), exit: r.status, stderr: r.stderr };
}
const byId = (r: SelfCheckReport) => Object.fromEntries(r.checks.map((c) => [c.id, c]));
const put = (path: string, content: string, mode = 0o600) => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, content); chmodSync(path, mode); };

/** Host files sanitize would change if it escaped --root: canaries in its target directories plus the account files. */
function hostCanaries(): () => string {
  const tag = `if-canary-${process.pid}`;
  const files = [`/tmp/${tag}`, `/var/tmp/${tag}`, `/var/log/${tag}.log`, `/root/.${tag}_history`];
  for (const f of files) writeFileSync(f, 'canary\n');
  const accounts = ['/etc/shadow', '/etc/passwd', '/etc/machine-id'].filter(existsSync);
  return () => {
    const state = [...files.map((f) => `${f}:${existsSync(f) ? readFileSync(f, 'utf8') : 'GONE'}`), ...accounts.map((f) => `${f}:${statSync(f).mtimeMs}:${readFileSync(f, 'utf8').length}`)].join('\n');
    return state;
  };
}

const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n';
const MAC = '52:54:00:12:34:56';
/** Per variant: its OS name, and a merchant network file pinned to a MAC, in the variant's own config system. */
const VARIANT = {
  debian12: { os: /Debian GNU\/Linux 12/, macFile: 'etc/network/interfaces.d/eth0', macConfig: `auto eth0\niface eth0 inet dhcp\n    hwaddress ether ${MAC}\n` },
  debian13: { os: /Debian GNU\/Linux 13/, macFile: 'etc/netplan/60-eth0.yaml', macConfig: `network:\n  version: 2\n  ethernets:\n    eth0:\n      match:\n        macaddress: "${MAC}"\n      dhcp4: true\n` },
} as const;

describe.each(VARIANTS)('selfcheck.sh and sanitize.sh on a %s root filesystem', (variant) => {
  let root: string;
  beforeAll(async () => {
    requireTools(['debootstrap', 'chroot']);
    await ensureRootfs(variant);
    root = await copyRootfs(`rootfs-test-${variant}`, variant);
  });
  afterAll(() => { if (root) rmSync(dirname(root), { recursive: true, force: true }); });

  it('passes the image-preparation checks on the untouched tree, fails only what a fresh system lacks', () => {
    const { report, exit } = selfcheck(root);
    const c = byId(report);
    expect(report.os).toMatch(VARIANT[variant].os);
    for (const id of ['cloud-init-installed', 'cloud-init-enabled', 'cloud-init-cleaned', 'nic-dhcp', 'no-mac-in-network-config', 'fstab-by-uuid',
      'fstab-no-data-disks', 'virtio-initramfs', 'no-password-hash', 'no-authorized-keys', 'no-private-keys', 'no-pending-security-updates', 'machine-id-empty']) {
      expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('pass');
    }
    // openssh-server generated host keys; libpam-pwquality is installed but sets no class rule.
    expect(c['no-ssh-host-keys'].status).toBe('fail');
    expect(c['password-policy']).toMatchObject({ status: 'fail' });
    expect(c['password-policy'].detail).toMatch(/pam_pwquality.*expected minlen >= 8/);
    expect(c['clamav-scan'].status).toBe('skip');
    expect(report.passed).toBe(false);
    expect(exit).toBe(1);
  });

  it('reports every planted violation, sanitize removes them, then self-check passes', () => {
    // Plant what a sloppy build leaves behind.
    const shadow = join(root, 'etc/shadow');
    writeFileSync(shadow, readFileSync(shadow, 'utf8').replace(/^root:[^:]*:/m, 'root:$6$rounds=5000$saltsalt$Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy:'));
    execFileSync('chroot', [root, 'useradd', '-m', '-s', '/bin/bash', 'deploy']);
    execFileSync('chroot', [root, 'sh', '-c', 'echo deploy:Secret-123 | chpasswd']);
    put(join(root, 'root/.ssh/authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlanted planted@test\n');
    put(join(root, 'home/deploy/.ssh/id_ed25519'), PRIVATE_KEY);
    put(join(root, 'home/deploy/backup/old-key.pem'), PRIVATE_KEY.replaceAll('OPENSSH ', 'RSA '));
    put(join(root, 'home/deploy/.bash_history'), 'mysql -uroot -pSecret-123\n');
    put(join(root, 'root/.git-credentials'), 'https://ci:token@example.com\n');
    put(join(root, VARIANT[variant].macFile), VARIANT[variant].macConfig, 0o644);
    put(join(root, 'etc/udev/rules.d/70-persistent-net.rules'), `SUBSYSTEM=="net", ATTR{address}=="${MAC}", NAME="eth0"\n`, 0o644);
    writeFileSync(join(root, 'etc/fstab'), readFileSync(join(root, 'etc/fstab'), 'utf8') + '/dev/vdb1\t/data\text4\tdefaults\t0\t2\n');
    writeFileSync(join(root, 'etc/machine-id'), '4f1c0f5a2b8e4f7f9d2a6c3b1e0d9f8a\n');
    put(join(root, 'var/lib/dhcp/dhclient.eth0.leases'), 'lease { fixed-address 10.0.2.15; }\n', 0o644);
    put(join(root, 'var/lib/cloud/instance/user-data.txt'), '#cloud-config\n');
    put(join(root, 'var/lib/image-factory/plan.tsv'), 'mode\tbuild\n');
    put(join(root, 'var/log/syslog'), 'Nov 28 builder sshd: Accepted publickey\n', 0o640);
    put(join(root, 'tmp/build-scratch/file'), 'x');

    const before = selfcheck(root);
    const c = byId(before.report);
    const expectFail = (id: string, detail: RegExp) => { expect(c[id]?.status, id).toBe('fail'); expect(c[id].detail, id).toMatch(detail); };
    expectFail('no-password-hash', /root.*deploy|deploy.*root/);
    expectFail('no-authorized-keys', /\/root\/\.ssh\/authorized_keys/);
    expectFail('no-private-keys', /\/home\/deploy\/\.ssh\/id_ed25519.*old-key\.pem|old-key\.pem.*id_ed25519/);
    expectFail('no-shell-history', /\/home\/deploy\/\.bash_history/);
    expectFail('no-stored-credentials', /\/root\/\.git-credentials/);
    expectFail('no-mac-in-network-config', new RegExp(`/${VARIANT[variant].macFile}`));
    expectFail('no-persistent-net-rules', /70-persistent-net\.rules/);
    expectFail('fstab-by-uuid', /\/dev\/vdb1 \/data/);
    expectFail('fstab-no-data-disks', /\/data/);
    expectFail('machine-id-empty', /machine-id/);
    expectFail('no-dhcp-leases', /dhclient\.eth0\.leases/);
    expectFail('cloud-init-cleaned', /cloud-init clean/);
    expectFail('no-build-files', /image-factory/);
    expect(before.exit).toBe(1);

    // Sanitize cannot know which fstab lines or network files are the merchant's: fix those as a
    // step would, then sanitize the rest. The host must not change.
    writeFileSync(join(root, 'etc/fstab'), readFileSync(join(root, 'etc/fstab'), 'utf8').replace(/^\/dev\/vdb1.*\n/m, ''));
    rmSync(join(root, VARIANT[variant].macFile));
    const hostState = hostCanaries();
    const host = hostState();
    const s = spawnSync('bash', [join(SCRIPTS, 'sanitize.sh'), '--root', root], { encoding: 'utf8', timeout: 300_000 });
    expect(s.status, s.stderr).toBe(0);
    expect(hostState()).toBe(host);
    expect(host).not.toContain('GONE');
    for (const f of host.split('\n').slice(0, 4)) rmSync(f.split(':')[0], { force: true });

    expect(readFileSync(shadow, 'utf8')).toMatch(/^root:!:/m);
    expect(readFileSync(shadow, 'utf8')).toMatch(/^deploy:!:/m);
    expect(readFileSync(shadow, 'utf8')).not.toContain('$6$');
    for (const gone of ['root/.ssh/authorized_keys', 'home/deploy/.ssh/id_ed25519', 'home/deploy/backup/old-key.pem', 'home/deploy/.bash_history',
      'root/.git-credentials', 'etc/udev/rules.d/70-persistent-net.rules', 'var/lib/dhcp/dhclient.eth0.leases', 'var/lib/cloud/instance',
      'var/lib/image-factory', 'tmp/build-scratch', 'etc/ssh/ssh_host_ed25519_key', 'etc/ssh/ssh_host_rsa_key.pub']) {
      expect(existsSync(join(root, gone)), gone).toBe(false);
    }
    expect(readFileSync(join(root, 'etc/machine-id'), 'utf8')).toBe('');
    expect(readFileSync(join(root, 'var/log/syslog'), 'utf8')).toBe('');
    expect(existsSync(join(root, 'var/lib/apt/lists'))).toBe(true);

    // What remains is the password policy, which is the product's decision: configure it like a step.
    const mid = byId(selfcheck(root).report);
    expect(Object.values(mid).filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(['password-policy']);
    put(join(root, 'etc/security/pwquality.conf.d/90-koogallery.conf'), 'minlen = 8\nminclass = 2\n', 0o644);
    const after = selfcheck(root);
    expect(after.report.checks.filter((x) => x.status === 'fail')).toEqual([]);
    expect(after.report.passed).toBe(true);
    expect(after.exit).toBe(0);
    expect(byId(after.report)['password-policy'].detail).toBe('minlen=8 classes=2 usercheck=1 via pam_pwquality');
  });

  it('applies waivers from the plan and records their reasons', () => {
    const plan = join(dirname(root), 'plan.tsv');
    writeFileSync(plan, 'mode\tbuild\nwaive\tpassword-policy\tpolicy enforced by the product login service instead\n');
    // Without the policy file (sanitized tree otherwise clean): the one failure is waived.
    rmSync(join(root, 'etc/security/pwquality.conf.d/90-koogallery.conf'), { force: true });
    expect(selfcheck(root).exit).toBe(1);
    const { report, exit } = selfcheck(root, plan);
    expect(byId(report)['password-policy']).toMatchObject({ status: 'waived', reason: 'policy enforced by the product login service instead' });
    expect(report.passed).toBe(true);
    expect(exit).toBe(0);
  });

  it('password policy: weak or user-check-off settings fail; negative credits count as classes', () => {
    const conf = join(root, 'etc/security/pwquality.conf.d/90-koogallery.conf');
    const policy = () => byId(selfcheck(root).report)['password-policy'];
    put(conf, 'minlen = 6\nminclass = 2\n', 0o644);
    expect(policy()).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^minlen=6 classes=2/) });
    writeFileSync(conf, 'minlen = 12\ndcredit = -1\nucredit = -1\n');
    expect(policy()).toMatchObject({ status: 'pass', detail: 'minlen=12 classes=2 usercheck=1 via pam_pwquality' });
    writeFileSync(conf, 'minlen = 12\nminclass = 3\nusercheck = 0\n');
    expect(policy().status).toBe('fail');
    rmSync(conf);
  });
});
