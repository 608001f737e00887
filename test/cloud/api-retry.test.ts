/**
 * HuaweiApi retries against a local HTTP server that misbehaves on purpose: 503s, a 429 with
 * Retry-After, a reset connection, a refused one, a persistent 500. The waits go through the
 * injected sleep, so nothing really waits; every attempt is freshly signed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, HuaweiApi, HuaweiApiError, retryAfterMs, type ApiRequest } from '../../scripts/cloud/huawei-api.js';
import { recordingServer, verifySignature, type RecordingServer, type SeenRequest } from '../support/signature.js';

const AK = 'TESTACCESSKEY0000007';
const SK = 'test-secret-key-never-logged';
const PROJECT = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

type Responder = (res: ServerResponse) => void;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Responder => (res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const ok = json(200, { server: { id: 'srv-1', status: 'ACTIVE' } });
const unavailable = json(503, { error_code: 'APIGW.0201', error_msg: 'Service temporarily unavailable' });
const failing = json(500, { error: { code: 'Ecs.0000', message: 'Internal error, try again later' } });
const reset: Responder = (res) => res.socket?.destroy();

describe('HuaweiApi retries', () => {
  let server: RecordingServer;
  let endpoint: string;
  let seen: SeenRequest[];
  // Per path: what to answer on each attempt; the last answer repeats.
  let script: Record<string, Responder[]> = {};
  let waits: number[] = [];

  beforeAll(async () => {
    server = await recordingServer((req, res) => {
      const answers = script[req.path] ?? [ok];
      const n = server.seen.filter((s) => s.path === req.path).length;
      answers[Math.min(n, answers.length) - 1](res);
    });
    ({ endpoint, seen } = server);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    waits = [];
    script = {};
  });

  const api = (base = endpoint) => new HuaweiApi(
    { accessKey: AK, secretKey: SK, projectId: PROJECT, projectRegion: 'ap-southeast-3' },
    { endpoint: { baseUrl: base, insecure: false }, sleep: async (ms) => void waits.push(ms) },
  );
  const get = (server_id: string): ApiRequest => ({ method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', params: { server_id } });
  const path = (id: string) => `/v1/${PROJECT}/cloudservers/${id}`;
  const attempts = (id: string) => seen.filter((s) => s.path === path(id)).length;

  it('503 twice, then 200: three signed attempts, two jittered exponential waits', async () => {
    script[path('a')] = [unavailable, unavailable, ok];
    expect(await api().request('ecs', 'ap-southeast-3', get('a'))).toEqual({ server: { id: 'srv-1', status: 'ACTIVE' } });
    expect(attempts('a')).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThanOrEqual(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(2000);
    expect(waits[1]).toBeLessThanOrEqual(4000);
    // Each attempt is signed anew (its own X-Sdk-Date), and every signature holds.
    for (const req of seen) expect(verifySignature(req, SK)).toBe(true);
  });

  it('tells onRetry before each wait: service, call, what failed, attempt and wait', async () => {
    script[path('n')] = [unavailable, unavailable, ok];
    const notices: unknown[] = [];
    const told = new HuaweiApi(
      { accessKey: AK, secretKey: SK, projectId: PROJECT, projectRegion: 'ap-southeast-3' },
      { endpoint: { baseUrl: endpoint, insecure: false }, sleep: async (ms) => void waits.push(ms), onRetry: (n) => notices.push(n) },
    );
    await told.request('ecs', 'ap-southeast-3', get('n'));
    expect(notices).toEqual([1, 2].map((attempt, i) => ({
      service: 'ecs', method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', region: 'ap-southeast-3',
      error: 'HTTP 503 APIGW.0201 Service temporarily unavailable', attempt, maxAttempts: DEFAULT_RETRY.attempts, waitMs: waits[i],
    })));
  });

  it('429 with Retry-After in seconds waits exactly that long', async () => {
    script[path('b')] = [json(429, { error_code: 'APIGW.0308', error_msg: 'The request is throttled' }, { 'retry-after': '7' }), ok];
    await api().request('ecs', 'ap-southeast-3', get('b'));
    expect(attempts('b')).toBe(2);
    expect(waits).toEqual([7000]);
  });

  it('429 with Retry-After as an HTTP date waits until then', async () => {
    const at = new Date(Date.now() + 20_000).toUTCString();
    script[path('c')] = [json(429, { error_code: 'APIGW.0308', error_msg: 'throttled' }, { 'retry-after': at }), ok];
    await api().request('ecs', 'ap-southeast-3', get('c'));
    expect(waits).toHaveLength(1);
    // The date has one-second resolution, and a moment passed before it was read.
    expect(waits[0]).toBeGreaterThan(17_000);
    expect(waits[0]).toBeLessThanOrEqual(20_000);
  });

  it('a 200 whose body is not JSON is an error naming the call, not an empty answer, and is not retried', async () => {
    script[path('html')] = [(res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>')];
    const err = await api().request('ecs', 'ap-southeast-3', get('html')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect((err as Error).message).toBe('ecs GET /v1/{project_id}/cloudservers/{server_id} in ap-southeast-3: HTTP 200 with a body that is not JSON ("<html>captive portal</html>"): what answered is not a Huawei Cloud API; check IMAGE_FACTORY_ENDPOINT or IMAGE_FACTORY_PROXY');
    expect(attempts('html')).toBe(1);
  });

  it('an answer without the field the call expects is an error naming the call, not "nothing there"', async () => {
    script[path('odd')] = [json(200, { unexpected: true })];
    const err = await api().request('ecs', 'ap-southeast-3', { ...get('odd'), expects: 'server' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    expect((err as Error).message).toBe('ecs GET /v1/{project_id}/cloudservers/{server_id} in ap-southeast-3: HTTP 200 without "server" ({"unexpected":true}): what answered is not a Huawei Cloud API; check IMAGE_FACTORY_ENDPOINT or IMAGE_FACTORY_PROXY');
    // The same answer to a call that expects nothing in particular is passed on.
    expect(await api().request('ecs', 'ap-southeast-3', get('odd'))).toEqual({ unexpected: true });
  });

  it('a reset connection is retried', async () => {
    script[path('d')] = [reset, ok];
    expect(await api().request('ecs', 'ap-southeast-3', get('d'))).toMatchObject({ server: { id: 'srv-1' } });
    expect(attempts('d')).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('a persistent 500 fails with the service\'s own message and the number of attempts', async () => {
    script[path('e')] = [failing];
    const err = await api().request('ecs', 'ap-southeast-3', get('e')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HuaweiApiError);
    const e = err as HuaweiApiError;
    expect(e.status).toBe(500);
    expect(e.code).toBe('Ecs.0000');
    expect(e.message).toMatch(/^ecs GET \/v1\/\{project_id\}\/cloudservers\/\{server_id\} in ap-southeast-3: HTTP 500 Ecs\.0000 Internal error, try again later \(gave up after 6 attempts, [\d.]+ s of waiting\)$/);
    expect(attempts('e')).toBe(DEFAULT_RETRY.attempts);
    expect(waits).toHaveLength(DEFAULT_RETRY.attempts - 1);
    // Bounded: each wait at most maxTimeout, all of them within the total budget.
    expect(Math.max(...waits)).toBeLessThanOrEqual(DEFAULT_RETRY.maxTimeoutMs);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(DEFAULT_RETRY.maxTotalWaitMs);
  });

  it('a refused connection is retried, then reported with the attempts', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await api(`http://127.0.0.1:${port}`).request('ecs', 'ap-southeast-3', get('f'), ).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/ECONNREFUSED.*\(gave up after 6 attempts/);
    expect(waits).toHaveLength(5);
  });

  it('a 4xx other than 429 fails at once', async () => {
    script[path('g')] = [json(404, { error: { code: 'Ecs.0114', message: 'Instance[g] could not be found.' } })];
    const err = await api().request('ecs', 'ap-southeast-3', get('g')).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/HTTP 404 Ecs\.0114 Instance\[g\] could not be found\.$/);
    expect(attempts('g')).toBe(1);
    expect(waits).toEqual([]);
  });

  it('a POST that may create is not resent after a 5xx or a reset, but is after a 429', async () => {
    const create: ApiRequest = { method: 'POST', path: '/v1/{project_id}/cloudservers', body: { server: { name: 'x' } } };
    script[`/v1/${PROJECT}/cloudservers`] = [unavailable, ok];
    const err = await api().request('ecs', 'ap-southeast-3', create).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/HTTP 503 APIGW\.0201 Service temporarily unavailable \(not retried: the POST may have reached the service/);
    expect(seen).toHaveLength(1);

    seen.length = 0;
    script[`/v1/${PROJECT}/cloudservers`] = [reset, ok];
    expect((await api().request('ecs', 'ap-southeast-3', create).catch((e: Error) => e) as Error).message).toMatch(/not retried/);
    expect(seen).toHaveLength(1);

    seen.length = 0;
    script[`/v1/${PROJECT}/cloudservers`] = [json(429, { error_code: 'APIGW.0308', error_msg: 'throttled' }, { 'retry-after': '1' }), ok];
    await api().request('ecs', 'ap-southeast-3', create);
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([1000]);

    // One marked idempotent (a stop, a delete, a query sent as POST) is retried like a GET.
    seen.length = 0;
    script[`/v1/${PROJECT}/cloudservers/action`] = [unavailable, ok];
    await api().request('ecs', 'ap-southeast-3', { method: 'POST', path: '/v1/{project_id}/cloudservers/action', body: { 'os-stop': {} }, idempotent: true });
    expect(seen).toHaveLength(2);
  });

  it('a Retry-After beyond the per-call budget fails at once, saying so', async () => {
    script[path('h')] = [json(429, { error_code: 'APIGW.0308', error_msg: 'throttled' }, { 'retry-after': '3600' })];
    const err = await api().request('ecs', 'ap-southeast-3', get('h')).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/HTTP 429 APIGW\.0308 throttled \(gave up after 1 attempt: the service asked to retry after 3600 s, beyond the 60 s this tool waits per call\)$/);
    expect(waits).toEqual([]);
  });

  it('the project lookup through IAM is retried too', async () => {
    script['/v3/projects'] = [unavailable, json(200, { projects: [{ id: PROJECT, name: 'af-south-1' }] })];
    const a = new HuaweiApi({ accessKey: AK, secretKey: SK }, { endpoint: { baseUrl: endpoint, insecure: false }, sleep: async (ms) => void waits.push(ms) });
    await a.request('ecs', 'af-south-1', get('i'));
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v3/projects', 'GET /v3/projects', `GET ${path('i')}`]);
  });

  it('an aborted wait stops the retries', async () => {
    script[path('j')] = [unavailable];
    const controller = new AbortController();
    const a = new HuaweiApi({ accessKey: AK, secretKey: SK, projectId: PROJECT }, {
      endpoint: { baseUrl: endpoint, insecure: false },
      sleep: async () => {
        controller.abort();
        throw new Error('aborted');
      },
    });
    await expect(a.request('ecs', 'ap-southeast-3', { ...get('j'), signal: controller.signal })).rejects.toThrow('aborted');
    expect(attempts('j')).toBe(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

describe('HuaweiApi on a self-signed https endpoint', () => {
  it.skipIf(!hasOpenssl)('verifies TLS unless IMAGE_FACTORY_ENDPOINT_INSECURE=1, and a bad certificate is not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'image-factory-tls-'));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    expect(made.status).toBe(0);
    let hits = 0;
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      hits += 1;
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ server: { id: 'srv-1', status: 'ACTIVE' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const waits: number[] = [];
    const api = (insecure: boolean) => new HuaweiApi({ accessKey: AK, secretKey: SK, projectId: PROJECT }, { endpoint: { baseUrl, insecure }, sleep: async (ms) => void waits.push(ms) });
    const req: ApiRequest = { method: 'GET', path: '/v1/{project_id}/cloudservers/{server_id}', params: { server_id: 'srv-1' } };
    try {
      const err = await api(false).request('ecs', 'ap-southeast-3', req).catch((e: Error) => e);
      expect((err as Error).message).toMatch(/self[- ]signed certificate/);
      expect(waits).toEqual([]);
      expect(hits).toBe(0);
      expect(await api(true).request('ecs', 'ap-southeast-3', req)).toEqual({ server: { id: 'srv-1', status: 'ACTIVE' } });
      expect(hits).toBe(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
