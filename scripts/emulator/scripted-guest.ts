/**
 * The scripted guest: what an emulated ECS prints on its serial console, computed from the
 * server's real user_data and the emulator's settings, as a pure function of (server, config,
 * now). No timers and no hidden state, so it survives `--state` restarts and virtual clocks.
 *
 * The factory's user_data (stacks/guest/user-data.ts) is base64 of a gzip-compressed
 * `#cloud-config` whose body is JSON; its write_files hold /var/lib/image-factory/plan.tsv
 * (renderPlan: `mode`, `build`, `timeout`, `step <n> <name> <timeout s> <script>` rows). The
 * console then shows what scripts/guest/runner.sh prints for that plan: begin, the
 * wait-cloud-init phase, each step's start and end, in build mode the sanitize and selfcheck
 * phases with a self-check report, the result, and the shutdown the runner starts after every
 * result (runner.sh `finish` -> `poweroff_now`, on success and failure alike). Kernel and
 * cloud-init lines come first, as on a real serial console.
 *
 * The scenario (account.config.guest) bends that timeline: a step fails (exit 2 with log
 * lines), the self-check fails, the tester's first-boot audit fails (audit-fail), the guest stays silent, a step hangs, or the machine powers
 * off during a step without a result, or succeeds without powering off (no-poweroff). user_data without a plan boots and prints kernel lines.
 */
