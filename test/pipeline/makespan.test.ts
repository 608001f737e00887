import { describe, expect, it } from 'vitest';
import { benchPipeline, optimalMakespan } from '../bench/pipeline.js';


describe('pipeline performance (simulated, discrete-event time)', () => {
  it('stays within 5% of the lower bound with 12 regions, first build and next, and deletes the builder right after capture', async () => {
    const { first, second } = await benchPipeline();
    for (const r of [first, second]) {
      expect(r.maxConcurrentCopies).toBe(5);
      expect(r.deleteRequestedAfterCaptureMs).toBeLessThanOrEqual(r.pollIntervalMs);
      // The bound: capture + max(test chain, optimal copy phase); the test runs inside the copy phase.
      expect(r.makespanMs).toBeLessThanOrEqual(r.bestMakespanMs * 1.05);
      expect(r.builderLifetimeMs).toBeLessThanOrEqual(r.builderLowerBoundMs * 1.05);
    }
    // A first build plans from distance estimates; the next from the first one's measured times.
    expect(first.copyPhaseMs).toBeLessThanOrEqual(first.bestCopyPhaseMs * 1.05);
    expect(second.copyPhaseMs).toBeLessThanOrEqual(second.bestCopyPhaseMs * 1.02);
  });

  it('computes the optimal copy schedule the bound is made of', () => {
    expect(optimalMakespan([3, 3, 2, 2, 2], 2)).toBe(6);
    expect(optimalMakespan([10, 10, 10, 10, 10, 10], 5)).toBe(20);
  });
});
