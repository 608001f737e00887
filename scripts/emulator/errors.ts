/**
 * Huawei Cloud error answers. Each service has its own body shape, and clients (the Go SDK in
 * the provider, sdk-core in our clients) read the code from it, so a handler throws ApiError
 * and the server renders it in the shape of the service that failed:
 * - API Gateway (auth, throttling, unknown API) and v3 APIs: `{error_code, error_msg, request_id}`
 *   (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html);
 * - ECS and IMS: `{error: {code, message}}` (ECS "Error Codes",
 *   https://support.huaweicloud.com/intl/en-us/api-ecs/errorcode.html; IMS "Error Codes",
 *   https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0402.html);
 * - VPC and EIP v1: `{code, message}` (https://support.huaweicloud.com/intl/en-us/api-vpc/ErrorCode.html);
 * - IAM (Keystone): `{error: {code: <status>, message, title}}`.
 */
import { randomUUID } from 'node:crypto';
import type { EmuResponse, EmuService } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Overrides the service shape (e.g. a v3 VPC API answers in the gateway shape). */
    readonly shape?: 'gateway' | 'nested' | 'flat' | 'keystone',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function shapeOf(service: EmuService | undefined): 'gateway' | 'nested' | 'flat' | 'keystone' {
  switch (service) {
    case 'ecs':
    case 'ims':
    case 'evs':
      return 'nested';
    case 'vpc':
    case 'eip':
      return 'flat';
    case 'iam':
      return 'keystone';
    default:
      return 'gateway';
  }
}

export function errorResponse(err: ApiError, service?: EmuService): EmuResponse {
  const requestId = randomUUID().replace(/-/g, '');
  const shape = err.shape ?? shapeOf(service);
  const body = shape === 'nested' ? { error: { code: err.code, message: err.message } }
    : shape === 'flat' ? { code: err.code, message: err.message, request_id: requestId }
      : shape === 'keystone' ? { error: { code: err.status, message: err.message, title: TITLES[err.status] ?? 'Error' }, error_code: err.code, error_msg: err.message }
        : { error_code: err.code, error_msg: err.message, request_id: requestId };
  return { status: err.status, body, headers: { 'X-Request-Id': requestId, ...err.headers } };
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
