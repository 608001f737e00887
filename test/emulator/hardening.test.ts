/**
 * The emulator as a local server that other things on the machine can reach: bodies over the
 * limit are refused with 413 before they are read, a signature is checked before the body when
 * the call signs its hash, X-Sdk-Content-Sha256 is held to the body, and the admin API answers
 * loopback Host names only and takes writes only with the run's token, never from a web page.
 */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../../scripts/emulator/body.js';
import { AK, SK, startEmulator, type TestEmulator } from './support.js';

const REGION = 'ap-southeast-3';
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const sdkDate = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** An SDK-HMAC-SHA256 signature as Huawei's signers build it (every header given is signed). */
function sign(method: string, path: string, headers: Record<string, string>, payloadHash: string): Record<string, string> {
  const all = { ...headers, 'x-sdk-date': sdkDate() };
  const names = Object.keys(all).map((k) => k.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = [method, path.endsWith('/') ? path : `${path}/`, '', names.map((n) => `${n}:${lower[n].trim()}`).join('\n') + '\n', names.join(';'), payloadHash].join('\n');
  const toSign = ['SDK-HMAC-SHA256', all['x-sdk-date'], sha256(canonical)].join('\n');
  const signature = createHmac('sha256', SK).update(toSign).digest('hex');
  return { ...all, authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

interface RawAnswer { status: number; headers: IncomingHttpHeaders; body: string }

/** A call with full control of its headers (Host included); the body is sent as given. */
function call(url: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest({ host: u.hostname, port: u.port, method, path, headers, setHost: !Object.keys(headers).some((h) => h.toLowerCase() === 'host') }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends the head of a request (and `prefix` of its body), then stalls: the answer must come
 * from the head alone. Resolves with what the server sent within `ms` and whether it closed.
 */
function stall(url: string, head: string, prefix: Buffer = Buffer.alloc(0), ms = 3_000): Promise<{ raw: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname);
    let raw = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ raw, closed });
    }, ms);
    socket.on('data', (c) => (raw += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ raw, closed });
    });
    socket.on('connect', () => {
      socket.write(head);
      if (prefix.length) socket.write(prefix);
    });
    socket.on('timeout', reject);
  });
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
const jsonOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('the emulator as a hardened local server', () => {
  let emu: TestEmulator;
  let project: string;
  let host: string;
  beforeAll(async () => {
    emu = await startEmulator();
    project = (await emu.state()).projects[REGION];
    host = new URL(emu.url).host;
  });
  afterAll(() => emu.close());

  const vpcNames = async () => Object.values((await emu.state()).resources[REGION]?.vpcs ?? {}).map((v: any) => v.name);

  describe('bodies over the limit', () => {
    it('a Content-Length over the limit is answered 413 from the head alone, in the gateway shape, and the connection closes', async () => {
      const head = `POST /v1/${project}/vpcs HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`;
      const { raw, closed } = await stall(emu.url, head, Buffer.from('{"vpc":'));
      expect(statusOf(raw)).toBe(413);
      expect(raw).toMatch(/\r\nconnection: close\r\n/i);
      expect(jsonOf(raw)).toMatchObject({ error_code: 'APIGW.0201', error_msg: expect.stringContaining(`over ${MAX_BODY} bytes`), request_id: expect.any(String) });
      expect(closed).toBe(true);
    });

    it('a chunked body is counted as it streams: past the limit it gets 413 and the connection closes', async () => {
      const head = `POST /v1/${project}/vpcs HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const size = MAX_BODY + 1024;
      // One chunk over the limit, and no last chunk: the body never ends.
      const chunk = Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), Buffer.alloc(size, 0x20), Buffer.from('\r\n')]);
      const { raw, closed } = await stall(emu.url, head, chunk, 5_000);
      expect(statusOf(raw)).toBe(413);
      expect(jsonOf(raw)).toMatchObject({ error_code: 'APIGW.0201' });
      expect(closed).toBe(true);
    });

    it('OBS answers in its XML shape, and the admin API in its own', async () => {
      const obs = await stall(emu.url, `PUT /tf-state/big HTTP/1.1\r\nHost: ${host}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=${AK}/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: ${MAX_BODY + 1}\r\n\r\n`);
      expect(statusOf(obs.raw)).toBe(413);
      expect(obs.raw).toMatch(/<Code>EntityTooLarge<\/Code>/);
      const admin = await stall(emu.url, `POST /_emulator/faults HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nx-emulator-token: ${emu.emulator.adminToken}\r\nContent-Length: ${MAX_BODY + 1}\r\n\r\n`);
      expect(statusOf(admin.raw)).toBe(413);
      expect(jsonOf(admin.raw)).toMatchObject({ error_code: 'EMU.0413' });
    });

    it('Expect: 100-continue over the limit hears 413, not 100 Continue', async () => {
      const { raw } = await stall(emu.url, `POST /v1/${project}/vpcs HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${MAX_BODY + 1}\r\n\r\n`);
      expect(statusOf(raw)).toBe(413);
      expect(raw).not.toMatch(/100 Continue/);
    });

    it('a body at the limit\'s scale that the factory sends (32 KB of user_data) is served', async () => {
      const body = JSON.stringify({ vpc: { name: 'big-enough', cidr: '10.9.0.0/16', description: 'x'.repeat(200) }, padding: 'A'.repeat(44_000) });
      const r = await call(emu.url, 'POST', `/v1/${project}/vpcs`, sign('POST', `/v1/${project}/vpcs`, { host, 'content-type': 'application/json' }, sha256(body)), body);
      expect(r.status).toBe(200);
    });
  });

  describe('signatures and X-Sdk-Content-Sha256', () => {
    const path = () => `/v1/${project}/vpcs`;

    it('a signed X-Sdk-Content-Sha256 lets the signature be refused from the head alone, before the body', async () => {
      const declared = sha256('{"vpc":{"name":"never-sent","cidr":"10.1.0.0/16"}}');
      const headers = sign('POST', path(), { host, 'content-type': 'application/json', 'x-sdk-content-sha256': declared }, declared);
      const forged = headers.authorization.replace(/Signature=[0-9a-f]+/, `Signature=${'0'.repeat(64)}`);
      const head = `POST ${path()} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nX-Sdk-Date: ${headers['x-sdk-date']}\r\nX-Sdk-Content-Sha256: ${declared}\r\nAuthorization: ${forged}\r\nContent-Length: 1000\r\n\r\n`;
      const { raw, closed } = await stall(emu.url, head);
      expect(statusOf(raw)).toBe(401);
      expect(jsonOf(raw)).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringMatching(/verify aksk signature fail/) });
      expect(closed).toBe(true);
    });

    it('a body that does not match its signed X-Sdk-Content-Sha256 is a signature error, and nothing is created', async () => {
      const signedBody = JSON.stringify({ vpc: { name: 'the-signed-one', cidr: '10.2.0.0/16' } });
      const headers = sign('POST', path(), { host, 'content-type': 'application/json', 'x-sdk-content-sha256': sha256(signedBody) }, sha256(signedBody));
      const r = await call(emu.url, 'POST', path(), headers, JSON.stringify({ vpc: { name: 'swapped-body', cidr: '10.2.0.0/16' } }));
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringMatching(/does not match its X-Sdk-Content-Sha256/), request_id: expect.any(String) });
      expect(await vpcNames()).not.toContain('swapped-body');
      // The same call with the body it signed goes through.
      expect((await call(emu.url, 'POST', path(), headers, signedBody)).status).toBe(200);
      expect(await vpcNames()).toContain('the-signed-one');
    });

    it('a captured signed POST replayed with another body and an unsigned X-Sdk-Content-Sha256 is refused', async () => {
      const original = JSON.stringify({ vpc: { name: 'captured', cidr: '10.3.0.0/16' } });
      const captured = sign('POST', path(), { host, 'content-type': 'application/json' }, sha256(original));
      const forged = JSON.stringify({ vpc: { name: 'forged-by-replayer', cidr: '10.3.0.0/16' } });
      const r = await call(emu.url, 'POST', path(), { ...captured, 'x-sdk-content-sha256': sha256(original) }, forged);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ error_code: 'APIGW.0301' });
      // Declaring the forged body's hash instead fails the signature, which covers the body's hash.
      const again = await call(emu.url, 'POST', path(), { ...captured, 'x-sdk-content-sha256': sha256(forged) }, forged);
      expect(again.status).toBe(401);
      expect(JSON.parse(again.body)).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringMatching(/verify aksk signature fail/) });
      expect(await vpcNames()).not.toContain('forged-by-replayer');
    });

    it('a signed UNSIGNED-PAYLOAD (sdk-core\'s value for non-JSON bodies) verifies on the headers, as the gateway does', async () => {
      const headers = sign('GET', path(), { host, 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' }, 'UNSIGNED-PAYLOAD');
      expect((await call(emu.url, 'GET', path(), headers)).status).toBe(200);
    });
  });

  describe('the admin API', () => {
    const token = () => emu.emulator.adminToken;
    const fault = JSON.stringify({ kind: 'http', service: 'iam', path: '/never-called$', status: 503 });

    it('answers loopback Host names with its port only (no DNS rebinding)', async () => {
      const port = new URL(emu.url).port;
      for (const h of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await call(emu.url, 'GET', '/_emulator/health', { host: h })).status, h).toBe(200);
      for (const h of ['evil.example', `evil.example:${port}`, '127.0.0.1', `localhost:${Number(port) + 1}`]) {
        const r = await call(emu.url, 'GET', '/_emulator/state', { host: h });
        expect(r.status, h).toBe(403);
        expect(JSON.parse(r.body)).toMatchObject({ error_code: 'EMU.0403' });
        expect(r.body).not.toContain(token());
      }
    });

    it('refuses a cross-origin write, even as a simple text/plain request carrying the token', async () => {
      const r = await call(emu.url, 'POST', '/_emulator/faults', { host, origin: 'http://evil.example', 'content-type': 'text/plain', 'x-emulator-token': token() }, fault);
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ error_code: 'EMU.0403', error_msg: expect.stringContaining('http://evil.example') });
      const json = await call(emu.url, 'POST', '/_emulator/reset', { host, origin: 'https://evil.example', 'content-type': 'application/json', 'x-emulator-token': token() });
      expect(json.status).toBe(403);
      expect((await emu.admin('GET', 'faults')).faults).toEqual([]);
    });

    it('refuses a write in a content type a browser sends without preflight', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const r = await call(emu.url, 'POST', '/_emulator/faults', { host, 'content-type': type, 'x-emulator-token': token() }, fault);
        expect(r.status, type).toBe(415);
        expect(JSON.parse(r.body)).toMatchObject({ error_code: 'EMU.0415' });
      }
      expect((await emu.admin('GET', 'faults')).faults).toEqual([]);
    });

    it('takes a write only with the run\'s token, which GET /_emulator/state shows', async () => {
      expect((await emu.state()).token).toBe(token());
      expect(token()).toMatch(/^[0-9a-f]{48}$/);
      for (const given of [undefined, 'wrong', `${token()}x`]) {
        const r = await call(emu.url, 'POST', '/_emulator/faults', { host, 'content-type': 'application/json', ...(given === undefined ? {} : { 'x-emulator-token': given }) }, fault);
        expect(r.status, String(given)).toBe(401);
        expect(JSON.parse(r.body)).toMatchObject({ error_code: 'EMU.0401', error_msg: expect.stringContaining('x-emulator-token') });
      }
      // A loopback origin (a dev server on this machine) with the token is a local tool: served.
      const ok = await call(emu.url, 'POST', '/_emulator/faults', { host: `localhost:${new URL(emu.url).port}`, origin: 'http://localhost:5173', 'content-type': 'application/json', 'x-emulator-token': token() }, fault);
      expect(ok.status).toBe(201);
      // A write without a body needs no content type (curl -X POST -H 'x-emulator-token: ...').
      expect((await call(emu.url, 'DELETE', '/_emulator/faults', { host, 'x-emulator-token': token() })).status).toBe(204);
      expect((await emu.admin('GET', 'faults')).faults).toEqual([]);
    });
  });
});
