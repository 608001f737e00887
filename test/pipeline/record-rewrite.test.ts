/**
 * A lost build.json can be made again (issue 22, finding 6): `build` and `resume` of a finished
 * version write the record again from the checkpoint, but only when the steps are the ones that
 * were built (their hashes are in the checkpoint); otherwise they say why they cannot.
 */
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { report } from '../../scripts/commands/pipeline-run.js';
import { build, resume } from '../../scripts/pipeline/orchestrator.js';
import { MemoryProgress } from '../../scripts/pipeline/progress.js';
import { harness } from '../support/pipeline-harness.js';
import { makeImage } from '../support/images.js';

describe('a lost build record', () => {
  it('is written again from the checkpoint by build and by resume, with the same image IDs', async () => {
    const h = await harness();
    const first = await build(h.options());
    expect(first.status).toBe('built');
    if (first.status !== 'built') return;
    const original = JSON.parse(readFileSync(first.recordPath, 'utf8'));
    rmSync(first.recordPath);
    for (const again of [build, resume]) {
      const outcome = await again(h.options());
      expect(outcome).toMatchObject({ status: 'already-built', recordPath: first.recordPath, recordRewritten: true });
      const rewritten = JSON.parse(readFileSync(first.recordPath, 'utf8'));
      expect(rewritten).toMatchObject({ buildId: original.buildId, imageIds: original.imageIds, installSteps: original.installSteps, complete: true });
      const progress = new MemoryProgress();
      expect(report(outcome, progress, false, 'demo', 'build')).toBe(0);
      expect(progress.notes.join('\n')).toContain('was missing and is written again from the checkpoint');
      rmSync(first.recordPath);
    }
    // Present: nothing to do, nothing rewritten.
    await build(h.options());
    const again = await build(h.options());
    expect(again.status).toBe('already-built');
    expect(again.status === 'already-built' && again.recordRewritten).toBeFalsy();
  });

  it('is not written again from changed steps: the message names the step and what to do', async () => {
    const h = await harness();
    const first = await build(h.options());
    if (first.status !== 'built') throw new Error(first.status);
    rmSync(first.recordPath);
    // The same version, its install script edited since the build.
    const changed = makeImage({}, { files: { 'install.sh': '#!/bin/bash\necho changed since the build\n' } });
    await expect(build({ ...h.options(), image: changed })).rejects.toThrow(/demo 1\.0\.0 is built \(build .*\), but its record .*build\.json is gone and cannot be written again truthfully: step install .* changed since the build\. Restore images\/demo as it was built/);
  });
});
