import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../stacks/definition/load.js';
import { baseDefinition } from '../support/images.js';
import { FILE, rejection } from './reject.js';

const STANDARD = 'KooGallery Product Security Review Standards (https://support.huaweicloud.com/intl/en-us/mpintro-marketplace/Specification-0007.html)';

/** The message for a definition whose first install file goes to `destination`. */
const refusal = (destination: string) => rejection((d) => { d.install[0].files[0].destination = destination; });
const accepted = (destination: string) => {
  const def: any = baseDefinition();
  def.install[0].files[0].destination = destination;
  return validateDefinition(def, FILE).install[0].files[0].destination;
};

describe('step files: destinations are normalized', () => {
  it('".." segments get the normalized path, and its own refusal too', () => {
    const message = refusal('/var/www/html/../../../etc/sudoers.d/www');
    expect(message).toContain('install[0].files[0].destination: expected a normalized absolute path, found "/var/www/html/../../../etc/sudoers.d/www", which has ".." segments; write "/etc/sudoers.d/www", but that is refused too: "/etc/sudoers.d/www", which is sudo configuration');
    expect(message).toContain(STANDARD);
    expect(message.split('\n')).toHaveLength(2);
  });

  it('"//", "." and a trailing "/" are refused with the normalized path', () => {
    expect(refusal('/etc/nginx//nginx.conf')).toContain('found "/etc/nginx//nginx.conf", which has "//"; write "/etc/nginx/nginx.conf"');
    expect(refusal('/etc/./nginx/nginx.conf')).toContain('which has "." segments; write "/etc/nginx/nginx.conf"');
    expect(refusal('/etc/nginx/conf.d/')).toContain('which has a trailing "/" (a destination names a file); write "/etc/nginx/conf.d"');
    expect(refusal('/etc/nginx/conf.d/')).not.toContain('refused too');
  });
});

describe('step files: no write where credentials live', () => {
  it.each([
    ['/etc/passwd', 'an account database'],
    ['/etc/shadow', 'an account database'],
    ['/etc/group-', 'an account database'],
    ['/etc/gshadow-', 'an account database'],
    ['/etc/sudoers', 'sudo configuration'],
    ['/etc/sudoers.d/app', 'sudo configuration'],
    ['/home/app/.ssh/authorized_keys', 'an SSH key location'],
    ['/opt/app/authorized_keys2', 'an SSH key location'],
    ['/etc/ssh/sshd_config', 'SSH configuration'],
    ['/etc/ssh/sshd_config.d/50-app.conf', 'SSH configuration'],
    ['/etc/ssh/ssh_host_ed25519_key', 'SSH configuration'],
    ['/etc/pam.d/sshd', 'PAM configuration'],
    ['/etc/security/access.conf', 'PAM configuration'],
    ['/etc/security/pam_env.conf', 'PAM configuration'],
    ['/etc/nsswitch.conf', 'NSS configuration'],
    ['/root/.bashrc', "root's home"],
    ['/var/lib/image-factory/selfcheck.sh', "the factory runner's own folder"],
    ['/etc/cloud/cloud.cfg', 'cloud-init configuration'],
    ['/etc/cloud/cloud.cfg.d/99-users.cfg', 'cloud-init configuration'],
  ])('%s is refused as %s, with the rule named', (destination, what) => {
    const message = refusal(destination);
    expect(message).toContain(`install[0].files[0].destination: expected a destination outside the places that hold accounts, keys and the factory's runner, found "${destination}", which is ${what}`);
    if (!destination.startsWith('/var/lib/image-factory')) expect(message).toContain(STANDARD);
  });

  it('says how to do the legitimate thing instead', () => {
    expect(refusal('/etc/passwd')).toContain('useradd --system --shell /sbin/nologin <name>, with its password locked (passwd -l <name>)');
    expect(refusal('/etc/pam.d/system-auth')).toContain('a password policy goes in /etc/security/pwquality.conf.d/<name>.conf');
    expect(refusal('/etc/ssh/sshd_config.d/50-app.conf')).toContain('do it in a step script');
  });

  it('the password policy, resource limits and ordinary files stay allowed', () => {
    for (const d of ['/etc/security/pwquality.conf', '/etc/security/pwquality.conf.d/50-app.conf', '/etc/security/limits.d/90-app.conf', '/etc/nginx/nginx.conf', '/var/www/html/index.html', '/etc/cloud-app/x.cfg', '/etc/sshguard.conf', '/rootfs/x']) {
      expect(accepted(d)).toBe(d);
    }
  });
});