import { gunzipSync } from 'node:zlib';
import { formatEvent, type ProtocolEvent, type RunMode } from '../../stacks/guest/protocol.js';
import { SELF_CHECK_IDS, type SelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { sbomParts } from '../sbom/sbom.js';

const EMULATED_INVENTORY = [
  'os\tubuntu\t22.04',
  'deb\tbase-files\t12ubuntu4.6\tamd64\tbase-files\tGPL-2+',
  'deb\tbash\t5.1-6ubuntu1.1\tamd64\tbash\tGPL-3+',
  'deb\tnginx\t1.18.0-6ubuntu14.4\tamd64\tnginx\tBSD-2-clause',
  'deb\topenssl\t3.0.2-0ubuntu1.18\tamd64\topenssl\tApache-2.0',
].join('\n') + '\n';
import { DEFAULT_DURATIONS, type Durations, type GuestScenario } from './account.js';
import type { GuestBackend, GuestServer } from './guest.js';
import type { EmuContext } from './types.js';

interface PlanStep {
  readonly index: number;
  readonly name: string;
  readonly timeoutSeconds: number;
}

export interface Plan {
  readonly mode: RunMode;
  readonly buildId: string;
  readonly steps: readonly PlanStep[];
}

const PLAN_PATH = '/var/lib/image-factory/plan.tsv';

/** The plan inside a server's user_data, or undefined when the user_data is not the factory's. */
export function planOfUserData(userData: string | undefined): Plan | undefined {
  if (!userData) return undefined;
  try {
    let bytes = Buffer.from(userData, 'base64');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    const text = bytes.toString('utf8');
    if (!text.startsWith('#cloud-config')) return undefined;
    const config = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { write_files?: { path: string; encoding?: string; content: string }[] };
    const file = config.write_files?.find((f) => f.path === PLAN_PATH);
    if (!file) return undefined;
    const tsv = file.encoding === 'b64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
    return parsePlan(tsv);
  } catch {
    // Not base64+gzip+JSON cloud-config: someone else's user_data (a YAML cloud-config, a script).
    return undefined;
  }
}

function parsePlan(tsv: string): Plan | undefined {
  const rows = tsv.split('\n').filter(Boolean).map((l) => l.split('\t'));
  const field = (k: string) => rows.find((r) => r[0] === k)?.[1];
  const mode = field('mode');
  if (mode !== 'build' && mode !== 'test') return undefined;
  const steps = rows.filter((r) => r[0] === 'step').map((r) => ({ index: Number(r[1]), name: r[2], timeoutSeconds: Number(r[3]) }));
  return { mode, buildId: field('build') ?? '', steps };
}

/** One console line at an emulated time (ms after the server became ACTIVE). */
interface Line {
  readonly at: number;
  readonly text: string;
}

interface Timeline {
  readonly lines: readonly Line[];
  /** ms after ACTIVE when the machine is off, if it ever powers itself off. */
  readonly powerOffAt?: number;
}

const stamp = (ms: number) => `[${(ms / 1000).toFixed(6).padStart(12)}]`;

/** What a Huawei Cloud Linux guest prints from power-on to the login prompt. */
function bootLines(server: GuestServer, bootMs: number): Line[] {
  const k = (frac: number, text: string): Line => {
    const at = Math.round(bootMs * frac);
    return { at, text: `${stamp(at)} ${text}` };
  };
  const host = `ecs-${server.id.slice(0, 4)}`;
  return [
    k(0, 'Linux version 5.15.0-119-generic (buildd@lcy02-amd64-075) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #129-Ubuntu SMP'),
    k(0, 'Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-119-generic root=UUID=1f0bd3f2-8c77-4e0e-a0d4-0d2d0b1a6d55 ro console=tty0 console=ttyS0,115200n8'),
    k(0.01, 'KVM setup pv remote TLB flush'),
    k(0.02, 'virtio_blk virtio2: [vda] 83886080 512-byte logical blocks (42.9 GB/40.0 GiB)'),
    k(0.03, 'EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.'),
    k(0.05, 'systemd[1]: systemd 249.11-0ubuntu3.12 running in system mode'),
    k(0.1, `cloud-init[512]: Cloud-init v. 24.1.3-0ubuntu1~22.04.5 running 'init-local' at ${new Date(server.activeAt).toUTCString()}. Up 4.02 seconds.`),
    k(0.3, `cloud-init[601]: Cloud-init v. 24.1.3-0ubuntu1~22.04.5 running 'init' at ${new Date(server.activeAt).toUTCString()}. Up 9.41 seconds.`),
    k(0.35, 'cloud-init[601]: ci-info: ++++++++++++++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++++++++++++'),
    k(0.6, 'cloud-init[790]: Cloud-init v. 24.1.3-0ubuntu1~22.04.5 running \'modules:config\''),
    k(0.9, `Ubuntu 22.04.5 LTS ${host} ttyS0`),
    k(0.9, `${host} login: `),
  ];
}

function shutdownLines(at: number): Line[] {
  return [
    { at, text: `${stamp(at)} systemd-shutdown[1]: Syncing filesystems and block devices.` },
    { at, text: `${stamp(at)} systemd-shutdown[1]: Sending SIGTERM to remaining processes...` },
    { at, text: `${stamp(at)} reboot: Power down` },
  ];
}

function stepMsOf(durations: Durations, name: string): number {
  const d = durations.stepMs;
  if (typeof d === 'number') return d;
  return d[name] ?? (typeof DEFAULT_DURATIONS.stepMs === 'number' ? DEFAULT_DURATIONS.stepMs : 60_000);
}

/** What the first-boot audit (selfcheck.sh --audit) reports on, in short: the checks no boot may add back. */
const AUDIT_IDS = ['no-password-hash', 'no-authorized-keys', 'sshd-authorized-keys-files', 'no-public-keys-anywhere', 'no-private-keys', 'no-sudo-nopasswd', 'listening-services'];
const FAILURE_DETAIL: Record<string, string> = {
  'no-password-hash': 'accounts with password hashes: ubuntu',
  'no-authorized-keys': 'authorized_keys present: /root/.ssh/authorized_keys',
};

function passingReport(failing?: string, ids: readonly string[] = SELF_CHECK_IDS): SelfCheckReport {
  const checks = ids.map((id) => (id === failing
    ? { id, status: 'fail' as const, detail: FAILURE_DETAIL[id] ?? 'failed' }
    : { id, status: 'pass' as const, detail: 'ok' }));
  return { passed: failing === undefined, os: 'ubuntu 22.04', checks };
}

/** The whole console timeline of one boot, given the plan and the scenario. */
function timeline(server: GuestServer, plan: Plan | undefined, scenario: GuestScenario, durations: Durations): Timeline {
  const bootMs = durations.bootMs;
  const applies = !scenario.mode || scenario.mode === plan?.mode;
  const outcome = applies ? scenario.outcome : 'success';
  if (outcome === 'silent') return { lines: [] };
  const lines = bootLines(server, bootMs);
  if (!plan) return { lines };
  const emit = (at: number, e: ProtocolEvent) => lines.push({ at, text: formatEvent(e) });
  const total = plan.steps.length;
  const target = scenario.step === undefined ? plan.steps[total - 1]
    : plan.steps.find((s) => s.name === scenario.step || String(s.index) === scenario.step);
  let t = bootMs;
  emit(t, { event: 'begin', mode: plan.mode, steps: total, buildId: plan.buildId || undefined });
  emit(t, { event: 'phase', name: 'wait-cloud-init', status: 'start' });
  t += 2_000;
  emit(t, { event: 'phase', name: 'wait-cloud-init', status: 'ok' });
  const finish = (at: number, result: Extract<ProtocolEvent, { event: 'result' }>): Timeline => {
    emit(at, result);
    if (outcome === 'no-poweroff') return { lines };
    const off = at + durations.powerOffMs;
    lines.push(...shutdownLines(off));
    return { lines, powerOffAt: off };
  };
  if (plan.mode === 'test' && outcome !== 'audit-missing') {
    // runner.sh audits the captured image before the test steps; audit-fail: a key written at the builder's power-off.
    emit(t, { event: 'phase', name: 'audit', status: 'start' });
    t += 5_000;
    emit(t, { event: 'phase', name: 'audit', status: 'ok', seconds: 5 });
    const failing = outcome === 'audit-fail' ? 'no-authorized-keys' : undefined;
    emit(t, { event: 'audit', report: passingReport(failing, AUDIT_IDS) });
    if (failing) return finish(t, { event: 'result', result: 'failure', reason: `the captured image failed its first-boot audit (written after the build's self-check, e.g. at power-off): ${failing}` });
  }
  for (const step of plan.steps) {
    const ms = stepMsOf(durations, step.name);
    const hit = step === target;
    emit(t, { event: 'step', index: step.index, total, name: step.name, status: 'start' });
    if (hit && outcome === 'hang') return { lines };
    if (hit && outcome === 'poweroff') {
      const off = t + Math.round(ms / 2);
      lines.push({ at: off, text: `${stamp(off)} reboot: Power down` });
      return { lines, powerOffAt: off };
    }
    t += ms;
    const seconds = Math.round(ms / 1000);
    if (hit && outcome === 'step-fail') {
      emit(t, { event: 'step', index: step.index, total, name: step.name, status: 'fail', exitCode: 2, seconds });
      for (const text of ['Reading package lists...', `E: Unable to locate package ${step.name}-missing`]) emit(t, { event: 'log', index: step.index, total, text });
      return finish(t, { event: 'result', result: 'failure', index: step.index, total, reason: `step ${step.name}: fail (exit 2 after ${seconds}s)` });
    }
    emit(t, { event: 'step', index: step.index, total, name: step.name, status: 'ok', seconds });
  }
  if (plan.mode === 'test') return finish(t, { event: 'result', result: 'success' });
  emit(t, { event: 'phase', name: 'sanitize', status: 'start' });
  t += 4_000;
  emit(t, { event: 'phase', name: 'sanitize', status: 'ok', seconds: 4 });
  emit(t, { event: 'phase', name: 'selfcheck', status: 'start' });
  t += 20_000;
  emit(t, { event: 'phase', name: 'selfcheck', status: 'ok', seconds: 20 });
  const failing = outcome === 'selfcheck-fail' ? 'no-password-hash' : undefined;
  emit(t, { event: 'selfcheck', report: passingReport(failing) });
  if (failing) return finish(t, { event: 'result', result: 'failure', reason: `self-check failed: ${failing}` });
  // A small SBOM (a real inventory's shape, scripts/guest/sbom.sh); sbom-lost drops its first part.
  emit(t, { event: 'phase', name: 'sbom', status: 'start' });
  for (const part of sbomParts(EMULATED_INVENTORY)) if (!(outcome === 'sbom-lost' && part.part === 1)) emit(t, part);
  emit(t, { event: 'phase', name: 'sbom', status: 'ok', seconds: 1 });
  return finish(t, { event: 'result', result: 'success' });
}

/**
 * A restarted server (os-start after a stop) boots again; the runner does not run twice (the
 * plan and runner are gone after sanitize, and cloud-init runs runcmd once per instance).
 */
function timelineOf(server: GuestServer, ctx: EmuContext): Timeline {
  const firstBoot = (server.guest?.boots ?? 1) <= 1;
  const plan = firstBoot ? planOfUserData(server.user_data) : undefined;
  return timeline(server, plan, ctx.account.config.guest, ctx.account.config.durations);
}

export class ScriptedGuest implements GuestBackend {
  start(server: GuestServer): void {
    server.guest = { ...server.guest, boots: (server.guest?.boots ?? 0) + 1 };
  }

  consoleLines(server: GuestServer, ctx: EmuContext): string[] {
    const { lines, powerOffAt } = timelineOf(server, ctx);
    let end = ctx.now - server.activeAt;
    if (powerOffAt !== undefined) end = Math.min(end, powerOffAt);
    if (server.stopRequestedAt !== undefined) end = Math.min(end, server.stopRequestedAt - server.activeAt);
    const shown = lines.filter((l) => l.at <= end).map((l) => l.text);
    // A stop request is an ACPI shutdown: the guest prints its shutdown before powering off.
    if (server.stopRequestedAt !== undefined && ctx.now >= server.stopRequestedAt && (powerOffAt === undefined || server.stopRequestedAt - server.activeAt < powerOffAt)) {
      shown.push(...shutdownLines(server.stopRequestedAt - server.activeAt).map((l) => l.text));
    }
    return shown;
  }

  poweredOffAt(server: GuestServer, ctx: EmuContext): number | undefined {
    const { powerOffAt } = timelineOf(server, ctx);
    if (powerOffAt === undefined) return undefined;
    const at = server.activeAt + powerOffAt;
    return at <= ctx.now ? at : undefined;
  }

  stop(): void {}
}
