/**
 * `image-factory emulator` as users run it: a child process on a free port, signed calls from the
 * project's real client, faults through /_emulator/, a clean stop on SIGTERM, and its --state
 * file kept across a restart. Then what a user sees when the emulator refuses their key pair.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HuaweiApi, HuaweiApiError } from '../../scripts/cloud/huawei-api.js';
import { ACCESS_KEY, SECRET_KEY, cleanEnv, runCli, startEmulatorProcess, workspace, type EmulatorProcess } from '../e2e/support.js';

const REGION = 'ap-southeast-3';
const STACK_LINE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

const running: EmulatorProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function emulator(flags: string[], cwd?: string): Promise<EmulatorProcess> {
  const emu = await startEmulatorProcess(flags, undefined, cwd);
  running.push(emu);
  return emu;
}

const client = (url: string, secretKey = SECRET_KEY) => new HuaweiApi({ accessKey: ACCESS_KEY, secretKey }, { endpoint: { baseUrl: url, insecure: false }, retry: { attempts: 1 } });

describe('image-factory emulator', () => {
  it('serves signed calls and faults, stops on SIGTERM, and keeps its account in --state across a restart', async () => {
    // A relative --state, as the README has it: every path printed is absolute.
    const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    const state = join(dir, 'state.json');
    const first = await emulator(['--state', 'state.json'], dir);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(first.url).port)).toBeGreaterThan(0);

    const api = client(first.url);
    const { vpc } = await api.request<{ vpc: { id: string; name: string } }>('vpc', REGION, { method: 'POST', path: '/v1/{project_id}/vpcs', body: { vpc: { name: 'kept-across-restarts', cidr: '10.8.0.0/16' } } });
    expect(vpc.name).toBe('kept-across-restarts');
    const before = await first.admin('GET', 'state');
    expect(before.projects[REGION]).toMatch(/^[0-9a-f]{32}$/);

    // A fault through the admin API: listed, then answered in place of the real call, once.
    await first.admin('POST', 'faults', { kind: 'http', service: 'ecs', method: 'GET', path: '/cloudservers/detail$', status: 503, code: 'Ecs.0000', message: 'injected by the test', times: 1 });
    const { faults } = await first.admin('GET', 'faults');
    expect(faults).toEqual([expect.objectContaining({ kind: 'http', service: 'ecs', status: 503, code: 'Ecs.0000', times: 1, hits: 0 })]);
    const list = { method: 'GET', path: '/v1/{project_id}/cloudservers/detail' } as const;
    const err = await api.request('ecs', REGION, list).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect(err).toMatchObject({ status: 503, code: 'Ecs.0000', message: expect.stringMatching(/HTTP 503 Ecs\.0000 injected by the test/) });
    // Used up: the fault is gone and the next call gets the real answer.
    expect((await first.admin('GET', 'faults')).faults).toEqual([]);
    expect(await api.request('ecs', REGION, list)).toMatchObject({ count: 0, servers: [] });
    const show = { method: 'GET', path: '/v1/{project_id}/vpcs/{vpc_id}', params: { vpc_id: vpc.id } } as const;

    const stopped = await first.stop();
    expect(stopped.code).toBe(0);
    // The proxy is on by default, its CA next to the state file; the export line is what a shell needs.
    expect(stopped.stdout.trim().split('\n')).toEqual([
      `listening on ${first.url}`,
      expect.stringMatching(new RegExp(`^admin API: ${first.url}/_emulator/ \\(loopback only; writes need the header x-emulator-token: [0-9a-f]{48}, new each run\\)$`)),
      `proxy mode: CONNECT to *.myhuaweicloud.com / *.myhuaweicloud.eu:443 is served here, TLS signed by the CA in ${state}.ca/ca.pem; point every command (build, sweep, server-status, ...) at it with`,
      `export IMAGE_FACTORY_PROXY=${first.url} IMAGE_FACTORY_PROXY_CA=${state}.ca/ca.pem`,
      'and run the CDKTF CLI through `image-factory env -- npx cdktf deploy <stack>`, which gives Terraform the proxy and its CA',
      'emulator stopped',
    ]);
    expect(stopped.stderr).toBe('');

    const second = await emulator(['--state', state]);
    const after = await second.admin('GET', 'state');
    expect(after.domain).toEqual(before.domain);
    expect(after.projects).toEqual(before.projects);
    expect(after.resources[REGION].vpcs[vpc.id]).toBeDefined();
    // Emulated time never goes back, and new IDs do not repeat old ones.
    expect(Date.parse(after.now)).toBeGreaterThanOrEqual(Date.parse(before.now));
    expect(after.seq).toBeGreaterThanOrEqual(before.seq);
    const again = await client(second.url).request<{ vpc: { id: string; name: string; cidr: string } }>('vpc', REGION, show);
    expect(again.vpc).toMatchObject({ id: vpc.id, name: 'kept-across-restarts', cidr: '10.8.0.0/16' });
    // Faults live in memory only: the restarted emulator has none.
    expect((await second.admin('GET', 'faults')).faults).toEqual([]);
  }, 90_000);

  it('--no-proxy prints the endpoint export line, and says it serves one region', async () => {
    const emu = await emulator(['--no-proxy']);
    const out = (await emu.stop()).stdout.trim().split('\n');
    expect(out.slice(2, 4)).toEqual([
      'endpoint mode (--no-proxy): one region only, since the huaweicloud provider refuses clients for other regions with custom endpoints; point the factory at it with',
      `export IMAGE_FACTORY_ENDPOINT=${emu.url}`,
    ]);
  });

  it('without HW_ACCESS_KEY it fails in one line', async () => {
    const r = await runCli(['emulator', '--port', '0'], { env: cleanEnv({ HW_SECRET_KEY: SECRET_KEY }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^image-factory: HW_ACCESS_KEY is not set: /)]);
  }, 30_000);

  it('a bad --port value fails in one line, before anything listens', async () => {
    const ports = ['abc', '70000', '-1', '8080.5'];
    const runs = await Promise.all(ports.map((port) => runCli(['emulator', `--port=${port}`], { env: cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY }) })));
    for (const [i, r] of runs.entries()) {
      const port = ports[i];
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([`image-factory: emulator: --port: expected a whole number from 0 to 65535, found "${port}"`]);
    }
  }, 60_000);
});

describe('a key pair the emulator refuses', () => {
  const REFUSAL = /^image-factory: the cloud at http:\/\/127\.0\.0\.1:\d+ refused the key pair: HTTP 401 APIGW\.0301 Incorrect IAM authentication information: verify aksk signature fail; check HW_ACCESS_KEY and HW_SECRET_KEY/;

  it('`build`, `resume`, `distribute` and `sweep` report it in one clear line, with no stack trace, and start nothing', async () => {
    const emu = await emulator([]);
    const cwd = workspace();
    const env = cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: 'not-the-secret', IMAGE_FACTORY_ENDPOINT: emu.url });
    const commands = [['build', 'nginx'], ['resume', 'nginx'], ['distribute', 'nginx'], ['sweep', '--regions', REGION]];
    const runs = await Promise.all(commands.map((args) => runCli(args, { cwd, env })));
    for (const [i, r] of runs.entries()) {
      const args = commands[i];
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout, args.join(' ')).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toEqual([expect.stringMatching(REFUSAL)]);
      expect(r.stderr).not.toMatch(STACK_LINE);
      // The secret never reaches the output.
      expect(r.stderr).not.toContain('not-the-secret');
    }
    // Nothing was started: no checkpoint to resume, no resource in the account.
    const resumed = await runCli(['resume', 'nginx'], { cwd, env: { ...env, HW_SECRET_KEY: SECRET_KEY } });
    expect(resumed.stderr.trim()).toMatch(/^image-factory: nginx 1\.0\.0 has no build to resume/);
    const state = await emu.admin('GET', 'state');
    expect(state.jobs).toEqual({});
    expect(JSON.stringify(state.resources)).not.toMatch(/image-factory-build/);
  }, 120_000);

  it('the right key pair passes the same check (`sweep` lists the region and finds nothing)', async () => {
    const emu = await emulator([]);
    const r = await runCli(['sweep', '--regions', REGION], { cwd: workspace(), env: cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, IMAGE_FACTORY_ENDPOINT: emu.url }) });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1 regions, 0 tagged resources, 0 deleted');
    expect(r.code).toBe(0);
  }, 60_000);
});
