/**
 * The tester audits the captured image before its test steps (runner.sh, selfcheck.sh --audit):
 * a build records that report in its checkpoint and build.json, and a tester that reports
 * success without one is not taken for a passed boot test (issue 21 item 2).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { build } from '../../scripts/pipeline/orchestrator.js';
import { parseSelfCheckReport } from '../../stacks/guest/selfcheck-report.js';
import { harness } from '../support/pipeline-harness.js';

describe('the first-boot audit of the captured image', () => {
  it('is recorded in the checkpoint and build.json of a passed build', async () => {
    const h = await harness();
    const outcome = await build(h.options());
    if (outcome.status !== 'built') throw new Error(outcome.status);
    const record = JSON.parse(readFileSync(outcome.recordPath, 'utf8'));
    const audit = parseSelfCheckReport(record.audit);
    expect(audit.passed).toBe(true);
    expect(audit.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['no-authorized-keys', 'sshd-authorized-keys-files']));
    expect(h.store.load('demo', '1.0.0')!.audit).toEqual(record.audit);
  });

  it('missing from a tester that reports success fails the test stage, and nothing is left behind', async () => {
    const h = await harness({ cloud: { guest: { outcome: 'audit-missing', mode: 'test' } } });
    const outcome = await build(h.options());
    expect(outcome).toMatchObject({ status: 'failed', stage: 'test' });
    expect(JSON.stringify(outcome)).toMatch(/reported success without the first-boot audit/);
    expect(await h.temporaries()).toEqual([]);
  });
});
