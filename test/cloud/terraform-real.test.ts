/**
 * Real Terraform (no provider download, no network): configurations of built-in
 * `terraform_data` resources named like the release stack's copies, one of which fails in a
 * `local-exec` provisioner. Their real `apply -json` output drives CopyTracker, then
 * TerraformDeployer itself (init, apply, output, destroy) through its `terraform` option.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COPY_FAILED_PLACEHOLDER, CopyTracker, TerraformDeployer, type TfMessage } from '../../scripts/cloud/terraform-deployer.js';
import type { CopyEvent } from '../../scripts/cloud/types.js';
import { makeImage } from '../support/images.js';
import { TEST_CONTEXT } from '../support/synth.js';

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
const REGIONS = ['ap-southeast-2', 'af-south-1', 'la-south-2'];
const REASON = "local-exec provisioner error: Error running command 'echo replicating; exit 3': exit status 3. Output: replicating";
const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

/** ap-southeast-2 takes a second, af-south-1 fails at once, la-south-2 is immediate. */
const copies = {
  'copy-ap-southeast-2': { input: 'img-ap-southeast-2', provisioner: [{ 'local-exec': { command: 'sleep 1' } }] },
  'copy-af-south-1': { input: 'img-af-south-1', provisioner: [{ 'local-exec': { command: 'echo replicating; exit 3' } }] },
  'copy-la-south-2': { input: 'img-la-south-2' },
};
const copyIds = Object.fromEntries(REGIONS.map((r) => [r, `\${terraform_data.copy-${r}.output}`]));

function write(dir: string, config: object): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
  return dir;
}

const terraform = (cwd: string, args: string[]) => spawnSync('terraform', args, { cwd, env, encoding: 'utf8' });

/** Per region, the statuses it went through, in order. */
const byRegion = (events: CopyEvent[]) => Object.fromEntries(REGIONS.map((r) => [r, events.filter((e) => e.region === r).map((e) => e.status)]));

