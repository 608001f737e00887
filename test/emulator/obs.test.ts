/**
 * The emulator's OBS: the S3 API subset Terraform's S3 backend uses, signed with AWS Signature V4
 * as the AWS SDKs sign it (here @smithy/signature-v4 configured like the JS SDK's S3 client),
 * answered with OBS's XML errors. The verifier is also checked against the worked examples of
 * the AWS documentation, which no code of ours produced.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAwsSignature } from '../../scripts/emulator/services/obs/sigv4.js';
import { s3Signer } from '../support/obs-state.js';
import { AK, SK, startEmulator, type TestEmulator } from './support.js';

interface S3Options {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  accessKey?: string;
  secretKey?: string;
  region?: string;
}

interface S3Answer { status: number; headers: Headers; text: string; body: Buffer }

/** RFC 3986 escaping, as S3 clients put keys and query values on the wire. */
const esc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const objectPath = (bucket: string, key: string) => `/${bucket}/${key.split('/').map(esc).join('/')}`;
const queryString = (q: Record<string, string> = {}) => Object.entries(q).map(([k, v]) => `${esc(k)}=${esc(v)}`).join('&');
const code = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
const md5 = (s: string) => createHash('md5').update(s).digest();

const signer = (o: S3Options) => s3Signer(o.accessKey ?? AK, o.secretKey ?? SK, o.region);

async function s3(emu: TestEmulator, method: string, path: string, o: S3Options = {}): Promise<S3Answer> {
  const url = new URL(emu.url);
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const signed = await signer(o).sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: o.query ?? {}, headers: { host: url.host, ...o.headers }, body });
  const qs = queryString(o.query);
  const res = await fetch(`${emu.url}${path}${qs ? `?${qs}` : ''}`, { method, headers: signed.headers, body });
  const raw = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: raw.toString('utf8'), body: raw };
}

