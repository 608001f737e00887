/**
 * Follows a sealed guest (builder or tester) through the console protocol: polls the ECS status
 * and its serial console, reports each step as it starts and ends, and enforces a timeout per
 * step and overall. The guest has no inbound access, so this is the only way to watch it.
 */
import { parseConsole, type ConsoleSummary, type ProtocolEvent } from '../../stacks/guest/protocol.js';
import { failedChecks, parseSelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { CONSOLE_LINES, type EcsClient } from '../cloud/types.js';
import type { Clock } from './clock.js';
import { formatDuration } from './clock.js';

interface GuestStep {
  readonly name: string;
  readonly timeoutMinutes: number;
}

export interface FollowOptions {
  readonly ecs: EcsClient;
  readonly clock: Clock;
  readonly serverId: string;
  readonly region: string;
  readonly steps: readonly GuestStep[];
  readonly overallTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** How many console lines to ask for each poll. @default CONSOLE_LINES */
  readonly consoleLines?: number;
  readonly signal?: AbortSignal;
  readonly onStep: (step: { index: number; total: number; name: string; status: string; seconds?: number }) => void;
}

export interface FollowResult {
  readonly steps: { name: string; status: string; seconds?: number }[];
  readonly selfcheck?: unknown;
  /** The test boot's audit of the captured image (selfcheck.sh --audit), before the test steps. */
  readonly audit?: unknown;
  /** SBOM parts collected over every poll (a read holds only the last lines): scripts/sbom/sbom.ts assembleSbom. */
  readonly sbomParts: ReadonlyMap<number, Extract<ProtocolEvent, { event: 'sbom' }>>;
}

/** Why a guest run failed, with the console's tail to show the user. */
export class GuestFailure extends Error {
  constructor(message: string, readonly consoleTail: string) {
    super(message);
    this.name = 'GuestFailure';
  }
}

const CONSOLE_TAIL_LINES = 30;

export function consoleTail(text: string, lines = CONSOLE_TAIL_LINES): string {
  return text.split('\n').filter((l, i, all) => l.length > 0 || i < all.length - 1).slice(-lines).join('\n');
}

export async function followGuest(opts: FollowOptions): Promise<FollowResult> {
  const { ecs, clock, serverId, region } = opts;
  const started = clock.now();
  const seen = new Set<string>();
  const stepStartSeen = new Map<number, number>();
  const results = new Map<number, { name: string; status: string; seconds?: number }>();
  let lastText = '';
  const sbomParts = new Map<number, Extract<ProtocolEvent, { event: 'sbom' }>>();
  for (;;) {
    const server = await ecs.getServer(serverId, region);
    if (server.status === 'ERROR' || server.status === 'DELETED') {
      lastText = await ecs.consoleOutput(serverId, region, opts.consoleLines ?? CONSOLE_LINES).catch(() => lastText);
      throw new GuestFailure(`the ECS ${serverId} went to ${server.status}${server.fault ? ` (${server.fault})` : ''}`, consoleTail(lastText));
    }
    if (server.status !== 'BUILD') {
      lastText = await ecs.consoleOutput(serverId, region, opts.consoleLines ?? CONSOLE_LINES);
      const summary = parseConsole(lastText);
      for (const [i, part] of summary.sbomParts) sbomParts.set(i, part);
      for (const e of summary.events) {
        if (e.event !== 'step') continue;
        const key = `${e.index}:${e.status}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (e.status === 'start') stepStartSeen.set(e.index, clock.now());
        else results.set(e.index, { name: e.name, status: e.status, seconds: e.seconds });
        opts.onStep({ index: e.index, total: e.total, name: e.name, status: e.status, seconds: e.seconds });
      }
      const result = summary.result;
      if (result?.result === 'failure') {
        const where = result.index ? `step ${result.index}/${result.total} (${opts.steps[result.index - 1]?.name ?? '?'})` : 'the guest';
        const log = [...summary.failureLog, ...failedCheckLines(summary)].map((l) => `\n${l}`).join('');
        throw new GuestFailure(`${where} failed${result.reason ? `: ${result.reason}` : ''}${log}`, consoleTail(lastText));
      }
      if (result?.result === 'success') {
        return { steps: opts.steps.map((s, i) => results.get(i + 1) ?? { name: s.name, status: 'ok' }), selfcheck: summary.selfcheck, audit: summary.audit, sbomParts };
      }
      const current = lastRunningStep(summary.events);
      if (server.status === 'SHUTOFF') {
        // Powered off without a result line (a `poweroff` in a script, a panic, an OOM halt):
        // nothing more will be written. This read came after SHUTOFF was seen, so it is the last.
        const during = current ? `, during step ${current.index}/${current.total} (${current.name})` : '';
        throw new GuestFailure(`the guest powered off (SHUTOFF) without reporting a result${during}; see its console log below`, consoleTail(lastText));
      }
      if (current) {
        const step = opts.steps[current.index - 1];
        const since = stepStartSeen.get(current.index) ?? clock.now();
        const limit = (step?.timeoutMinutes ?? 20) * 60_000;
        if (clock.now() - since > limit) {
          throw new GuestFailure(`step ${current.index}/${current.total} (${current.name}) timed out after ${formatDuration(limit)} (its timeoutMinutes)`, consoleTail(lastText));
        }
      }
    }
    if (clock.now() - started > opts.overallTimeoutMs) {
      throw new GuestFailure(`the guest did not finish within ${formatDuration(opts.overallTimeoutMs)} (build.timeoutMinutes)`, consoleTail(lastText));
    }
    await clock.sleep(opts.pollIntervalMs, opts.signal);
  }
}

/** "  no-authorized-keys: authorized_keys present: /root/.ssh/authorized_keys" for each failed check of the reports sent. */
function failedCheckLines(summary: ConsoleSummary): string[] {
  return [summary.selfcheck, summary.audit].flatMap((report) => {
    if (report === undefined) return [];
    try {
      return failedChecks(parseSelfCheckReport(report)).map((c) => `  ${c.id}: ${c.detail}`);
    } catch {
      return [];
    }
  });
}

function lastRunningStep(events: ProtocolEvent[]): Extract<ProtocolEvent, { event: 'step' }> | undefined {
  const open = new Map<number, Extract<ProtocolEvent, { event: 'step' }>>();
  for (const e of events) {
    if (e.event !== 'step') continue;
    if (e.status === 'start') open.set(e.index, e);
    else open.delete(e.index);
  }
  return [...open.values()].pop();
}

/** Waits until the server reports `status`, or the time runs out; returns the last status seen. */
export async function waitForStatus(ecs: EcsClient, clock: Clock, serverId: string, region: string, status: string, timeoutMs: number, pollIntervalMs: number, signal?: AbortSignal): Promise<string> {
  const until = clock.now() + timeoutMs;
  for (;;) {
    const s = (await ecs.getServer(serverId, region)).status;
    if (s === status || clock.now() >= until) return s;
    await clock.sleep(Math.min(pollIntervalMs, Math.max(1, until - clock.now())), signal);
  }
}
