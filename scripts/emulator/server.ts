/**
 * The emulator's HTTP server: one loopback port for every service and region.
 *
 * Each call is authenticated (SDK-HMAC-SHA256, or AWS Signature V4 for OBS), routed by method
 * and path, given its region (from the project ID in the path or X-Project-Id, else from a
 * `<service>.<region>.` host name, else the default region), run through the injected faults,
 * and answered by its service module. Before every call, time moves on: jobs end, servers
 * boot and power off. `/_emulator/` is the loopback-only admin API (admin.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScaledClock, type Clock } from '../pipeline/clock.js';
import { Account } from './account.js';
import { adminRefusal, handleAdmin } from './admin.js';
import { BodyTooLarge, declaredTooLarge, readBody } from './body.js';
import { ApiError, errorResponse } from './errors.js';
import { Faults, type HttpFault } from './faults.js';
import { Jobs } from './jobs.js';
import { Router } from './router.js';
import { ScriptedGuest } from './scripted-guest.js';
import { checkPayloadHash, signedPayloadHash, verifySdkSignature } from './sdk-signature.js';
import { attachConnectProxy } from './proxy.js';
import { obsService, isObsCall } from './services/obs.js';
import { ObsError, defaultObsCode, errorXml } from './services/obs/errors.js';
import { serviceModules } from './services/index.js';
import { proxyCertificates } from './tls.js';
import type { EmuContext, EmuRequest, EmuResponse, EmuService, EmulatorOptions, ServiceModule } from './types.js';

export interface Emulator {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly account: Account;
  readonly faults: Faults;
  readonly clock: Clock;
  /** This run's admin token: writes to /_emulator/ carry it in x-emulator-token. */
  readonly adminToken: string;
  /** With `options.proxy`: the proxy URL (this port) and the CA file its clients must trust. */
  readonly proxy?: { readonly url: string; readonly caFile: string };
  /** A context at the clock's current time (for in-process inspection in tests). */
  context(): EmuContext;
  close(): Promise<void>;
}

/**
 * Calls held by a latency fault, sleeping on the emulator's clock. A simulation on a virtual
 * clock counts them out of the calls in flight: they wait for time to move, not for I/O.
 */
let parked = 0;
export const parkedCalls = () => parked;
const parkedListeners = new Set<() => void>();
/** Called whenever the number of parked calls changes. */
export function onParkedChange(listener: () => void): () => void {
  parkedListeners.add(listener);
  return () => parkedListeners.delete(listener);
}
function park(delta: number): void {
  parked += delta;
  for (const l of parkedListeners) l();
}

