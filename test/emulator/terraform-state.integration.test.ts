/**
 * Terraform state on the emulator's OBS, for real: the terraform binary's built-in S3 backend
 * (the block stacks/backend.ts synthesizes, path-style at the emulator's URL) keeps the
 * state of a few `terraform_data` resources there, reads it back, and takes the `use_lockfile`
 * lock with a conditional PUT. What a second, concurrent apply meets is shown with and without
 * OBS honouring `If-None-Match: *`. An apply holds the lock exactly as long as the test says:
 * its provisioner signals that it runs and waits for the test's release (no timed sleeps).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBucket, obsBackendJson } from '../support/obs-state.js';
import { spawnAsync } from '../support/spawn-async.js';
import { AK, SK, startEmulator, type TestEmulator } from './support.js';

const terraformAvailable = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

const BUCKET = 'image-factory-state';
const KEY_PREFIX = 'image-factory/nginx/1.0.0';
const STACK = 'nginx-builder';
const KEY = `${KEY_PREFIX}/${STACK}.tfstate`;
/** How long a provisioner waits for its release before it fails the apply (a broken test, not a hang). */
const HOLD_LIMIT_SECONDS = 30;

/**
 * The resources of a stack whose state lives on OBS (the backend comes from obsBackendJson).
 * The apply of run N touches `<signals>/running-N`, then waits for `<signals>/release-N`.
 */
