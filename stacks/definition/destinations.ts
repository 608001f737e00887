/**
 * Where a step's `files` may be written on the build machine. The image is sold to buyers, so
 * nothing the merchant copies may preset an account, a password or a key (KooGallery Product
 * Security Review Standards: https://support.huaweicloud.com/intl/en-us/mpintro-marketplace/Specification-0007.html),
 * nor replace the factory's own runner and self-check. Destinations are compared as written,
 * so a path must be normalized first: `/var/www/html/../../../etc/sudoers.d/www` is
 * `/etc/sudoers.d/www`, refused in turn. The README ("What is rejected, what warns") says why
 * each place is refused and what to do instead.
 */
import { posix } from 'node:path';

const SECURITY_STANDARD = 'KooGallery Product Security Review Standards (https://support.huaweicloud.com/intl/en-us/mpintro-marketplace/Specification-0007.html): images hold no preset accounts, passwords or keys';

interface Refused {
  /** Whether the normalized path (and its segments) falls here. */
  readonly matches: (path: string, segments: readonly string[]) => boolean;
  readonly why: string;
}

const under = (dir: string) => (path: string) => path === dir || path.startsWith(`${dir}/`);
const exactly = (...paths: string[]) => (path: string) => paths.includes(path);

/** Password-policy drop-ins and resource limits: the only files of /etc/security a merchant ships. */
const SECURITY_ALLOWED = (path: string) =>
  path === '/etc/security/pwquality.conf' || /^\/etc\/security\/(pwquality\.conf\.d|limits\.d)\/[^/]+$/.test(path);

const REFUSED: readonly Refused[] = [
  {
    matches: exactly(...['passwd', 'shadow', 'group', 'gshadow'].flatMap((f) => [`/etc/${f}`, `/etc/${f}-`])),
    why: `an account database (it would preset accounts or password hashes; ${SECURITY_STANDARD}); create a service account in a step script instead: useradd --system --shell /sbin/nologin <name>, with its password locked (passwd -l <name>)`,
  },
  {
    matches: (p) => under('/etc/sudoers')(p) || under('/etc/sudoers.d')(p),
    why: `sudo configuration (it grants root to accounts; ${SECURITY_STANDARD}); a service does not need sudo: run it as its own account under systemd (User=) and grant what it needs with file ownership or capabilities`,
  },
  {
    matches: (_p, segments) => segments.some((s) => s.startsWith('authorized_keys') || s === '.ssh'),
    why: `an SSH key location (authorized_keys* or a .ssh folder: preset keys let whoever holds them into every buyer's instance; ${SECURITY_STANDARD}); buyers add their own key pair when they create the ECS, so ship none`,
  },
  {
    matches: under('/etc/ssh'),
    why: `SSH configuration (host keys would be shared by every buyer, and an sshd_config.d file can set AuthorizedKeysFile or AuthorizedKeysCommand to a key the merchant holds; ${SECURITY_STANDARD}); if the product must change an sshd setting, do it in a step script (e.g. sed on /etc/ssh/sshd_config), where the review sees it and the self-check looks for keys`,
  },
  {
    matches: (p) => under('/etc/pam.d')(p) || p === '/etc/pam.conf' || (under('/etc/security')(p) && !SECURITY_ALLOWED(p)),
    why: `PAM configuration (it decides who may log in and with what, e.g. pam_permit or a pam_env preload; ${SECURITY_STANDARD}); a password policy goes in /etc/security/pwquality.conf.d/<name>.conf (allowed, and checked by the self-check's password-policy), resource limits in /etc/security/limits.d/<name>.conf`,
  },
  {
    matches: exactly('/etc/nsswitch.conf'),
    why: `NSS configuration (it can add accounts from another source, e.g. a directory the merchant runs; ${SECURITY_STANDARD}); keep the base image's /etc/nsswitch.conf`,
  },
  {
    matches: under('/root'),
    why: `root's home (its .ssh, shell history and profiles are where keys and passwords hide; ${SECURITY_STANDARD}); install the product's files under /opt, /etc/<product> or /usr/local`,
  },
  {
    matches: under('/var/lib/image-factory'),
    why: 'the factory runner\'s own folder (a file there would replace the runner, sanitize or the self-check, and the build would certify what it did not check); install elsewhere',
  },
  {
    matches: (p) => p === '/etc/cloud/cloud.cfg' || under('/etc/cloud/cloud.cfg.d')(p),
    why: `cloud-init configuration (it runs at the buyer's first boot and can create users, set passwords or add SSH keys; ${SECURITY_STANDARD}); leave the base image's cloud-init settings, which take the buyer's key pair or password`,
  },
];

/** `path` with `.`/`..` segments resolved, repeated and trailing slashes dropped. */
function normalizeDestination(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

/** Why the normalized path is refused, as "the path "..." is ..."; undefined when it is allowed. */
function refusal(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean);
  const hit = REFUSED.find((r) => r.matches(path, segments));
  return hit ? `"${path}", which is ${hit.why}` : undefined;
}

/** Why `destination` cannot be written, as a message `expected ..., found ...`; undefined when it can. */
export function destinationProblem(destination: string): string | undefined {
  // A relative path is the absolute-path rule's to report.
  if (!destination.startsWith('/')) return undefined;
  const normal = normalizeDestination(destination);
  if (normal !== destination) {
    const segments = destination.split('/');
    const what = [
      segments.slice(1, -1).some((s) => s === '') || destination.startsWith('//') ? '"//"' : '',
      segments.includes('..') ? '".." segments' : '',
      segments.includes('.') ? '"." segments' : '',
      destination.length > 1 && destination.endsWith('/') ? 'a trailing "/" (a destination names a file)' : '',
    ].filter(Boolean).join(', ');
    const refused = refusal(normal);
    return `expected a normalized absolute path, found "${destination}", which has ${what}; write "${normal}"${refused ? `, but that is refused too: ${refused}` : ''}`;
  }
  const refused = refusal(normal);
  return refused ? `expected a destination outside the places that hold accounts, keys and the factory's runner, found ${refused}` : undefined;
}
