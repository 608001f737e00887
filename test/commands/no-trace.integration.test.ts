/**
 * Every command, run as users run it (a child process), with the mistakes users make and with
 * a cloud that refuses or answers nonsense: each ends in one clear message and an exit code of
 * 1 or 2, never a stack trace. The table must name every command of the CLI.
 *
 * A dead endpoint is left to test/cloud/api-retry.test.ts: a refused connection is retried for
 * up to a minute, which this tier does not wait for.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../scripts/commands/index.js';
import { ACCESS_KEY, SECRET_KEY, cleanEnv, runCli, workspace } from '../e2e/support.js';

/** A frame of a Node stack trace, or Node's own report of an uncaught error. */
const TRACE = /^\s+at .+:\d+:\d+\)?$|^\w*Error: |^node:internal|Node\.js v\d+/m;
const PROJECT = '0123456789abcdef0123456789abcdef';
const REGION = 'ap-southeast-3';

type Cloud = 'none' | 'refusing' | 'nonsense';
interface Case {
  readonly args: string[];
  readonly code: 1 | 2;
  /** What the one message must say. */
  readonly says: RegExp;
  readonly cloud?: Cloud;
  readonly env?: NodeJS.ProcessEnv;
}

// A cloud that refuses every call as API Gateway does for a bad signature, and one that answers
// an HTML page, as a captive portal or a wrong IMAGE_FACTORY_ENDPOINT would.
const servers: Record<Exclude<Cloud, 'none'>, { server?: Server; url?: string; answer: (res: import('node:http').ServerResponse) => void }> = {
  refusing: { answer: (res) => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail' })) },
  nonsense: { answer: (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to the hotel network</body></html>') },
};

const CASES: Record<string, Case[]> = {
  plan: [
    { args: ['plan', '--outdir'], code: 2, says: /^plan: Option '--outdir <value>' argument missing/ },
    { args: ['plan', 'nginx'], code: 2, says: /^plan: takes no operands/ },
  ],
  manifest: [
    { args: ['manifest'], code: 2, says: /^manifest: expected one image name, found 0/ },
    { args: ['manifest', 'no-such-image'], code: 1, says: /no-such-image/ },
  ],
  template: [{ args: ['template', 'nginx', 'extra'], code: 2, says: /^template: expected one image name, found 2/ }],
  build: [
    { args: ['build', 'nginx', '--poll-seconds', 'soon'], code: 1, says: /^build: --poll-seconds: expected a positive number of seconds, found "soon"/ },
    { args: ['build', 'nginx'], code: 1, says: /HW_ACCESS_KEY/, env: { HW_ACCESS_KEY: '', HW_SECRET_KEY: '' } },
    { args: ['build', 'no-such-image'], code: 1, says: /no-such-image/ },
  ],
  resume: [{ args: ['resume', 'nginx', '--json', '--keep-on-failure', '--what'], code: 2, says: /^resume: Unknown option '--what'/ }],
  distribute: [{ args: ['distribute', 'nginx', '--regions'], code: 2, says: /^distribute: Option '--regions a,b'|^distribute: Option '--regions <value>'/ }],
  try: [
    { args: ['try', 'nginx', '--debian', '11'], code: 2, says: /^try: --debian: expected 12 or 13, found "11"\n/ },
    { args: ['try', 'nginx', '--debian', '12', '--base-disk', 'x.qcow2'], code: 2, says: /^try: --debian picks the default base disk/ },
  ],
  status: [{ args: ['status', '../etc'], code: 2, says: /^status: expected one image name, found \.\.\/etc/ }],
  'server-status': [
    { args: ['server-status', 'i-1'], code: 2, says: /^server-status: --region is required/ },
    { args: ['server-status', 'i-1', '--region', REGION], code: 1, says: /^ecs GET \/v1\/\{project_id\}\/cloudservers\/\{server_id\} in ap-southeast-3: HTTP 401 APIGW\.0301 Incorrect IAM authentication information/, cloud: 'refusing' },
    { args: ['server-status', 'i-1', '--region', REGION], code: 1, says: /HTTP 200 with a body that is not JSON \("<html><body>Welcome.*what answered is not a Huawei Cloud API/, cloud: 'nonsense' },
  ],
  sweep: [
    { args: ['sweep', '--site', 'mars'], code: 1, says: /^sweep: --site: expected one of cn, intl, eu, found "mars"/ },
    { args: ['sweep', '--regions', REGION], code: 1, says: /refused the key pair: .*APIGW\.0301/, cloud: 'refusing' },
    { args: ['sweep', '--regions', REGION], code: 1, says: /body that is not JSON/, cloud: 'nonsense' },
  ],
  env: [
    { args: ['env', '--'], code: 2, says: /^env: expected a command after --/ },
    { args: ['env'], code: 1, says: /IMAGE_FACTORY_PROXY_CA/, env: { IMAGE_FACTORY_PROXY: 'http://127.0.0.1:9', IMAGE_FACTORY_PROXY_CA: '/no/such/ca.pem' } },
  ],
  emulator: [
    { args: ['emulator', '--port', '70000'], code: 1, says: /^emulator: --port: expected a whole number from 0 to 65535, found "70000"/ },
    { args: ['emulator', '--state', 'damaged.json'], code: 1, says: /^emulator: --state .*damaged\.json: not JSON .*truncated/ },
    { args: ['emulator', '--state', 'partial.json'], code: 1, says: /^emulator: --state .*partial\.json: not a whole emulator state file: seq: / },
  ],
};

let cwd: string;
beforeAll(async () => {
  cwd = workspace('no-trace-');
  writeFileSync(join(cwd, 'damaged.json'), '{"version":1,"seq":');
  writeFileSync(join(cwd, 'partial.json'), '{"version":1}');
  mkdirSync(join(cwd, '.image-factory'), { recursive: true });
  for (const s of Object.values(servers)) {
    s.server = createServer((req, res) => req.resume().on('end', () => s.answer(res)));
    await new Promise<void>((resolve) => s.server!.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
  }
});
afterAll(() => Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.server?.close(resolve)))));

describe('no stack trace from any command', () => {
  it('the table covers every command of the CLI', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const name of Object.keys(COMMANDS)) expect(CASES[name].some((c) => c.code === 2 || /Unknown option|expected/.test(c.says.source)), name).toBe(true);
  });

  const all = Object.entries(CASES).flatMap(([name, cases]) => cases.map((c) => [name, c] as const));
  it.each(all)('%s: %j', async (_name, c) => {
    const cloud = c.cloud && c.cloud !== 'none' ? { IMAGE_FACTORY_ENDPOINT: servers[c.cloud].url } : {};
    const env = cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY, HW_PROJECT_ID: PROJECT, HW_REGION_NAME: REGION, ...cloud, ...c.env });
    const { code, stdout, stderr } = await runCli(c.args, { cwd, env });
    const out = `${stdout}${stderr}`;
    expect(out, out).not.toMatch(TRACE);
    expect(code, out).toBe(c.code);
    // The message says what is wrong (a usage line may follow a usage error).
    const message = (stderr.trim() ? stderr : stdout).replace(/^image-factory: /gm, '').replace(/^FAILED [\w-]+: could not list tagged resources: /m, '');
    expect(message, out).toMatch(c.says);
  });
});
