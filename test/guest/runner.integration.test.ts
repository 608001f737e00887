/**
 * The install runner (scripts/guest/runner.sh) run on this machine against a temporary
 * IF_HOME unpacked from a real user_data bundle: needs only bash and coreutils, never root.
 * Power-off is disabled (IF_NO_POWEROFF=1), the console is a file, and build mode
 * sanitizes a temporary tree (IF_ROOT), never this host.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConsole, type ProtocolEvent } from '../../stacks/guest/protocol.js';
import { renderUserData, type GuestPlan, type GuestStep } from '../../stacks/guest/user-data.js';
import { parseSelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { materialize } from './lib/bundle.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

interface Run { console: string; status: number | null; stdout: string; home: string; tmp: string }

/** Writes step scripts into a temporary image folder, bundles them and runs the runner. */
function run(opts: {
  steps: { name: string; body: string; files?: GuestStep['files'] }[];
  /** Extra files in the image folder (sources of step files). */
  imageFiles?: Record<string, string>;
  mode?: 'build' | 'test';
  env?: Record<string, string>;
  waivers?: Record<string, string>;
  editPlan?: (plan: string) => string;
  root?: string;
  /** Where the runner writes its console (default: a file in the run's own folder). */
  consoleFile?: string;
}): Run {
  const tmp = mkdtempSync(join(tmpdir(), 'if-runner-'));
  dirs.push(tmp);
  const imageDir = join(tmp, 'image');
  mkdirSync(imageDir);
  for (const [name, content] of Object.entries(opts.imageFiles ?? {})) writeFileSync(join(imageDir, name), content);
  const steps: GuestStep[] = opts.steps.map((s, i) => {
    writeFileSync(join(imageDir, `s${i}.sh`), `#!/bin/bash\nset -euo pipefail\n${s.body}\n`);
    return { name: s.name, script: `s${i}.sh`, timeoutMinutes: 1, files: s.files ?? [] };
  });
  const plan: GuestPlan = { mode: opts.mode ?? 'test', buildId: 'unit-1', imageDir, steps, waivers: opts.waivers };
  const home = join(tmp, 'home');
  materialize(renderUserData(plan).gzipped, home);
  if (opts.editPlan) writeFileSync(join(home, 'plan.tsv'), opts.editPlan(readFileSync(join(home, 'plan.tsv'), 'utf8')));
  const consoleFile = opts.consoleFile ?? join(tmp, 'console.log');
  const work = join(tmp, 'work');
  mkdirSync(work);
  // Test mode audits the "captured image" before the steps: a minimal clean tree, not this host.
  const auditRoot = join(tmp, 'audit-root');
  for (const [f, c] of Object.entries({
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', 'etc/shadow': 'root:*:19700:0:99999:7:::\n', 'etc/group': 'root:x:0:\n', 'etc/gshadow': 'root:::\n',
    'etc/pam.d/common-password': 'password requisite pam_pwquality.so retry=3\n', 'etc/security/pwquality.conf': 'minlen = 8\nminclass = 2\n',
  })) {
    mkdirSync(dirname(join(auditRoot, f)), { recursive: true });
    writeFileSync(join(auditRoot, f), c);
  }
  mkdirSync(join(auditRoot, 'root'));
  const r = spawnSync('bash', [join(home, 'runner.sh')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH, IF_HOME: home, IF_CONSOLE: consoleFile, IF_NO_POWEROFF: '1', IF_FOREGROUND: '1',
      IF_WORK: work, IF_AUDIT_ROOT: auditRoot, ...(opts.root ? { IF_ROOT: opts.root } : {}), ...opts.env,
    },
  });
  return { console: existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '', status: r.status, stdout: r.stdout, home, tmp };
}

const shape = (events: ProtocolEvent[]) => events.flatMap((e) => {
  if (e.event === 'step') return [`step ${e.index}/${e.total} ${e.name} ${e.status}`];
  if (e.event === 'result') return [`result ${e.result}`];
  if (e.event === 'phase') return [`phase ${e.name} ${e.status}`];
  if (e.event === 'begin') return [`begin ${e.mode} ${e.steps}`];
  return [e.event];
});

