/**
 * The admin API under `/_emulator/`, answered only to loopback callers that name the emulator
 * by a loopback Host, and, for writes, carry the run's token (adminRefusal below):
 *   GET    /_emulator/health           {"ok":true}
 *   GET    /_emulator/state            every resource by region and collection, jobs, buckets, settings
 *   GET    /_emulator/faults           the injected faults
 *   POST   /_emulator/faults           inject one (faults.ts: kind http or job)
 *   DELETE /_emulator/faults           remove them all
 *   PATCH  /_emulator/config           change settings (agencies, soldOut, guest scenario, durations ...)
 *   POST   /_emulator/reset            forget every resource (settings stay)
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { Account, AccountConfig } from './account.js';
import { faultSpecSchema, type Faults } from './faults.js';
import type { EmuContext, EmuResponse } from './types.js';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

const configPatch = z.object({
  agencies: z.array(z.string()).optional(),
  soldOut: z.record(z.string(), z.record(z.string(), z.array(z.string()))).optional(),
  privateImageQuota: z.number().int().min(0).optional(),
  copyConcurrency: z.number().int().min(1).optional(),
  guest: z.object({
    outcome: z.enum(['success', 'step-fail', 'selfcheck-fail', 'audit-fail', 'audit-missing', 'silent', 'hang', 'poweroff', 'no-poweroff', 'sbom-lost']),
    step: z.string().optional(),
    mode: z.enum(['build', 'test']).optional(),
  }).strict().optional(),
  durations: z.record(z.string(), z.union([z.number().min(0), z.record(z.string(), z.number().min(0))])).optional(),
  assets: z.record(z.string(), z.object({ version: z.string().optional(), images: z.record(z.string(), z.string()) })).optional(),
}).strict();

export type ConfigPatch = z.infer<typeof configPatch>;

export function applyConfig(account: Account, patch: ConfigPatch): void {
  const c = account.config as AccountConfig;
  const { durations, ...rest } = patch;
  Object.assign(c, rest);
  if (durations) c.durations = { ...c.durations, ...durations } as AccountConfig['durations'];
  account.touch();
}

const json = (status: number, body: unknown): EmuResponse => ({ status, body });

/** The header that carries the run's admin token on writes. */
const TOKEN_HEADER = 'x-emulator-token';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** An Origin a browser gives a page served from this machine: http(s)://<loopback name>[:port]. */
function loopbackOrigin(origin: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_NAMES.includes(u.hostname) && origin === u.origin;
}

/**
 * Why an admin call is refused before its body is read, or undefined. A web page the developer
 * visits can send requests to 127.0.0.1 (and, by DNS rebinding, make its own host name resolve
 * there): the Host must name the emulator by a loopback name and its port, so a rebound name is
 * refused and reads stay same-origin; writes refuse any Origin that is not a loopback one, the
 * content types a browser sends without a CORS preflight (anything but JSON), and any call
 * without the run's token, which only a reader of GET /_emulator/state (same-origin) or of the
 * emulator itself learns. The emulator sends no CORS headers, so no other page reads an answer.
 */
export function adminRefusal(req: { method: string; headers: IncomingHttpHeaders; remote?: string; port: number; token: string }): EmuResponse | undefined {
  if (!LOOPBACK.test(req.remote ?? '')) return json(403, { error_code: 'EMU.0403', error_msg: 'the admin API answers loopback callers only' });
  const host = String(req.headers.host ?? '').toLowerCase();
  const hosts = LOOPBACK_NAMES.flatMap((n) => (req.port === 80 ? [n, `${n}:80`] : [`${n}:${req.port}`]));
  if (!hosts.includes(host)) return json(403, { error_code: 'EMU.0403', error_msg: `the admin API answers Host ${hosts.join(', ')} only, not "${host}"` });
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && !loopbackOrigin(String(origin))) return json(403, { error_code: 'EMU.0403', error_msg: `the admin API refuses writes from the web origin ${String(origin)}` });
  const type = req.headers['content-type'];
  const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (type === undefined ? hasBody : !/^application\/json\s*(;|$)/i.test(String(type))) {
    return json(415, { error_code: 'EMU.0415', error_msg: `a write to the admin API carries Content-Type application/json${type === undefined ? '' : `, not ${String(type)}`}` });
  }
  const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
  const expected = Buffer.from(req.token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return json(401, { error_code: 'EMU.0401', error_msg: `a write to the admin API needs the run's token in ${TOKEN_HEADER} (GET /_emulator/state shows it as "token")` });
  }
  return undefined;
}

export async function handleAdmin(
  req: { method: string; path: string; query: URLSearchParams; body: Buffer },
  emu: { account: Account; faults: Faults; context: () => EmuContext; settle: (ctx: EmuContext) => void; token: string },
): Promise<EmuResponse> {
  const parse = <T>(schema: z.ZodType<T>): T | EmuResponse => {
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return json(400, { error_code: 'EMU.0400', error_msg: 'the body is not JSON' });
    }
    const r = schema.safeParse(raw);
    return r.success ? r.data : json(400, { error_code: 'EMU.0400', error_msg: r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') });
  };
  const isResponse = (x: unknown): x is EmuResponse => typeof x === 'object' && x !== null && 'status' in x && typeof (x as EmuResponse).status === 'number' && ('body' in x);
  const route = `${req.method} ${req.path.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /_emulator/health':
      return json(200, { ok: true });
    case 'GET /_emulator/state': {
      const ctx = emu.context();
      emu.settle(ctx);
      emu.account.save();
      const { buckets, ...data } = emu.account.data;
      // Object bodies are summarised: state files can be large.
      const summary = Object.fromEntries(Object.entries(buckets).map(([name, b]) => [name, { region: b.region, objects: Object.fromEntries(Object.entries(b.objects).map(([k, o]) => [k, { size: Buffer.from(o.body, 'base64').length, etag: o.etag }])) }]));
      return json(200, { now: new Date(ctx.now).toISOString(), token: emu.token, ...data, buckets: summary });
    }
    case 'GET /_emulator/faults':
      return json(200, { faults: emu.faults.list() });
    case 'POST /_emulator/faults': {
      const spec = parse(faultSpecSchema);
      if (isResponse(spec)) return spec;
      return json(201, { fault: emu.faults.add(spec) });
    }
    case 'DELETE /_emulator/faults':
      emu.faults.clear();
      return json(204, undefined);
    case 'PATCH /_emulator/config': {
      const patch = parse(configPatch);
      if (isResponse(patch)) return patch;
      applyConfig(emu.account, patch);
      emu.account.save();
      return json(200, { config: emu.account.config });
    }
    case 'POST /_emulator/reset':
      emu.account.reset();
      emu.faults.clear();
      emu.account.save();
      return json(200, { ok: true });
    default:
      return json(404, { error_code: 'EMU.0404', error_msg: `no admin API ${route}; see GET /_emulator/health, /_emulator/state, /_emulator/faults, PATCH /_emulator/config, POST /_emulator/reset` });
  }
}
