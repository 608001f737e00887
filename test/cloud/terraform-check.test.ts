/**
 * Preflight's Terraform side, with the real terraform: a missing or old binary, a provider that
 * cannot be installed (a CLI configuration whose only source is an empty filesystem mirror),
 * one that can (a mirror holding a provider package; init only installs it, never runs it), and
 * the success remembered until the CLI configuration changes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTerraform } from '../../scripts/cloud/terraform-check.js';
import { isUserError } from '../../stacks/errors.js';

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

function failure(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(isUserError(err)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a failure');
}

/** A CLI configuration that installs the provider from `mirror` only. */
function mirrorConfig(root: string, mirror: string): string {
  const file = join(root, `cli-${Math.random().toString(36).slice(2)}.tfrc`);
  writeFileSync(file, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
  return file;
}

describe('checkTerraform', () => {
  it('names a missing or too old terraform, with where to get one', () => {
    const root = mkdtempSync(join(tmpdir(), 'tf-check-'));
    expect(failure(() => checkTerraform({ terraform: join(root, 'no-terraform'), dir: root, pluginCache: join(root, 'cache') })))
      .toMatch(/^terraform cannot be run \(ENOENT\): install Terraform 1\.10 or later and put it on PATH/);
    const old = join(root, 'old-terraform');
    writeFileSync(old, '#!/bin/sh\necho \'{"terraform_version":"1.5.7"}\'\n');
    chmodSync(old, 0o755);
    expect(failure(() => checkTerraform({ terraform: old, dir: root, pluginCache: join(root, 'cache') })))
      .toMatch(/^terraform 1\.5\.7 is too old: the stacks need 1\.10 or later/);
  });

  it.skipIf(!hasTerraform)('a provider that cannot be installed: Terraform\'s own error, and the mirror block to write', () => {
    const root = mkdtempSync(join(tmpdir(), 'tf-check-'));
    mkdirSync(join(root, 'empty-mirror'));
    const env = { ...process.env, TF_CLI_CONFIG_FILE: mirrorConfig(root, join(root, 'empty-mirror')) };
    const message = failure(() => checkTerraform({ dir: join(root, 'check'), pluginCache: join(root, 'cache'), env }));
    expect(message).toMatch(/^the huaweicloud provider \(huaweicloud\/huaweicloud ~> 1\.97\) cannot be installed from TF_CLI_CONFIG_FILE=\S+: terraform init said: Failed to query available provider packages: /);
    expect(message).toContain('provider_installation {');
    expect(message).toContain('include = ["registry.terraform.io/huaweicloud/huaweicloud"]');
  });

  it.skipIf(!hasTerraform)('an installable provider passes, once: the success is remembered until the CLI configuration changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'tf-check-'));
    const mirror = join(root, 'mirror');
    const pkg = join(mirror, 'registry.terraform.io', 'huaweicloud', 'huaweicloud', '1.97.1', 'linux_amd64');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'terraform-provider-huaweicloud_v1.97.1'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(pkg, 'terraform-provider-huaweicloud_v1.97.1'), 0o755);
    const config = mirrorConfig(root, mirror);
    const opts = { dir: join(root, 'check'), pluginCache: join(root, 'cache'), env: { ...process.env, TF_CLI_CONFIG_FILE: config } };
    checkTerraform(opts);
    // Remembered: the mirror is gone, and nothing is asked again.
    rmSync(mirror, { recursive: true });
    checkTerraform(opts);
    // Another configuration is checked anew (and now fails).
    writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n# edited\n`);
    expect(failure(() => checkTerraform(opts))).toMatch(/cannot be installed from TF_CLI_CONFIG_FILE/);
  });
});
