/**
 * The console protocol: how the guest tells the pipeline what it is doing.
 *
 * The guest's runner writes single lines to the serial console, read back through ECS
 * ShowServerConsoleOutput (and, in tests, from QEMU's serial capture). Every line starts with
 * the marker and is a list of `key=value` tokens; values are percent-encoded so they never
 * contain spaces. A line may be preceded by noise (kernel timestamps, cloud-init prefixes),
 * so the parser looks for the marker anywhere in a line.
 *
 *   IMAGE-FACTORY event=begin mode=build steps=3 build=nginx-20261128-1
 *   IMAGE-FACTORY event=step step=1/3 name=install-nginx status=start
 *   IMAGE-FACTORY event=step step=1/3 name=install-nginx status=ok seconds=42
 *   IMAGE-FACTORY event=step step=2/3 name=configure status=fail exit=2 seconds=3
 *   IMAGE-FACTORY event=log step=2/3 text=E:%20Unable%20to%20locate%20package
 *   IMAGE-FACTORY event=phase name=sanitize status=start
 *   IMAGE-FACTORY event=phase name=sanitize status=ok seconds=4
 *   IMAGE-FACTORY event=selfcheck report=<percent-encoded JSON>
 *   IMAGE-FACTORY event=phase name=sbom status=start
 *   IMAGE-FACTORY event=sbom part=1/3 sum=<sha256 hex> data=<base64url, up to 960 characters>
 *   IMAGE-FACTORY event=result result=success
 *   IMAGE-FACTORY event=result result=failure step=2/3 reason=step%20failed
 *   IMAGE-FACTORY event=result result=failure reason=self-check%20failed%3A%20no-password-hash
 *   IMAGE-FACTORY event=audit report=<percent-encoded JSON>      (test mode, before the first step)
 *
 * `phase` reports the runner's own work between and after the steps (names: wait-cloud-init,
 * wait-package-locks, sanitize, selfcheck, sbom, audit; statuses start|ok|fail). `log` lines with step 0/N
 * belong to a phase (sanitize/self-check errors), not to a step. `build` on begin is optional.
 * Unknown events and unknown keys are ignored by the parser, so additions stay compatible.
 * The self-check report's shape is stacks/guest/selfcheck-report.ts; `audit` carries the same
 * shape, from `selfcheck.sh --audit` on the captured image's first boot (the tester, `try`).
 *
 * `sbom` (build mode, after the self-check): the package inventory of scripts/guest/sbom.sh
 * (TSV), gzip-compressed, base64url without padding, cut into parts of at most 960 characters.
 * Every part carries `sum`, the sha256 of the whole gzip blob (keys are lowercase letters only); scripts/sbom/sbom.ts reassembles and
 * verifies it and renders CycloneDX on the host. Sizes: a Debian 12 base inventory is ~3.3 KB
 * gzip, 5 parts; 300 parts (~280 KB of gzip) is the most accepted. ShowServerConsoleOutput
 * takes `length` in lines (>= -1, default 50; https://support.huaweicloud.com/api-ecs/ecs_02_1601.html)
 * and the follower reads CONSOLE_LINES (500) each poll, collecting parts across polls, so no
 * part is lost as long as fewer than 500 lines are printed between two polls.
 *
 * The bash side lives in scripts/guest/protocol.sh and must stay in step with this file;
 * the root-filesystem and boot tests feed real guest output through `parseConsole`.
 */
const PROTOCOL_MARKER = 'IMAGE-FACTORY';

export type RunMode = 'build' | 'test';
type StepStatus = 'start' | 'ok' | 'fail' | 'timeout';
type PhaseStatus = 'start' | 'ok' | 'fail';

export type ProtocolEvent =
  | { event: 'begin'; mode: RunMode; steps: number; buildId?: string }
  | { event: 'phase'; name: string; status: PhaseStatus; seconds?: number }
  | { event: 'step'; index: number; total: number; name: string; status: StepStatus; seconds?: number; exitCode?: number }
  | { event: 'log'; index: number; total: number; text: string }
  | { event: 'selfcheck'; report: unknown }
  | { event: 'audit'; report: unknown }
  | { event: 'sbom'; part: number; parts: number; sha256: string; data: string }
  | { event: 'result'; result: 'success' | 'failure'; index?: number; total?: number; reason?: string };

function encode(value: string): string {
  // encodeURIComponent keeps the line ASCII and space-free; '=' stays unambiguous as separator.
  return encodeURIComponent(value);
}

