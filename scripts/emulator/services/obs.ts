/**
 * OBS through its S3-compatible API: the subset Terraform's S3 backend uses to keep state, and a
 * little around it. Path-style `/{bucket}/{key}` and virtual-hosted `{bucket}.obs.<region>.
 * myhuaweicloud.com` / `{bucket}.localhost` hosts; every call signed with AWS Signature V4
 * (obs/sigv4.ts). Buckets and objects live in the account (account.data.buckets), so
 * `--state` keeps them and `/_emulator/state` summarises them.
 *
 * Served (OBS API reference, https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0020.html
 * for buckets and obs_04_0080.html onwards for objects; S3's shapes where OBS follows S3):
 *   GET /                      ListBuckets
 *   PUT /{bucket}              CreateBucket (LocationConstraint, else the signing region)
 *   HEAD /{bucket}             HeadBucket
 *   GET /{bucket}?location     GetBucketLocation
 *   GET /{bucket}[?list-type=2] ListObjects (v1) / ListObjectsV2
 *   DELETE /{bucket}           DeleteBucket (empty buckets only)
 *   PUT /{bucket}/{key}        PutObject (Content-MD5 and x-amz-checksum-* checked; If-None-Match: *, If-Match)
 *   GET|HEAD /{bucket}/{key}   GetObject / HeadObject (Range, If-Match, If-None-Match)
 *   DELETE /{bucket}/{key}     DeleteObject (204, also for a missing key)
 * Anything else (ACLs, versioning, multipart ...) is answered 501 NotImplemented.
 *
 * Conditional writes: `If-None-Match: *` on a PUT is S3's create-only-if-absent
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), which
 * Terraform's `use_lockfile` relies on to take the `<key>.tflock` lock. With
 * `obsConditionalWrites: false` the emulator plays an OBS that ignores the precondition headers.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AccountData, ObsObject } from '../account.js';
import type { EmuContext, EmuResponse } from '../types.js';
import { ObsError, errorXml, requestHeaders, xmlEscape, xmlResponse } from './obs/errors.js';
import { listParams, listXml } from './obs/list.js';
import { checkChecksums, decodePayload } from './obs/payload.js';
import { verifyAwsSignature, type S3Identity } from './obs/sigv4.js';

export interface ObsCall {
  readonly method: string;
  readonly path: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** An S3-style call: signed with AWS Signature V4 (header or presigned query). */
export function isObsCall(headers: IncomingHttpHeaders, query: URLSearchParams): boolean {
  return /^AWS4-HMAC-SHA256 /.test(String(headers.authorization ?? '')) || query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256';
}

type Bucket = AccountData['buckets'][string];

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Query parameters each kind of call may carry besides x-id and X-Amz-*. */
const ALLOWED_QUERY = {
  service: [],
  bucket: ['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner', 'marker', 'location'],
  object: [],
} as const;

interface Target { bucket?: string; key?: string }

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ObsError(400, 'InvalidURI', `Couldn't parse the specified URI: ${s}`);
  }
}

/** Bucket and key of a call: from a `{bucket}.obs.<region>.myhuaweicloud.*` or `{bucket}.localhost` host, else path-style. */
function targetOf(call: ObsCall): Target {
  const host = String(call.headers.host ?? '').replace(/:\d+$/, '');
  const virtual = /^(.+)\.obs\.[a-z0-9-]+\.myhuaweicloud\.(?:com|eu)$/.exec(host) ?? /^(.+)\.localhost$/.exec(host);
  const path = call.rawPath.replace(/^\//, '');
  if (virtual) return { bucket: virtual[1], key: path ? decodeSegment(path) : undefined };
  if (!path) return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodeSegment(path) };
  const key = path.slice(slash + 1);
  return { bucket: decodeSegment(path.slice(0, slash)), key: key ? decodeSegment(key) : undefined };
}

/** OBS bucket names: 3-63 characters, lower-case letters, digits, hyphens and periods, not an IP address. */
function checkBucketName(name: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) || /\.\.|\.-|-\./.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    throw new ObsError(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
  }
}

