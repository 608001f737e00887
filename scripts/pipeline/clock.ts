/**
 * Time as the pipeline sees it. The real clock is wall time; the fake cloud and the bench run
 * on a scaled clock (one real millisecond stands for `scale` simulated ones) so an hour-long
 * build plays out in seconds with the same concurrency as the real thing.
 */
export interface Clock {
  /** Milliseconds since the epoch, in the clock's own time. */
  now(): number;
  /** Waits `ms` of the clock's time; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortable(realMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, realMs));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortable(ms, signal),
};

export class ScaledClock implements Clock {
  constructor(
    /** Simulated milliseconds per real millisecond. */
    readonly scale: number,
    /** Simulated time at `realStart`. */
    readonly start = Date.UTC(2026, 10, 28, 10, 0, 0),
    /** Real time the simulation starts; processes sharing a fake cloud pass the same value. */
    readonly realStart = Date.now(),
  ) {}

  now(): number {
    return this.start + (Date.now() - this.realStart) * this.scale;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return abortable(ms / this.scale, signal);
  }
}

/** "1h02m", "3m05s", "12s": short enough for a live terminal line. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/**
 * Discrete-event time for simulations (the bench): a sleep returns as soon as nothing else can
 * run, with the clock moved to its deadline. Exact and fast, provided the code under it waits
 * only on this clock (the fake cloud does), never on real I/O.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private scheduled = false;

  constructor(
    start = Date.UTC(2026, 10, 28, 10, 0, 0),
    /**
     * While this says true, time stands still: real I/O the simulation waits on (an HTTP call to
     * an in-process emulator) is still in flight, so a sleeper must not be woken yet.
     */
    private readonly holdWhile?: () => boolean,
    /** Resolves when holdWhile may have turned false (else the clock looks again after 1 ms). */
    private readonly holdChanged?: () => Promise<void>,
  ) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal!.reason);
      };
      // The listener goes when the sleep ends: a long build reuses one signal for every sleep.
      const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve: () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      } };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs once every promise continuation has settled: all work is asleep.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.timers.length) return;
      if (this.holdWhile?.()) {
        // Let the I/O finish, without spinning the event loop meanwhile.
        this.scheduled = true;
        const again = () => {
          this.scheduled = false;
          this.schedule();
        };
        if (this.holdChanged) void this.holdChanged().then(again);
        else setTimeout(again, 1);
        return;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
      if (this.timers.length) this.schedule();
    });
  }
}
