/**
 * Real Terraform (no provider download, no network): configurations of built-in
 * `terraform_data` resources in the place of each synthesized stack (builder, release, one copy
 * stack per region, tester), one copy failing in a `local-exec` provisioner. TerraformDeployer
 * runs them (init, apply, output, destroy) through its `terraform` option.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerraformDeployer, type ImsJob } from '../../scripts/cloud/terraform-deployer.js';
import type { CopyEvent } from '../../scripts/cloud/types.js';
import { makeImage } from '../support/images.js';
import { TEST_CONTEXT } from '../support/synth.js';

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
const REGIONS = ['ap-southeast-2', 'af-south-1', 'la-south-2'];
/** What the provider says of a failed copy job (resource_huaweicloud_images_image_copy.go), printed by the failing copy. */
const PROVIDER_SAYS = 'error waiting for IMS image copy job (job-af-1) to succeed: the image copy job execution failed';

function write(dir: string, config: object): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** Per region, the statuses it went through, in order. */
const byRegion = (events: CopyEvent[]) => Object.fromEntries(REGIONS.map((r) => [r, events.filter((e) => e.region === r).map((e) => e.status)]));

describe('TerraformDeployer, with real Terraform runs', () => {
  it.skipIf(!hasTerraform)('builds, captures, copies (each region its own apply, its reason the moment it fails), tests and destroys', async () => {
    const root = mkdtempSync(join(tmpdir(), 'image-factory-deployer-'));
    const fixtures = join(root, 'fixtures');
    const machine = (input: string) => ({ terraform_data: { machine: { input } } });
    write(join(fixtures, 'demo-builder'), {
      resource: machine('srv-builder-1'),
      output: { instance_id: { value: '${terraform_data.machine.output}' }, source_image_id: { value: 'img-base-1' }, source_image_name: { value: 'Ubuntu 22.04 server 64bit' }, flavor: { value: 's7.large.2' }, availability_zone: { value: 'ap-southeast-3a' } },
    });
    write(join(fixtures, 'demo-release'), {
      variable: { builder_instance_id: { type: 'string' } },
      resource: { terraform_data: { image: { input: '${var.builder_instance_id}-captured' } } },
      output: { image_id: { value: '${terraform_data.image.output}' }, image_name: { value: 'Test-Product-1.0.0' } },
    });
    // ap-southeast-2 takes two seconds, af-south-1 fails at once, la-south-2 is immediate.
    const provisioners: Record<string, unknown> = {
      'ap-southeast-2': [{ 'local-exec': { command: 'sleep 2' } }],
      'af-south-1': [{ 'local-exec': { command: `echo '${PROVIDER_SAYS}'; exit 3` } }],
    };
    for (const region of REGIONS) {
      write(join(fixtures, `demo-copy-${region}`), {
        variable: { source_image_id: { type: 'string' } },
        resource: { terraform_data: { copy: { input: `\${var.source_image_id}-in-${region}`, ...(provisioners[region] ? { provisioner: provisioners[region] } : {}) } } },
        output: { image_id: { value: '${terraform_data.copy.output}' } },
      });
    }
    write(join(fixtures, 'demo-tester'), {
      variable: { image_id: { type: 'string' } },
      resource: machine('srv-tester-1'),
      output: { instance_id: { value: '${terraform_data.machine.output}' }, flavor: { value: 's7.large.2' }, availability_zone: { value: 'ap-southeast-3b' } },
    });
    // Stands in for terraform: the deployer runs it in cdktf.out/stacks/<stack>, where the
    // synthesized huaweicloud stack is; it runs the real terraform on that stack's fixture.
    const wrapper = join(root, 'terraform.sh');
    writeFileSync(wrapper, ['#!/usr/bin/env bash', `exec terraform -chdir="${fixtures}/$(basename "$PWD")" "$@"`, ''].join('\n'));
    chmodSync(wrapper, 0o755);

    const logs: string[] = [];
    const jobsRead: string[] = [];
    const deployer = new TerraformDeployer({
      image: makeImage({ targetRegions: REGIONS }),
      context: TEST_CONTEXT,
      credentials: { accessKey: 'AK-NOT-USED', secretKey: 'SK-NOT-USED' },
      backend: { kind: 'local', dir: join(root, 'state') },
      outdir: join(root, 'cdktf.out'),
      terraform: wrapper,
      onLog: (line) => logs.push(line),
      // IMS's own reason for the failed job, which the provider's message lacks.
      imsJob: async (region, jobId): Promise<ImsJob> => {
        jobsRead.push(`${region} ${jobId}`);
        return { status: 'FAIL', error_code: 'IMG.0185', fail_reason: 'replication to af-south-1 failed' };
      },
    });

    expect(await deployer.deployBuilder({ placement: { flavor: 's7.large.2', availabilityZone: 'ap-southeast-3a' } })).toEqual({
      instanceId: 'srv-builder-1', sourceImageId: 'img-base-1', sourceImageName: 'Ubuntu 22.04 server 64bit', flavor: 's7.large.2', availabilityZone: 'ap-southeast-3a',
    });
    expect(await deployer.captureImage({ builderInstanceId: 'srv-builder-1' })).toEqual({ imageId: 'srv-builder-1-captured', imageName: 'Test-Product-1.0.0' });

    const events: CopyEvent[] = [];
    const results = await deployer.deployCopies({ sourceImageId: 'srv-builder-1-captured', pending: REGIONS, parallelism: 2, onEvent: (e) => events.push(e) });
    const REASON = 'IMS copy job job-af-1 to af-south-1 failed: IMG.0185 replication to af-south-1 failed';
    expect(results).toEqual({
      'ap-southeast-2': { imageId: 'srv-builder-1-captured-in-ap-southeast-2' },
      'af-south-1': { error: REASON },
      'la-south-2': { imageId: 'srv-builder-1-captured-in-la-south-2' },
    });
    expect(jobsRead).toEqual(['ap-southeast-3 job-af-1']);
    expect(byRegion(events)).toEqual({ 'ap-southeast-2': ['start', 'done'], 'af-south-1': ['start', 'failed'], 'la-south-2': ['start', 'done'] });
    // The failure and its real reason are out while the slow copy still runs: no placeholder.
    const failedAt = events.findIndex((e) => e.status === 'failed');
    expect(events[failedAt]).toEqual({ region: 'af-south-1', status: 'failed', error: REASON });
    expect(failedAt).toBeLessThan(events.findIndex((e) => e.region === 'ap-southeast-2' && e.status === 'done'));
    // At most two at once, in the order asked: la-south-2 starts only when af-south-1 has ended.
    expect(events.map((e) => `${e.region} ${e.status}`).slice(0, 4)).toEqual(['ap-southeast-2 start', 'af-south-1 start', 'af-south-1 failed', 'la-south-2 start']);

    // `distribute` again: only the failed region's stack is applied; Terraform replaces its tainted copy.
    logs.length = 0;
    const retry: CopyEvent[] = [];
    const again = await deployer.deployCopies({ sourceImageId: 'srv-builder-1-captured', pending: ['af-south-1'], parallelism: 2, onEvent: (e) => retry.push(e) });
    expect(again).toEqual({ 'af-south-1': { error: REASON } });
    expect(logs).toContainEqual(expect.stringMatching(/^terraform_data\.copy: Destruction complete after \d+s$/));
    expect(logs.some((l) => /copy-ap-southeast-2|in-ap-southeast-2/.test(l))).toBe(false);
    expect(retry.map((e) => `${e.region} ${e.status}`)).toEqual(['af-south-1 start', 'af-south-1 failed']);

    expect(await deployer.deployTester({ imageId: 'srv-builder-1-captured' })).toEqual({ instanceId: 'srv-tester-1', flavor: 's7.large.2', availabilityZone: 'ap-southeast-3b' });
    logs.length = 0;
    await deployer.destroyTester();
    await deployer.destroyBuilder();
    // Terraform's own elapsed time: 0s on an idle machine, more on a busy one.
    expect(logs.filter((l) => /Destruction complete/.test(l)).map((l) => l.replace(/\d+s$/, 'Ns'))).toEqual(['terraform_data.machine: Destruction complete after Ns', 'terraform_data.machine: Destruction complete after Ns']);
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
