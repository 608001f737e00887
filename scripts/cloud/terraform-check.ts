/**
 * What a build needs of Terraform, checked before anything else (no checkpoint, nothing
 * created): `terraform` on PATH, at least 1.10 (the S3 backend's `use_lockfile`), and the
 * huaweicloud provider installable the way the stacks ask for it (the registry, or the
 * `provider_installation` of TF_CLI_CONFIG_FILE). The provider is installed once into the plugin
 * cache by a scratch `terraform init`; a success is remembered for the same Terraform, CLI
 * configuration and constraint, so later runs pay nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../stacks/errors.js';
import { writeFileAtomic } from '../lib/fs.js';

/** The stacks' provider, as the generated bindings pin it (stacks/.gen/providers/huaweicloud/provider). */
const PROVIDER = { source: 'huaweicloud/huaweicloud', constraint: '~> 1.97' } as const;
const MIN_TERRAFORM = [1, 10] as const;

export interface TerraformCheckOptions {
  /** @default terraform */
  readonly terraform?: string;
  /** Where the check keeps its scratch folder and its memory (.image-factory/terraform-check). */
  readonly dir: string;
  /** The plugin cache the provider is installed into (the deployer's). */
  readonly pluginCache: string;
  readonly env?: NodeJS.ProcessEnv;
}

const MIRROR_FIX = `install it from a filesystem mirror: put the provider's package under <mirror>/registry.terraform.io/huaweicloud/huaweicloud/<version>/linux_amd64/, then point TF_CLI_CONFIG_FILE at a file holding
  provider_installation {
    filesystem_mirror {
      path    = "<mirror>"
      include = ["registry.terraform.io/huaweicloud/huaweicloud"]
    }
    direct {
      exclude = ["registry.terraform.io/huaweicloud/huaweicloud"]
    }
  }
(https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation)`;

/** Terraform's error diagnostics from `-json` output, each as "summary: detail" on one line. */
function diagnostics(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      const m = JSON.parse(l) as { diagnostic?: { severity?: string; summary?: string; detail?: string } };
      return m.diagnostic?.severity === 'error' ? [`${m.diagnostic.summary ?? ''}${m.diagnostic.detail ? `: ${m.diagnostic.detail.trim().replace(/\s*\n\s*/g, ' ')}` : ''}`] : [];
    } catch {
      return [];
    }
  });
}

export function checkTerraform(o: TerraformCheckOptions): void {
  const terraform = o.terraform ?? 'terraform';
  const env: NodeJS.ProcessEnv = { ...(o.env ?? process.env), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const version = spawnSync(terraform, ['version', '-json'], { encoding: 'utf8', env });
  if (version.error) throw new UserError(`terraform cannot be run (${(version.error as NodeJS.ErrnoException).code ?? version.error.message}): install Terraform ${MIN_TERRAFORM.join('.')} or later and put it on PATH (https://developer.hashicorp.com/terraform/install)`);
  const found = (JSON.parse(version.stdout || '{}') as { terraform_version?: string }).terraform_version ?? '';
  const [major, minor] = found.split('.').map(Number);
  if (!(major > MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor >= MIN_TERRAFORM[1]))) {
    throw new UserError(`terraform ${found || '(unknown version)'} is too old: the stacks need ${MIN_TERRAFORM.join('.')} or later (the S3 state backend's use_lockfile); install a newer Terraform (https://developer.hashicorp.com/terraform/install)`);
  }
  // Remembered per Terraform, CLI configuration (its path and text) and constraint.
  const config = env.TF_CLI_CONFIG_FILE ?? '';
  const key = JSON.stringify({ terraform: found, config, configText: config && existsSync(config) ? readFileSync(config, 'utf8') : '', provider: PROVIDER, cache: o.pluginCache });
  const memory = join(o.dir, 'provider-ok.json');
  if (existsSync(memory) && readFileSync(memory, 'utf8') === key) return;
  const scratch = join(o.dir, 'scratch');
  mkdirSync(scratch, { recursive: true });
  mkdirSync(o.pluginCache, { recursive: true });
  writeFileSync(join(scratch, 'main.tf.json'), `${JSON.stringify({ terraform: { required_providers: { huaweicloud: { source: PROVIDER.source, version: PROVIDER.constraint } } } })}\n`);
  const init = spawnSync(terraform, ['init', '-input=false', '-json', '-backend=false'], { cwd: scratch, encoding: 'utf8', env: { ...env, TF_PLUGIN_CACHE_DIR: o.pluginCache } });
  if (init.status !== 0) {
    const why = diagnostics(init.stdout).join('; ') || init.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${init.status}`;
    const where = config ? `TF_CLI_CONFIG_FILE=${config}${existsSync(config) ? '' : ' (no such file)'}` : 'the public registry (no TF_CLI_CONFIG_FILE)';
    throw new UserError(`the huaweicloud provider (${PROVIDER.source} ${PROVIDER.constraint}) cannot be installed from ${where}: terraform init said: ${why}\nTo fix it: reach registry.terraform.io, or ${MIRROR_FIX}`);
  }
  writeFileAtomic(memory, key);
}
