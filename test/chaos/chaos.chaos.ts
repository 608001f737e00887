/**
 * The chaos tier (`npm run test:chaos`, issue 22 item 9): whole builds in child processes
 * (test/support/run-build.ts: the CLI's orchestrator, real signed clients, JSON progress, signal
 * handling; the applier in place of Terraform) against the emulator, under
 *   1. random 429/500/503 on 10% of the build's calls (seeded emulator faults),
 *   2. SIGKILL or SIGINT at a random progress event, then `resume` until the build ends (bounded),
 *   3. a full disk on the work folder (.image-factory/) at a random progress event (root + tmpfs),
 *   4. another version's checkpoint truncated beside the build (`status` must still work),
 *   5. two builds of the same version at once.
 * Each run gets a fresh emulator and folder. A run leaks when, after it ended (resumes and
 * cleanup included), the emulator holds an ECS server, an EIP or a bandwidth, or a private image
 * whose ID no checkpoint and no build.json holds. Everything random is drawn from
 * IMAGE_FACTORY_CHAOS_SEED; IMAGE_FACTORY_CHAOS_RUNS sets the runs per scenario.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../scripts/pipeline/clock.js';
import { AK, startEmulator, type TestEmulator } from '../emulator/support.js';
import { baseDefinition, makeImage } from '../support/images.js';
import { FAST } from '../support/pipeline-harness.js';
import { emulatorAdmin } from '../support/emulator-admin.js';
import { startCloud, type E2eCloud } from '../e2e/cloud.js';
import { checkProvider } from '../e2e/provider.js';
import { ACCESS_KEY, runCli, startCli, workspace } from '../e2e/support.js';

const SEED = Number(process.env.IMAGE_FACTORY_CHAOS_SEED ?? 1);
const RUNS_ENV = process.env.IMAGE_FACTORY_CHAOS_RUNS;
/**
 * The real terraform + huaweicloud provider where it can be installed (found as the e2e tier
 * finds it: test/e2e/provider.ts), else the applier. IMAGE_FACTORY_CHAOS_DEPLOYER forces one.
 */
const DEPLOYER: 'applier' | 'terraform' = process.env.IMAGE_FACTORY_CHAOS_DEPLOYER === 'applier' ? 'applier'
  : process.env.IMAGE_FACTORY_CHAOS_DEPLOYER === 'terraform' || checkProvider().ready ? 'terraform' : 'applier';
const SCALE = 1000;
const START = Date.UTC(2026, 10, 28, 10, 0, 0);
const MAX_RESUMES = 4;
// Real terraform runs take minutes each: fewer of them by default.
const RUNS = Number(RUNS_ENV ?? (DEPLOYER === 'terraform' ? 1 : 12));
const OUT = mkdtempSync(join(tmpdir(), 'image-factory-chaos-'));

/** mulberry32, as the emulator's faults draw: the same seed, the same runs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Figure { scenario: string; runs: number; built: number; failed: number; leaked: number; skipped?: string; leaks: string[]; failures: string[] }
const figures: Figure[] = [];

/**
 * One run's account and folder. `work` is what .image-factory/ is to the CLI (checkpoints,
 * locks, state), `dist` where build records go; `project` the folder `status` runs in.
 * applier: an emulator on the scaled clock and test/support/run-build.ts; terraform: the
 * `image-factory emulator` process (its proxy) and `image-factory build nginx` in a workspace.
 */
interface Env {
  readonly work: string; readonly dist: string; readonly project: string; readonly image: string; readonly accessKey: string;
  admin: ReturnType<typeof emulatorAdmin>; close(): Promise<void>;
  emu?: TestEmulator; realStart?: number; imageDir?: string; cloud?: E2eCloud;
}

