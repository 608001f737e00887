/**
 * sanitize.sh and selfcheck.sh run directly on a small synthetic tree (--root): bash and
 * coreutils only, never root. The Debian rootfs tier (selfcheck.rootfs.test.ts) covers a real system.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSelfCheckReport, type SelfCheckReport } from '../../stacks/guest/selfcheck-report.js';

const SCRIPTS = join(import.meta.dirname, '..', '..', 'scripts', 'guest');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'if-tree-'));
  dirs.push(root);
  const base: Record<string, string> = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    'etc/shadow': 'root:!:19000:0:99999:7:::\n',
    'etc/fstab': 'UUID=0a1b / ext4 defaults 0 1\n',
  };
  for (const [p, c] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  mkdirSync(join(root, 'root'), { recursive: true });
  return root;
}

function selfcheck(root: string): Record<string, SelfCheckReport['checks'][number]> {
  const r = spawnSync('bash', [join(SCRIPTS, 'selfcheck.sh'), '--root', root], { encoding: 'utf8' });
  const report = parseSelfCheckReport(JSON.parse(r.stdout));
  return Object.fromEntries(report.checks.map((c) => [c.id, c]));
}

/** Runs sanitize under the runner's umask 077, as a builder does. */
function sanitize(root: string): void {
  const r = spawnSync('bash', ['-c', 'umask 077; exec bash "$0" --root "$1"', join(SCRIPTS, 'sanitize.sh'), root], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

describe('sanitize.sh and selfcheck.sh on a synthetic tree', () => {
  it('password hashes in the Debian/Ubuntu account backups (/var/backups/*.bak) are found and removed', () => {
    const root = tree({
      'var/backups/shadow.bak': 'root:$6$salt$hash:19000:0:99999:7:::\n',
      'var/backups/gshadow.bak': 'adm:$6$g$h::\n',
      'var/backups/passwd.bak': 'root:x:0:0:root:/root:/bin/bash\n',
      'var/backups/dpkg.status.0': 'Package: keep-me\n',
    });
    const before = selfcheck(root)['no-password-hash'];
    expect(before.status).toBe('fail');
    expect(before.detail).toContain('/var/backups/shadow.bak:root');
    expect(before.detail).toContain('/var/backups/gshadow.bak:adm');
    sanitize(root);
    expect(existsSync(join(root, 'var/backups/shadow.bak'))).toBe(false);
    expect(existsSync(join(root, 'var/backups/gshadow.bak'))).toBe(false);
    expect(existsSync(join(root, 'var/backups/dpkg.status.0'))).toBe(true);
    expect(selfcheck(root)['no-password-hash'].status).toBe('pass');
  });

  it('an /etc/machine-id it has to create is world-readable, as systemd expects', () => {
    const root = tree({});
    sanitize(root);
    expect(statSync(join(root, 'etc/machine-id')).size).toBe(0);
    expect(statSync(join(root, 'etc/machine-id')).mode & 0o777).toBe(0o644);
  });

  it('nic-dhcp: static addresses in netplan fail, nameserver addresses do not', () => {
    const cloudInit = { 'usr/bin/cloud-init': '#!/bin/sh\n' };
    const mk = (netplan: string) => {
      const root = tree({ ...cloudInit, 'etc/netplan/60-app.yaml': netplan });
      spawnSync('chmod', ['+x', join(root, 'usr/bin/cloud-init')]);
      return selfcheck(root)['nic-dhcp'];
    };
    const flow = mk('network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: false\n      addresses: [192.168.0.10/24]\n      routes:\n        - to: default\n          via: 192.168.0.1\n');
    expect(flow.status).toBe('fail');
    expect(flow.detail).toContain('/etc/netplan/60-app.yaml');
    const block = mk('network:\n  ethernets:\n    eth0:\n      addresses:\n        - "10.1.2.3/24"\n        - fd00::5/64\n');
    expect(block.status).toBe('fail');
    const dhcp = mk('network:\n  ethernets:\n    eth0:\n      dhcp4: true\n      nameservers:\n        addresses: [100.125.1.250, 8.8.8.8]\n');
    expect(dhcp).toMatchObject({ status: 'pass' });
  });

  it('password-policy: pwquality.conf settings followed by a comment count (libpwquality drops from "#")', () => {
    const root = tree({
      'etc/pam.d/common-password': 'password\trequisite\tpam_pwquality.so retry=3\n',
      'etc/security/pwquality.conf.d/90-app.conf': 'minlen = 8   # KooGallery: at least 8\nminclass = 2 # two of four classes\n',
    });
    expect(selfcheck(root)['password-policy']).toMatchObject({ status: 'pass', detail: expect.stringContaining('minlen=8 classes=2') });
  });
});

describe('selfcheck.sh rules on a synthetic tree', () => {
  it('pam_cracklib without reject_username does not count as the user-name rule', () => {
    const stack = (args: string) => ({ 'etc/pam.d/common-password': `password requisite pam_cracklib.so ${args}\n` });
    const loose = selfcheck(tree(stack('minlen=8 minclass=2')))['password-policy'];
    expect(loose.status).toBe('fail');
    expect(loose.detail).toContain('usercheck=0');
    expect(selfcheck(tree(stack('minlen=8 minclass=2 reject_username')))['password-policy'].status).toBe('pass');
  });

  it('a dnf system whose repositories publish no advisories cannot pass the security-update check', () => {
    const root = tree({ 'usr/bin/dnf': '#!/bin/sh\nexit 0\n' });
    spawnSync('chmod', ['+x', join(root, 'usr/bin/dnf')]);
    const c = selfcheck(root)['no-pending-security-updates'];
    expect(c.status).toBe('fail');
    expect(c.detail).toContain('cannot determine: no repository in the dnf cache publishes security advisories');
  });

  it('keeps the report valid JSON when a detail holds control characters', () => {
    const root = tree({ ['root/.bash_history']: 'x' });
    writeFileSync(join(root, 'root', 'odd\u0001name\u001b[31m'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    const checks = selfcheck(root);
    expect(checks['no-private-keys'].status).toBe('fail');
    expect(checks['no-private-keys'].detail).toContain('odd name [31m');
  });
});
