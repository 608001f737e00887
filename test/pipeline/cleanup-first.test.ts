/**
 * Nothing billed is left running (issue 22, findings 1 and 2): cleanup runs whatever else fails
 * (a checkpoint that cannot be written on a full disk), deletes are retried as the idempotent
 * calls they are, and a build that still cannot delete a billed machine does not end as a clean
 * success: exit 4, naming the machine and the sweep command that deletes it now.
 */
import { describe, expect, it } from 'vitest';
import { report } from '../../scripts/commands/pipeline-run.js';
import type { FaultSpec } from '../../scripts/emulator/faults.js';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { expectNoTemporaries, harness } from '../support/pipeline-harness.js';

/** DeleteServers refused with a 500, `times` times in a row. */
const deleteFails = (times: number): FaultSpec => ({ kind: 'http', service: 'ecs', method: 'POST', path: '/cloudservers/delete$', status: 500, code: 'Ecs.0000', message: 'internal error, try again later', times });

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('cleanup first, always', () => {
  it('a full disk while capturing: the checkpoint write fails, the builder and its network are deleted all the same, and one message says so', async () => {
    let full = false;
    const h = await harness({ onEvent: (e) => { if (e.stage === 'capture' && e.status === 'start') full = true; } });
    const save = h.store.save.bind(h.store);
    h.store.save = (cp) => { if (full) throw enospc(); save(cp); };
    const outcome = await build(h.options());
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error).toMatch(/^ENOSPC: no space left on device, write; the checkpoint .*demo\/1\.0\.0\.json could not be written \(ENOSPC: no space left on device, write\), so it may show a stage as running: the temporary resources were deleted all the same\. Free space there, then run `image-factory resume demo`$/);
    await expectNoTemporaries(h);
    expect(h.progress.events.filter((e) => e.stage === 'cleanup').map((e) => e.status)).toEqual(['start', 'done']);
    // The damaged run never overwrote what was written before the disk filled.
    h.store.save = save;
    expect(h.store.load('demo', '1.0.0')?.stages.build.status).toBe('done');
  });

  it('a delete refused once is retried: the build ends built, exit 0, nothing left', async () => {
    const h = await harness();
    h.fault(deleteFails(1));
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    expect(outcome.status === 'built' && outcome.leftovers).toBeUndefined();
    expect(h.progress.notes.join('\n')).toMatch(/could not delete the builder \(.*HTTP 500 Ecs\.0000 internal error, try again later.*\); trying again in 20 s \(attempt 2 of 3\)/);
    expect(report(outcome, new MemoryProgress(), false, 'demo', 'build')).toBe(0);
    await expectNoTemporaries(h);
  });

  it('a delete that keeps failing: built, but exit 4, naming the billed builder and the sweep command that deletes it now', async () => {
    const h = await harness();
    // Refused for good: the stack's destroy and the delete by build tag alike.
    h.fault(deleteFails(1000));
    const outcome = await build(h.options());
    expect(outcome.status).toBe('built');
    if (outcome.status !== 'built') return;
    const instanceId = outcome.checkpoint.builder!.instanceId;
    // The tester's delete is refused the same way: both are named.
    expect(outcome.leftovers).toEqual(expect.arrayContaining([expect.objectContaining({ what: 'builder', region: 'ap-southeast-3', instanceId, error: expect.stringContaining('(after 3 attempts)') })]));
    const progress = new MemoryProgress();
    expect(report(outcome, progress, false, 'demo', 'build')).toBe(4);
    const said = progress.notes.join('\n');
    expect(said).toContain(`could not delete the builder (ECS ${instanceId} in ap-southeast-3, with its VPC, subnet, security group and EIP)`);
    expect(said).toContain(`It is still billed: run \`image-factory sweep --build ${outcome.checkpoint.buildId} --regions ap-southeast-3\` now`);
    expect((await h.temporaries()).map((r) => `${r.type} ${r.id}`)).toContain(`ecs ${instanceId}`);
  });

  it('a stack that cannot be destroyed because its state cannot be written (a full disk): its machine goes by its build tag, exit 0', async () => {
    const h = await harness();
    const outcome = await build(h.options({
      // Every destroy fails as a Terraform state write on a full disk would; the API still answers.
      cloud: (ctx, regions) => {
        const cloud = h.options().cloud(ctx, regions);
        const full = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        return { ...cloud, deployer: Object.assign(Object.create(cloud.deployer), { destroyBuilder: full, destroyTester: full }) };
      },
    }));
    expect(outcome.status).toBe('built');
    expect(outcome.status === 'built' && outcome.leftovers).toBeUndefined();
    expect(h.progress.notes.join('\n')).toMatch(/the builder stack could not be destroyed \(ENOSPC: no space left on device, write \(after 3 attempts\)\); its resources were deleted by their build tag instead/);
    await expectNoTemporaries(h);
  });
});
