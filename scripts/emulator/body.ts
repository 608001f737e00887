/**
 * Request bodies: a hard size limit, checked on the declared Content-Length before a byte is
 * read and counted again while a body streams in (chunked bodies declare no length), and an
 * optional SHA-256 of the body computed as it arrives.
 */
import type { Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The largest body the emulator reads: 8 MiB. The largest real requests are far below it: the
 * factory's and the huaweicloud provider's JSON calls are a few KB, the biggest an ECS create
 * whose user_data is at most 32 KB of base64 (ECS's own limit) inside the JSON, so under 64 KB;
 * the OBS objects are Terraform state files (and their .tflock), tens to hundreds of KB for the
 * factory's stacks. 8 MiB leaves a wide margin for both, while ten bodies at the limit in flight
 * hold 80 MiB, not the 640 MiB that ten 64 MB bodies did.
 */
export const MAX_BODY = 8 * 1024 * 1024;

/** A body over MAX_BODY: answered 413, in the shape of whoever would have answered. */
export class BodyTooLarge extends Error {
  constructor(readonly declared?: number) {
    super(declared === undefined ? `the request body is over ${MAX_BODY} bytes (the emulator's limit)` : `the request body (Content-Length ${declared}) is over ${MAX_BODY} bytes (the emulator's limit)`);
    this.name = 'BodyTooLarge';
  }
}

/** A declared Content-Length over the limit (known before any byte of the body is read). */
export function declaredTooLarge(req: IncomingMessage): BodyTooLarge | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > MAX_BODY ? new BodyTooLarge(n) : undefined;
}

/**
 * The whole body, at most MAX_BODY bytes; over that, rejects with BodyTooLarge and stops
 * reading (the caller answers 413 and closes the connection). `hash` is fed each chunk.
 */
export function readBody(req: IncomingMessage, hash?: Hash): Promise<Buffer> {
  const early = declaredTooLarge(req);
  if (early) return Promise.reject(early);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      hash?.update(c);
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
