/**
 * The emulator's contracts: a request as a service handler sees it (already authenticated, its
 * region resolved), the response it returns, and the context it works in (the account's state,
 * the clock, jobs, faults and the guest backend). Service modules under services/ export routes
 * and, where time moves things on, a settle hook; nothing else of the server is their concern.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../pipeline/clock.js';
import type { Account } from './account.js';
import type { Faults } from './faults.js';
import type { GuestBackend } from './guest.js';
import type { Jobs } from './jobs.js';

/** Huawei Cloud services the emulator serves (the provider's endpoint keys, plus obs). */
export type EmuService = 'iam' | 'ecs' | 'vpc' | 'eip' | 'ims' | 'mkt' | 'obs' | 'evs' | 'bss' | 'eps' | 'dns';

export interface EmuRequest {
  readonly method: string;
  /** Decoded path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** `{name}` segments of the route's path template. */
  readonly params: Readonly<Record<string, string>>;
  /** The region of the call: from the project ID (path or X-Project-Id), else the default region. */
  readonly region: string;
  /** The project of that region (every region has exactly one). */
  readonly projectId: string;
  /** The access key that signed the call. */
  readonly accessKey: string;
  /** The JSON body; a body that is not JSON is answered 400 by the server. */
  json<T = Record<string, any>>(): T;
}

export interface EmuResponse {
  readonly status: number;
  /** Serialized as JSON unless `raw` is given. */
  readonly body?: unknown;
  readonly raw?: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EmuContext {
  readonly account: Account;
  readonly clock: Clock;
  /** The clock's time when the request arrived (emulated milliseconds since the epoch). */
  readonly now: number;
  readonly jobs: Jobs;
  readonly faults: Faults;
  readonly guest: GuestBackend;
  readonly options: EmulatorOptions;
}

type Handler = (req: EmuRequest, ctx: EmuContext) => EmuResponse | Promise<EmuResponse>;

export interface Route {
  readonly service: EmuService;
  readonly method: string;
  /** Path template, e.g. `/v1/{project_id}/vpcs/{id}`; `{project_id}` must be the caller's project. */
  readonly path: string;
  readonly handler: Handler;
}

/** What a service module exports. */
export interface ServiceModule {
  readonly routes: readonly Route[];
  /** Moves the module's resources on to `ctx.now` (boots, deletions ...); runs before every call. */
  settle?(ctx: EmuContext): void;
}

export interface EmulatorOptions {
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Key pairs accepted (access key -> secret key). */
  readonly credentials: Readonly<Record<string, string>>;
  /** Keep the account in this file between runs. */
  readonly stateFile?: string;
  /** The emulator's time; tests pass a virtual clock. @default real time scaled by `timeScale` */
  readonly clock?: Clock;
  /** Emulated milliseconds per real one when no clock is given. @default 1 */
  readonly timeScale?: number;
  /** The region of calls that name no project. @default ap-southeast-3 */
  readonly defaultRegion?: string;
  /** OBS: honour `If-None-Match: *` (conditional PUT behind Terraform's use_lockfile). @default true */
  readonly obsConditionalWrites?: boolean;
  /** @default the scripted guest */
  readonly guest?: GuestBackend;
  /** Modelled API latency: every call waits this long on the emulator's clock before it is answered. @default 0 */
  readonly latencyMs?: number;
  /** Called with one line per request (method, path, status), for `--verbose`. */
  readonly log?: (line: string) => void;
  /**
   * Also answer HTTP CONNECT for Huawei Cloud hosts, terminating TLS with a CA of its own kept
   * in `certDir` (proxy.ts, tls.ts): clients keep the cloud's default endpoints.
   */
  readonly proxy?: { readonly certDir: string };
}
