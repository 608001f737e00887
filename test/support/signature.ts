/** What API Gateway does with a request: rebuild the SDK-HMAC-SHA256 canonical request and check the signature. */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function verifySignature(req: SeenRequest, secretKey: string): boolean {
  const auth = String(req.headers.authorization);
  const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return false;
  const signed = m[2].split(';');
  const canonicalUri = req.path.endsWith('/') ? req.path : `${req.path}/`;
  const query = [...req.query.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const headers = signed.map((h) => `${h}:${req.headers[h]}\n`).join('');
  const payload = req.headers['x-sdk-content-sha256'] ? String(req.headers['x-sdk-content-sha256']) : sha256(req.body);
  const canonical = [req.method, canonicalUri, query, headers, signed.join(';'), payload].join('\n');
  const toSign = ['SDK-HMAC-SHA256', req.headers['x-sdk-date'], sha256(canonical)].join('\n');
  return createHmac('sha256', secretKey).update(toSign).digest('hex') === m[3];
}
