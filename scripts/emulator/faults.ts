/**
 * Injected faults (`/_emulator/faults`): an HTTP answer instead of the real one (429, 500, 503
 * or a given Huawei error code), added latency, or a job that fails (a copy failing in one
 * region). Each fault matches by service, method, path pattern and region, and can be limited to
 * a number of hits. Faults live in memory: a restarted emulator starts without any.
 */
import { z } from 'zod';
import type { EmuService } from './types.js';

export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http'),
    service: z.string().optional(),
    method: z.string().toUpperCase().optional(),
    /** A regular expression over the request path. */
    path: z.string().optional(),
    region: z.string().optional(),
    /** Answer with this status (and `code`/`message`); without it, only the latency applies. */
    status: z.number().int().min(400).max(599).optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    /** Seconds, sent as Retry-After. */
    retryAfter: z.number().int().min(0).optional(),
    latencyMs: z.number().int().min(0).optional(),
    /** Drop the connection without an answer (a network error). */
    reset: z.boolean().optional(),
    /** Never answer: the caller waits forever (a process that died mid-call, as far as the cloud can tell). */
    hang: z.boolean().optional(),
    /** Only calls signed with this access key. */
    accessKey: z.string().optional(),
    /**
     * The call is applied as usual, then its answer is replaced by the fault: a lost response
     * (a create that happened although its caller saw a 5xx, a timeout or a reset).
     */
    afterApply: z.boolean().optional(),
    /** Each matching call is hit with this probability (seeded: the same seed, the same calls); a miss passes untouched and is not counted. */
    probability: z.number().gt(0).max(1).optional(),
    /** The seed of this fault's draws (with `probability`). @default 1 */
    seed: z.number().int().optional(),
    times: z.number().int().min(1).optional(),
  }).strict(),
  z.object({
    kind: z.literal('job'),
    /** The job type, as the emulator names it: createServer, deleteServer, createImage, copyImage. */
    jobType: z.string(),
    /** The job's region (for copyImage: the target region). */
    region: z.string().optional(),
    code: z.string(),
    message: z.string(),
    times: z.number().int().min(1).optional(),
  }).strict(),
]);

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type Fault = FaultSpec & { id: number; hits: number };

/** mulberry32: a small seeded PRNG, so that a fault's draws are the same on every run with its seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export type HttpFault = Extract<Fault, { kind: 'http' }>;
export type JobFault = Extract<Fault, { kind: 'job' }>;

export class Faults {
  private seq = 0;
  private faults: Fault[] = [];
  private readonly draws = new Map<number, () => number>();

  add(spec: FaultSpec): Fault {
    const fault = { ...spec, id: ++this.seq, hits: 0 } as Fault;
    this.faults.push(fault);
    if (fault.kind === 'http' && fault.probability !== undefined) this.draws.set(fault.id, seededRandom(fault.seed ?? 1));
    return fault;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
    this.draws.clear();
  }

  private use<T extends Fault>(fault: T | undefined): T | undefined {
    if (!fault) return undefined;
    fault.hits += 1;
    if (fault.times !== undefined && fault.hits >= fault.times) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  /** The first HTTP fault matching this call (and, with a probability, drawn for it), counted as used. */
  takeHttp(call: { service?: EmuService; method: string; path: string; region?: string; accessKey?: string }): HttpFault | undefined {
    const hit = this.faults.find((f): f is HttpFault => f.kind === 'http'
      && (!f.accessKey || f.accessKey === call.accessKey)
      && (!f.service || f.service === call.service)
      && (!f.method || f.method === call.method)
      && (!f.path || new RegExp(f.path).test(call.path))
      && (!f.region || f.region === call.region)
      && this.drawn(f));
    return this.use(hit);
  }

  /** Whether a fault with a probability hits this call (one draw per matching call); always without one. */
  private drawn(f: HttpFault): boolean {
    const draw = this.draws.get(f.id);
    return !draw || draw() < (f.probability ?? 1);
  }

  /** The first job fault for a job of this type in this region, counted as used. */
  takeJob(jobType: string, region: string): JobFault | undefined {
    const hit = this.faults.find((f): f is JobFault => f.kind === 'job' && f.jobType === jobType && (!f.region || f.region === region));
    return this.use(hit);
  }
}