function configuration(signals: string): string {
  return `variable "run" {
  type = string
}

resource "terraform_data" "network" {
  input = "vpc"
}

resource "terraform_data" "server" {
  input = terraform_data.network.output
}

# Replaced on every new value of var.run, so each such apply holds the lock until released.
resource "terraform_data" "slow" {
  triggers_replace = var.run
  provisioner "local-exec" {
    command = "touch '${signals}/running-\${var.run}'; for i in $(seq ${HOLD_LIMIT_SECONDS * 20}); do [ -e '${signals}/release-\${var.run}' ] && exit 0; sleep 0.05; done; exit 1"
  }
}
`;
}

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs terraform without blocking the event loop: the emulator answers it from this process. */
async function terraform(dir: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  const r = await spawnAsync('terraform', args, { cwd: dir, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const apply = (dir: string, env: NodeJS.ProcessEnv, run: string, ...extra: string[]) => terraform(dir, env, 'apply', '-auto-approve', '-input=false', '-no-color', `-var=run=${run}`, ...extra);

interface StateFile { serial: number; resources: { type: string; name: string; instances: { attributes: { id: string; triggers_replace?: { value: string } } }[] }[] }

function stateOf(emu: TestEmulator, key = KEY): StateFile | undefined {
  const o = emu.emulator.account.data.buckets[BUCKET]?.objects[key];
  return o ? JSON.parse(Buffer.from(o.body, 'base64').toString('utf8')) as StateFile : undefined;
}

const idsIn = (state: StateFile | undefined) => (state?.resources ?? []).flatMap((r) => r.instances.map((i) => i.attributes.id)).sort();
const idsCreatedBy = (run: Run) => [...run.stdout.matchAll(/Creation complete after \S+ \[id=([^\]]+)\]/g)].map((m) => m[1]).sort();

async function until(what: string, check: () => boolean, timeoutMs = HOLD_LIMIT_SECONDS * 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!terraformAvailable)('Terraform state on the emulator\'s OBS (terraform S3 backend, use_lockfile)', () => {
  let emu: TestEmulator | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  interface SetUp {
    emu: TestEmulator;
    dir: string;
    env: NodeJS.ProcessEnv;
    /** Lets the apply of run N finish its provisioner (and so release the lock). */
    release(run: string): void;
    /** Whether the apply of run N has reached its provisioner (holding the lock it took). */
    running(run: string): boolean;
  }

  async function setUp(obsConditionalWrites: boolean): Promise<SetUp> {
    emu = await startEmulator({ obsConditionalWrites });
    dir = mkdtempSync(join(tmpdir(), 'tf-obs-'));
    // The backend as the stacks write it with IMAGE_FACTORY_ENDPOINT: path-style at the emulator's URL.
    writeFileSync(join(dir, 'backend.tf.json'), obsBackendJson({ bucket: BUCKET, keyPrefix: KEY_PREFIX, stackName: STACK, endpoint: { baseUrl: emu.url, insecure: false } }));
    writeFileSync(join(dir, 'main.tf'), configuration(dir));
    writeFileSync(join(dir, 'empty.tfrc'), '');
    expect(await createBucket(emu.url, BUCKET, AK, SK)).toBe(200);
    // Only what Terraform needs: no AWS profile or proxy of the host leaks in.
    const env = {
      PATH: process.env.PATH, HOME: dir, TF_CLI_CONFIG_FILE: join(dir, 'empty.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1',
      AWS_ACCESS_KEY_ID: AK, AWS_SECRET_ACCESS_KEY: SK, AWS_EC2_METADATA_DISABLED: 'true',
    };
    const init = await terraform(dir, env, 'init', '-input=false', '-no-color');
    expect(init.code, init.stderr).toBe(0);
    const signals = dir;
    return {
      emu, dir, env,
      release: (run) => writeFileSync(join(signals, `release-${run}`), ''),
      running: (run) => existsSync(join(signals, `running-${run}`)),
    };
  }

  it('keeps the state in the bucket, reads it back (no changes), and refuses a concurrent apply the lock', async () => {
    const { emu, dir, env, release, running } = await setUp(true);
    release('1');
    const first = await apply(dir, env, '1');
    expect(first.code, first.stderr).toBe(0);
    const state = stateOf(emu);
    expect(state?.resources.map((r) => `${r.type}.${r.name}`).sort()).toEqual(['terraform_data.network', 'terraform_data.server', 'terraform_data.slow']);
    expect(idsIn(state)).toEqual(idsCreatedBy(first));
    expect(stateOf(emu, `${KEY}.tflock`)).toBeUndefined(); // released

    const plan = await terraform(dir, env, 'plan', '-detailed-exitcode', '-input=false', '-no-color', '-var=run=1');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');

    // Run 2 holds the lock (its provisioner waits) while run 3 asks for it.
    const holder = apply(dir, env, '2');
    await until('the first apply to hold the lock', () => running('2'));
    expect(stateOf(emu, `${KEY}.tflock`)).toBeDefined();
    const second = await apply(dir, env, '3', '-lock-timeout=0s');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Error acquiring the state lock');
    expect(second.stderr).toMatch(/StatusCode: 412.*\n?.*PreconditionFailed/);
    expect(running('3')).toBe(false);
    release('2');
    const held = await holder;
    expect(held.code, held.stderr).toBe(0);
    const after = stateOf(emu);
    expect(after?.resources.find((r) => r.name === 'slow')?.instances[0].attributes.triggers_replace?.value).toBe('2');
    expect(after?.serial).toBeGreaterThan(state?.serial ?? Infinity);
    expect(stateOf(emu, `${KEY}.tflock`)).toBeUndefined();
  }, 60_000);

  it('without conditional writes on OBS, a concurrent apply is not refused: both run, the last state write wins, the first apply fails to unlock', async () => {
    const { emu, dir, env, release, running } = await setUp(false);
    release('1');
    const base = await apply(dir, env, '1');
    expect(base.code, base.stderr).toBe(0);

    const holder = apply(dir, env, '2');
    await until('the first apply to hold the lock', () => running('2'));
    // Nothing stops the second apply: it overwrites the lock object and reaches its provisioner too.
    const concurrent = apply(dir, env, '3', '-lock-timeout=0s');
    await until('the second apply to run alongside the first', () => running('3'));
    // The first finishes first, and only notices at unlock that the lock is no longer its own.
    release('2');
    const first = await holder;
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('Error releasing the state lock');
    expect(first.stderr).toMatch(/lock ID '[0-9a-f-]+' does not match\s+the existing lock ID/);
    // The second writes the state last and runs to the end.
    release('3');
    const second = await concurrent;
    expect(second.code, second.stderr).toBe(0);
    const [firstSlow] = idsCreatedBy(first);
    const [secondSlow] = idsCreatedBy(second);
    expect(firstSlow).toBeDefined();
    // The last write wins: the first apply's replacement exists but no state knows it any more.
    const state = stateOf(emu);
    expect(state?.resources.find((r) => r.name === 'slow')?.instances[0].attributes.triggers_replace?.value).toBe('3');
    expect(idsIn(state)).toContain(secondSlow);
    expect(idsIn(state)).not.toContain(firstSlow);
    expect(stateOf(emu, `${KEY}.tflock`)).toBeUndefined();
  }, 60_000);
});
