/**
 * What the CLI-level tests share: the `image-factory` command as users run it (a child process),
 * the emulator started through that command, and a throw-away project folder (a copy of the
 * repository's images/) so that nothing in the repository is written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emulatorAdmin } from '../support/emulator-admin.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'scripts/bin/image-factory.mjs');

export const ACCESS_KEY = 'E2EEMULATORKEY000001';
export const SECRET_KEY = 'e2e-emulator-secret-never-logged';

/** The test process's environment without anything that would point the CLI at a real account. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HW_|IMAGE_FACTORY_|AWS_)/.test(k)));
  return { ...env, CHECKPOINT_DISABLE: '1', ...extra };
}

/**
 * A project folder like a user's: its own images/ (copied), the package installed as a link to
 * this repository (the definitions import `koogallery-image-factory`) and a package.json that
 * makes the .ts definitions ES modules.
 */
export function workspace(prefix = 'image-factory-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(REPO, 'images'), join(dir, 'images'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'koogallery-image-factory'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'e2e-workspace', private: true, type: 'module' })}\n`);
  return dir;
}

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly out: { stdout: string; stderr: string };
  /** Resolves with the exit code (null when killed by a signal) and the whole output. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves with the first match of `re` in stdout or stderr; rejects if the process ends first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/**
 * `image-factory <args>` as a child process. `detached`: in its own process group, so that
 * `killGroup` ends it with everything it started (terraform), as a machine or CI job dying would.
 */
export function startCli(args: string[], { cwd = REPO, env = cleanEnv(), detached = false }: { cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean } = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d) => {
    out.stdout += d;
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (d) => {
    out.stderr += d;
    for (const l of listeners) l();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal, ...out });
    });
  });
  let ended = false;
  void exited.then(() => (ended = true));
  const waitFor = (re: RegExp, timeoutMs = 60_000) => new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${re} in the output of image-factory ${args.join(' ')}:\n${out.stdout}${out.stderr}`)), timeoutMs);
    const check = () => {
      const m = re.exec(out.stdout) ?? re.exec(out.stderr);
      if (m) done(undefined, m);
      else if (ended) done(new Error(`image-factory ${args.join(' ')} ended before printing ${re}:\n${out.stdout}${out.stderr}`));
    };
    const done = (err?: Error, m?: RegExpMatchArray) => {
      clearTimeout(timer);
      listeners.delete(check);
      if (err) reject(err);
      else resolve(m!);
    };
    listeners.add(check);
    check();
  });
  return { child, out, exited, waitFor };
}

/** SIGKILL to the process group of a `detached` run: nothing in it gets to clean up. */
export function killGroup(run: CliRun): void {
  process.kill(-run.child.pid!, 'SIGKILL');
}

/** A shell script to its end (the README's lines as a user pastes them). */
export function runShell(script: string, { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euc', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command to its end. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return startCli(args, opts).exited;
}

export interface EmulatorProcess {
  readonly url: string;
  readonly run: CliRun;
  /** The admin API (/_emulator/...). */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `image-factory emulator --port 0 ...` (unless `flags` name a port) with the test key pair, once it listens. */
export async function startEmulatorProcess(flags: string[] = [], env: NodeJS.ProcessEnv = cleanEnv({ HW_ACCESS_KEY: ACCESS_KEY, HW_SECRET_KEY: SECRET_KEY }), cwd?: string): Promise<EmulatorProcess> {
  const run = startCli(['emulator', ...(flags.includes('--port') ? [] : ['--port', '0']), ...flags], { env, cwd });
  let url: string;
  try {
    url = (await run.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1];
  } catch (err) {
    run.child.kill('SIGKILL');
    throw err;
  }
  return {
    url, run,
    admin: emulatorAdmin(url),
    stop: async () => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      return run.exited;
    },
  };
}
