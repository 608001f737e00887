/**
 * Whether the REAL huaweicloud provider can be installed here, found the standard way: the
 * registry, or the filesystem/network mirror of TF_CLI_CONFIG_FILE. Checked once, by
 * `terraform init` of a configuration that requires exactly the version the emulator was written
 * against. Without it, the e2e tier skips (one line says why): it never falls back to a fake.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROVIDER_VERSION = '1.97.1';

export interface ProviderCheck {
  readonly ready: boolean;
  /** Why not, in one line. */
  readonly reason?: string;
}

/**
 * What every terraform the tier starts (the CLI's, cdktf's, the test's own) shares: one plugin
 * cache, so the provider is unpacked once for the dozen working directories, not per directory.
 * Terraform would otherwise refuse the cache for a directory without a lock file yet.
 */
export function terraformEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const cache = env.TF_PLUGIN_CACHE_DIR || join(tmpdir(), 'image-factory-e2e-plugin-cache');
  mkdirSync(cache, { recursive: true });
  return { TF_PLUGIN_CACHE_DIR: cache, TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
}

export function checkProvider(): ProviderCheck {
  const dir = mkdtempSync(join(tmpdir(), 'image-factory-e2e-provider-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { huaweicloud: { source: 'huaweicloud/huaweicloud', version: PROVIDER_VERSION } } } }));
    const r = spawnSync('terraform', ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env: { ...process.env, ...terraformEnv() }, encoding: 'utf8', timeout: 15 * 60_000 });
    if (r.error) return { ready: false, reason: `terraform cannot be run (${r.error.message})` };
    if (r.status === 0) return { ready: true };
    const config = process.env.TF_CLI_CONFIG_FILE;
    const where = !config ? 'no registry access and no TF_CLI_CONFIG_FILE mirror'
      : existsSync(config) ? `no registry access, and TF_CLI_CONFIG_FILE=${config} has no mirror holding it`
        : `no registry access, and TF_CLI_CONFIG_FILE=${config} does not exist`;
    // The cause, in terraform's words: the unreachable host, else the error's summary.
    const out = `${r.stderr}\n${r.stdout}`.replace(/\s*\n[│\s]*/g, ' ');
    const cause = /could not connect to [\w.-]+/.exec(out)?.[0]
      ?? /available versions for provider [^:]+: (.+?)(?: To see |$)/.exec(out)?.[1]
      ?? /Error: (.{1,160})/.exec(out)?.[1];
    return { ready: false, reason: `the huaweicloud provider ${PROVIDER_VERSION} cannot be installed here (${where})${cause ? `; terraform init: ${cause.trim()}` : ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eProvider: ProviderCheck;
  }
}