async function fresh(): Promise<Env> {
  if (DEPLOYER === 'terraform') {
    const ws = workspace('chaos-tf-');
    const cloud = await startCloud(ws);
    await cloud.emu.admin('PATCH', 'config', { durations: FAST as Record<string, number> });
    return { work: join(ws, '.image-factory'), dist: join(ws, 'dist'), project: ws, image: 'nginx', accessKey: ACCESS_KEY, admin: cloud.emu.admin, cloud, close: () => cloud.close() };
  }
  const project = mkdtempSync(join(tmpdir(), 'chaos-run-'));
  const work = join(project, '.image-factory');
  mkdirSync(work);
  const realStart = Date.now();
  const emu = await startEmulator({ clock: new ScaledClock(SCALE, START, realStart) });
  const admin = emulatorAdmin(emu.url);
  await admin('PATCH', 'config', { durations: FAST as Record<string, number> });
  return { work, dist: join(work, 'dist'), project, image: 'demo', accessKey: AK, admin, emu, realStart, imageDir: makeImage().dir, close: () => emu.close() };
}

interface Child { exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>; kill(sig: NodeJS.Signals): void; pid: number }

/** One build (or resume) process; `onEvent` sees each JSON progress line with its index. */
function run(env: Env, mode: 'build' | 'resume', onEvent?: (e: any, index: number, child: Child) => void): Child {
  const proc = env.cloud
    ? startCli([mode, env.image, '--json'], { cwd: env.project, env: env.cloud.env() }).child
    : spawn(process.execPath, ['scripts/bin/run-ts.mjs', 'test/support/run-build.ts'], {
      env: { ...process.env, EMULATOR_URL: env.emu!.url, WORK_DIR: env.work, REAL_START: String(env.realStart), SCALE: String(SCALE), IMAGE_DIR: env.imageDir, DEFINITION: JSON.stringify(baseDefinition()), MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let stdout = '';
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const child: Child = { pid: proc.pid!, kill: (sig) => void proc.kill(sig), exit: undefined as never };
  let index = 0;
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    stdout += `${line}\n`;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      return;
    }
    onEvent?.(e, index++, child);
  });
  // Hang guard only: a build on the scaled clock takes seconds.
  const guard = setTimeout(() => proc.kill('SIGKILL'), (env.cloud ? 30 : 5) * 60_000);
  child.exit = new Promise((resolve) => proc.on('close', (code, signal) => {
    clearTimeout(guard);
    resolve({ code, signal, stdout, stderr });
  }));
  return child;
}

/** Every file under `dir` (checkpoints, build records), as text. */
function texts(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((p) => statSync(p).isFile()).map((p) => readFileSync(p, 'utf8')).join('\n');
}

/** What the emulator still holds that a finished run must not leave: billed resources and untracked images. */
async function leaks(env: Env): Promise<string[]> {
  const state = await env.admin<{ resources: Record<string, Record<string, Record<string, any>>> }>('GET', 'state');
  const known = texts(join(env.work, 'builds')) + texts(env.dist);
  const out: string[] = [];
  for (const [region, cols] of Object.entries(state.resources)) {
    for (const s of Object.values(cols.servers ?? {})) out.push(`${region} server ${s.id} (${s.name})`);
    for (const p of Object.values(cols.publicips ?? {})) if (p.status !== 'DELETED') out.push(`${region} eip ${p.id}`);
    for (const b of Object.values(cols.bandwidths ?? {})) out.push(`${region} bandwidth ${b.id}`);
    for (const i of Object.values(cols.images ?? {})) {
      if (i.imagetype === 'private' && i.status !== 'deleted' && !known.includes(i.id)) out.push(`${region} untracked image ${i.id} (${i.name})`);
    }
  }
  return out;
}

/** Why a process ended as it did: its first failed stage (and what it said), else its last lines. */
function tail(s: string): string {
  for (const line of s.split('\n')) {
    try {
      const e = JSON.parse(line);
      if (e.status === 'failed') return `${e.stage}${e.step ? `/${e.step}` : ''} failed: ${String(e.message ?? '').slice(0, 300)}`;
    } catch { /* not a progress line */ }
  }
  return s.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
}