describe('emulator OBS (S3 API)', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
    expect((await s3(emu, 'PUT', '/tf-state')).status).toBe(200);
  });
  afterAll(() => emu.close());

  it('creates buckets in the signing region or their LocationConstraint, refuses a second create and a bad name', async () => {
    const eu = await s3(emu, 'PUT', '/eu-bucket', { region: 'eu-west-101', body: '<CreateBucketConfiguration><LocationConstraint>eu-west-101</LocationConstraint></CreateBucketConfiguration>' });
    expect(eu.status).toBe(200);
    const head = await s3(emu, 'HEAD', '/eu-bucket');
    expect(head.status).toBe(200);
    expect(head.headers.get('x-amz-bucket-region')).toBe('eu-west-101');
    expect((await s3(emu, 'HEAD', '/tf-state')).headers.get('x-amz-bucket-region')).toBe('ap-southeast-3');
    const location = await s3(emu, 'GET', '/eu-bucket', { query: { location: '' } });
    expect(location.text).toMatch(/<LocationConstraint[^>]*>eu-west-101<\/LocationConstraint>/);

    const again = await s3(emu, 'PUT', '/eu-bucket');
    expect([again.status, code(again.text)]).toEqual([409, 'BucketAlreadyOwnedByYou']);
    const bad = await s3(emu, 'PUT', '/Bad_Name');
    expect([bad.status, code(bad.text)]).toEqual([400, 'InvalidBucketName']);
    expect((await s3(emu, 'HEAD', '/no-such-bucket')).status).toBe(404);

    const list = await s3(emu, 'GET', '/');
    expect(list.text).toContain('<Name>eu-bucket</Name>');
    expect(list.text).toContain('<Name>tf-state</Name>');
    expect((await s3(emu, 'DELETE', '/eu-bucket')).status).toBe(204);
    expect((await s3(emu, 'HEAD', '/eu-bucket')).status).toBe(404);
  });

  it('stores an object and gives it back: ETag is the quoted MD5, HEAD has its length, Range a part', async () => {
    const key = 'image-factory/nginx/1.0.0/builder stack ü.tfstate';
    const content = '{"version":4,"serial":1}';
    const put = await s3(emu, 'PUT', objectPath('tf-state', key), { body: content, headers: { 'content-type': 'application/json', 'content-md5': md5(content).toString('base64') } });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe(`"${md5(content).toString('hex')}"`);

    const get = await s3(emu, 'GET', objectPath('tf-state', key));
    expect(get.status).toBe(200);
    expect(get.text).toBe(content);
    expect(get.headers.get('etag')).toBe(put.headers.get('etag'));
    expect(get.headers.get('content-type')).toBe('application/json');
    expect(get.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{32}$/);

    const head = await s3(emu, 'HEAD', objectPath('tf-state', key));
    expect([head.status, head.headers.get('content-length'), head.text]).toEqual([200, String(content.length), '']);

    const part = await s3(emu, 'GET', objectPath('tf-state', key), { headers: { range: 'bytes=1-9' } });
    expect([part.status, part.text, part.headers.get('content-range')]).toEqual([206, '"version"', `bytes 1-9/${content.length}`]);
  });

  it('refuses a body that does not match its Content-MD5, x-amz-checksum-crc32 or signed x-amz-content-sha256', async () => {
    const badMd5 = await s3(emu, 'PUT', '/tf-state/md5', { body: 'abc', headers: { 'content-md5': md5('abd').toString('base64') } });
    expect([badMd5.status, code(badMd5.text)]).toEqual([400, 'BadDigest']);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32('abd'));
    const badCrc = await s3(emu, 'PUT', '/tf-state/crc', { body: 'abc', headers: { 'x-amz-checksum-crc32': crc.toString('base64') } });
    expect([badCrc.status, code(badCrc.text)]).toEqual([400, 'BadDigest']);
    crc.writeUInt32BE(crc32('abc'));
    expect((await s3(emu, 'PUT', '/tf-state/crc', { body: 'abc', headers: { 'x-amz-checksum-crc32': crc.toString('base64') } })).status).toBe(200);
    const hashOfOther = createHash('sha256').update('other').digest('hex');
    const mismatch = await s3(emu, 'PUT', '/tf-state/sha', { body: 'abc', headers: { 'x-amz-content-sha256': hashOfOther } });
    expect([mismatch.status, code(mismatch.text)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    const unsigned = await s3(emu, 'PUT', '/tf-state/unsigned', { body: 'abc', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(unsigned.status).toBe(200);
    expect((await s3(emu, 'GET', '/tf-state/unsigned')).text).toBe('abc');
  });

  it('reads aws-chunked bodies: unsigned with a trailer, and signed chunk by chunk (a forged chunk is refused)', async () => {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32('hello world'));
    const unsigned = await s3(emu, 'PUT', '/tf-state/chunked', {
      body: `6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:${crc.toString('base64')}\r\n\r\n`,
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '11', 'x-amz-trailer': 'x-amz-checksum-crc32' },
    });
    expect(unsigned.status).toBe(200);
    expect((await s3(emu, 'GET', '/tf-state/chunked')).text).toBe('hello world');

    const url = new URL(emu.url);
    const signingDate = new Date();
    const streamed = async (chunks: string[], forge = false) => {
      const headers = { host: url.host, 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': String(chunks.join('').length) };
      const req = await signer({}).sign({ method: 'PUT', protocol: 'http:', hostname: url.hostname, path: '/tf-state/signed-chunks', query: {}, headers }, { signingDate });
      let prior = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization))?.[1] as string;
      let body = '';
      for (const data of [...chunks, '']) {
        prior = await signer({}).sign({ headers: new Uint8Array(0), payload: Buffer.from(data) }, { signingDate, priorSignature: prior });
        body += `${data.length.toString(16)};chunk-signature=${prior}\r\n${forge && data ? data.toUpperCase() : data}\r\n`;
      }
      const res = await fetch(`${emu.url}/tf-state/signed-chunks`, { method: 'PUT', headers: req.headers, body });
      return { status: res.status, text: await res.text() };
    };
    expect((await streamed(['state ', 'chunks'])).status).toBe(200);
    expect((await s3(emu, 'GET', '/tf-state/signed-chunks')).text).toBe('state chunks');
    const forged = await streamed(['state ', 'chunks'], true);
    expect([forged.status, code(forged.text)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('lists with ListObjectsV2: prefix, delimiter, pages of max-keys with a continuation token', async () => {
    for (const k of ['env:/dev/a.tfstate', 'env:/prod/a.tfstate', 'list/1', 'list/2', 'list/3']) {
      expect((await s3(emu, 'PUT', objectPath('tf-state', k), { body: k })).status).toBe(200);
    }
    const workspaces = await s3(emu, 'GET', '/tf-state', { query: { 'list-type': '2', prefix: 'env:/', delimiter: '/' } });
    expect(workspaces.status).toBe(200);
    expect([...workspaces.text.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix><\/CommonPrefixes>/g)].map((m) => m[1])).toEqual(['env:/dev/', 'env:/prod/']);
    expect(workspaces.text).toContain('<KeyCount>2</KeyCount>');

    const first = await s3(emu, 'GET', '/tf-state', { query: { 'list-type': '2', prefix: 'list/', 'max-keys': '2' } });
    expect([...first.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(['list/1', 'list/2']);
    expect(first.text).toContain('<IsTruncated>true</IsTruncated>');
    expect(first.text).toMatch(new RegExp(`<Size>6</Size>`));
    const token = /<NextContinuationToken>([^<]*)</.exec(first.text)?.[1] as string;
    const second = await s3(emu, 'GET', '/tf-state', { query: { 'list-type': '2', prefix: 'list/', 'max-keys': '2', 'continuation-token': token } });
    expect([...second.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(['list/3']);
    expect(second.text).toContain('<IsTruncated>false</IsTruncated>');
  });

  it('serves virtual-hosted style: the bucket in the Host name', async () => {
    const url = new URL(emu.url);
    const host = `tf-state.obs.ap-southeast-3.myhuaweicloud.com:${url.port}`;
    const signed = await signer({}).sign({ method: 'GET', protocol: 'http:', hostname: host, path: '/list/2', query: {}, headers: { host } });
    // fetch() always sends the URL's host, so node:http carries the bucket host name.
    const res = await new Promise<{ status?: number; text: string }>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: '/list/2', headers: signed.headers }, (r) => {
        let text = '';
        r.on('data', (c) => (text += c));
        r.on('end', () => resolve({ status: r.statusCode, text }));
      }).on('error', reject).end();
    });
    expect([res.status, res.text]).toEqual([200, 'list/2']);
  });

  it('deletes with 204 (a missing key too) and answers missing keys and buckets with 404 NoSuchKey / NoSuchBucket', async () => {
    expect((await s3(emu, 'PUT', '/tf-state/gone', { body: 'x' })).status).toBe(200);
    expect((await s3(emu, 'DELETE', '/tf-state/gone')).status).toBe(204);
    expect((await s3(emu, 'DELETE', '/tf-state/gone')).status).toBe(204);
    const missing = await s3(emu, 'GET', '/tf-state/gone');
    expect([missing.status, code(missing.text)]).toEqual([404, 'NoSuchKey']);
    expect(missing.headers.get('content-type')).toBe('application/xml');
    expect(missing.text).toMatch(/<RequestId>[0-9A-F]{32}<\/RequestId>/);
    expect((await s3(emu, 'HEAD', '/tf-state/gone')).status).toBe(404);
    const noBucket = await s3(emu, 'PUT', '/nowhere/key', { body: 'x' });
    expect([noBucket.status, code(noBucket.text)]).toEqual([404, 'NoSuchBucket']);
    const notEmpty = await s3(emu, 'DELETE', '/tf-state');
    expect([notEmpty.status, code(notEmpty.text)]).toEqual([409, 'BucketNotEmpty']);
    const acl = await s3(emu, 'GET', '/tf-state', { query: { acl: '' } });
    expect([acl.status, code(acl.text)]).toEqual([501, 'NotImplemented']);
  });

  it('refuses a wrong secret, a call changed after signing, an unknown access key and a stale date', async () => {
    const wrong = await s3(emu, 'GET', '/tf-state', { secretKey: 'not-the-secret', query: { 'list-type': '2' } });
    expect([wrong.status, code(wrong.text)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(wrong.text).toMatch(/<RequestId>[0-9A-F]{32}<\/RequestId>/);
    expect(wrong.text).toContain('<CanonicalRequest>GET\n/tf-state\nlist-type=2\n');

    const url = new URL(emu.url);
    const signed = await signer({}).sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, path: '/tf-state/list/1', query: {}, headers: { host: url.host } });
    const tampered = await fetch(`${emu.url}/tf-state/list/2`, { headers: signed.headers });
    expect([tampered.status, code(await tampered.text())]).toEqual([403, 'SignatureDoesNotMatch']);

    const unknown = await s3(emu, 'GET', '/tf-state/list/1', { accessKey: 'UNKNOWNKEY0000000001' });
    expect([unknown.status, code(unknown.text)]).toEqual([403, 'InvalidAccessKeyId']);

    const old = await signer({}).sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, path: '/tf-state/list/1', query: {}, headers: { host: url.host } }, { signingDate: new Date(Date.now() - 20 * 60_000) });
    const stale = await fetch(`${emu.url}/tf-state/list/1`, { headers: old.headers });
    expect([stale.status, code(await stale.text())]).toEqual([403, 'RequestTimeTooSkewed']);
  });

  it('serves presigned URLs until they expire', async () => {
    const url = new URL(emu.url);
    // As the JS SDK's S3 presigner does it: the payload is UNSIGNED-PAYLOAD, not signed nor hoisted.
    const request = { method: 'GET', protocol: 'http:', hostname: url.hostname, path: '/tf-state/list/3', query: {}, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
    const payload = { unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) };
    const fresh = await signer({}).presign(request, { expiresIn: 300, ...payload });
    const res = await fetch(`${emu.url}/tf-state/list/3?${queryString(fresh.query as Record<string, string>)}`);
    expect([res.status, await res.text()]).toEqual([200, 'list/3']);
    const expired = await signer({}).presign(request, { ...payload, expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const late = await fetch(`${emu.url}/tf-state/list/3?${queryString(expired.query as Record<string, string>)}`);
    expect([late.status, code(await late.text())]).toEqual([403, 'AccessDenied']);
  });

  it('honours If-None-Match: * (create only if absent) and If-Match (only over that version) on PUT', async () => {
    const lock = '/tf-state/stack.tfstate.tflock';
    expect((await s3(emu, 'PUT', lock, { body: 'first', headers: { 'if-none-match': '*' } })).status).toBe(200);
    const second = await s3(emu, 'PUT', lock, { body: 'second', headers: { 'if-none-match': '*' } });
    expect([second.status, code(second.text)]).toEqual([412, 'PreconditionFailed']);
    expect((await s3(emu, 'GET', lock)).text).toBe('first');

    const etag = (await s3(emu, 'HEAD', lock)).headers.get('etag') as string;
    const stale = await s3(emu, 'PUT', lock, { body: 'third', headers: { 'if-match': '"00000000000000000000000000000000"' } });
    expect([stale.status, code(stale.text)]).toEqual([412, 'PreconditionFailed']);
    expect((await s3(emu, 'PUT', lock, { body: 'third', headers: { 'if-match': etag } })).status).toBe(200);
    const absent = await s3(emu, 'PUT', '/tf-state/never-written', { body: 'x', headers: { 'if-match': etag } });
    expect([absent.status, code(absent.text)]).toEqual([404, 'NoSuchKey']);
  });

  it('answers injected faults in OBS\'s XML error shape, as S3 clients parse it, with Retry-After', async () => {
    emu.emulator.faults.add({ kind: 'http', service: 'obs', method: 'GET', path: '^/tf-state/', status: 503, retryAfter: 2, times: 1 });
    const busy = await s3(emu, 'GET', '/tf-state/stack.tfstate.tflock');
    expect(busy.status).toBe(503);
    expect(busy.headers.get('content-type')).toBe('application/xml');
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(busy.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>ServiceUnavailable<\/Code><Message>injected fault<\/Message><RequestId>[0-9A-F]{32}<\/RequestId>/);
    expect(busy.headers.get('x-amz-request-id')).toBe(/<RequestId>([^<]+)</.exec(busy.text)?.[1]);
    emu.emulator.faults.add({ kind: 'http', service: 'obs', method: 'PUT', path: '^/tf-state/', status: 403, code: 'AccessDenied', message: 'Access Denied', times: 1 });
    const denied = await s3(emu, 'PUT', '/tf-state/other', { body: 'x' });
    expect([denied.status, code(denied.text)]).toEqual([403, 'AccessDenied']);
    // Used up: the next call gets the real answer.
    expect((await s3(emu, 'PUT', '/tf-state/other', { body: 'x' })).status).toBe(200);
  });
});

describe('emulator OBS without conditional writes (obsConditionalWrites: false)', () => {
  let emu: TestEmulator;
  beforeAll(async () => (emu = await startEmulator({ obsConditionalWrites: false })));
  afterAll(() => emu.close());

  it('ignores If-None-Match and If-Match: the PUT overwrites', async () => {
    expect((await s3(emu, 'PUT', '/tf-state')).status).toBe(200);
    const lock = '/tf-state/stack.tfstate.tflock';
    expect((await s3(emu, 'PUT', lock, { body: 'first', headers: { 'if-none-match': '*' } })).status).toBe(200);
    expect((await s3(emu, 'PUT', lock, { body: 'second', headers: { 'if-none-match': '*' } })).status).toBe(200);
    expect((await s3(emu, 'PUT', lock, { body: 'third', headers: { 'if-match': '"00000000000000000000000000000000"' } })).status).toBe(200);
    expect((await s3(emu, 'GET', lock)).text).toBe('third');
  });
});

describe('AWS Signature V4 verification against the examples of the AWS documentation', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
  const secretOf = (ak: string) => (ak === 'AKIAIOSFODNN7EXAMPLE' ? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' : undefined);
  const at = Date.UTC(2013, 4, 24, 0, 5);
  const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const auth = (signed: string, signature: string) => `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${signature}`;

  it('GET Object with a Range header', async () => {
    const headers = { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': emptyHash, 'x-amz-date': '20130524T000000Z', authorization: auth('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41') };
    const id = await verifyAwsSignature({ method: 'GET', rawPath: '/test.txt', rawQuery: '', headers, body: Buffer.alloc(0) }, secretOf, at);
    expect([id.accessKey, id.region, id.service]).toEqual(['AKIAIOSFODNN7EXAMPLE', 'us-east-1', 's3']);
    await expect(verifyAwsSignature({ method: 'GET', rawPath: '/test.txt', rawQuery: '', headers: { ...headers, range: 'bytes=0-10' }, body: Buffer.alloc(0) }, secretOf, at))
      .rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('PUT Object with a signed Date header and an escaped key', async () => {
    const body = Buffer.from('Welcome to Amazon S3.');
    const headers = {
      host: 'examplebucket.s3.amazonaws.com', date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      authorization: auth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
    };
    await expect(verifyAwsSignature({ method: 'PUT', rawPath: '/test%24file.text', rawQuery: '', headers, body }, secretOf, at)).resolves.toMatchObject({ accessKey: 'AKIAIOSFODNN7EXAMPLE' });
  });

  it('GET Bucket (list objects) with a query', async () => {
    const headers = { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': emptyHash, 'x-amz-date': '20130524T000000Z', authorization: auth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7') };
    await expect(verifyAwsSignature({ method: 'GET', rawPath: '/', rawQuery: 'max-keys=2&prefix=J', headers, body: Buffer.alloc(0) }, secretOf, at)).resolves.toMatchObject({ region: 'us-east-1' });
  });

  it('a presigned GET URL', async () => {
    const rawQuery = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const call = { method: 'GET', rawPath: '/test.txt', rawQuery, headers: { host: 'examplebucket.s3.amazonaws.com' }, body: Buffer.alloc(0) };
    await expect(verifyAwsSignature(call, secretOf, at)).resolves.toMatchObject({ accessKey: 'AKIAIOSFODNN7EXAMPLE' });
    await expect(verifyAwsSignature(call, secretOf, at + 86_400_000)).rejects.toMatchObject({ status: 403, code: 'AccessDenied' });
  });
});
