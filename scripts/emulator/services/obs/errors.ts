/**
 * OBS (S3 API) errors: an XML body `<Error><Code/><Message/><RequestId/>...</Error>` with the
 * status of the code, as OBS documents them ("Error Codes",
 * https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0115.html) and S3 clients parse them.
 */
import { randomBytes } from 'node:crypto';
import type { EmuResponse } from '../../types.js';

export class ObsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements of the error body (Resource, Key, BucketName ...). */
    readonly detail: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ObsError';
  }
}

export const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

/** `x-amz-request-id` / `x-amz-id-2`, as OBS answers S3-signed calls. */
export function requestHeaders(): Record<string, string> {
  const id = randomBytes(16).toString('hex').toUpperCase();
  return { 'x-amz-request-id': id, 'x-amz-id-2': randomBytes(24).toString('base64'), Server: 'OBS' };
}

export function xmlResponse(status: number, xml: string, headers: Record<string, string> = requestHeaders()): EmuResponse {
  return { status, raw: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, headers: { 'Content-Type': 'application/xml', ...headers } };
}

export function errorXml(err: ObsError): EmuResponse {
  const headers = requestHeaders();
  const extra = Object.entries(err.detail).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  return xmlResponse(err.status, `<Error><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message>${extra}<RequestId>${headers['x-amz-request-id']}</RequestId><HostId>${headers['x-amz-id-2']}</HostId></Error>`, headers);
}