/** Runs `resume` until the build ends (built, or failed with cleanup done), as a user would. */
async function resumeUntilEnd(env: Env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let last = { code: null as number | null, stdout: '', stderr: '' };
  for (let i = 0; i < MAX_RESUMES; i++) {
    last = await run(env, 'resume').exit;
    if (last.code === 0 || last.code === 1 || last.code === 4) break;
  }
  return last;
}

async function scenario(name: string, each: (env: Env, i: number, rnd: () => number) => Promise<{ built: boolean; why?: string }>, setup?: () => string | undefined): Promise<Figure> {
  const figure: Figure = { scenario: name, runs: 0, built: 0, failed: 0, leaked: 0, leaks: [], failures: [] };
  figures.push(figure);
  const skip = setup?.();
  if (skip) {
    figure.skipped = skip;
    console.log(`chaos: ${name}: skipped: ${skip}`);
    return figure;
  }
  const rnd = prng(SEED * 7919 + name.length);
  for (let i = 0; i < RUNS; i++) {
    const env = await fresh();
    try {
      const r = await each(env, i, rnd);
      figure.runs++;
      if (r.built) figure.built++;
      else {
        figure.failed++;
        figure.failures.push(`run ${i}: ${r.why ?? ''}`);
      }
      const l = await leaks(env);
      if (l.length) {
        figure.leaked++;
        figure.leaks.push(`run ${i}: ${l.join(', ')}`);
      }
    } finally {
      await env.close();
    }
  }
  return figure;
}