function send(res: ServerResponse, r: EmuResponse): void {
  const headers: Record<string, string> = { ...r.headers };
  // An answer before the whole body arrived (413, a signature refused up front): the rest of
  // the body is not read, and the connection closes once the answer is out.
  if (!res.req.complete) headers.Connection = 'close';
  let payload: Buffer | string = '';
  if (r.raw !== undefined) payload = r.raw;
  else if (r.body !== undefined) {
    payload = JSON.stringify(r.body);
    headers['Content-Type'] ??= 'application/json;charset=UTF-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(payload);
}

/**
 * 413 in the shape of whoever would have answered: the admin API's, OBS's XML, else API
 * Gateway's (it refuses an oversized body before any service sees it, as it does a signature).
 */
function tooLarge(err: BodyTooLarge, admin: boolean, obs: boolean): EmuResponse {
  if (admin) return { status: 413, body: { error_code: 'EMU.0413', error_msg: err.message } };
  if (obs) return errorXml(new ObsError(413, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size: ${err.message}`));
  return errorResponse(new ApiError(413, 'APIGW.0201', `Request entity too large: ${err.message}`, 'gateway'));
}

/** `ecs.ap-southeast-3.myhuaweicloud.com` -> ap-southeast-3 (proxies that keep the host). */
function regionOfHost(host: string | undefined, account: Account): string | undefined {
  const parts = (host ?? '').split(':')[0].split('.');
  return parts.find((p) => account.projectOf(p) !== undefined);
}

export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const account = Account.open(options.stateFile);
  const clock = options.clock ?? new ScaledClock(options.timeScale ?? 1, Math.max(Date.now(), account.data.lastNow), Date.now());
  const faults = new Faults();
  const jobs = new Jobs();
  const guest = options.guest ?? new ScriptedGuest();
  const modules: ServiceModule[] = [jobs.module(), ...serviceModules(jobs, account)];
  const router = new Router();
  for (const m of modules) router.add(m.routes);
  const defaultRegion = options.defaultRegion ?? 'ap-southeast-3';
  const secretOf = (ak: string) => options.credentials[ak];
  const adminToken = randomBytes(24).toString('hex');
  let port = 0;

  const context = (): EmuContext => {
    const now = clock.now();
    if (now > account.data.lastNow) account.data.lastNow = now;
    return { account, clock, now, jobs, faults, guest, options };
  };

  /** Waits on the emulator's clock; a simulation's clock counts the call as parked meanwhile. */
  const wait = async (ms: number) => {
    park(1);
    try {
      await clock.sleep(ms);
    } finally {
      park(-1);
    }
  };

  const settle = (ctx: EmuContext) => {
    for (const m of modules) m.settle?.(ctx);
    jobs.settle(ctx);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const rawPath = (req.url ?? '/').split('?')[0];
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    let service: EmuService | undefined;
    let status = 0;
    const admin = path === '/_emulator' || path.startsWith('/_emulator/');
    const obs = !admin && isObsCall(req.headers, url.searchParams);
    try {
      if (admin) {
        const refused = adminRefusal({ method, headers: req.headers, remote: req.socket.remoteAddress, port, token: adminToken });
        if (refused) {
          status = refused.status;
          return send(res, refused);
        }
        const body = await readBody(req);
        const r = await handleAdmin({ method, path, query: url.searchParams, body }, { account, faults, context, settle, token: adminToken });
        status = r.status;
        return send(res, r);
      }
      let body: Buffer;
      let accessKey = '';
      if (obs) {
        service = 'obs';
        body = await readBody(req);
      } else {
        const call = { method, rawPath, rawQuery, headers: req.headers };
        const declared = signedPayloadHash(req.headers);
        if (declared !== undefined) {
          // The signature covers the declared hash: checked before a byte of the body is read,
          // then the body against that hash as it arrives.
          accessKey = verifySdkSignature({ ...call, body: Buffer.alloc(0) }, secretOf, Date.now(), declared);
          const hash = createHash('sha256');
          body = await readBody(req, hash);
          checkPayloadHash(declared, hash.digest('hex'));
        } else {
          // The signature covers the body's own hash: read it (up to the limit), then verify.
          body = await readBody(req);
          accessKey = verifySdkSignature({ ...call, body }, secretOf);
        }
      }
      if (options.latencyMs) await wait(options.latencyMs);
      const ctx = context();
      settle(ctx);
      // A fault's answer: hang, latency, reset or an error in the service's own shape.
      const faultAnswer = async (f: HttpFault, svc: EmuService | undefined): Promise<EmuResponse | 'reset' | undefined> => {
        if (f.hang) {
          // Counted as parked: a simulation's clock must not wait for an answer that never comes.
          park(1);
          await new Promise(() => {});
        }
        if (f.latencyMs) await wait(f.latencyMs);
        if (f.reset) return 'reset';
        if (f.status === undefined) return undefined;
        const msg = f.message ?? (f.status === 429 ? 'The throttling threshold has been reached' : 'injected fault');
        const retryAfter: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {};
        // OBS answers S3 clients in its own XML error shape, the other services in JSON.
        if (svc === 'obs') return errorXml(new ObsError(f.status, f.code ?? defaultObsCode(f.status), msg), retryAfter);
        const code = f.code ?? (f.status === 429 ? 'APIGW.0308' : f.status >= 500 ? 'SYS.0500' : 'APIGW.0400');
        return errorResponse(new ApiError(f.status, code, msg, undefined, retryAfter), svc);
      };
      /**
       * Runs the call through the faults: a fault answers instead of the service, or, with
       * `afterApply`, after it (the call happened; its answer is lost).
       */
      const withFaults = async (svc: EmuService | undefined, handler: () => EmuResponse | Promise<EmuResponse>, region?: string, accessKey?: string): Promise<EmuResponse | 'reset'> => {
        const f = faults.takeHttp({ service: svc, method, path, region, accessKey });
        if (f && !f.afterApply) {
          const injected = await faultAnswer(f, svc);
          if (injected) return injected;
        }
        const r = await handler();
        account.save();
        if (!f?.afterApply) return r;
        return (await faultAnswer(f, svc)) ?? r;
      };

      if (obs) {
        const r = await withFaults('obs', () => obsService.handle({ method, path, rawPath, rawQuery, query: url.searchParams, headers: req.headers, body }, ctx));
        if (r === 'reset') return void req.socket.destroy();
        status = r.status;
        return send(res, r);
      }

      const matched = router.match(method, path);
      if (!('route' in matched)) {
        throw matched.methodMismatch
          ? new ApiError(405, 'APIGW.0102', `method ${method} is not allowed for ${path}`, 'gateway')
          : new ApiError(404, 'APIGW.0101', `The API does not exist or has not been published in the environment: ${method} ${path}`, 'gateway');
      }
      const { route, params } = matched;
      service = route.service;
      const projectHeader = req.headers['x-project-id'] ? String(req.headers['x-project-id']) : undefined;
      let region: string;
      if (params.project_id !== undefined) {
        const r = account.regionOfProject(params.project_id);
        if (!r) throw new ApiError(404, 'APIGW.0106', `project ${params.project_id} does not exist in this account (GET /v3/projects lists them)`, 'gateway');
        region = r;
      } else if (projectHeader) {
        const r = account.regionOfProject(projectHeader);
        if (!r) throw new ApiError(401, 'APIGW.0301', `Incorrect IAM authentication information: project ${projectHeader} does not exist`, 'gateway');
        region = r;
      } else region = regionOfHost(req.headers.host, account) ?? defaultRegion;
      let parsed: unknown;
      const emuReq: EmuRequest = {
        method, path, query: url.searchParams, headers: req.headers, body, params, region,
        projectId: account.projectOf(region) ?? '', accessKey,
        json<T>() {
          if (parsed === undefined) {
            if (!body.length) return {} as T;
            try {
              parsed = JSON.parse(body.toString('utf8'));
            } catch {
              throw new ApiError(400, 'APIGW.0201', 'the request body is not valid JSON', 'gateway');
            }
          }
          return parsed as T;
        },
      };
      const r = await withFaults(route.service, () => route.handler(emuReq, ctx), region, accessKey);
      if (r === 'reset') return void req.socket.destroy();
      status = r.status;
      send(res, r);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        const r = tooLarge(err, admin, obs);
        status = r.status;
        return send(res, r);
      }
      const apiErr = err instanceof ApiError ? err : new ApiError(500, 'SYS.0500', `emulator error: ${(err as Error).message}`, 'gateway');
      if (!(err instanceof ApiError)) options.log?.(`internal error on ${method} ${path}: ${(err as Error).stack}`);
      const r = errorResponse(apiErr, service);
      status = r.status;
      account.save();
      if (!res.headersSent) send(res, r);
    } finally {
      options.log?.(`${method} ${path}${rawQuery ? `?${rawQuery}` : ''} -> ${status || 'reset'}`);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  // A client that asks before sending its body (Expect: 100-continue, as curl does for large
  // ones) hears 413 instead of 100 Continue when the declared length is over the limit.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const tooBig = declaredTooLarge(req);
    if (!tooBig) {
      res.writeContinue();
      return void handle(req, res);
    }
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const admin = path === '/_emulator' || path.startsWith('/_emulator/');
    const r = tooLarge(tooBig, admin, !admin && isObsCall(req.headers, new URL(req.url ?? '/', 'http://emulator').searchParams));
    options.log?.(`${req.method} ${path} -> ${r.status}`);
    send(res, r);
  });
  server.keepAliveTimeout = 5_000;
  const certificates = options.proxy ? proxyCertificates(options.proxy.certDir, Object.keys(account.data.projects)) : undefined;
  const connectProxy = certificates ? attachConnectProxy(server, certificates, options.log) : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    account,
    faults,
    clock,
    adminToken,
    proxy: certificates ? { url: `http://127.0.0.1:${port}`, caFile: certificates.caFile } : undefined,
    context,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      connectProxy?.close();
      server.closeAllConnections();
      account.touch();
      account.save();
    }),
  };
}