function tokens(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encode(String(v))}`)
    .join(' ');
}

/** Formats one protocol line (without newline). The bash runner prints the same shape. */
export function formatEvent(e: ProtocolEvent): string {
  switch (e.event) {
    case 'begin':
      return `${PROTOCOL_MARKER} ${tokens({ event: 'begin', mode: e.mode, steps: e.steps, build: e.buildId })}`;
    case 'phase':
      return `${PROTOCOL_MARKER} ${tokens({ event: 'phase', name: e.name, status: e.status, seconds: e.seconds })}`;
    case 'step':
      return `${PROTOCOL_MARKER} ${tokens({ event: 'step', step: `${e.index}/${e.total}`, name: e.name, status: e.status, exit: e.exitCode, seconds: e.seconds })}`;
    case 'log':
      return `${PROTOCOL_MARKER} ${tokens({ event: 'log', step: `${e.index}/${e.total}`, text: e.text })}`;
    case 'selfcheck':
    case 'audit':
      return `${PROTOCOL_MARKER} ${tokens({ event: e.event, report: JSON.stringify(e.report) })}`;
    case 'sbom':
      return `${PROTOCOL_MARKER} ${tokens({ event: 'sbom', part: `${e.part}/${e.parts}`, sum: e.sha256, data: e.data })}`;
    case 'result':
      return `${PROTOCOL_MARKER} ${tokens({ event: 'result', result: e.result, step: e.index ? `${e.index}/${e.total}` : undefined, reason: e.reason })}`;
  }
}

const LINE = new RegExp(`${PROTOCOL_MARKER} ((?:[a-z]+=\\S*)(?: [a-z]+=\\S*)*)\\s*$`);

function parseStep(value: string | undefined): { index: number; total: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { index: Number(m[1]), total: Number(m[2]) } : undefined;
}

/**
 * Percent-decoding to bytes, then UTF-8 with replacement characters: the guest encodes bytes
 * (a log line or file name may hold invalid UTF-8, or a multi-byte character cut in two), where
 * decodeURIComponent would throw and lose the value.
 */
function safeDecode(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses one console line; returns undefined for anything that is not a well-formed protocol line. */
export function parseLine(line: string): ProtocolEvent | undefined {
  const m = LINE.exec(line.replace(/\r$/, ''));
  if (!m) return undefined;
  const f: Record<string, string> = {};
  for (const token of m[1].split(' ')) {
    const eq = token.indexOf('=');
    f[token.slice(0, eq)] = safeDecode(token.slice(eq + 1));
  }
  const step = parseStep(f.step);
  switch (f.event) {
    case 'begin':
      if (f.mode !== 'build' && f.mode !== 'test') return undefined;
      return { event: 'begin', mode: f.mode, steps: Number(f.steps), ...(f.build !== undefined ? { buildId: f.build } : {}) };
    case 'phase':
      if (!f.name || !['start', 'ok', 'fail'].includes(f.status)) return undefined;
      return { event: 'phase', name: f.name, status: f.status as PhaseStatus, ...(f.seconds !== undefined ? { seconds: Number(f.seconds) } : {}) };
    case 'step': {
      const status = f.status as StepStatus;
      if (!step || !['start', 'ok', 'fail', 'timeout'].includes(status)) return undefined;
      return {
        event: 'step', ...step, name: f.name ?? '', status,
        ...(f.seconds !== undefined ? { seconds: Number(f.seconds) } : {}),
        ...(f.exit !== undefined ? { exitCode: Number(f.exit) } : {}),
      };
    }
    case 'log':
      if (!step) return undefined;
      return { event: 'log', ...step, text: f.text ?? '' };
    case 'selfcheck':
    case 'audit':
      try {
        return { event: f.event, report: JSON.parse(f.report ?? '') };
      } catch {
        return undefined;
      }
    case 'sbom': {
      const part = parseStep(f.part);
      if (!part || part.index < 1 || part.index > part.total || !/^[0-9a-f]{64}$/.test(f.sum ?? '') || !/^[A-Za-z0-9_-]+$/.test(f.data ?? '')) return undefined;
      return { event: 'sbom', part: part.index, parts: part.total, sha256: f.sum, data: f.data };
    }
    case 'result':
      if (f.result !== 'success' && f.result !== 'failure') return undefined;
      return { event: 'result', result: f.result, ...(step ?? {}), ...(f.reason !== undefined ? { reason: f.reason } : {}) };
    default:
      return undefined;
  }
}

/** Everything the protocol said in a console capture, in order. */
export interface ConsoleSummary {
  events: ProtocolEvent[];
  /** The final result, once the guest has written one. */
  result?: Extract<ProtocolEvent, { event: 'result' }>;
  selfcheck?: unknown;
  /** The first-boot audit of the captured image (test mode), the self-check's shape. */
  audit?: unknown;
  /** SBOM parts seen (scripts/sbom/sbom.ts `assembleSbom`), by part number. */
  sbomParts: Map<number, Extract<ProtocolEvent, { event: 'sbom' }>>;
  /** The last step event seen (what the guest is doing now). */
  lastStep?: Extract<ProtocolEvent, { event: 'step' }>;
  /** Log lines the guest sent for a failed step (or a failed phase, step 0/N). */
  failureLog: string[];
}

export function parseConsole(text: string): ConsoleSummary {
  const summary: ConsoleSummary = { events: [], failureLog: [], sbomParts: new Map() };
  for (const line of text.split('\n')) {
    const e = parseLine(line);
    if (!e) continue;
    summary.events.push(e);
    if (e.event === 'step') summary.lastStep = e;
    else if (e.event === 'log') summary.failureLog.push(e.text);
    else if (e.event === 'selfcheck') summary.selfcheck = e.report;
    else if (e.event === 'audit') summary.audit = e.report;
    else if (e.event === 'sbom') summary.sbomParts.set(e.part, e);
    else if (e.event === 'result') summary.result = e;
  }
  return summary;
}
