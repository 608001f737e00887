/**
 * Signed calls to Huawei Cloud REST APIs through @huaweicloud/huaweicloud-sdk-core: it signs
 * each request (SDK-HMAC-SHA256 over method, path, query, signed headers and body hash). When
 * the region's project ID is not given, it is looked up here through IAM (read-only). The service SDKs are not
 * needed for the handful of calls the factory makes (and the ECS one lacks console output).
 */
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { BasicCredentials, GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { createTimeout } from 'retry';
import { serviceErrorOf } from './error-body.js';
import type { EndpointOverride, ProxyRoute } from '../../stacks/endpoint.js';
import type { Credentials } from './credentials.js';
import { tunnelAgentFor } from './proxy-agent.js';

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
  /**
   * Whether sending it twice does no harm, so that a 5xx or a broken connection is retried.
   * @default true for GET, PUT and DELETE; false for POST (a create that reached the server
   * before the connection broke would be made twice). POSTs that only query, or that move a
   * resource to a fixed state (stop, delete), say `idempotent: true`.
   */
  readonly idempotent?: boolean;
  /** Aborts the waits between attempts. */
  readonly signal?: AbortSignal;
  /**
   * The top-level field every answer of this call holds (`server` for ShowServer): an answer
   * without it came from something that is not the API, and is an error, not "nothing there".
   */
  readonly expects?: string;
}

/** Waits `ms`; rejects when the signal aborts. Injectable, so a virtual clock can drive retries. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Retries of one API call: at most `attempts` tries, waits from `retry`'s jittered exponential
 * backoff (1-2 s, 2-4 s, 4-8 s, 8-15 s, 15 s) unless the server sends Retry-After, and never
 * more than `maxTotalWaitMs` of waiting in all.
 */
export interface RetryPolicy {
  readonly attempts: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly factor: number;
  readonly maxTotalWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, minTimeoutMs: 1_000, maxTimeoutMs: 15_000, factor: 2, maxTotalWaitMs: 60_000 };

/** A call about to be sent again: what failed, which attempt, and how long until the next. */
export interface RetryNotice {
  readonly service: Service;
  readonly method: string;
  readonly path: string;
  readonly region: string;
  /** HTTP status and Huawei's error code, or the network error. */
  readonly error: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly waitMs: number;
}

