import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HW_')));
  return spawnSync(process.execPath, ['scripts/bin/image-factory.mjs', ...args], { env: { ...clean, ...env }, encoding: 'utf8' });
};

describe('pipeline commands', () => {
  it('`build nginx` without credentials fails with one clear line and creates nothing', () => {
    const r = cli(['build', 'nginx']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['image-factory: HW_ACCESS_KEY and HW_SECRET_KEY are not set: export the access key pair of an IAM user allowed to use ECS, IMS and VPC (in CI, from secrets) and run again']);
  }, 30_000);

  it('a --poll-seconds that is not a positive number is one clear line, before anything else', () => {
    for (const value of ['abc', '0', '-5', '', '10s']) {
      // No credentials: the flag is checked first, and a regression could never reach the cloud.
      const r = cli(['build', 'nginx', `--poll-seconds=${value}`]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([`image-factory: build: --poll-seconds: expected a positive number of seconds, found "${value}"`]);
    }
  });

  it('a missing secret key alone is named', () => {
    const r = cli(['resume', 'nginx'], { HW_ACCESS_KEY: 'AK' });
    expect(r.stderr.trim()).toBe('image-factory: HW_SECRET_KEY is not set: export the access key pair of an IAM user allowed to use ECS, IMS and VPC (in CI, from secrets) and run again');
  }, 30_000);

  it('lists the new commands and rejects a bad --regions flag value before any cloud call', () => {
    const help = cli(['--help']);
    for (const c of ['build', 'resume', 'distribute', 'status', 'sweep']) expect(help.stdout).toContain(`  ${c}`);
    const bad = cli(['build', 'nginx', '--bogus'], { HW_ACCESS_KEY: 'a', HW_SECRET_KEY: 'b' });
    expect(bad.status).toBe(2); // a usage error, like an unknown command
    expect(bad.stderr).toMatch(/build: Unknown option '--bogus'/);
  }, 30_000);
});
