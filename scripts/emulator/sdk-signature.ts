/**
 * Verifies the SDK-HMAC-SHA256 (AK/SK) signature of a call, as API Gateway does: rebuild the
 * canonical request from what arrived and compare HMACs. The algorithm is Huawei's "API Request
 * Signing Guide" (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm.html);
 * the details (each path segment escaped, a trailing slash added, sorted query, only the
 * headers named in SignedHeaders, X-Sdk-Content-Sha256 standing for the body hash) follow the
 * signers of the Go SDK the provider uses (github.com/chnsz/golangsdk auth/core/signer/signer.go)
 * and of sdk-core, so both clients verify.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';

/** Gateway answers (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html). */
const authError = (message: string) => new ApiError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${message}`, 'gateway');

/** RFC 3986 unreserved characters stay, every other byte is %XX (upper case), as the signers do. */
function escape(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_\-~.]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function canonicalUri(rawPath: string): string {
  const path = rawPath.split('/').map((seg) => escape(decode(seg))).join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

export function canonicalQuery(rawQuery: string): string {
  const pairs = new URLSearchParams(rawQuery);
  const keys = [...new Set(pairs.keys())].sort();
  return keys.flatMap((k) => pairs.getAll(k).sort().map((v) => `${escape(k)}=${escape(v)}`)).join('&');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** "20261130T170000Z" -> ms, or NaN. */
function parseSdkDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

export interface SignedCall {
  readonly method: string;
  /** Raw path as received (still percent-encoded) and raw query string without "?". */
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** API Gateway accepts a signature date within 15 minutes of its own clock. */
const MAX_SKEW_MS = 15 * 60_000;

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
/** sdk-core's value for a body it does not sign (non-JSON content types); the gateway accepts it. */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

interface ParsedAuth { ak: string; signed: string[]; signature: string }

function parseAuth(headers: IncomingHttpHeaders): ParsedAuth {
  const auth = headers.authorization;
  if (!auth) throw authError('no Authorization header; sign the request with an access key (SDK-HMAC-SHA256)');
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(String(auth));
  if (!m) throw authError('the Authorization header is not an SDK-HMAC-SHA256 signature');
  return { ak: m[1], signed: m[2].split(';'), signature: m[3] };
}

function declaredHash(headers: IncomingHttpHeaders): string | undefined {
  const v = headers['x-sdk-content-sha256'];
  return v === undefined ? undefined : String(v).trim();
}

/**
 * The body hash a call declares in X-Sdk-Content-Sha256 when that header is among its
 * SignedHeaders: the signature then covers it, so it can be verified before the body is read
 * (and the body checked against it as it arrives). Undefined when the call declares none, or
 * declares one it did not sign, or carries no SDK-HMAC-SHA256 Authorization at all: then the
 * signature covers the body's own hash, known only once the body is read.
 */
export function signedPayloadHash(headers: IncomingHttpHeaders): string | undefined {
  const declared = declaredHash(headers);
  if (declared === undefined) return undefined;
  try {
    return parseAuth(headers).signed.includes('x-sdk-content-sha256') ? declared : undefined;
  } catch {
    return undefined;
  }
}

/** The body against a declared hash; a mismatch is the gateway's signature error. */
export function checkPayloadHash(declared: string, bodyHash: string): void {
  if (declared === UNSIGNED_PAYLOAD) return;
  if (declared.toLowerCase() !== bodyHash) throw authError('the body does not match its X-Sdk-Content-Sha256');
}

/**
 * The access key of a correctly signed call; throws the gateway's 401 otherwise.
 * `secretOf` gives the secret of a known access key. The payload hash of the canonical request
 * is `payloadHash` when given (a signed X-Sdk-Content-Sha256, checked before the body is read:
 * `call.body` is then not looked at, and the caller checks the body with checkPayloadHash),
 * else the SHA-256 of `call.body`. An X-Sdk-Content-Sha256 left out of SignedHeaders proves
 * nothing: the body's own hash is signed, and the header must still match the body.
 */
export function verifySdkSignature(call: SignedCall, secretOf: (ak: string) => string | undefined, realNow = Date.now(), payloadHash?: string): string {
  const { ak, signed, signature } = parseAuth(call.headers);
  const secret = secretOf(ak);
  if (secret === undefined) throw authError(`ak ${ak} not exist`);
  const date = String(call.headers['x-sdk-date'] ?? '');
  const at = parseSdkDate(date);
  if (Number.isNaN(at)) throw authError('X-Sdk-Date is missing or not in the format 20060102T150405Z');
  if (Math.abs(realNow - at) > MAX_SKEW_MS) throw authError(`the signature date ${date} is more than 15 minutes from the server time`);
  const declared = declaredHash(call.headers);
  if (declared !== undefined && declared !== UNSIGNED_PAYLOAD && !HEX_SHA256.test(declared)) throw authError('X-Sdk-Content-Sha256 is neither a hex SHA-256 nor UNSIGNED-PAYLOAD');
  let payload = payloadHash;
  if (payload === undefined) {
    payload = sha256(call.body);
    if (declared !== undefined) checkPayloadHash(declared, payload);
  }
  const headerLines = signed.map((name) => {
    const v = call.headers[name];
    const values = (Array.isArray(v) ? v : [v ?? '']).map((x) => String(x).trim()).sort();
    return values.map((x) => `${name}:${x}`).join('\n');
  }).join('\n');
  const canonical = [call.method, canonicalUri(call.rawPath), canonicalQuery(call.rawQuery), `${headerLines}\n`, signed.join(';'), payload].join('\n');
  const toSign = ['SDK-HMAC-SHA256', date, sha256(canonical)].join('\n');
  const expected = createHmac('sha256', secret).update(toSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw authError('verify aksk signature fail');
  return ak;
}
