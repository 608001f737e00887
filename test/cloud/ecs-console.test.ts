/**
 * The real ECS client against a local HTTP server: the request on the wire (method, path, query,
 * signature headers, verified by recomputing the SDK-HMAC-SHA256 signature in test/support/signature.ts) and the
 * parsing of the console protocol lines it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuaweiApi, endpointOf } from '../../scripts/cloud/huawei-api.js';
import { HuaweiEcsClient } from '../../scripts/cloud/ecs.js';
import { credentialsFromEnv } from '../../scripts/cloud/credentials.js';
import { followGuest } from '../../scripts/pipeline/guest.js';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { formatEvent, parseConsole } from '../../stacks/guest/protocol.js';
import { isUserError } from '../../stacks/errors.js';
import { endpointOverrideFromEnv } from '../../stacks/endpoint.js';
import { recordingServer, verifySignature, type RecordingServer, type SeenRequest } from '../support/signature.js';

const AK = 'TESTACCESSKEY0000001';
const SK = 'test-secret-key-never-logged';
const PROJECT = '0123456789abcdef0123456789abcdef';

const GUEST = [
  '[    0.000000] Linux version 5.15.0-91-generic',
  `cloud-init[812]: ${formatEvent({ event: 'begin', mode: 'build', steps: 2 })}`,
  formatEvent({ event: 'step', index: 1, total: 2, name: 'install-nginx', status: 'start' }),
  'Setting up nginx-core (1.18.0-6ubuntu14) ...',
  formatEvent({ event: 'step', index: 1, total: 2, name: 'install-nginx', status: 'ok', seconds: 42 }),
  formatEvent({ event: 'step', index: 2, total: 2, name: 'configure-site', status: 'start' }),
  formatEvent({ event: 'step', index: 2, total: 2, name: 'configure-site', status: 'ok', seconds: 3 }),
  formatEvent({ event: 'selfcheck', report: { version: 1, findings: [] } }),
  formatEvent({ event: 'result', result: 'success' }),
];

describe('HuaweiEcsClient against a local HTTP server', () => {
  let server: RecordingServer;
  let endpoint: string;
  let seen: SeenRequest[];
  let consoleReads = 0;

  beforeAll(async () => {
    server = await recordingServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.path.endsWith('/console-output')) {
        // The console grows as the guest works: each read shows two more lines.
        consoleReads += 1;
        res.end(JSON.stringify({ output: GUEST.slice(0, Math.min(GUEST.length, consoleReads * 2)).join('\n') }));
      } else if (req.path === '/v3/projects') {
        // IAM KeystoneListProjects: the SDK's project lookup when HW_PROJECT_ID is not given.
        res.end(JSON.stringify({ projects: [{ id: PROJECT, name: req.query.get('name') }] }));
      } else if (req.path.endsWith('/cloudservers/missing')) {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: 'Ecs.0114', message: 'Instance[missing] could not be found.' } }));
      } else if (req.method === 'GET') {
        res.end(JSON.stringify({ server: { id: 'srv-1', status: 'ACTIVE', 'OS-EXT-STS:task_state': '' } }));
      } else {
        res.end(JSON.stringify({ job_id: 'job-1' }));
      }
    });
    ({ endpoint, seen } = server);
  });

  afterAll(() => server.close());

  const client = () => new HuaweiEcsClient(new HuaweiApi({ accessKey: AK, secretKey: SK, projectId: PROJECT, projectRegion: 'ap-southeast-3' }, { endpoint: { baseUrl: endpoint, insecure: false } }));

  it('sends a signed GET for ShowServerConsoleOutput and returns the console text', async () => {
    seen.length = 0;
    consoleReads = 0;
    const text = await client().consoleOutput('srv-1', 'ap-southeast-3', 120);
    expect(seen).toHaveLength(1);
    const req = seen[0];
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`/v1/${PROJECT}/cloudservers/srv-1/console-output`);
    expect(Object.fromEntries(req.query)).toEqual({ length: '120' });
    expect(req.body).toBe('');
    expect(req.headers['x-project-id']).toBe(PROJECT);
    expect(req.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(req.headers.authorization).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-sdk-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$`));
    expect(verifySignature(req, SK)).toBe(true);
    expect(verifySignature(req, 'another-secret')).toBe(false);
    // The secret key itself never travels.
    expect(JSON.stringify(req.headers)).not.toContain(SK);
    expect(parseConsole(text).events.map((e) => e.event)).toEqual(['begin']);
  });

  it('reads status with ShowServer and stops with a signed BatchStopServers body', async () => {
    seen.length = 0;
    expect(await client().getServer('srv-1', 'ap-southeast-3')).toEqual({ status: 'ACTIVE', taskState: undefined, fault: undefined });
    await client().stopServer('srv-1', 'ap-southeast-3');
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/${PROJECT}/cloudservers/srv-1`, `POST /v1/${PROJECT}/cloudservers/action`]);
    expect(JSON.parse(seen[1].body)).toEqual({ 'os-stop': { type: 'SOFT', servers: [{ id: 'srv-1' }] } });
    expect(verifySignature(seen[1], SK)).toBe(true);
  });

  it('without HW_PROJECT_ID, looks the project up on the region\'s IAM endpoint (the override too), not the global one', async () => {
    seen.length = 0;
    const ecs = new HuaweiEcsClient(new HuaweiApi({ accessKey: 'TESTACCESSKEY0000002', secretKey: SK }, { endpoint: { baseUrl: endpoint, insecure: false } }));
    expect((await ecs.getServer('srv-1', 'ap-southeast-3')).status).toBe('ACTIVE');
    expect(seen.map((r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ''}`)).toEqual(['GET /v3/projects?name=ap-southeast-3', `GET /v1/${PROJECT}/cloudservers/srv-1`]);
  });

  it('turns an API error into one line with the error code', async () => {
    const err = await client().getServer('missing', 'ap-southeast-3').catch((e) => e);
    expect(err.message).toMatch(/ecs GET \/v1\/\{project_id\}\/cloudservers\/\{server_id\} in ap-southeast-3: HTTP 404/);
    expect(err.message).not.toContain(SK);
  });

  it('follows a guest through the protocol lines it serves, step by step', async () => {
    consoleReads = 0;
    const steps: string[] = [];
    const result = await followGuest({
      ecs: client(), clock: new ScaledClock(1000), serverId: 'srv-1', region: 'ap-southeast-3',
      steps: [{ name: 'install-nginx', timeoutMinutes: 10 }, { name: 'configure-site', timeoutMinutes: 5 }],
      overallTimeoutMs: 3_600_000, pollIntervalMs: 2_000,
      onStep: (s) => steps.push(`${s.index}/${s.total} ${s.name} ${s.status}${s.seconds !== undefined ? ` ${s.seconds}s` : ''}`),
    });
    expect(steps).toEqual(['1/2 install-nginx start', '1/2 install-nginx ok 42s', '2/2 configure-site start', '2/2 configure-site ok 3s']);
    expect(result.selfcheck).toEqual({ version: 1, findings: [] });
  });
});

describe('endpoints and credentials', () => {
  it('uses the regional endpoint, the EU domain for EU regions, and an override when set', () => {
    expect(endpointOf('ecs', 'ap-southeast-3')).toBe('https://ecs.ap-southeast-3.myhuaweicloud.com');
    expect(endpointOf('ims', 'eu-west-101')).toBe('https://ims.eu-west-101.myhuaweicloud.eu');
    expect(endpointOf('eip', 'af-south-1')).toBe('https://vpc.af-south-1.myhuaweicloud.com');
    expect(endpointOf('ecs', 'af-south-1', endpointOverrideFromEnv({ IMAGE_FACTORY_ENDPOINT: 'http://127.0.0.1:9/' }))).toBe('http://127.0.0.1:9');
  });

  it('a missing key is one clear line naming the variables', () => {
    for (const env of [{}, { HW_ACCESS_KEY: 'x' }, { HW_SECRET_KEY: 'y', HW_ACCESS_KEY: ' ' }]) {
      const err = (() => {
        try {
          credentialsFromEnv(env);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(isUserError(err)).toBe(true);
      expect(err!.message.split('\n')).toHaveLength(1);
      expect(err!.message).toMatch(/^HW_(ACCESS_KEY|SECRET_KEY)( and HW_SECRET_KEY)? (is|are) not set/);
    }
    expect(credentialsFromEnv({ HW_ACCESS_KEY: 'a', HW_SECRET_KEY: 'b', HW_PROJECT_ID: 'p', HW_REGION_NAME: 'r' })).toMatchObject({ accessKey: 'a', secretKey: 'b', projectId: 'p', projectRegion: 'r' });
  });
});
