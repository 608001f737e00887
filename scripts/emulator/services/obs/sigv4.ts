/**
 * AWS Signature Version 4 as OBS accepts it on its S3-compatible API
 * (https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0009.html; the algorithm:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html).
 *
 * The signature is never re-implemented here: the call is rebuilt from what arrived (method,
 * raw path, query, only the headers named in SignedHeaders, x-amz-date, and the payload hash the
 * client declared in x-amz-content-sha256) and signed again with @smithy/signature-v4, the
 * signer of the AWS JS SDK, with the secret of the access key; the signatures must be equal.
 * Both the header form (Authorization) and the presigned query form (X-Amz-Signature) verify.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { ALGORITHM_IDENTIFIER, SignatureV4, createScope, getCanonicalHeaders } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { ObsError } from './errors.js';

export interface SignedS3Call {
  readonly method: string;
  /** As received, still percent-encoded (S3's canonical URI is the path as sent). */
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface S3Identity {
  readonly accessKey: string;
  /** The region of the credential scope (OBS accepts the call whatever it says). */
  readonly region: string;
  readonly service: string;
  /** `x-amz-date` of the call. */
  readonly longDate: string;
  /** The signature of the call: the seed of aws-chunked chunk signatures. */
  readonly signature: string;
  /** The declared payload hash: hex, UNSIGNED-PAYLOAD or STREAMING-*. */
  readonly payloadHash: string;
}

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

/** A signer for one key pair and scope (S3 signs the path as sent, without a second escaping). */
export function signerFor(accessKey: string, secret: string, region: string, service: string): SignatureV4 {
  return new SignatureV4({ credentials: { accessKeyId: accessKey, secretAccessKey: secret }, region, service, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
}

/**
 * The signer's own steps, given the received call as it is: the canonical request of exactly
 * the headers the client signed (a signed `date` included, which `sign()` would replace), the
 * string to sign, and its HMAC with the derived key.
 */
class ReceivedCallSigner extends SignatureV4 {
  constructor(accessKey: string, secret: string, region: string, service: string) {
    super({ credentials: { accessKeyId: accessKey, secretAccessKey: secret }, region, service, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  }

  async signatureOf(request: HttpRequest, signed: Set<string>, payloadHash: string, date: Date, region: string, service: string) {
    const canonicalRequest = this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, signed), payloadHash);
    const { longDate, shortDate } = this.formatDate(date);
    const stringToSign = await this.createStringToSign(longDate, createScope(shortDate, region, service), canonicalRequest, ALGORITHM_IDENTIFIER);
    const signature = await this.sign(stringToSign, { signingDate: date, signingRegion: region, signingService: service });
    return { signature, canonicalRequest, stringToSign };
  }
}

/** Requests are refused when their date is more than 15 minutes from the server's (S3 and OBS). */
const MAX_SKEW_MS = 15 * 60_000;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Raw query -> the query bag the signer canonicalizes (it escapes again). */
function queryBag(rawQuery: string): Record<string, string | string[]> {
  const bag: Record<string, string | string[]> = {};
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = decode(i < 0 ? part : part.slice(0, i));
    const v = i < 0 ? '' : decode(part.slice(i + 1));
    const prev = bag[k];
    bag[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return bag;
}

/** "20261130T170000Z" -> Date, or undefined. */
function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v);
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && x.length === y.length && timingSafeEqual(x, y);
}

interface Scope { accessKey: string; shortDate: string; region: string; service: string }

function parseCredential(credential: string): Scope {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !parts[0]) {
    throw new ObsError(400, 'AuthorizationHeaderMalformed', `the credential ${credential} is not <access key>/<date>/<region>/<service>/aws4_request`);
  }
  return { accessKey: parts[0], shortDate: parts[1], region: parts[2], service: parts[3] };
}

function signedHeaderBag(call: SignedS3Call, signed: string[]): Record<string, string> {
  const bag: Record<string, string> = {};
  for (const name of signed) {
    const v = header(call.headers, name);
    if (v !== undefined) bag[name] = v;
  }
  return bag;
}

/**
 * The identity of a correctly signed S3 call; throws the S3 error otherwise:
 * 403 InvalidAccessKeyId, 403 SignatureDoesNotMatch, 403 RequestTimeTooSkewed, 403 AccessDenied
 * (expired presigned URL), 400 AuthorizationHeaderMalformed.
 */
export async function verifyAwsSignature(call: SignedS3Call, secretOf: (ak: string) => string | undefined, realNow = Date.now()): Promise<S3Identity> {
  const query = queryBag(call.rawQuery);
  const presigned = typeof query['X-Amz-Signature'] === 'string';
  let scope: Scope;
  let signed: string[];
  let given: string;
  let longDate: string;
  if (presigned) {
    scope = parseCredential(String(query['X-Amz-Credential'] ?? ''));
    signed = String(query['X-Amz-SignedHeaders'] ?? '').split(';').filter(Boolean);
    given = String(query['X-Amz-Signature']);
    longDate = String(query['X-Amz-Date'] ?? '');
  } else {
    const auth = header(call.headers, 'authorization') ?? '';
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]+)\s*$/.exec(auth);
    if (!m) throw new ObsError(400, 'AuthorizationHeaderMalformed', 'the Authorization header is not AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...');
    scope = parseCredential(m[1]);
    signed = m[2].split(';');
    given = m[3];
    longDate = header(call.headers, 'x-amz-date') ?? '';
  }
  const secret = secretOf(scope.accessKey);
  if (secret === undefined) throw new ObsError(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: scope.accessKey });
  const date = parseAmzDate(longDate);
  if (!date || longDate.slice(0, 8) !== scope.shortDate) {
    throw new ObsError(403, 'AccessDenied', `the request date "${longDate}" is missing, malformed or not the date of the credential scope (${scope.shortDate})`);
  }
  let payloadHash: string;
  if (presigned) {
    const expires = Number(query['X-Amz-Expires'] ?? 'NaN');
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) throw new ObsError(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be a number of seconds between 1 and 604800');
    if (realNow > date.getTime() + expires * 1000) throw new ObsError(403, 'AccessDenied', 'Request has expired', { Expires: new Date(date.getTime() + expires * 1000).toISOString(), ServerTime: new Date(realNow).toISOString() });
    // A presigned S3 URL signs no payload.
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else {
    if (Math.abs(realNow - date.getTime()) > MAX_SKEW_MS) {
      throw new ObsError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server\'s time is too large.', { RequestTime: longDate, ServerTime: new Date(realNow).toISOString() });
    }
    // Without the header (a generic SigV4 client) the payload hash is the body's, as the client computed it.
    payloadHash = header(call.headers, 'x-amz-content-sha256') ?? createHash('sha256').update(call.body).digest('hex');
  }
  const request = { method: call.method, protocol: 'http:', hostname: header(call.headers, 'host') ?? '', path: call.rawPath, query, headers: signedHeaderBag(call, signed) } as HttpRequest;
  const signer = new ReceivedCallSigner(scope.accessKey, secret, scope.region, scope.service);
  const { signature: expected, canonicalRequest, stringToSign } = await signer.signatureOf(request, new Set(signed), payloadHash, date, scope.region, scope.service);
  if (!sameHex(given, expected)) {
    // S3 shows what it signed, so a client author can diff it with their own.
    throw new ObsError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', { AWSAccessKeyId: scope.accessKey, StringToSign: stringToSign, CanonicalRequest: canonicalRequest });
  }
  return { accessKey: scope.accessKey, region: scope.region, service: scope.service, longDate, signature: given, payloadHash };
}