describe.sequential(`chaos (seed ${SEED}, ${RUNS} runs a scenario, ${DEPLOYER})`, () => {
  afterAll(() => {
    const rows = figures.map((f) => ({ scenario: f.scenario, runs: f.runs, built: f.built, failed: f.failed, leaked: f.leaked, seed: SEED, deployer: DEPLOYER, ...(f.skipped ? { skipped: f.skipped } : {}) }));
    console.table(rows);
    for (const f of figures) for (const line of [...f.failures, ...f.leaks]) console.log(`chaos: ${f.scenario}: ${line}`);
    const file = join(OUT, 'chaos-figures.json');
    writeFileSync(file, `${JSON.stringify({ seed: SEED, runsPerScenario: RUNS, deployer: DEPLOYER, figures }, null, 2)}\n`);
    console.log(`chaos: figures written to ${file}`);
  });

  it('10% transient faults (429/500/503 on the build\'s calls): at least 95% built, no leak', async () => {
    const f = await scenario('transient 10%', async (env, i) => {
      // Three faults of 1/30 each: about 10% of the build's calls (those signed with its key pair).
      for (const [k, status] of [429, 500, 503].entries()) {
        await env.admin('POST', 'faults', { kind: 'http', accessKey: env.accessKey, status, probability: 1 / 30, seed: SEED * 1000 + i * 3 + k, ...(status === 429 ? { retryAfter: 1 } : {}) });
      }
      const r = await run(env, 'build').exit;
      return { built: r.code === 0, why: `exit ${r.code}: ${tail(r.stdout)} ${tail(r.stderr)}` };
    });
    expect.soft(f.leaked, f.leaks.join('\n')).toBe(0);
    expect(f.built / f.runs, `${f.built} of ${f.runs} built:\n${f.failures.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('SIGKILL and SIGINT at random points, then resume until the build ends: no leak', async () => {
    const f = await scenario('kill + resume', async (env, _i, rnd) => {
      const at = Math.floor(rnd() * 40);
      const sig: NodeJS.Signals = rnd() < 0.5 ? 'SIGKILL' : 'SIGINT';
      let sent = false;
      const first = await run(env, 'build', (_e, index, child) => {
        if (!sent && index >= at) {
          sent = true;
          child.kill(sig);
        }
      }).exit;
      const end = first.code === 0 || first.code === 1 || first.code === 4 ? first : await resumeUntilEnd(env);
      return { built: end.code === 0, why: `${sig} at event ${at}; last exit ${end.code}: ${tail(end.stdout)} ${tail(end.stderr)}` };
    });
    expect(f.leaked, f.leaks.join('\n')).toBe(0);
  });

  const mounts: string[] = [];
  it('a full disk on .image-factory/ at a random point: cleanup still runs, no leak', async () => {
    const f = await scenario('full disk', async (env, _i, rnd) => {
      const at = Math.floor(rnd() * 40);
      // The project's .image-factory/ on its own 4 MiB tmpfs.
      mkdirSync(env.work, { recursive: true });
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', env.work], { encoding: 'utf8' });
      if (m.status !== 0) throw new Error(`mount -t tmpfs on ${env.work}: ${m.stderr}`);
      mounts.push(env.work);
      let filled = false;
      const r = await run(env, 'build', (_e, index) => {
        if (filled || index < at) return;
        filled = true;
        try {
          writeFileSync(join(env.work, 'filler'), Buffer.alloc(8 << 20));
        } catch { /* ENOSPC: the disk is full now */ }
      }).exit;
      return { built: r.code === 0, why: `disk full at event ${at}; exit ${r.code}: ${tail(r.stdout)} ${tail(r.stderr)}` };
    }, () => {
      if (process.getuid?.() !== 0) return 'not root: no tmpfs can be mounted on the work folder';
      const probe = mkdtempSync(join(tmpdir(), 'chaos-tmpfs-'));
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { encoding: 'utf8' });
      if (m.status !== 0) return `mount -t tmpfs failed (${(m.stderr || m.error?.message || '').trim()})`;
      spawnSync('umount', [probe]);
      return undefined;
    });
    expect(f.leaked, f.leaks.join('\n')).toBe(0);
    for (const m of mounts) spawnSync('umount', [m]);
  });

  it('another version\'s checkpoint truncated: the build still ends built, status still works, no leak', async () => {
    const f = await scenario('damaged checkpoint', async (env) => {
      mkdirSync(join(env.work, 'builds', env.image), { recursive: true });
      const damaged = join(env.work, 'builds', env.image, '0.9.0.json');
      const text = `{"schema": 1, "image": "${env.image}", "version": "0.9.0", "stages": {"build": {"sta`;
      writeFileSync(damaged, text);
      const r = await run(env, 'build').exit;
      const status = await runCli(['status', env.image], { cwd: env.project });
      const kept = readFileSync(damaged, 'utf8') === text;
      const ok = r.code === 0 && status.code === 0 && /UNREADABLE/.test(status.stdout) && kept;
      return { built: ok, why: `build exit ${r.code}: ${tail(r.stdout)} ${tail(r.stderr)}; status exit ${status.code}: ${tail(status.stderr || status.stdout)}; damaged file kept: ${kept}` };
    });
    expect(f.built, f.failures.join('\n')).toBe(f.runs);
    expect(f.leaked, f.leaks.join('\n')).toBe(0);
  });

  it('two builds of the same version at once: one wins, the other is refused naming the holder, no leak', async () => {
    const f = await scenario('same-version race', async (env) => {
      const a = run(env, 'build');
      const b = run(env, 'build');
      const [ra, rb] = await Promise.all([a.exit, b.exit]);
      const winners = [ra, rb].filter((r) => r.code === 0).length;
      const loser = ra.code === 0 ? rb : ra;
      const winnerPid = ra.code === 0 ? a.pid : b.pid;
      const named = new RegExp(`pid ${winnerPid}\\b|another process (is taking|took) the lock`).test(loser.stderr + loser.stdout);
      return { built: winners === 1 && named, why: `exits ${ra.code}/${rb.code}; loser: ${tail(loser.stdout)} ${tail(loser.stderr)}` };
    });
    expect(f.built, f.failures.join('\n')).toBe(f.runs);
    expect(f.leaked, f.leaks.join('\n')).toBe(0);
  });
});
