/**
 * What API Gateway does with a request: rebuild the SDK-HMAC-SHA256 canonical request and check
 * the signature; and a local HTTP server that records each request for such checks.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface RecordingServer {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** Every request so far, in order (clear it with `seen.length = 0`). */
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/** A server on a free loopback port that records each request, body included, then lets `answer` reply. */
export async function recordingServer(answer: (req: SeenRequest, res: ServerResponse) => void): Promise<RecordingServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://localhost');
      const request = { method: req.method!, path: url.pathname, query: url.searchParams, headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
