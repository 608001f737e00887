/**
 * A stopped build's machines deleted without its definition: from the checkpoint and the build's
 * own synthesized stack folders, by real Terraform runs (terraform_data stands in for the
 * huaweicloud resources, in the state each stack's backend names), never touching a build
 * another process still runs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, newCheckpoint } from '../../scripts/pipeline/checkpoint.js';
import { cleanUpStoppedBuilds } from '../../scripts/pipeline/leftovers.js';

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

/** A project folder with a stopped build of demo `version`, its builder "running" in a fixture state. */
function stoppedBuild(root: string, store: CheckpointStore, version: string, backendVersion = version) {
  const cp = newCheckpoint({ image: 'demo', version, productVersion: 'V1.0', buildId: `b-${version}`, startedAt: new Date('2026-12-01T10:00:00Z'), regions: [] });
  cp.stages.build = { status: 'running', startedAt: cp.startedAt };
  cp.builder = { instanceId: 'srv-1', sourceImageId: 'img', sourceImageName: 'Ubuntu', createdAt: cp.startedAt };
  store.save(cp);
  // What the build synthesized: its backend names this version's state.
  const stack = join(root, 'cdktf.out', 'stacks', 'demo-builder');
  mkdirSync(stack, { recursive: true });
  writeFileSync(join(stack, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: `${root}/.image-factory/state/demo/${backendVersion}/demo-builder.tfstate` } } }, resource: { huaweicloud_compute_instance: {} } }));
  // The same stack as Terraform sees it here: a terraform_data "server" in a real state.
  const fixture = join(root, 'fixture', 'demo-builder');
  mkdirSync(fixture, { recursive: true });
  writeFileSync(join(fixture, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { server: { input: 'srv-1' } } } }));
  const tf = (...args: string[]) => spawnSync('terraform', [`-chdir=${fixture}`, ...args], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  expect(tf('init', '-input=false').status).toBe(0);
  expect(tf('apply', '-auto-approve', '-input=false').status).toBe(0);
  const wrapper = join(root, 'terraform.sh');
  writeFileSync(wrapper, `#!/usr/bin/env bash\nexec terraform -chdir="${root}/fixture/$(basename "$PWD")" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { cp, wrapper, resources: () => JSON.parse(readFileSync(join(fixture, 'terraform.tfstate'), 'utf8')).resources.length as number };
}

describe.skipIf(!hasTerraform)('cleanUpStoppedBuilds', () => {
  const opts = (store: CheckpointStore, root: string, wrapper: string) => ({ store, credentials: { accessKey: 'AK', secretKey: 'SK' }, backend: { kind: 'local', dir: join(root, '.image-factory', 'state') } as const, outdir: join(root, 'cdktf.out'), terraform: wrapper });

  it('destroys a stopped build\'s builder from its saved stack, and records it in the checkpoint', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leftovers-'));
    const store = new CheckpointStore(join(root, 'builds'), root);
    const { wrapper, resources } = stoppedBuild(root, store, '1.0.0');
    expect(resources()).toBe(1);
    const lines = await cleanUpStoppedBuilds('demo', opts(store, root, wrapper));
    expect(lines).toEqual(['the stopped build b-1.0.0 of demo 1.0.0 left demo-builder running; deleted them from their saved stacks (the definition was not needed)']);
    expect(resources()).toBe(0);
    expect(store.load('demo', '1.0.0')!.builderDestroyed).toBe(true);
    // Nothing is left to do the second time.
    expect(await cleanUpStoppedBuilds('demo', opts(store, root, wrapper))).toEqual([]);
  });

  it('leaves alone a build another process holds, and a folder synthesized for another version', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leftovers-'));
    const store = new CheckpointStore(join(root, 'builds'), root);
    const { wrapper, resources } = stoppedBuild(root, store, '1.0.0');
    const release = store.acquire('demo', '1.0.0', 'b-1.0.0', 'build');
    expect(await cleanUpStoppedBuilds('demo', opts(store, root, wrapper))).toEqual([]);
    expect(resources()).toBe(1);
    release();

    const other = mkdtempSync(join(tmpdir(), 'leftovers-'));
    const otherStore = new CheckpointStore(join(other, 'builds'), other);
    const second = stoppedBuild(other, otherStore, '1.0.0', '1.1.0');
    expect(await cleanUpStoppedBuilds('demo', opts(otherStore, other, second.wrapper))).toEqual([
      'the stopped build b-1.0.0 of demo 1.0.0 may have left demo-builder running, and no stack synthesized for that version is left in cdktf.out: `image-factory sweep` deletes them once they expire',
    ]);
    expect(second.resources()).toBe(1);
  });
});
