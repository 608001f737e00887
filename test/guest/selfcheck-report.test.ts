/** The self-check report schema and the embedded guest scripts as the builder ships them. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatEvent, parseConsole } from '../../stacks/guest/protocol.js';
import { failedChecks, parseSelfCheckReport, selfCheckFromConsole } from '../../stacks/guest/selfcheck-report.js';
import { loadImage } from '../../stacks/definition/load.js';
import { guestScripts, renderUserData } from '../../stacks/guest/user-data.js';
import { cloudConfigOf } from './lib/bundle.js';

const REPO = join(import.meta.dirname, '..', '..');

describe('self-check report', () => {
  const report = {
    passed: false, os: 'Debian GNU/Linux 12 (bookworm)',
    checks: [
      { id: 'no-password-hash', status: 'fail', detail: 'accounts with a password hash or an empty password: root' },
      { id: 'password-policy', status: 'waived', detail: 'minlen=unset', reason: 'product enforces its own policy' },
      { id: 'clamav-scan', status: 'skip', detail: 'ClamAV not installed' },
      { id: 'some-future-check', status: 'pass', detail: 'ok' },
    ],
  };

  it('is read from a console capture among noise, through the protocol line', () => {
    const capture = `[   90.4] cloud-init[408]: finished\r\n${formatEvent({ event: 'selfcheck', report })}\r\n[   91.0] reboot: Power down\n`;
    const parsed = selfCheckFromConsole(capture)!;
    expect(parsed).toEqual(report);
    expect(failedChecks(parsed).map((c) => c.id)).toEqual(['no-password-hash']);
    expect(selfCheckFromConsole('IMAGE-FACTORY event=result result=success\n')).toBeUndefined();
  });

  it('rejects reports whose verdict contradicts the checks or whose statuses are unknown', () => {
    expect(() => parseSelfCheckReport({ ...report, passed: true })).toThrow(/passed: expected passed=false/);
    expect(() => parseSelfCheckReport({ passed: true, checks: [{ id: 'x', status: 'ok', detail: '' }] })).toThrow(/checks\.0\.status/);
    expect(() => parseSelfCheckReport('{"passed":true}')).toThrow(/invalid self-check report/);
    // warn is report only: a report with a warn and no fail has passed.
    expect(parseSelfCheckReport({ passed: true, checks: [{ id: 'no-download-exec', status: 'warn', detail: 'cron' }] }).passed).toBe(true);
    expect(() => parseSelfCheckReport({ passed: false, checks: [{ id: 'no-download-exec', status: 'warn', detail: 'cron' }] })).toThrow(/expected passed=true/);
  });
});

describe('guest scripts in the user_data bundle', () => {
  it('keep the example bundle well below the 32 KB limit', async () => {
    const image = await loadImage(join(REPO, 'images/nginx'), REPO);
    const bundle = renderUserData({ mode: 'build', buildId: 'b', imageDir: image.dir, steps: image.spec.install, waivers: image.spec.selfCheck.waivers });
    // Half the limit: the guest scripts (with the issue-21 audit and the SBOM) leave the merchant's steps 16 KB.
    expect(bundle.bytes).toBeLessThan(16 * 1024);
    expect(gunzipSync(bundle.gzipped).toString()).toBe(bundle.cloudConfig);
  });

  it('are valid bash after comment stripping, keep their shebang, and carry no comments', () => {
    const scripts = guestScripts();
    expect(scripts.map((s) => s.name)).toEqual(['protocol.sh', 'runner.sh', 'sanitize.sh', 'sbom.sh', 'selfcheck.sh']);
    for (const s of scripts) {
      const r = spawnSync('bash', ['-n'], { input: s.content });
      expect(r.status, `${s.name}: ${r.stderr}`).toBe(0);
      const lines = s.content.toString().split('\n');
      if (s.name !== 'protocol.sh') expect(lines[0]).toBe('#!/bin/bash');
      expect(lines.slice(1).filter((l) => /^\s*#/.test(l))).toEqual([]);
    }
  });

  it('the protocol lines the bash side prints parse as the TS side formats them', () => {
    const text = 'tab\there, ünïcode, 100% & a=b "quoted" /slash';
    const r = spawnSync('bash', ['-c', `. ${join(REPO, 'scripts/guest/protocol.sh')}; if_emit event log step 2/3 text "$1"`, 'x', text],
      { encoding: 'utf8', env: { PATH: process.env.PATH, IF_CONSOLE: '/dev/null' } });
    expect(r.stdout.trim()).toBe(formatEvent({ event: 'log', index: 2, total: 3, text }));
    expect(parseConsole(r.stdout).failureLog).toEqual([text]);
  });

  it('the runcmd starts the runner', async () => {
    const image = await loadImage(join(REPO, 'images/nginx'), REPO);
    const bundle = renderUserData({ mode: 'test', buildId: 'b', imageDir: image.dir, steps: image.spec.tests });
    expect(cloudConfigOf(bundle.gzipped).runcmd).toEqual([['bash', '/var/lib/image-factory/runner.sh']]);
  });
});
