/**
 * A fake Huawei Cloud EulerOS 2.0 root filesystem, for the RPM paths of the guest scripts and the
 * RPM example image's steps. No HCE repository is reachable here and QEMU cannot boot HCE, so the
 * tree holds the files HCE's own layout puts where the self-check and sanitize look (merged /usr,
 * /etc/sysconfig/network-scripts, /etc/pam.d/system-auth, /boot/initramfs-<kver>.img, dnf's cache),
 * this host's bash and core tools (with their libraries) so steps run in it under chroot, and
 * stand-ins for the distribution's own tools (test/guest/fixtures/hce-tools: dnf, systemctl,
 * apachectl, lsinitrd, cloud-init) that keep their documented exit codes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO, scratchDir } from './debian.js';

const HCE_KERNEL = '5.10.0-182.0.0.95.r2673_211.hce2.x86_64';
/** Host tools the steps and stand-ins call. */
const HOST_TOOLS = ['bash', 'cat', 'cp', 'grep', 'head', 'ln', 'ls', 'mkdir', 'rm', 'sed', 'touch', 'tr'];
const STANDINS = join(REPO, 'test/guest/fixtures/hce-tools');

const put = (root: string, path: string, content: string, mode = 0o644) => {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
};

/** Copies a host executable and every library ldd names to the same paths in the tree. */
export function copyHostTool(root: string, tool: string): void {
  const path = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  const libs = execFileSync('ldd', [path], { encoding: 'utf8' }).split('\n').map((l) => /(\/\S+) \(0x/.exec(l)?.[1]).filter((l): l is string => !!l);
  for (const file of [path, ...libs]) {
    // Through the tree's own /bin, /lib and /lib64 links: merged /usr, as on HCE.
    const target = join(root, file);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    chmodSync(target, 0o755);
  }
}

const SYSTEM_AUTH = `auth        required      pam_env.so
auth        sufficient    pam_unix.so try_first_pass nullok
auth        required      pam_deny.so
account     required      pam_unix.so
password    requisite     pam_pwquality.so try_first_pass local_users_only
password    sufficient    pam_unix.so sha512 shadow nullok try_first_pass use_authtok
password    required      pam_deny.so
session     required      pam_unix.so
`;

export interface FakeHce {
  readonly root: string;
  /** What the stand-in dnf was asked, one call per line. */
  readonly callsFile: string;
  /** Security updates the stand-in's repository holds ("name.arch version repo" lines). */
  readonly pendingFile: string;
}

/** A fresh tree as a Huawei public image boots it: accounts locked, DHCP, cloud-init enabled, no dnf cache yet. */
export function makeFakeHce(prefix: string): FakeHce {
  const root = join(scratchDir(prefix), 'rootfs');
  for (const d of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64']) mkdirSync(join(root, d), { recursive: true });
  for (const [link, to] of [['bin', 'usr/bin'], ['sbin', 'usr/sbin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64']]) symlinkSync(to, join(root, link));
  for (const tool of HOST_TOOLS) copyHostTool(root, tool);
  symlinkSync('bash', join(root, 'usr/bin/sh'));
  for (const tool of ['dnf', 'systemctl', 'apachectl', 'lsinitrd', 'cloud-init']) {
    copyFileSync(join(STANDINS, tool), join(root, 'usr/bin', tool));
    chmodSync(join(root, 'usr/bin', tool), 0o755);
  }
  symlinkSync('dnf', join(root, 'usr/bin/yum'));

  put(root, 'etc/os-release', 'NAME="Huawei Cloud EulerOS"\nVERSION="2.0 (x86_64)"\nID="hce"\nVERSION_ID="2.0"\nPRETTY_NAME="Huawei Cloud EulerOS 2.0 (x86_64)"\nANSI_COLOR="0;31"\n');
  put(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nsshd:x:74:74:Privilege-separated SSH:/usr/share/empty.sshd:/sbin/nologin\nnobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin\n');
  put(root, 'etc/shadow', 'root:!!:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nsshd:!!:19700::::::\nnobody:*:19700:0:99999:7:::\n', 0o000);
  put(root, 'etc/group', 'root:x:0:\nbin:x:1:\ndaemon:x:2:\nsshd:x:74:\nnobody:x:65534:\n');
  put(root, 'etc/gshadow', 'root:::\nbin:::\ndaemon:::\nsshd:!::\nnobody:!::\n', 0o000);
  put(root, 'etc/pam.d/system-auth', SYSTEM_AUTH);
  put(root, 'etc/pam.d/password-auth', SYSTEM_AUTH);
  put(root, 'etc/security/pwquality.conf', '# Configuration for systemwide password quality limits\n# minlen = 8\n# minclass = 0\n');
  put(root, 'etc/sysconfig/network-scripts/ifcfg-eth0', 'DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\nTYPE=Ethernet\nUSERCTL=no\n');
  put(root, 'etc/fstab', 'UUID=1b9c7f0e-5f4c-4b7e-9a51-2d0c8e6f3a21 / ext4 defaults 1 1\n');
  put(root, 'etc/cloud/cloud.cfg', 'users:\n  - default\ndisable_root: false\nssh_pwauth: true\ncloud_init_modules:\n  - set_hostname\n');
  put(root, 'usr/lib/systemd/system/cloud-final.service', '[Unit]\nDescription=Execute cloud user/final scripts\n[Install]\nWantedBy=cloud-init.target\n');
  mkdirSync(join(root, 'etc/systemd/system/cloud-init.target.wants'), { recursive: true });
  symlinkSync('/usr/lib/systemd/system/cloud-final.service', join(root, 'etc/systemd/system/cloud-init.target.wants/cloud-final.service'));
  put(root, `usr/lib/modules/${HCE_KERNEL}/modules.builtin`, 'kernel/drivers/virtio/virtio.ko\n');
  put(root, `boot/initramfs-${HCE_KERNEL}.img`, ['virtio/virtio_pci.ko.xz', 'block/virtio_blk.ko.xz', 'scsi/virtio_scsi.ko.xz', 'net/virtio_net.ko.xz']
    .map((m) => `usr/lib/modules/${HCE_KERNEL}/kernel/drivers/${m}`).join('\n') + '\n');
  put(root, 'etc/machine-id', '');
  put(root, 'etc/ssh/sshd_config', 'PermitRootLogin yes\nPasswordAuthentication yes\n');
  for (const d of ['root', 'tmp', 'var/tmp', 'var/log', 'var/lib/dhclient', 'var/lib/cloud']) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);

  // The stand-in dnf's repository: what `dnf install` finds, and what `httpd` puts on disk.
  put(root, 'var/lib/fake-dnf/available', 'httpd\nlibpwquality\nmod_ssl\n');
  put(root, 'var/lib/fake-dnf/pending-security', 'openssl.x86_64 1:3.0.12-15.hce2 hce2-updates\n');
  put(root, 'var/lib/fake-dnf/calls', '');
  put(root, 'var/lib/fake-dnf/payload/httpd', `#!/bin/bash
mkdir -p /etc/httpd/conf /etc/httpd/conf.d /var/www/html /var/log/httpd
printf 'ServerRoot "/etc/httpd"\\nListen 80\\nIncludeOptional conf.d/*.conf\\n' >/etc/httpd/conf/httpd.conf
printf '[Unit]\\nDescription=The Apache HTTP Server\\n[Install]\\nWantedBy=multi-user.target\\n' >/usr/lib/systemd/system/httpd.service
`, 0o755);
  return { root, callsFile: join(root, 'var/lib/fake-dnf/calls'), pendingFile: join(root, 'var/lib/fake-dnf/pending-security') };
}

const IN_TREE_ENV = { PATH: '/usr/sbin:/usr/bin', LC_ALL: 'C' };

/** Runs a command inside the tree, as root. */
export function inTree(root: string, ...command: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('chroot', [root, ...command], { encoding: 'utf8', env: { ...IN_TREE_ENV, PATH: `${IN_TREE_ENV.PATH}:/sbin:/bin` } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a script of the repository inside the tree, the way the runner runs a step. */
export function runInTree(root: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const inTreePath = `/var/lib/image-factory/steps/${script.split('/').pop()}`;
  mkdirSync(join(root, dirname(inTreePath)), { recursive: true });
  copyFileSync(join(REPO, script), join(root, inTreePath));
  return inTree(root, '/bin/bash', inTreePath);
}
