/**
 * Runs terraform in a synthesized stack's folder (cdktf.out/stacks/<stack>), with `-json`, the
 * Huawei key pair in HW_* (and, for the OBS state backend, AWS_*) for that process only, and the
 * proxy's settings. It needs no image definition: cleanup destroys from the folders and states
 * alone (destroyLeftovers).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { StateBackend } from '../../stacks/backend.js';
import { terraformProxyEnv, type ProxyRoute } from '../../stacks/endpoint.js';
import type { Credentials } from './credentials.js';

export interface TerraformRunnerOptions {
  readonly credentials: Credentials;
  /** Only its kind matters here: OBS gets the key pair as AWS_*. */
  readonly backend: StateBackend;
  /** @default cdktf.out */
  readonly outdir?: string;
  /** @default terraform */
  readonly terraform?: string;
  /** IMAGE_FACTORY_PROXY: the terraform process gets HTTPS_PROXY and the proxy's CA. */
  readonly proxy?: ProxyRoute;
  /** Terraform's human-readable messages, for a verbose log. */
  readonly onLog?: (line: string) => void;
}

export interface TfMessage {
  '@level'?: string;
  '@message'?: string;
  type?: string;
  hook?: { resource?: { addr?: string }; action?: string; id_value?: string };
  diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
}

/** A failed terraform command, with the error diagnostics of its `-json` output. */
export class TerraformError extends Error {
  constructor(message: string, readonly diagnostics: readonly { summary: string; detail?: string; address?: string }[]) {
    super(message);
    this.name = 'TerraformError';
  }
}

export class TerraformRunner {
  /** Absolute, as every path handed to Terraform: it runs in cdktf.out/stacks/<stack>. */
  readonly outdir: string;
  private readonly initialized = new Set<string>();

  constructor(private readonly opts: TerraformRunnerOptions) {
    this.outdir = resolve(opts.outdir ?? 'cdktf.out');
  }

  /** TF_PLUGIN_CACHE_DIR, or .image-factory/plugin-cache next to cdktf.out: made on first use. */
  pluginCache(): string {
    const dir = process.env.TF_PLUGIN_CACHE_DIR || join(dirname(this.outdir), '.image-factory', 'plugin-cache');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The stack's folder, where its cdk.tf.json is. */
  dir(stack: string): string {
    return join(this.outdir, 'stacks', stack);
  }

  private env(): NodeJS.ProcessEnv {
    const c = this.opts.credentials;
    return {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      // One provider download per machine, not per stack folder (unless the user keeps a cache of their own).
      TF_PLUGIN_CACHE_DIR: this.pluginCache(),
      HW_ACCESS_KEY: c.accessKey,
      HW_SECRET_KEY: c.secretKey,
      ...(c.securityToken ? { HW_SECURITY_TOKEN: c.securityToken } : {}),
      ...terraformProxyEnv(this.opts.proxy),
      // The S3 backend's credentials for OBS (same key pair; never written to any file).
      ...(this.opts.backend.kind === 'obs' ? { AWS_ACCESS_KEY_ID: c.accessKey, AWS_SECRET_ACCESS_KEY: c.secretKey, ...(c.securityToken ? { AWS_SESSION_TOKEN: c.securityToken } : {}) } : {}),
    };
  }

  /** Runs terraform in the stack's folder; JSON lines go to `onJson`; a failure is a TerraformError. */
  run(stack: string, args: string[], { signal, onJson }: { signal?: AbortSignal; onJson?: (m: TfMessage) => void } = {}): Promise<string> {
    const cwd = this.dir(stack);
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.terraform ?? 'terraform', args, { cwd, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      const diagnostics: { summary: string; detail?: string; address?: string }[] = [];
      let stdout = '';
      let stderr = '';
      // On SIGINT, let Terraform stop gracefully: it finishes in-flight calls and saves state.
      const onAbort = () => child.kill('SIGINT');
      signal?.addEventListener('abort', onAbort, { once: true });
      createInterface({ input: child.stdout }).on('line', (line) => {
        stdout += `${line}\n`;
        if (!line.startsWith('{')) return;
        let m: TfMessage;
        try {
          m = JSON.parse(line) as TfMessage;
        } catch {
          return;
        }
        if (m.type === 'diagnostic' && m.diagnostic?.severity === 'error') {
          diagnostics.push({ summary: m.diagnostic.summary ?? '', detail: m.diagnostic.detail || undefined, address: m.diagnostic.address });
        }
        if (m['@message']) this.opts.onLog?.(m['@message']);
        onJson?.(m);
      });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', (err) => reject(new Error(`terraform could not be started (${err.message}); install Terraform >= 1.10 and put it on PATH`)));
      child.on('close', (code) => {
        signal?.removeEventListener('abort', onAbort);
        if (code === 0) return resolve(stdout);
        // Terraform's own words: each error's summary and its whole detail, on one line.
        const errors = diagnostics.map((d) => `${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? `: ${d.detail.trim().replace(/\s*\n\s*/g, ' ')}` : ''}`);
        const why = errors.length ? errors.join('; ') : stderr.trim().split('\n').slice(-5).join(' ') || `exit code ${code}`;
        const lock = /acquiring the state lock/i.test(why + stderr) ? ' (another build of this version holds the state lock; wait for it, or check for a stale lock)' : '';
        reject(new TerraformError(`terraform ${args[0]} ${stack} failed: ${why}${lock}`, diagnostics));
      });
    });
  }