function checkQuery(query: URLSearchParams, allowed: readonly string[], what: string): void {
  for (const k of query.keys()) {
    // x-id names the SDK operation; X-Amz-* are presigned-URL parameters and hoisted headers.
    if (k === 'x-id' || /^x-amz-/i.test(k) || allowed.includes(k)) continue;
    throw new ObsError(501, 'NotImplemented', `the emulator does not serve "${k}" on ${what}`);
  }
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => (h[name] === undefined ? undefined : String(h[name]));
const httpDate = (ms: number) => new Date(ms).toUTCString();
const ok = (status: number, headers: Record<string, string> = {}, raw?: Buffer | string): EmuResponse => ({ status, raw, headers: { ...requestHeaders(), ...headers } });

function bucketOf(buckets: Record<string, Bucket>, name: string): Bucket {
  const b = buckets[name];
  if (!b) throw new ObsError(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
  return b;
}

function objectOf(bucket: Bucket, name: string, key: string): ObsObject {
  const o = bucket.objects[key];
  if (!o) throw new ObsError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key, Resource: `/${name}/${key}` });
  return o;
}

/** ETag comparison as HTTP does it: quoted or not, a list, or *. */
function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').map((s) => s.trim()).some((c) => c === '*' || c === etag || `"${c}"` === etag);
}

// ---- buckets ----

function listBuckets(ctx: EmuContext): EmuResponse {
  const domain = ctx.account.data.domain;
  const buckets = Object.entries(ctx.account.data.buckets).sort(([a], [b]) => a.localeCompare(b))
    .map(([name, b]) => `<Bucket><Name>${xmlEscape(name)}</Name><CreationDate>${new Date(b.created).toISOString()}</CreationDate></Bucket>`).join('');
  return xmlResponse(200, `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${domain.id}</ID><DisplayName>${xmlEscape(domain.name)}</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`);
}

function createBucket(id: S3Identity, name: string, body: Buffer, ctx: EmuContext): EmuResponse {
  checkBucketName(name);
  const buckets = ctx.account.data.buckets;
  if (buckets[name]) throw new ObsError(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
  const text = body.toString('utf8');
  if (text.trim() && !/<CreateBucketConfiguration[\s>]/.test(text)) throw new ObsError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  const region = /<LocationConstraint>\s*([^<\s]*)\s*<\/LocationConstraint>/.exec(text)?.[1] || id.region;
  buckets[name] = { region, created: ctx.now, objects: {} };
  ctx.account.touch();
  return ok(200, { Location: `/${name}` });
}

function getBucket(call: ObsCall, name: string, ctx: EmuContext): EmuResponse {
  const bucket = bucketOf(ctx.account.data.buckets, name);
  if (call.query.has('location')) return xmlResponse(200, `<LocationConstraint xmlns="${NS}">${xmlEscape(bucket.region)}</LocationConstraint>`);
  const v2 = call.query.get('list-type') === '2';
  if (call.query.has('list-type') && !v2) throw new ObsError(400, 'InvalidArgument', `list-type must be 2, found "${call.query.get('list-type')}"`);
  return xmlResponse(200, listXml(name, bucket.objects, listParams(call.query, v2), v2, call.query));
}

function deleteBucket(name: string, ctx: EmuContext): EmuResponse {
  const bucket = bucketOf(ctx.account.data.buckets, name);
  if (Object.keys(bucket.objects).length) throw new ObsError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
  delete ctx.account.data.buckets[name];
  ctx.account.touch();
  return ok(204);
}

// ---- objects ----

function checkContentMd5(headers: IncomingHttpHeaders, body: Buffer): void {
  const given = header(headers, 'content-md5');
  if (given === undefined) return;
  if (Buffer.from(given, 'base64').length !== 16) throw new ObsError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': given });
  if (createHash('md5').update(body).digest('base64') !== given) throw new ObsError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: given });
}

/**
 * If-None-Match: * refuses to overwrite, If-Match refuses to write over another version (or
 * nothing), as S3 conditional writes do; OBS without them ignores both.
 */
function checkWritePreconditions(headers: IncomingHttpHeaders, bucket: Bucket, name: string, key: string, ctx: EmuContext): void {
  if (ctx.options.obsConditionalWrites === false) return;
  const existing = bucket.objects[key];
  const noneMatch = header(headers, 'if-none-match');
  if (noneMatch !== undefined) {
    if (noneMatch.trim() !== '*') throw new ObsError(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
    if (existing) throw new ObsError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
  }
  const match = header(headers, 'if-match');
  if (match !== undefined) {
    if (!existing) throw new ObsError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key, Resource: `/${name}/${key}` });
    if (!etagMatches(match, existing.etag)) throw new ObsError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
}

