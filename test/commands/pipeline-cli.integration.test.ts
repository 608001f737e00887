import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../e2e/support.js';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env: cleanEnv(env) });

describe('pipeline commands', () => {
  it('`build nginx` without credentials fails with one clear line and creates nothing', async () => {
    const r = await cli(['build', 'nginx']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['image-factory: HW_ACCESS_KEY and HW_SECRET_KEY are not set: export the access key pair of an IAM user allowed to use ECS, IMS and VPC (in CI, from secrets) and run again']);
  }, 30_000);

  it('a --poll-seconds that is not a positive number is one clear line, before anything else', async () => {
    const values = ['abc', '0', '-5', '', '10s'];
    // No credentials: the flag is checked first, and a regression could never reach the cloud.
    const runs = await Promise.all(values.map((value) => cli(['build', 'nginx', `--poll-seconds=${value}`])));
    for (const [i, r] of runs.entries()) {
      const value = values[i];
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([`image-factory: build: --poll-seconds: expected a positive number of seconds, found "${value}"`]);
    }
  });

  it('a missing secret key alone is named', async () => {
    const r = await cli(['resume', 'nginx'], { HW_ACCESS_KEY: 'AK' });
    expect(r.stderr.trim()).toBe('image-factory: HW_SECRET_KEY is not set: export the access key pair of an IAM user allowed to use ECS, IMS and VPC (in CI, from secrets) and run again');
  }, 30_000);

  it('lists the new commands and rejects a bad --regions flag value before any cloud call', async () => {
    const help = await cli(['--help']);
    for (const c of ['build', 'resume', 'distribute', 'status', 'sweep']) expect(help.stdout).toContain(`  ${c}`);
    const bad = await cli(['build', 'nginx', '--bogus'], { HW_ACCESS_KEY: 'a', HW_SECRET_KEY: 'b' });
    expect(bad.code).toBe(2); // a usage error, like an unknown command
    expect(bad.stderr).toMatch(/build: Unknown option '--bogus'/);
  }, 30_000);
});