describe('runner.sh', () => {
  it('runs the steps in order with their files placed first, in a clean environment, and reports success', () => {
    const out = mkdtempSync(join(tmpdir(), 'if-out-'));
    dirs.push(out);
    const dest = join(out, 'placed', 'conf.txt');
    const r = run({
      imageFiles: { 'conf.txt': 'placed-content\n' },
      steps: [
        { name: 'first', body: `echo one >"${out}/order"; env >"${out}/env"` },
        { name: 'second', body: `grep -q placed-content "${dest}"; echo two >>"${out}/order"`, files: [{ source: 'conf.txt', destination: dest, mode: '0640' }] },
      ],
      env: { SECRET_TOKEN: 'hunter2-do-not-leak' },
    });
    expect(r.status).toBe(0);
    const summary = parseConsole(r.console);
    expect(shape(summary.events)).toEqual([
      'begin test 2', 'phase audit start', 'phase audit ok', 'audit',
      'step 1/2 first start', 'step 1/2 first ok',
      'step 2/2 second start', 'step 2/2 second ok',
      'result success',
    ]);
    expect(summary.events[0]).toMatchObject({ event: 'begin', buildId: 'unit-1' });
    expect(readFileSync(join(out, 'order'), 'utf8')).toBe('one\ntwo\n');
    expect(execFileSync('stat', ['-c', '%a', dest], { encoding: 'utf8' }).trim()).toBe('640');
    // The runner's environment (cloud-init's, on a builder) does not reach the steps or the console.
    const stepEnv = readFileSync(join(out, 'env'), 'utf8');
    expect(stepEnv).not.toContain('hunter2');
    expect(stepEnv).toContain('IF_BUILD_ID=unit-1');
    expect(r.console + r.stdout).not.toContain('hunter2');
    // Full logs stay on disk (until sanitize), not on the console.
    expect(readFileSync(join(r.home, 'logs', '1.log'), 'utf8')).toBe('');
  });

  it('runs steps and places their files with the usual umask 022, not the runner\'s private 077', () => {
    const out = mkdtempSync(join(tmpdir(), 'if-out-'));
    dirs.push(out);
    const dest = join(out, 'opt', 'app', 'app.conf');
    const r = run({
      imageFiles: { 'app.conf': 'x\n' },
      steps: [{
        name: 'makes-files',
        body: `umask >"${out}/umask"; mkdir -p "${out}/www/site"; echo hi >"${out}/www/site/index.html"`,
        files: [{ source: 'app.conf', destination: dest, mode: '0644' }],
      }],
    });
    expect(parseConsole(r.console).result?.result).toBe('success');
    const mode = (p: string) => execFileSync('stat', ['-c', '%a', p], { encoding: 'utf8' }).trim();
    // What a step creates must stay readable by the services it installs (nginx runs as www-data).
    expect(readFileSync(join(out, 'umask'), 'utf8').trim()).toBe('0022');
    expect(mode(join(out, 'www', 'site'))).toBe('755');
    expect(mode(join(out, 'www', 'site', 'index.html'))).toBe('644');
    // Parent directories install -D creates for a step file are traversable too.
    expect(mode(join(out, 'opt', 'app'))).toBe('755');
    expect(mode(join(out, 'opt'))).toBe('755');
  });

  it('stops at a failing step, sends the tail of its log and reports failure', () => {
    const r = run({
      steps: [
        { name: 'ok-step', body: 'true' },
        { name: 'broken', body: 'for i in $(seq 1 40); do echo "line $i"; done; echo "E: Unable to locate package nginx-ünïcode 100% & more" >&2; exit 3' },
        { name: 'never', body: 'echo should-not-run' },
      ],
    });
    const summary = parseConsole(r.console);
    expect(shape(summary.events).filter((s) => s !== 'log')).toEqual([
      'begin test 3', 'phase audit start', 'phase audit ok', 'audit', 'step 1/3 ok-step start', 'step 1/3 ok-step ok', 'step 2/3 broken start', 'step 2/3 broken fail', 'result failure',
    ]);
    expect(summary.lastStep).toMatchObject({ index: 2, status: 'fail', exitCode: 3 });
    expect(summary.failureLog.at(-1)).toBe('E: Unable to locate package nginx-ünïcode 100% & more');
    expect(summary.failureLog).toHaveLength(25);
    expect(summary.failureLog[0]).toBe('line 17');
    expect(summary.result).toMatchObject({ result: 'failure', index: 2, total: 3 });
    expect(summary.result?.reason).toMatch(/^step broken: fail \(exit 3/);
    expect(existsSync(join(r.home, 'logs', '3.log'))).toBe(false);
  });

  it('fails the run when a step overwrites the self-check in IF_HOME (the check cannot be replaced)', () => {
    const r = run({ steps: [{ name: 'swap', body: 'echo \'echo {"passed":true,"checks":[]}\' >"$(dirname "$0")/../../selfcheck.sh"' }] });
    expect(readFileSync(join(r.home, 'selfcheck.sh'), 'utf8')).toContain('"passed":true');
    const summary = parseConsole(r.console);
    expect(summary.result).toMatchObject({ result: 'failure' });
    expect(summary.result?.reason).toBe("step touched the runner's files: selfcheck.sh");
  });

  it('refuses to start when a guest script does not match the plan\'s sha256 row', () => {
    const r = run({ steps: [{ name: 'never', body: 'true' }], editPlan: (p) => p.replace(/^(sha256\tsanitize\.sh\t)[0-9a-f]{64}$/m, `$1${'0'.repeat(64)}`) });
    const summary = parseConsole(r.console);
    expect(summary.result?.reason).toBe("the runner's files do not match the plan's sha256: sanitize.sh");
    expect(shape(summary.events)).not.toContain('step 1/1 never start');
  });

  it('kills a step at its timeout and reports status=timeout', () => {
    const r = run({
      steps: [{ name: 'hangs', body: 'echo started; sleep 30' }],
      // Step timeouts are whole minutes in definitions; shorten this one to 1 s in the plan.
      editPlan: (p) => p.replace(/^(step\t1\thangs\t)60\t/m, '$11\t'),
    });
    const summary = parseConsole(r.console);
    expect(summary.lastStep).toMatchObject({ name: 'hangs', status: 'timeout', exitCode: 124 });
    expect(summary.lastStep?.seconds).toBeLessThan(10);
    expect(summary.failureLog).toEqual(['started']);
    expect(summary.result?.result).toBe('failure');
  });

  it('enforces the overall timeout across steps', () => {
    // A 4 s budget: a uses 2 s of it, b gets what is left (the runner counts whole seconds, so
    // b measures at most 3 s; had it got the whole budget, at least 4 s).
    const r = run({
      steps: [{ name: 'a', body: 'sleep 2' }, { name: 'b', body: 'sleep 30' }],
      editPlan: (p) => p.replace(/^build\t.*$/m, (l) => `${l}\ntimeout\t4`),
    });
    const summary = parseConsole(r.console);
    expect(shape(summary.events)).toEqual(['begin test 2', 'phase audit start', 'phase audit ok', 'audit', 'step 1/2 a start', 'step 1/2 a ok', 'step 2/2 b start', 'step 2/2 b timeout', 'log', 'result failure']);
    expect(summary.failureLog).toEqual(['overall build timeout of 4s reached']);
    expect(summary.lastStep?.seconds).toBeLessThanOrEqual(3);
  });

  it('waits while another process holds a package-manager lock before the first step', () => {
    const lockDir = mkdtempSync(join(tmpdir(), 'if-lock-'));
    dirs.push(lockDir);
    const lock = join(lockDir, 'lock-frontend');
    writeFileSync(lock, '');
    // Like unattended-upgrades at first boot: holds the lock open, here until the runner says it
    // waits for it (then the runner's next look, 2 s later, finds it free).
    const consoleFile = join(lockDir, 'console.log');
    const holder = spawn('bash', ['-c', 'exec 9>>"$1"; for i in $(seq 600); do grep -q wait-package-locks "$2" 2>/dev/null && exit 0; sleep 0.05; done', 'holder', lock, consoleFile], { stdio: 'ignore' });
    try {
      execFileSync('bash', ['-c', `for i in $(seq 50); do for f in /proc/${holder.pid}/fd/*; do [ "$(readlink "$f")" = "${lock}" ] && exit 0; done; sleep 0.1; done; exit 1`]);
      const r = run({
        steps: [{ name: 'apt-step', body: `! find /proc/[0-9]*/fd -maxdepth 1 -lname "${lock}" 2>/dev/null | grep -q .` }],
        env: { IF_LOCKS: lock },
        consoleFile,
      });
      const summary = parseConsole(r.console);
      expect(shape(summary.events)).toEqual([
        'begin test 1', 'phase wait-package-locks start', 'phase wait-package-locks ok', 'phase audit start', 'phase audit ok', 'audit', 'step 1/1 apt-step start', 'step 1/1 apt-step ok', 'result success',
      ]);
      const waited = summary.events.find((e) => e.event === 'phase' && e.status === 'ok');
      expect(waited).toMatchObject({ event: 'phase', name: 'wait-package-locks' });
      expect((waited as { seconds: number }).seconds).toBeGreaterThanOrEqual(2);
    } finally {
      holder.kill();
    }
  });

  it('refuses build mode (sanitize of /) outside /var/lib/image-factory', () => {
    const r = run({ mode: 'build', steps: [{ name: 'a', body: 'true' }] });
    const summary = parseConsole(r.console);
    expect(summary.result).toMatchObject({ result: 'failure' });
    expect(summary.result?.reason).toMatch(/refusing to sanitize/);
    expect(summary.events.some((e) => e.event === 'step')).toBe(false);
  });

  it('in build mode sanitizes and self-checks the given root, reports the checks and fails on unwaived findings', () => {
    const root = mkdtempSync(join(tmpdir(), 'if-root-'));
    dirs.push(root);
    for (const d of ['etc/ssh', 'root/.ssh', 'home/alice', 'var/log', 'tmp']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n');
    writeFileSync(join(root, 'etc/shadow'), 'root:$6$salt$hash:19000:0:99999:7:::\nalice:!$6$x$y:19000:0:99999:7:::\n');
    writeFileSync(join(root, 'etc/fstab'), 'UUID=0a1b / ext4 defaults 0 1\n');
    writeFileSync(join(root, 'root/.ssh/authorized_keys'), 'ssh-ed25519 AAAA builder\n');
    writeFileSync(join(root, 'home/alice/.bash_history'), 'mysql -p secret\n');
    writeFileSync(join(root, 'etc/machine-id'), '0123456789abcdef0123456789abcdef\n');
    writeFileSync(join(root, 'var/log/syslog'), 'noise\n');
    const r = run({
      mode: 'build', root,
      steps: [{ name: 'a', body: 'true' }],
      waivers: { 'virtio-initramfs': 'unit test tree has no kernel at all' },
    });
    const summary = parseConsole(r.console);
    expect(shape(summary.events)).toEqual([
      'begin build 1', 'step 1/1 a start', 'step 1/1 a ok',
      'phase sanitize start', 'phase sanitize ok', 'phase selfcheck start', 'phase selfcheck ok', 'selfcheck', 'result failure',
    ]);
    const report = parseSelfCheckReport(summary.selfcheck);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    // Sanitize fixed these on the tree...
    for (const id of ['no-password-hash', 'no-authorized-keys', 'no-shell-history', 'machine-id-empty', 'fstab-by-uuid']) expect(status[id], id).toBe('pass');
    expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).toBe('root:!:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n');
    expect(existsSync(join(root, 'root/.ssh/authorized_keys'))).toBe(false);
    expect(readFileSync(join(root, 'var/log/syslog'), 'utf8')).toBe('');
    // ...these it cannot: the tree has no cloud-init and no PAM policy.
    expect(status['cloud-init-installed']).toBe('fail');
    expect(status['password-policy']).toBe('fail');
    expect(report.checks.find((c) => c.id === 'virtio-initramfs')).toMatchObject({ status: 'waived', reason: 'unit test tree has no kernel at all' });
    expect(report.passed).toBe(false);
    expect(summary.result?.reason).toMatch(/^self-check failed: .*cloud-init-installed/);
    expect(summary.result?.reason).not.toMatch(/virtio-initramfs/);
  });
});