function putObject(call: ObsCall, name: string, key: string, body: Buffer, ctx: EmuContext): EmuResponse {
  if (header(call.headers, 'x-amz-copy-source') !== undefined) throw new ObsError(501, 'NotImplemented', 'the emulator does not serve CopyObject');
  if (Buffer.byteLength(key) > 1024) throw new ObsError(400, 'KeyTooLongError', 'Your key is too long');
  const bucket = bucketOf(ctx.account.data.buckets, name);
  checkContentMd5(call.headers, body);
  checkChecksums(call.headers, body);
  // Check and write in one synchronous step: two racing PUTs cannot both pass If-None-Match.
  checkWritePreconditions(call.headers, bucket, name, key, ctx);
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  bucket.objects[key] = { body: body.toString('base64'), etag, lastModified: ctx.now, contentType: header(call.headers, 'content-type') };
  ctx.account.touch();
  return ok(200, { ETag: etag });
}

function getObject(call: ObsCall, name: string, key: string, ctx: EmuContext): EmuResponse {
  const bucket = bucketOf(ctx.account.data.buckets, name);
  const o = objectOf(bucket, name, key);
  const meta = { ETag: o.etag, 'Last-Modified': httpDate(o.lastModified), 'Content-Type': o.contentType ?? 'binary/octet-stream', 'Accept-Ranges': 'bytes' };
  const match = header(call.headers, 'if-match');
  if (match !== undefined && !etagMatches(match, o.etag)) throw new ObsError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  const noneMatch = header(call.headers, 'if-none-match');
  if (noneMatch !== undefined && etagMatches(noneMatch, o.etag)) return ok(304, { ETag: o.etag, 'Last-Modified': meta['Last-Modified'] });
  const body = Buffer.from(o.body, 'base64');
  const range = header(call.headers, 'range');
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (m && (m[1] || m[2])) {
    const start = m[1] ? Number(m[1]) : Math.max(0, body.length - Number(m[2]));
    const end = m[1] && m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    if (start >= body.length || start > end) throw new ObsError(416, 'InvalidRange', 'The requested range cannot be satisfied.', { RangeRequested: range as string, ActualObjectSize: String(body.length) });
    return ok(206, { ...meta, 'Content-Range': `bytes ${start}-${end}/${body.length}` }, body.subarray(start, end + 1));
  }
  // For HEAD, Node sends the headers (Content-Length included) and drops the body.
  return ok(200, meta, body);
}

function deleteObject(name: string, key: string, ctx: EmuContext): EmuResponse {
  const bucket = bucketOf(ctx.account.data.buckets, name);
  if (bucket.objects[key]) {
    delete bucket.objects[key];
    ctx.account.touch();
  }
  return ok(204);
}

async function serve(call: ObsCall, ctx: EmuContext): Promise<EmuResponse> {
  const secretOf = (ak: string) => ctx.options.credentials[ak];
  const id = await verifyAwsSignature(call, secretOf);
  const body = await decodePayload(call.body, call.headers, id, secretOf(id.accessKey) as string);
  const { bucket, key } = targetOf(call);
  const method = call.method;
  if (bucket === undefined) {
    checkQuery(call.query, ALLOWED_QUERY.service, 'the service');
    if (method === 'GET') return listBuckets(ctx);
  } else if (key === undefined) {
    checkQuery(call.query, ALLOWED_QUERY.bucket, 'a bucket');
    if (method === 'PUT') return createBucket(id, bucket, body, ctx);
    if (method === 'HEAD') {
      const b = bucketOf(ctx.account.data.buckets, bucket);
      return ok(200, { 'x-amz-bucket-region': b.region, 'x-obs-bucket-location': b.region });
    }
    if (method === 'GET') return getBucket(call, bucket, ctx);
    if (method === 'DELETE') return deleteBucket(bucket, ctx);
  } else {
    checkQuery(call.query, ALLOWED_QUERY.object, 'an object');
    if (method === 'PUT') return putObject(call, bucket, key, body, ctx);
    if (method === 'GET' || method === 'HEAD') return getObject(call, bucket, key, ctx);
    if (method === 'DELETE') return deleteObject(bucket, key, ctx);
  }
  throw new ObsError(405, 'MethodNotAllowed', `The specified method is not allowed against this resource: ${method}`);
}

export const obsService = {
  async handle(call: ObsCall, ctx: EmuContext): Promise<EmuResponse> {
    try {
      return await serve(call, ctx);
    } catch (err) {
      if (err instanceof ObsError) return errorXml(err);
      throw err;
    }
  },
};
