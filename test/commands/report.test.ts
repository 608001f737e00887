import { describe, expect, it } from 'vitest';
import { report } from '../../scripts/commands/pipeline-run.js';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { harness } from '../support/pipeline-harness.js';

describe('report: the next step after a failure', () => {
  it('after a failed boot test, resume is offered for transient failures only; changed install steps need a new buildVersion', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'step-fail', step: 'smoke', mode: 'test' } } });
    const outcome = await build(h.options());
    expect(outcome.status).toBe('failed');
    const progress = new MemoryProgress();
    expect(report(outcome, progress, false, 'demo', 'build')).toBe(1);
    const text = progress.notes.join('\n');
    const cp = h.store.load('demo', '1.0.0')!;
    expect(text).toMatch(/failed at stage test: step 1\/1 \(smoke\) failed/);
    expect(text).not.toMatch(/fix the cause, then run `image-factory resume/);
    expect(text).toContain(`captured image ${cp.privateImage!.id}`);
    expect(text).toMatch(/`image-factory resume demo` tests that same image again, so it only helps when the failure was transient/);
    expect(text).toMatch(/raise buildVersion in images\/demo\/image\.ts/);
    expect(text).toMatch(/delete the captured image .* and the checkpoint .*demo\/1\.0\.0\.json/);
  });

  it('before the capture, fixing the cause and resuming is right (an uncaptured build installs again)', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'step-fail', step: 'configure', mode: 'build' } } });
    const outcome = await build(h.options());
    const progress = new MemoryProgress();
    report(outcome, progress, false, 'demo', 'build');
    expect(progress.notes.join('\n')).toMatch(/failed at stage build: .*\n[\s\S]*fix the cause, then run `image-factory resume demo`/);
  });
});
