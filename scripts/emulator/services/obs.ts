import type { IncomingHttpHeaders } from 'node:http';
import type { EmuContext, EmuResponse } from '../types.js';

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

export const obsService = {
  async handle(_call: ObsCall, _ctx: EmuContext): Promise<EmuResponse> {
    return { status: 501, body: { error_code: 'EMU.0501', error_msg: 'OBS is not served yet' } };
  },
};