export interface HuaweiApiOptions {
  /** IMAGE_FACTORY_ENDPOINT (endpointOverrideFromEnv): every service at that base URL. */
  readonly endpoint?: EndpointOverride;
  /** IMAGE_FACTORY_PROXY (proxyFromEnv): the default endpoints, reached through that proxy. */
  readonly proxy?: ProxyRoute;
  /** @default a real timer */
  readonly sleep?: Sleep;
  readonly retry?: Partial<RetryPolicy>;
  /** Told before each retry's wait, so a run never goes quiet while it retries. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** An API error with the service's error code, without any request header. */
export class HuaweiApiError extends Error {
  constructor(readonly status: number | undefined, readonly code: string | undefined, message: string) {
    super(message);
    this.name = 'HuaweiApiError';
  }
}

/**
 * The service's endpoint in a region. The IMAGE_FACTORY_ENDPOINT override (an emulator, a proxy,
 * a private cloud's gateway) replaces every endpoint; EU regions live on the myhuaweicloud.eu
 * domain (the Europe site is a separate Huawei Cloud site, with its own accounts and endpoints).
 */
export function endpointOf(service: Service, region: string, endpoint?: EndpointOverride): string {
  if (endpoint) return endpoint.baseUrl;
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

  private readonly endpoint?: EndpointOverride;
  /** One tunnel agent for every client (its keep-alive sockets are per host). */
  private readonly proxyAgent?: HttpsAgent;
  private readonly sleep: Sleep;
  private readonly retry: RetryPolicy;
  private readonly onRetry?: (notice: RetryNotice) => void;

  constructor(private readonly credentials: Credentials, options: HuaweiApiOptions = {}) {
    this.onRetry = options.onRetry;
    this.endpoint = options.endpoint;
    this.proxyAgent = options.proxy ? tunnelAgentFor(options.proxy) : undefined;
    this.sleep = options.sleep ?? realSleep;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

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
    // IMAGE_FACTORY_ENDPOINT_INSECURE=1: a self-signed https endpoint (never set for http).
    const tls = this.endpoint?.insecure ? { httpsAgent: new HttpsAgent({ rejectUnauthorized: false }) } : this.proxyAgent ? { httpsAgent: this.proxyAgent, proxy: false as const } : {};
    client = new ClientBuilder<HcClient>((hc) => hc).withCredential(make()).withEndpoint(endpoint).withOptions({ axiosRequestConfig: { timeout: 30_000, ...tls } }).build();
    this.clients.set(key, client);
    return client;
  }

  private async client(service: Service, region: string): Promise<HcClient> {
    const endpoint = endpointOf(service, region, this.endpoint);
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
   * would bypass IMAGE_FACTORY_ENDPOINT). Read-only: unlike sdk-core's own lookup, which
   * falls back to KeystoneCreateProject, a region without its project is an error.
   */
  private async lookupProject(region: string): Promise<string> {
    const endpoint = endpointOf('iam', region, this.endpoint);
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
    const endpoint = endpointOf(service, region, this.endpoint);
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

  /**
   * One call, retried on 429, 5xx and a broken connection (see RetryPolicy and
   * ApiRequest.idempotent); 4xx other than 429 fail at once. sdk-core re-signs each attempt.
   */
  private async send<T>(client: HcClient, service: Service, region: string, req: ApiRequest): Promise<T> {
    const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    const what = `${service} ${req.method} ${req.path} in ${region}`;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const policy = this.retry;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      // sdk-core's exceptions carry status, error code and message, but not the response
      // headers (ExceptionUtil.generalException drops them): Retry-After is read here, in the
      // response transform axios runs for error responses too. Replacing axios' default
      // transform means parsing the JSON body here as well.
      let retryAfter: string | undefined;
      // A body that is not JSON: sdk-core turns it into {}, which would read as "nothing there".
      let notJson: string | undefined;
      // The answer's body, for the error shapes sdk-core does not read (error-body.ts).
      let body: unknown;
      const transformResponse = (data: unknown, headers?: Record<string, unknown>) => {
        const h = headers?.['retry-after'];
        retryAfter = h === undefined || h === null ? undefined : String(h);
        notJson = undefined;
        body = data;
        if (typeof data !== 'string' || !data.trim()) return data;
        try {
          return (body = JSON.parse(data) as unknown);
        } catch {
          notJson = data;
          return data;
        }
      };
      let failure: { status?: number; code?: string; text: string; network?: string };
      try {
        const res = await client.sendRequest<any>({
          method: req.method,
          url: req.path,
          contentType: 'application/json',
          queryParams: query,
          pathParams: req.params ?? {},
          headers: {},
          axiosRequestConfig: { transformResponse },
          ...(req.body ? { data: req.body } : {}),
        } as Parameters<HcClient['sendRequest']>[0]);
        const status = res.httpStatusCode as number | undefined;
        delete res.httpStatusCode;
        const notApi = 'what answered is not a Huawei Cloud API; check IMAGE_FACTORY_ENDPOINT or IMAGE_FACTORY_PROXY';
        if (notJson !== undefined) throw new HuaweiApiError(status, undefined, `${what}: HTTP ${status} with a body that is not JSON (${JSON.stringify(notJson.trim().slice(0, 60))}): ${notApi}`);
        if (req.expects && res[req.expects] == null) throw new HuaweiApiError(status, undefined, `${what}: HTTP ${status} without "${req.expects}" (${JSON.stringify(res).slice(0, 60)}): ${notApi}`);
        return res as T;
      } catch (err) {
        if (err instanceof HuaweiApiError) throw err;
        const e = err as { httpStatusCode?: number; status?: number; errorCode?: string; errorMsg?: string; message?: string };
        const status = e.httpStatusCode ?? e.status;
        const service = status ? serviceErrorOf(body) : undefined;
        const code = service?.code ?? e.errorCode;
        const message = service?.message ?? e.errorMsg ?? e.message ?? String(err);
        failure = {
          status,
          code,
          text: `${status ? `HTTP ${status} ` : ''}${code ? `${code} ` : ''}${message}`,
          network: status ? undefined : NETWORK_ERROR.exec(message)?.[0],
        };
      }
      const { status, network } = failure;
      // A 429 or a refused connection never reached the service: safe to resend even a create.
      const transient = status === 429 || (network !== undefined && /ECONNREFUSED/i.test(network))
        || (idempotent && ((status !== undefined && status >= 500) || network !== undefined));
      const fail = (why: string) => new HuaweiApiError(status, failure.code, `${what}: ${failure.text}${why}`);
      if (!transient) {
        const retryable = (status !== undefined && status >= 500) || network !== undefined;
        throw fail(retryable && !idempotent ? ` (not retried: the ${req.method} may have reached the service, and a second one could create a duplicate)` : attempt > 1 ? ` (attempt ${attempt})` : '');
      }
      if (attempt >= policy.attempts) throw fail(` (gave up after ${attempt} attempts${waited ? `, ${formatSeconds(waited)} of waiting` : ''})`);
      const asked = retryAfterMs(retryAfter);
      const wait = asked ?? createTimeout(attempt - 1, { factor: policy.factor, minTimeout: policy.minTimeoutMs, maxTimeout: policy.maxTimeoutMs, randomize: true });
      if (waited + wait > policy.maxTotalWaitMs) {
        throw fail(` (gave up after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${asked !== undefined ? `the service asked to retry after ${formatSeconds(asked)}` : `the next wait of ${formatSeconds(wait)}`}, beyond the ${formatSeconds(policy.maxTotalWaitMs)} this tool waits per call)`);
      }
      this.onRetry?.({ service, method: req.method, path: req.path, region, error: failure.text, attempt, maxAttempts: policy.attempts, waitMs: wait });
      await this.sleep(wait, req.signal);
      waited += wait;
    }
  }
}

/** A request that never got an HTTP answer, as sdk-core reports it (axios' message). */
const NETWORK_ERROR = /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN)\b|socket hang up|timeout of \d+ms exceeded/i;

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 10.2.3); undefined if absent or invalid. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value?.trim()) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
