/**
 * The body of a signed S3 call, as the client declared it in x-amz-content-sha256:
 * - a hex SHA-256: the body must hash to it (else 400 XAmzContentSHA256Mismatch);
 * - UNSIGNED-PAYLOAD: taken as it is;
 * - STREAMING-*: `Content-Encoding: aws-chunked` framing
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 *   sigv4-streaming-trailers.html): `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` ... a
 *   0-size chunk, then optional trailer lines. Each chunk signature chains on the previous one
 *   (the seed is the request's signature) and is signed again with @smithy/signature-v4;
 *   trailer lines (x-amz-checksum-*, x-amz-trailer-signature) are read past, not verified.
 *   The decoded size must equal x-amz-decoded-content-length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { ObsError } from './errors.js';
import { signerFor, type S3Identity } from './sigv4.js';

const SIGNED_STREAMING = new Set(['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER']);
const UNSIGNED_STREAMING = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

const malformed = (why: string) => new ObsError(400, 'IncompleteBody', `the aws-chunked body is malformed: ${why}`);

interface Chunk { data: Buffer; signature?: string }

function splitChunks(body: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) throw malformed('a chunk header has no CRLF');
    const [sizeHex, ...ext] = body.subarray(at, eol).toString('latin1').split(';');
    if (!/^[0-9a-fA-F]+$/.test(sizeHex)) throw malformed(`chunk size "${sizeHex}" is not hexadecimal`);
    const size = parseInt(sizeHex, 16);
    const signature = ext.map((e) => /^chunk-signature=([0-9a-f]{64})$/.exec(e.trim())?.[1]).find(Boolean);
    const start = eol + 2;
    if (start + size > body.length) throw malformed('a chunk is shorter than its declared size');
    chunks.push({ data: body.subarray(start, start + size), signature });
    if (size === 0) return chunks; // trailers (if any) follow; they are not part of the object
    if (body.subarray(start + size, start + size + 2).toString('latin1') !== '\r\n') throw malformed('a chunk does not end with CRLF');
    at = start + size + 2;
  }
}

/** The object bytes of a verified call. */
export async function decodePayload(body: Buffer, headers: IncomingHttpHeaders, id: S3Identity, secret: string): Promise<Buffer> {
  const declared = id.payloadHash;
  if (/^[0-9a-f]{64}$/.test(declared)) {
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== declared) throw new ObsError(400, 'XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.', { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: actual });
    return body;
  }
  if (declared === 'UNSIGNED-PAYLOAD') return body;
  if (!SIGNED_STREAMING.has(declared) && declared !== UNSIGNED_STREAMING) {
    throw new ObsError(400, 'InvalidArgument', `x-amz-content-sha256 "${declared}" is not a SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* value`);
  }
  const chunks = splitChunks(body);
  if (SIGNED_STREAMING.has(declared)) {
    const signer = signerFor(id.accessKey, secret, id.region, id.service);
    const signingDate = new Date(`${id.longDate.slice(0, 4)}-${id.longDate.slice(4, 6)}-${id.longDate.slice(6, 8)}T${id.longDate.slice(9, 11)}:${id.longDate.slice(11, 13)}:${id.longDate.slice(13, 15)}Z`);
    let prior = id.signature;
    for (const chunk of chunks) {
      if (!chunk.signature) throw malformed('a chunk of a signed stream has no chunk-signature');
      // AWS4-HMAC-SHA256-PAYLOAD string to sign; its "headers" hash is the empty string's.
      const expected = await signer.sign({ headers: new Uint8Array(0), payload: chunk.data }, { signingDate, priorSignature: prior, signingRegion: id.region, signingService: id.service });
      if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(chunk.signature, 'hex'))) {
        throw new ObsError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (chunk signature).');
      }
      prior = chunk.signature;
    }
  }
  const data = Buffer.concat(chunks.map((c) => c.data));
  const decodedLength = headers['x-amz-decoded-content-length'];
  if (decodedLength !== undefined && Number(decodedLength) !== data.length) {
    throw new ObsError(400, 'IncompleteBody', `x-amz-decoded-content-length says ${decodedLength} bytes, the chunks hold ${data.length}`);
  }
  return data;
}

/** The flexible checksums S3 verifies (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html); CRC32C and CRC64NVME are not checked. */
const CHECKSUMS: Record<string, { name: string; of: (b: Buffer) => string }> = {
  'x-amz-checksum-crc32': { name: 'CRC32', of: (b) => { const x = Buffer.alloc(4); x.writeUInt32BE(crc32(b)); return x.toString('base64'); } },
  'x-amz-checksum-sha1': { name: 'SHA1', of: (b) => createHash('sha1').update(b).digest('base64') },
  'x-amz-checksum-sha256': { name: 'SHA256', of: (b) => createHash('sha256').update(b).digest('base64') },
};

/**
 * Terraform 1.11's AWS SDK sends `x-amz-checksum-crc32` with every PutObject over plain HTTP,
 * even with skip_s3_checksum: a wrong one is refused as S3 refuses it (400 BadDigest).
 */
export function checkChecksums(headers: IncomingHttpHeaders, body: Buffer): void {
  for (const [name, c] of Object.entries(CHECKSUMS)) {
    const given = headers[name];
    if (given !== undefined && String(given) !== c.of(body)) {
      throw new ObsError(400, 'BadDigest', `The ${c.name} you specified did not match the calculated checksum.`);
    }
  }
}
