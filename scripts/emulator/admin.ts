/**
 * The admin API under `/_emulator/`, answered only to loopback callers:
 *   GET    /_emulator/health           {"ok":true}
 *   GET    /_emulator/state            every resource by region and collection, jobs, buckets, settings
 *   GET    /_emulator/faults           the injected faults
 *   POST   /_emulator/faults           inject one (faults.ts: kind http or job)
 *   DELETE /_emulator/faults           remove them all
 *   PATCH  /_emulator/config           change settings (agencies, soldOut, guest scenario, durations ...)
 *   POST   /_emulator/reset            forget every resource (settings stay)
 */
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
    outcome: z.enum(['success', 'step-fail', 'selfcheck-fail', 'silent', 'hang', 'poweroff', 'no-poweroff']),
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

export async function handleAdmin(
  req: { method: string; path: string; query: URLSearchParams; body: Buffer; remote?: string },
  emu: { account: Account; faults: Faults; context: () => EmuContext; settle: (ctx: EmuContext) => void },
): Promise<EmuResponse> {
  if (!LOOPBACK.test(req.remote ?? '')) return json(403, { error_code: 'EMU.0403', error_msg: 'the admin API answers loopback callers only' });
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
      return json(200, { now: new Date(ctx.now).toISOString(), ...data, buckets: summary });
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
