/**
 * Progress of a build: events from the orchestrator, rendered as a live line per stage on a
 * terminal, or as one JSON object per line (`--json`) for CI logs and tools.
 */
import type { RetryNotice } from '../cloud/huawei-api.js';
import { writeEvent } from '../lib/json-events.js';
import type { Stage } from './checkpoint.js';
import { formatDuration } from './clock.js';

export type EventStatus = 'start' | 'progress' | 'done' | 'failed' | 'skipped' | 'info';

export interface ProgressEvent {
  /** ISO time of the event (clock time). */
  time: string;
  image: string;
  version: string;
  buildId: string;
  stage: Stage | 'cleanup';
  status: EventStatus;
  region?: string;
  step?: string;
  message?: string;
  /** For done/failed: how long the stage (or region copy, or step) took. */
  elapsedMs?: number;
  startedAt?: string;
}

export interface ProgressSink {
  emit(event: ProgressEvent): void;
  /** Lines that are not events: console tails, hints. */
  note(text: string): void;
  /** An API call about to be sent again: one line each, so a run never goes quiet while it retries. */
  retry(notice: RetryNotice): void;
  close(): void;
}

/** The line a retry gets on a terminal: service, call, what failed, attempt and wait. */
export function retryLine(n: RetryNotice): string {
  return `  retrying ${n.service} ${n.method} ${n.path} in ${n.region}: ${n.error}; attempt ${n.attempt + 1} of ${n.maxAttempts} in ${(n.waitMs / 1000).toFixed(1)} s`;
}

/** `--json`: the event lines of scripts/lib/json-events.ts. */
export class JsonProgress implements ProgressSink {
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}
  emit(event: ProgressEvent): void {
    writeEvent({ type: 'stage', ...event }, this.out);
  }
  note(text: string): void {
    writeEvent({ type: 'note', message: text }, this.out);
  }
  retry(notice: RetryNotice): void {
    writeEvent({ type: 'retry', ...notice }, this.out);
  }
  close(): void {}
}

const MARK: Record<EventStatus, string> = { start: '▸', progress: '▸', done: '✓', failed: '✗', skipped: '·', info: ' ' };

/**
 * One line per stage. On a TTY the current stage's line is redrawn every second with its
 * elapsed time; finished stages and regions stay on screen as plain lines.
 */
export class TerminalProgress implements ProgressSink {
  private live?: { label: string; detail: string; since: number };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly now: () => number = Date.now,
    private readonly tty = Boolean(out.isTTY),
  ) {}

  private line(text: string): void {
    if (this.tty && this.live) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
    this.redraw();
  }

  private redraw(): void {
    if (!this.tty || !this.live) return;
    const elapsed = formatDuration(this.now() - this.live.since);
    this.out.write(`\r\x1b[2K${MARK.start} ${this.live.label.padEnd(11)} ${elapsed.padStart(6)}  ${this.live.detail}`);
  }

  emit(e: ProgressEvent): void {
    const label = e.region ? `${e.stage} ${e.region}` : e.stage;
    const elapsed = e.elapsedMs !== undefined ? formatDuration(e.elapsedMs).padStart(6) : '      ';
    const detail = [e.step, e.message].filter(Boolean).join(': ');
    if (e.status === 'start' && !e.region && !e.step) {
      this.live = { label, detail, since: this.now() };
      if (this.tty) {
        this.timer ??= setInterval(() => this.redraw(), 1000);
        this.timer.unref?.();
        this.redraw();
      } else this.out.write(`${MARK.start} ${label.padEnd(11)}        ${detail}\n`);
      return;
    }
    if (e.status === 'progress' && this.live && !e.region) {
      this.live.detail = detail;
      if (this.tty) this.redraw();
      else this.out.write(`  ${label.padEnd(11)}        ${detail}\n`);
      return;
    }
    if ((e.status === 'done' || e.status === 'failed' || e.status === 'skipped') && !e.region && !e.step && this.live?.label === label) {
      this.live = undefined;
      if (this.tty) this.out.write('\r\x1b[2K');
    }
    this.line(`${MARK[e.status]} ${label.padEnd(11)} ${elapsed}  ${detail}`.trimEnd());
  }

  note(text: string): void {
    this.line(text);
  }

  retry(notice: RetryNotice): void {
    this.line(retryLine(notice));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty && this.live) this.out.write('\n');
    this.live = undefined;
  }
}

/** Collects events in memory (tests). */
export class MemoryProgress implements ProgressSink {
  readonly events: ProgressEvent[] = [];
  readonly notes: string[] = [];
  readonly retries: RetryNotice[] = [];
  constructor(private readonly onEvent?: (e: ProgressEvent) => void) {}
  emit(event: ProgressEvent): void {
    this.events.push(event);
    this.onEvent?.(event);
  }
  note(text: string): void {
    this.notes.push(text);
  }
  retry(notice: RetryNotice): void {
    this.retries.push(notice);
  }
  close(): void {}
}
