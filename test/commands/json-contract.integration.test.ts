/**
 * The `--json` contract (scripts/lib/json-events.ts): every command run with --json, in success
 * and in failure, as users run it (a child process). Every stdout line must validate against the
 * published JSON Schema (scripts/lib/cli-events.schema.json, read with a standard validator), and
 * the last one, and only it, is the result, with the process's exit code. The build commands'
 * successes are proven by the e2e tier, which validates every line of its real-provider runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { ACCESS_KEY, REPO, SECRET_KEY, cleanEnv, runCli, startEmulatorProcess, workspace, type EmulatorProcess } from '../e2e/support.js';
import { validateCliLines } from '../support/cli-events.js';

interface Run { code: number | null; stdout: string; stderr: string }

/** The lines of a run, each validated; the result last and alone. */
function contract(r: Run) {
  const { events, result } = validateCliLines(r.stdout);
  expect(result.exitCode, r.stderr).toBe(r.code);
  return { events, result };
}

describe('--json: every outcome ends in one result event that validates against the schema', () => {
  let emulator: EmulatorProcess;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    dir = workspace('image-factory-json-');
  }, 60_000);
  afterAll(async () => { await emulator?.stop(); });

  const noKeys = cleanEnv();

  it('build, resume, distribute: refused (no credentials) and usage errors', async () => {
    for (const command of ['build', 'resume', 'distribute']) {
      const refused = contract(await runCli([command, 'nginx', '--json'], { env: noKeys }));
      expect(refused.result).toMatchObject({ command, exitCode: 1, status: 'refused', message: expect.stringContaining('HW_ACCESS_KEY and HW_SECRET_KEY are not set') });
      const usage = contract(await runCli([command, 'nginx', '--json', '--bogus'], { env: noKeys }));
      expect(usage.result).toMatchObject({ command, exitCode: 2, status: 'usage-error', message: expect.stringContaining("Unknown option '--bogus'") });
    }
  }, 120_000);

  it('status: no build, then a build, then a bad name', async () => {
    const none = contract(await runCli(['status', 'nginx', '--json'], { cwd: dir }));
    expect(none.events).toEqual([]);
    expect(none.result).toMatchObject({ status: 'ok', counts: { builds: 0 }, message: expect.stringContaining('no builds recorded here'), next: 'run `image-factory build nginx`' });
    new CheckpointStore(join(dir, '.image-factory', 'builds'), dir).save(newCheckpoint({ image: 'nginx', version: '1.0.0', productVersion: 'V1.0', buildId: 'b-1', startedAt: new Date(), regions: ['ap-southeast-2'] }));
    const one = contract(await runCli(['status', 'nginx', '--json'], { cwd: dir }));
    expect(one.events).toEqual([expect.objectContaining({ type: 'checkpoint', running: null, checkpoint: expect.objectContaining({ image: 'nginx', version: '1.0.0' }) })]);
    expect(one.result).toMatchObject({ status: 'ok', counts: { builds: 1 } });
    expect(contract(await runCli(['status', '../etc', '--json'], { cwd: dir })).result).toMatchObject({ exitCode: 2, status: 'usage-error' });
  }, 60_000);

  it('sweep: against the emulator, then without credentials', async () => {
    const env = cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, IMAGE_FACTORY_ENDPOINT: emulator.url });
    const ok = contract(await runCli(['sweep', '--regions', 'ap-southeast-3', '--json'], { cwd: dir, env }));
    expect(ok.result).toMatchObject({ command: 'sweep', exitCode: 0, status: 'ok', counts: { regions: 1, failed: 0 } });
    expect(contract(await runCli(['sweep', '--json'], { cwd: REPO, env: noKeys })).result).toMatchObject({ exitCode: 1, status: 'refused' });
  }, 60_000);

  it('env: the variables, then an unusable proxy', async () => {
    const ok = contract(await runCli(['env', '--json'], { env: noKeys }));
    expect(ok.events).toEqual([expect.objectContaining({ type: 'env', variables: {} })]);
    expect(ok.result).toMatchObject({ status: 'ok', exitCode: 0 });
    const bad = contract(await runCli(['env', '--json'], { env: cleanEnv({ IMAGE_FACTORY_PROXY: 'not a url' }) }));
    expect(bad.result).toMatchObject({ exitCode: 1, status: 'refused', message: expect.stringContaining('IMAGE_FACTORY_PROXY') });
  }, 60_000);

  it('try, plan and an unknown command: refused and usage errors still end in a result', async () => {
    expect(contract(await runCli(['try', 'no-such-image', '--json'], { env: noKeys })).result).toMatchObject({ command: 'try', exitCode: 1, status: 'refused', message: expect.stringContaining('unknown image "no-such-image"') });
    expect(contract(await runCli(['plan', '--json'], { env: noKeys })).result).toMatchObject({ command: 'plan', exitCode: 2, status: 'usage-error' });
    expect(contract(await runCli(['frobnicate', '--json'], { env: noKeys })).result).toMatchObject({ command: 'frobnicate', exitCode: 2, status: 'usage-error', message: expect.stringContaining('unknown command "frobnicate"') });
  }, 60_000);

  it('the published schema is the one the code writes', () => {
    expect(JSON.parse(readFileSync(join(REPO, 'scripts/lib/cli-events.schema.json'), 'utf8')).title).toBe('image-factory --json: one line');
  });
});
