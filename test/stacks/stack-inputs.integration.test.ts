/**
 * `cdktf deploy` never waits on Terraform's prompt: the release, copy and tester stacks, run by a real
 * `terraform plan` with input enabled and stdin left open (as a terminal would be), fail at once
 * naming the `--var` to pass, plan when given it, and destroy without it. The huaweicloud
 * resources are replaced by terraform_data (test/support/terraform-offline.ts), so no provider
 * is needed; a variable without a default would make this plan wait for input until killed.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../support/images.js';
import { synthImage, type StackJson } from '../support/synth.js';
import { offlineConfig, terraformAvailable } from '../support/terraform-offline.js';

const ENV: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' };
delete ENV.TF_INPUT;
delete ENV.TF_IN_AUTOMATION;

function initialized(stack: StackJson): string {
  const dir = mkdtempSync(join(tmpdir(), 'stack-inputs-'));
  // Only the outputs that check an input: the others read attributes the offline fake lacks.
  const config = offlineConfig(stack, {}) as { output: Record<string, { precondition?: unknown }> };
  config.output = Object.fromEntries(Object.entries(config.output).filter(([, o]) => o.precondition));
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
  execFileSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env: ENV, stdio: 'pipe' });
  return dir;
}

/** `terraform <args>` with stdin open and never written to; killed after `limitMs`. */
function run(dir: string, args: string[], limitMs = 20_000): Promise<{ code: number | null; out: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd: dir, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let killed = false;
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, limitMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out: out.replace(/\s+/g, ' ').replace(/"user_data":"[^"]*"/g, '"user_data":"…"'), killed }); });
  });
}

const { release, tester, copies } = synthImage(makeImage());

describe.skipIf(!terraformAvailable)('stack inputs under a real terraform (no prompt, ever)', () => {
  const cases = [
    { stack: 'demo-release', json: release, name: 'builder_instance_id', from: 'the instance_id output of demo-builder (npx cdktf output demo-builder)' },
    { stack: 'demo-tester', json: tester, name: 'image_id', from: 'the image_id output of demo-release (npx cdktf output demo-release)' },
    { stack: 'demo-copy-ap-southeast-2', json: copies['ap-southeast-2'], name: 'source_image_id', from: 'the image_id output of demo-release (npx cdktf output demo-release)' },
  ];

  it.each(cases)('$stack: without $name the plan fails at once with the --var to pass', async ({ json, name, from }) => {
    const dir = initialized(json);
    const started = Date.now();
    const result = await run(dir, ['plan', '-lock=false']);
    expect(result.killed, `terraform waited for input:\n${result.out}`).toBe(false);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`No ${name} given: pass --var="${name}=<id>"`);
    expect(result.out).toContain(from);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it.each(cases)('$stack: plans with $name, and destroys without it', async ({ json, name }) => {
    const dir = initialized(json);
    const planned = await run(dir, ['apply', '-auto-approve', '-lock=false', '-var', `${name}=0b5d2c52-6a2e-4d0e-9f4e-3c1a3f0e6b11`]);
    expect(planned.killed).toBe(false);
    expect(planned.code, planned.out).toBe(0);
    const destroyed = await run(dir, ['destroy', '-auto-approve', '-lock=false']);
    expect(destroyed.killed, destroyed.out).toBe(false);
    expect(destroyed.code, destroyed.out).toBe(0);
  });

  it.each(cases)('$stack: a blank $name counts as none', async ({ json, name }) => {
    const result = await run(initialized(json), ['plan', '-lock=false', '-var', `${name}=  `]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`No ${name} given`);
  });
});