describe('terraform apply -json, for real', () => {
  it.skipIf(!hasTerraform)('CopyTracker reads start, done and failed from real output, the failure with Terraform\'s own reason', () => {
    const dir = write(mkdtempSync(join(tmpdir(), 'image-factory-tf-')), { resource: { terraform_data: copies }, output: { image_ids: { value: copyIds } } });
    expect(terraform(dir, ['init', '-input=false', '-no-color']).status).toBe(0);
    const apply = terraform(dir, ['apply', '-auto-approve', '-input=false', '-json', '-parallelism=2']);
    expect(apply.status).toBe(1);
    const regionOf = new Map(REGIONS.map((r) => [`terraform_data.copy-${r}`, r]));
    const events: CopyEvent[] = [];
    const tracker = new CopyTracker(regionOf, REGIONS, (e) => events.push(e));
    const lines = apply.stdout.split('\n').filter((l) => l.startsWith('{'));
    for (const line of lines) tracker.handle(JSON.parse(line) as TfMessage);

    expect(byRegion(events)).toEqual({ 'ap-southeast-2': ['start', 'done'], 'af-south-1': ['start', 'failed'], 'la-south-2': ['start', 'done'] });
    // Terraform announces the failure at once; its reason comes only after the slow copy ended.
    const types = lines.map((l) => JSON.parse(l) as TfMessage);
    const errored = types.findIndex((m) => m.type === 'apply_errored');
    const slowDone = types.findIndex((m) => m.type === 'apply_complete' && m.hook?.resource?.addr === 'terraform_data.copy-ap-southeast-2');
    const reason = types.findIndex((m) => m.type === 'diagnostic');
    expect(errored).toBeLessThan(slowDone);
    expect(slowDone).toBeLessThan(reason);
    expect(events.find((e) => e.status === 'failed')).toEqual({ region: 'af-south-1', status: 'failed', error: COPY_FAILED_PLACEHOLDER });
    expect(tracker.results['af-south-1']).toEqual({ error: REASON });
    expect(tracker.results['ap-southeast-2'].imageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.skipIf(!hasTerraform)('TerraformDeployer builds, captures, copies, tests and destroys through real Terraform runs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'image-factory-deployer-'));
    const fixtures = join(root, 'fixtures');
    const machine = (input: string) => ({ terraform_data: { machine: { input } } });
    write(join(fixtures, 'demo-builder'), {
      resource: machine('srv-builder-1'),
      output: { instance_id: { value: '${terraform_data.machine.output}' }, source_image_id: { value: 'img-base-1' }, source_image_name: { value: 'Ubuntu 22.04 server 64bit' }, flavor: { value: 's7.large.2' }, availability_zone: { value: 'ap-southeast-3a' } },
    });
    const image = { image: { input: '${var.builder_instance_id}-captured' } };
    write(join(fixtures, 'demo-release'), {
      variable: { builder_instance_id: { type: 'string' } },
      resource: { terraform_data: image },
      output: { image_ids: { value: { 'ap-southeast-3': '${terraform_data.image.output}' } }, image_name: { value: 'Test-Product-1.0.0' } },
    });
    write(join(fixtures, 'demo-release-copies'), {
      variable: { builder_instance_id: { type: 'string' } },
      resource: { terraform_data: { ...image, ...copies } },
      output: { image_ids: { value: { 'ap-southeast-3': '${terraform_data.image.output}', ...copyIds } }, image_name: { value: 'Test-Product-1.0.0' } },
    });
    write(join(fixtures, 'demo-tester'), {
      variable: { image_id: { type: 'string' } },
      resource: machine('srv-tester-1'),
      output: { instance_id: { value: '${terraform_data.machine.output}' }, flavor: { value: 's7.large.2' }, availability_zone: { value: 'ap-southeast-3b' } },
    });
    // Stands in for terraform: the deployer runs it in cdktf.out/stacks/<stack>, where the
    // synthesized huaweicloud stack is; it runs the real terraform on that stack's fixture (the
    // one with copies once the synthesized release stack has them) and names the copies as the
    // release stack does. Everything else in the output is Terraform's, untouched.
    const wrapper = join(root, 'terraform.sh');
    writeFileSync(wrapper, [
      '#!/usr/bin/env bash',
      'set -o pipefail',
      `dir="${fixtures}/$(basename "$PWD")"`,
      'if grep -q "huaweicloud_images_image_copy" cdk.tf.json && [ -d "$dir-copies" ]; then dir="$dir-copies"; fi',
      'terraform -chdir="$dir" "$@" | sed -u "s/terraform_data\\.copy-/huaweicloud_images_image_copy.copy-/g"',
      '',
    ].join('\n'));
    chmodSync(wrapper, 0o755);

    const logs: string[] = [];
    const deployer = new TerraformDeployer({
      image: makeImage({ targetRegions: REGIONS }),
      context: TEST_CONTEXT,
      credentials: { accessKey: 'AK-NOT-USED', secretKey: 'SK-NOT-USED' },
      backend: { kind: 'local', dir: join(root, 'state') },
      outdir: join(root, 'cdktf.out'),
      terraform: wrapper,
      onLog: (line) => logs.push(line),
    });

    expect(await deployer.deployBuilder({ placement: { flavor: 's7.large.2', availabilityZone: 'ap-southeast-3a' } })).toEqual({
      instanceId: 'srv-builder-1', sourceImageId: 'img-base-1', sourceImageName: 'Ubuntu 22.04 server 64bit', flavor: 's7.large.2', availabilityZone: 'ap-southeast-3a',
    });
    expect(await deployer.captureImage({ builderInstanceId: 'srv-builder-1', keep: [] })).toEqual({ imageId: 'srv-builder-1-captured', imageName: 'Test-Product-1.0.0' });

    const events: CopyEvent[] = [];
    const results = await deployer.deployCopies({ builderInstanceId: 'srv-builder-1', keep: [], pending: REGIONS, parallelism: 2, onEvent: (e) => events.push(e) });
    // Terraform 1.11 keeps no root outputs after a failed apply (`terraform output` is empty), so
    // the copies' IDs come from their apply_complete hooks: the resource ID, which for
    // huaweicloud_images_image_copy is the copied image's ID (here terraform_data's random ID).
    const done = Object.fromEntries(events.filter((e) => e.status === 'done').map((e) => [e.region, e.imageId]));
    expect(results).toEqual({
      'ap-southeast-2': { imageId: done['ap-southeast-2'] },
      'af-south-1': { error: REASON },
      'la-south-2': { imageId: done['la-south-2'] },
    });
    expect(done['ap-southeast-2']).toMatch(/^[0-9a-f-]{36}$/);
    expect(byRegion(events)).toEqual({ 'ap-southeast-2': ['start', 'done'], 'af-south-1': ['start', 'failed'], 'la-south-2': ['start', 'done'] });
    // The elapsed time is Terraform's own measure: 0s on an idle machine, more on a busy one.
    expect(logs).toContainEqual(expect.stringMatching(/^huaweicloud_images_image_copy\.copy-af-south-1: Creation errored after \d+s$/));

    // `distribute` again: only the failed region is pending; the done ones are kept, not reported.
    const retry: CopyEvent[] = [];
    const again = await deployer.deployCopies({ builderInstanceId: 'srv-builder-1', keep: ['ap-southeast-2', 'la-south-2'], pending: ['af-south-1'], parallelism: 2, onEvent: (e) => retry.push(e) });
    expect(again).toEqual({ 'af-south-1': { error: REASON } });
    // Terraform replaces the tainted copy: the delete of the old object is not a finished copy.
    expect(logs).toContain('huaweicloud_images_image_copy.copy-af-south-1: Destruction complete after 0s');
    expect(retry.map((e) => `${e.region} ${e.status}`)).toEqual(['af-south-1 start', 'af-south-1 failed']);

    expect(await deployer.deployTester({ imageId: 'srv-builder-1-captured' })).toEqual({ instanceId: 'srv-tester-1', flavor: 's7.large.2', availabilityZone: 'ap-southeast-3b' });
    logs.length = 0;
    await deployer.destroyTester();
    await deployer.destroyBuilder();
    expect(logs.filter((l) => /Destruction complete/.test(l))).toEqual(['terraform_data.machine: Destruction complete after 0s', 'terraform_data.machine: Destruction complete after 0s']);
  }, 120_000);

  it('a missing terraform binary is one clear error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'image-factory-deployer-'));
    const deployer = new TerraformDeployer({
      image: makeImage(), context: TEST_CONTEXT, credentials: { accessKey: 'a', secretKey: 'b' },
      backend: { kind: 'obs', bucket: 'b', region: 'ap-southeast-3' }, outdir: join(root, 'cdktf.out'), terraform: join(root, 'no-terraform-here'),
    });
    await expect(deployer.deployBuilder({})).rejects.toThrow(/^terraform could not be started \(.*ENOENT.*\); install Terraform >= 1\.10 and put it on PATH$/);
  });
});
