/**
 * Signed calls to Huawei Cloud REST APIs through @huaweicloud/huaweicloud-sdk-core: it signs
 * each request (SDK-HMAC-SHA256 over method, path, query, signed headers and body hash). When
 * the region's project ID is not given, it is looked up here through IAM (read-only). The service SDKs are not
 * needed for the handful of calls the factory makes (and the ECS one lacks console output).
 */
import { BasicCredentials, GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
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

interface Project {
  id: string;
  name: string;
}

export class HuaweiApi {
  private readonly clients = new Map<string, HcClient>();
  private readonly projects = new Map<string, Promise<string>>();

  constructor(private readonly credentials: Credentials, private readonly env: NodeJS.ProcessEnv = process.env) {}

  private basicCredentials(): BasicCredentials {
    const c = this.credentials;
    const cred = new BasicCredentials().withAk(c.accessKey).withSk(c.secretKey);
    if (c.securityToken) cred.withSecurityToken(c.securityToken);
    return cred;
  }

  /**
   * A client on a fixed endpoint: the SDK resolves nothing by itself (no region is given, so
   * sdk-core never runs its own project lookup, which creates a project when none matches).
   */
  private cachedClient(key: string, make: () => BasicCredentials | GlobalCredentials): HcClient {
    let client = this.clients.get(key);
    if (client) return client;
    const endpoint = key.split(' ').pop()!;
    client = new ClientBuilder<HcClient>((hc) => hc).withCredential(make()).withEndpoint(endpoint).withOptions({ axiosRequestConfig: { timeout: 30_000 } }).build();
    this.clients.set(key, client);
    return client;
  }

  private async client(service: Service, region: string): Promise<HcClient> {
    const endpoint = endpointOf(service, region, this.env);
    const projectId = await this.projectId(region);
    return this.cachedClient(`${service} ${region} ${projectId} ${endpoint}`, () => this.basicCredentials().withProjectId(projectId));
  }

  /** The given project ID belongs to one region (HW_REGION_NAME); elsewhere it is looked up. */
  private projectId(region: string): Promise<string> {
    const c = this.credentials;
    if (c.projectId && (!c.projectRegion || c.projectRegion === region)) return Promise.resolve(c.projectId);
    let lookup = this.projects.get(region);
    if (!lookup) {
      lookup = this.lookupProject(region);
      this.projects.set(region, lookup);
      lookup.catch(() => this.projects.delete(region));
    }
    return lookup;
  }

  /**
   * IAM KeystoneListProjects `GET /v3/projects?name=<region>`, signed with the key pair, on the
   * region's IAM endpoint (the global iam.myhuaweicloud.com is not usable by EU accounts, and
   * would bypass IMAGE_FACTORY_API_ENDPOINT). Read-only: unlike sdk-core's own lookup, which
   * falls back to KeystoneCreateProject, a region without its project is an error.
   */
  private async lookupProject(region: string): Promise<string> {
    const endpoint = endpointOf('iam', region, this.env);
    const client = this.cachedClient(`iam-lookup ${region} ${endpoint}`, () => this.basicCredentials());
    const res = await this.send<{ projects?: Project[] }>(client, 'iam', region, { method: 'GET', path: '/v3/projects', query: { name: region } });
    const matches = (res.projects ?? []).filter((p) => p.name === region);
    if (matches.length === 1) return matches[0].id;
    const seen = (res.projects ?? []).map((p) => p.name).join(', ');
    throw new HuaweiApiError(undefined, undefined, `no IAM project named "${region}" for this account${matches.length > 1 ? ` (${matches.length} match)` : seen ? ` (found only ${seen})` : ''}: the region is not enabled for the account or the key may not list projects; open the region once in the console, or set HW_PROJECT_ID with HW_REGION_NAME=${region}. Projects are never created by this tool.`);
  }

  /**
   * A domain-level (account) call, e.g. IAM agencies: signed with sdk-core GlobalCredentials
   * (X-Domain-Id instead of a project), on the region's endpoint. Without `domainId` no domain
   * header is sent (for GET /v3/auth/domains, which finds it).
   */
  async requestGlobal<T = Record<string, unknown>>(service: Service, region: string, req: ApiRequest, domainId?: string): Promise<T> {
    const endpoint = endpointOf(service, region, this.env);
    const c = this.credentials;
    const client = this.cachedClient(`global ${service} ${region} ${domainId ?? '-'} ${endpoint}`, () => {
      const cred = new GlobalCredentials().withAk(c.accessKey).withSk(c.secretKey);
      if (c.securityToken) cred.withSecurityToken(c.securityToken);
      if (domainId) cred.withDomainId(domainId);
      return cred;
    });
    return this.send<T>(client, service, region, req);
  }

  async request<T = Record<string, unknown>>(service: Service, region: string, req: ApiRequest): Promise<T> {
    let client: HcClient;
    try {
      client = await this.client(service, region);
    } catch (err) {
      if (err instanceof HuaweiApiError) throw new HuaweiApiError(err.status, err.code, `${service} ${req.method} ${req.path} in ${region}: ${err.message}`);
      throw err;
    }
    return this.send<T>(client, service, region, req);
  }

  private async send<T>(client: HcClient, service: Service, region: string, req: ApiRequest): Promise<T> {
    const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    try {
      const res = await client.sendRequest<any>({
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
