/**
 * The RPM paths of selfcheck.sh and sanitize.sh, and the RPM example image (images/httpd-hce),
 * on a fake Huawei Cloud EulerOS 2.0 root filesystem (lib/fake-hce.ts): its steps run in the tree
 * under chroot, as the runner runs them, and the self-check must then pass on what the tree holds.
 * QEMU cannot boot HCE here (no HCE image or repository is reachable), so this is the tier's proof.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNamedImage } from '../../stacks/definition/load.js';
import { parseSelfCheckReport, type SelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { REPO, requireTools } from './lib/debian.js';
import { inTree, makeFakeHce, runInTree, type FakeHce } from './lib/fake-hce.js';

function selfcheck(root: string): { report: SelfCheckReport; exit: number | null } {
  const r = spawnSync('bash', [join(REPO, 'scripts/guest/selfcheck.sh'), '--root', root], { encoding: 'utf8', timeout: 300_000 });
  if (!r.stdout.trim()) throw new Error(`selfcheck.sh printed no report (exit ${r.status}): ${r.stderr}`);
  return { report: parseSelfCheckReport(JSON.parse(r.stdout)), exit: r.status };
}
const byId = (r: SelfCheckReport) => Object.fromEntries(r.checks.map((c) => [c.id, c]));
const failed = (r: SelfCheckReport) => r.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('selfcheck.sh and sanitize.sh on a Huawei Cloud EulerOS 2.0 tree, and the httpd-hce example', () => {
  let hce: FakeHce;
  beforeAll(() => {
    requireTools(['chroot', 'ldd']);
    hce = makeFakeHce('rpm-test');
  });
  afterAll(() => { if (hce) rmSync(dirname(hce.root), { recursive: true, force: true }); });

  it('on the untouched tree: the image-preparation checks pass through the RPM paths; policy and updates are unknown', () => {
    const { report, exit } = selfcheck(hce.root);
    const c = byId(report);
    expect(report.os).toBe('Huawei Cloud EulerOS 2.0 (x86_64)');
    for (const id of ['no-password-hash', 'cloud-init-installed', 'cloud-init-enabled', 'fstab-by-uuid', 'machine-id-empty', 'no-mac-in-network-config']) {
      expect(c[id]?.status, `${id}: ${c[id]?.detail}`).toBe('pass');
    }
    expect(c['nic-dhcp']).toMatchObject({ status: 'pass', detail: 'DHCP configured in /etc/sysconfig/network-scripts/ifcfg-eth0' });
    expect(c['virtio-initramfs']).toMatchObject({ status: 'pass', detail: expect.stringContaining(`/boot/initramfs-`) });
    // system-auth calls pam_pwquality, but HCE's pwquality.conf sets nothing.
    expect(c['password-policy']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^minlen=unset classes=0 .*via pam_pwquality/) });
    // No dnf cache yet: the answer is unknown, which fails with the fix.
    expect(c['no-pending-security-updates']).toMatchObject({ status: 'fail', detail: expect.stringContaining('no repository in the dnf cache publishes security advisories (updateinfo); run dnf makecache in a step') });
    expect(exit).toBe(1);
  });

  it('a pending advisory is named; a failing dnf is reported as unknown, not as clean', () => {
    expect(inTree(hce.root, '/usr/bin/dnf', '-q', 'makecache').status).toBe(0);
    expect(byId(selfcheck(hce.root).report)['no-pending-security-updates']).toMatchObject({ status: 'fail', detail: 'security updates pending: openssl.x86_64' });
    // dnf's solv cache outlived the repository metadata: dnf -C fails (exit 1).
    const cache = join(hce.root, 'var/cache/dnf');
    const repo = readdirSync(cache)[0];
    rmSync(join(cache, repo, 'repodata'), { recursive: true });
    writeFileSync(join(cache, 'hce2-updates-updateinfo.solvx'), '');
    expect(byId(selfcheck(hce.root).report)['no-pending-security-updates']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^cannot determine: dnf --security check-update failed: Error: Cache-only enabled but no cache/) });
    // Back to the fresh tree for the build below.
    writeFileSync(hce.callsFile, '');
    rmSync(cache, { recursive: true });
  });

  it('the example definition loads, with its dnf steps', async () => {
    const image = await loadNamedImage(join(REPO, 'images'), 'httpd-hce', REPO);
    expect(image.spec.baseImage).toEqual({ name: 'Huawei Cloud EulerOS 2.0 Standard 64 bit' });
    expect(image.spec.install.map((s) => s.script)).toEqual(['harden.sh', 'install.sh', 'configure.sh']);
  });

  it('the example\'s steps, then sanitize: the self-check passes on what the tree holds', () => {
    // Plant what a build leaves on an RPM system: a lease, the dnf packages, a MAC-pinned ifcfg copy.
    writeFileSync(join(hce.root, 'var/lib/dhclient/dhclient--eth0.lease'), 'lease { fixed-address 192.168.0.12; }\n');
    writeFileSync(join(hce.root, 'etc/sysconfig/network-scripts/ifcfg-eth1'), '# Created by cloud-init on instance boot automatically\nDEVICE=eth1\nHWADDR=fa:16:3e:12:34:56\nBOOTPROTO=dhcp\n');
    // A stack that lost pam_pwquality gets it back from harden.sh, before pam_unix.
    const passwordAuth = join(hce.root, 'etc/pam.d/password-auth');
    writeFileSync(passwordAuth, readFileSync(passwordAuth, 'utf8').replace(/^password\s+requisite\s+pam_pwquality.*\n/m, ''));

    for (const step of ['harden.sh', 'install.sh']) {
      const r = runInTree(hce.root, `images/httpd-hce/${step}`);
      expect(r.status, `${step}: ${r.stderr}`).toBe(0);
    }
    // The runner places the step's files before running it (image.ts: configure-site).
    for (const [from, to] of [['files/koogallery.conf', 'etc/httpd/conf.d/koogallery.conf'], ['files/index.html', 'var/www/html/index.html']]) {
      mkdirSync(dirname(join(hce.root, to)), { recursive: true });
      copyFileSync(join(REPO, 'images/httpd-hce', from), join(hce.root, to));
    }
    const configure = runInTree(hce.root, 'images/httpd-hce/configure.sh');
    expect(configure.status, configure.stderr).toBe(0);
    expect(configure.stdout).toContain('Syntax OK');

    expect(readFileSync(hce.callsFile, 'utf8').trim().split('\n')).toEqual(['dnf -y -q upgrade --refresh', 'dnf -y -q install libpwquality', 'dnf -q makecache', 'dnf -y -q install httpd']);
    expect(readFileSync(hce.pendingFile, 'utf8')).toBe('');
    expect(readlinkSync(join(hce.root, 'etc/systemd/system/multi-user.target.wants/httpd.service'))).toBe('/usr/lib/systemd/system/httpd.service');
    expect(readFileSync(passwordAuth, 'utf8')).toMatch(/^password\s+requisite\s+pam_pwquality\.so .*\npassword\s+sufficient\s+pam_unix\.so/m);

    const before = byId(selfcheck(hce.root).report);
    expect(before['no-dhcp-leases']).toMatchObject({ status: 'fail', detail: expect.stringContaining('dhclient--eth0.lease') });
    expect(before['no-mac-in-network-config']).toMatchObject({ status: 'fail', detail: expect.stringContaining('ifcfg-eth1') });
    expect(before['password-policy']).toMatchObject({ status: 'pass', detail: 'minlen=8 classes=2 usercheck=1 via pam_pwquality' });
    expect(before['no-pending-security-updates']).toMatchObject({ status: 'pass', detail: 'no security updates pending (dnf cache)' });

    const s = spawnSync('bash', [join(REPO, 'scripts/guest/sanitize.sh'), '--root', hce.root], { encoding: 'utf8', timeout: 300_000 });
    expect(s.status, s.stderr).toBe(0);
    // cloud-init's own ifcfg goes (it carries the builder's MAC); the image's eth0 stays.
    expect(existsSync(join(hce.root, 'etc/sysconfig/network-scripts/ifcfg-eth1'))).toBe(false);
    expect(existsSync(join(hce.root, 'etc/sysconfig/network-scripts/ifcfg-eth0'))).toBe(true);
    const cache = join(hce.root, 'var/cache/dnf');
    const leftRpms = readdirSync(cache, { recursive: true }).map(String).filter((f) => f.endsWith('.rpm'));
    expect(leftRpms).toEqual([]);
    expect(readdirSync(cache, { recursive: true }).map(String).some((f) => f.endsWith('updateinfo.xml.gz'))).toBe(true);
    expect(existsSync(join(hce.root, 'var/lib/image-factory'))).toBe(false);

    const after = selfcheck(hce.root);
    expect(failed(after.report)).toEqual([]);
    expect(after.exit).toBe(0);
  });
});