  async init(stack: string, signal?: AbortSignal): Promise<void> {
    if (this.initialized.has(stack)) return;
    this.seedLockFile(stack);
    // -json (Terraform >= 1.9): its errors arrive as diagnostics, like apply's, not as prose on stderr.
    await this.run(stack, ['init', '-input=false', '-json', '-reconfigure'], { signal });
    this.initialized.add(stack);
  }

  /**
   * Every stack pins the same provider: a new stack folder gets the lock file of one already
   * initialized, so that its `terraform init` takes the provider from the plugin cache (Terraform
   * uses the cache only for providers whose checksums the lock file holds) instead of
   * downloading it again, once per copy region.
   */
  private seedLockFile(stack: string): void {
    const lock = join(this.dir(stack), '.terraform.lock.hcl');
    if (existsSync(lock) || !existsSync(join(this.outdir, 'stacks'))) return;
    const from = readdirSync(join(this.outdir, 'stacks')).map((s) => join(this.dir(s), '.terraform.lock.hcl')).find((f) => existsSync(f));
    if (from) copyFileSync(from, lock);
  }

  async apply(stack: string, vars: Record<string, string>, opts: { signal?: AbortSignal; parallelism?: number; onJson?: (m: TfMessage) => void } = {}): Promise<void> {
    await this.init(stack, opts.signal);
    const args = ['apply', '-auto-approve', '-input=false', '-json', '-lock-timeout=0s'];
    if (opts.parallelism) args.push(`-parallelism=${opts.parallelism}`);
    for (const [k, v] of Object.entries(vars)) args.push('-var', `${k}=${v}`);
    await this.run(stack, args, opts);
  }

  async destroy(stack: string, vars: Record<string, string>): Promise<void> {
    await this.init(stack);
    const args = ['destroy', '-auto-approve', '-input=false', '-json'];
    for (const [k, v] of Object.entries(vars)) args.push('-var', `${k}=${v}`);
    await this.run(stack, args);
  }

  /** IDs of the managed resources of `type` in the stack's state (`terraform state pull`, format version 4). */
  async stateIds(stack: string, type: string): Promise<string[]> {
    const text = await this.run(stack, ['state', 'pull']);
    const state = JSON.parse(text || '{}') as { resources?: { mode?: string; type: string; instances?: { attributes?: { id?: string } }[] }[] };
    return (state.resources ?? []).filter((r) => r.mode !== 'data' && r.type === type)
      .flatMap((r) => (r.instances ?? []).map((i) => i.attributes?.id)).filter((id): id is string => typeof id === 'string' && id !== '');
  }

  async outputs(stack: string): Promise<Record<string, unknown>> {
    const text = await this.run(stack, ['output', '-json', '-no-color']);
    const parsed = JSON.parse(text || '{}') as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

}

/**
 * Destroys what a build of `image` `version` left in its builder and tester stacks, from their
 * synthesized folders and states alone: no definition is read, so a definition edited or broken
 * since the build started cannot stop it. A folder synthesized for another version is left
 * alone (its backend names another state). Returns what it destroyed and what it could not.
 */
export async function destroyLeftovers(runner: TerraformRunner, image: string, version: string, kinds: readonly ('builder' | 'tester')[]): Promise<{ destroyed: string[]; missing: string[] }> {
  const destroyed: string[] = [];
  const missing: string[] = [];
  for (const kind of kinds) {
    const stack = `${image}-${kind}`;
    const file = join(runner.dir(stack), 'cdk.tf.json');
    const config = existsSync(file) ? JSON.stringify((JSON.parse(readFileSync(file, 'utf8')) as { terraform?: { backend?: unknown } }).terraform?.backend ?? {}) : '';
    if (!config.includes(`/${image}/${version}/`)) {
      missing.push(stack);
      continue;
    }
    await runner.destroy(stack, kind === 'tester' ? { image_id: 'unused-on-destroy' } : {});
    destroyed.push(stack);
  }
  return { destroyed, missing };
}
