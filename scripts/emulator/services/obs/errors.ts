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

/**
 * The code OBS answers with a status when a fault names none (OBS's "Error Codes" page:
 * InternalError 500, ServiceUnavailable and SlowDown 503, AccessDenied 403).
 */
export function defaultObsCode(status: number): string {
  if (status === 429 || status === 503) return status === 429 ? 'SlowDown' : 'ServiceUnavailable';
  if (status >= 500) return 'InternalError';
  return status === 403 ? 'AccessDenied' : 'InvalidRequest';
}

export function errorXml(err: ObsError, extraHeaders: Readonly<Record<string, string>> = {}): EmuResponse {
  const headers = { ...requestHeaders(), ...extraHeaders };
  const extra = Object.entries(err.detail).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  return xmlResponse(err.status, `<Error><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message>${extra}<RequestId>${headers['x-amz-request-id']}</RequestId><HostId>${headers['x-amz-id-2']}</HostId></Error>`, headers);
}
