/**
 * Progress of a build: events from the orchestrator, rendered as a live line per stage on a
 * terminal, or as one JSON object per line (`--json`) for CI logs and tools.
 */
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
  close(): void;
}

export class JsonProgress implements ProgressSink {
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}
  emit(event: ProgressEvent): void {
    this.out.write(`${JSON.stringify(event)}\n`);
  }
  note(text: string): void {
    this.out.write(`${JSON.stringify({ time: new Date().toISOString(), status: 'info', message: text })}\n`);
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
  constructor(private readonly onEvent?: (e: ProgressEvent) => void) {}
  emit(event: ProgressEvent): void {
    this.events.push(event);
    this.onEvent?.(event);
  }
  note(text: string): void {
    this.notes.push(text);
  }
  close(): void {}
}
