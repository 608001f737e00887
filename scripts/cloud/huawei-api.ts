/**
 * Signed calls to Huawei Cloud REST APIs through @huaweicloud/huaweicloud-sdk-core: it signs
 * each request (SDK-HMAC-SHA256 over method, path, query, signed headers and body hash) and,
 * when the region's project ID is not given, resolves it through IAM. The service SDKs are not
 * needed for the handful of calls the factory makes (and the ECS one lacks console output).
 */
import { BasicCredentials, Region } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import type { Credentials } from './credentials.js';

// The SDK logs every failed request, with its headers and body, to stdout: that would break
// `--json` output and print request details. Errors reach the user through HuaweiApiError.
Logger4jInstance.level = 'off';

export type Service = 'ecs' | 'ims' | 'iam' | 'vpc' | 'eip';

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template; `{project_id}` is filled from the credentials, other `{x}` from `params`. */
  readonly path: string;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: Record<string, unknown>;
}

/** An API error with the service's error code, without any request header. */
export class HuaweiApiError extends Error {
  constructor(readonly status: number | undefined, readonly code: string | undefined, message: string) {
    super(message);
    this.name = 'HuaweiApiError';
  }
}

/**
 * The service's endpoint in a region. `IMAGE_FACTORY_API_ENDPOINT` (tests, proxies) replaces
 * every endpoint; EU regions live on the myhuaweicloud.eu domain (FACTS.md "Sites").
 */
export function endpointOf(service: Service, region: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[`IMAGE_FACTORY_${service.toUpperCase()}_ENDPOINT`] ?? env.IMAGE_FACTORY_API_ENDPOINT;
  if (override) return override.replace(/\/$/, '');
  const domain = region.startsWith('eu-') ? 'myhuaweicloud.eu' : 'myhuaweicloud.com';
  // VPC's EIP APIs are served by the vpc endpoint.
  const host = service === 'eip' ? 'vpc' : service;
  return `https://${host}.${region}.${domain}`;
}

export class HuaweiApi {
  private readonly clients = new Map<string, HcClient>();

  constructor(private readonly credentials: Credentials, private readonly env: NodeJS.ProcessEnv = process.env) {}

  private client(service: Service, region: string): HcClient {
    const endpoint = endpointOf(service, region, this.env);
    const key = `${service} ${region} ${endpoint}`;
    let client = this.clients.get(key);
    if (client) return client;
    const c = this.credentials;
    const cred = new BasicCredentials().withAk(c.accessKey).withSk(c.secretKey);
    if (c.securityToken) cred.withSecurityToken(c.securityToken);
    const builder = new ClientBuilder<HcClient>((hc) => hc).withCredential(cred).withOptions({ axiosRequestConfig: { timeout: 30_000 } });
    // The given project ID belongs to one region; elsewhere the SDK asks IAM for the project.
    if (c.projectId && (!c.projectRegion || c.projectRegion === region)) {
      cred.withProjectId(c.projectId);
      builder.withEndpoint(endpoint);
    } else {
      // The SDK's project lookup defaults to the global iam.myhuaweicloud.com, which EU accounts
      // cannot use (and which would bypass IMAGE_FACTORY_API_ENDPOINT): ask the region's IAM.
      cred.withIamEndpoint(endpointOf('iam', region, this.env));
      builder.withRegion(new Region(region, endpoint));
    }
    client = builder.build();
    this.clients.set(key, client);
    return client;
  }

  async request<T = Record<string, unknown>>(service: Service, region: string, req: ApiRequest): Promise<T> {
    const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    try {
      const res = await this.client(service, region).sendRequest<any>({
        method: req.method,
        url: req.path,
        contentType: 'application/json',
        queryParams: query,
        pathParams: req.params ?? {},
        headers: {},
        ...(req.body ? { data: req.body } : {}),
      });
      delete res.httpStatusCode;
      return res as T;
    } catch (err) {
      const e = err as { httpStatusCode?: number; status?: number; errorCode?: string; errorMsg?: string; message?: string };
      const status = e.httpStatusCode ?? e.status;
      const what = `${service} ${req.method} ${req.path} in ${region}`;
      throw new HuaweiApiError(status, e.errorCode, `${what}: ${status ? `HTTP ${status} ` : ''}${e.errorCode ? `${e.errorCode} ` : ''}${e.errorMsg ?? e.message ?? String(err)}`);
    }
  }
}
