/**
 * The copy order: a first build's estimate from the regions' distance, history where it exists
 * (on the same scale), and a packing that first-free-slot starts reproduce exactly.
 */
import { describe, expect, it } from 'vitest';
import { COPY_ESTIMATE, copyOrder, estimateCopyMs, expectedCopyMs, packSlots } from '../../scripts/pipeline/copy-order.js';

/** What the copy pool does: each copy starts, in the order given, on the slot that frees first. */
function listSchedule(order: readonly string[], ms: ReadonlyMap<string, number>, slots: number): number {
  const free = new Array<number>(slots).fill(0);
  for (const r of order) {
    const k = free.indexOf(Math.min(...free));
    free[k] += ms.get(r)!;
  }
  return Math.max(...free);
}

describe('estimateCopyMs', () => {
  it('grows with the distance between the regions\' cities, and knows nothing of regions the catalogue cannot place', () => {
    // Mexico City1 and City2 are one city: only the fixed part.
    expect(estimateCopyMs('na-mexico-1', 'la-north-2')).toBe(COPY_ESTIMATE.fixedMs);
    const bangkok = estimateCopyMs('ap-southeast-3', 'ap-southeast-2')!;
    const johannesburg = estimateCopyMs('ap-southeast-3', 'af-south-1')!;
    const saoPaulo = estimateCopyMs('ap-southeast-3', 'sa-brazil-1')!;
    expect(bangkok).toBeLessThan(johannesburg);
    expect(johannesburg).toBeLessThan(saoPaulo);
    // Singapore to Sao Paulo is about 16,000 km.
    expect(saoPaulo).toBeGreaterThan(COPY_ESTIMATE.fixedMs + 15 * COPY_ESTIMATE.msPer1000Km);
    expect(saoPaulo).toBeLessThan(COPY_ESTIMATE.fixedMs + 17 * COPY_ESTIMATE.msPer1000Km);
    expect(estimateCopyMs('ap-southeast-3', 'xx-nowhere-1')).toBeUndefined();
  });
});

describe('expectedCopyMs', () => {
  it('takes history first, scales the estimates of the other regions to it, and gives an unplaceable region the longest time', () => {
    const regions = ['ap-southeast-2', 'af-south-1', 'sa-brazil-1', 'xx-nowhere-1'];
    const history = new Map([['ap-southeast-2', 2 * estimateCopyMs('ap-southeast-3', 'ap-southeast-2')!]]);
    const expected = expectedCopyMs(regions, 'ap-southeast-3', history);
    expect(expected.get('ap-southeast-2')).toBe(history.get('ap-southeast-2'));
    expect(expected.get('af-south-1')).toBe(2 * estimateCopyMs('ap-southeast-3', 'af-south-1')!);
    expect(expected.get('xx-nowhere-1')).toBe(expected.get('sa-brazil-1'));
  });
});

describe('packSlots and copyOrder', () => {
  const twelve = [14, 14, 13, 13, 12, 12, 11, 11, 10, 10, 9, 9];

  it('packs better than longest-first where longest-first is not optimal', () => {
    // Longest-first gives 33 here; the optimum is 30 ({14,12} {14,12} {13,13} {11,10,9} {11,10,9}).
    const { lanes, makespan } = packSlots(twelve, 5);
    expect(makespan).toBe(30);
    expect(lanes.flat().sort((a, b) => a - b)).toEqual(twelve.map((_, i) => i));
    expect(Math.max(...lanes.map((l) => l.reduce((n, j) => n + twelve[j], 0)))).toBe(30);
  });

  it('orders the copies so that starting each on the first free slot reproduces the packing', () => {
    const regions = twelve.map((_, i) => `r${i}`);
    const history = new Map(regions.map((r, i) => [r, twelve[i] * 60_000]));
    const order = copyOrder(regions, 'ap-southeast-3', history, 5);
    expect([...order].sort()).toEqual([...regions].sort());
    expect(listSchedule(order, history, 5)).toBe(30 * 60_000);
    // Longest first, for comparison.
    const lpt = [...regions].sort((a, b) => history.get(b)! - history.get(a)!);
    expect(listSchedule(lpt, history, 5)).toBe(33 * 60_000);
  });

  it('plans any number of regions in bounded work, never worse than longest-first', () => {
    const jobs = Array.from({ length: 60 }, (_, i) => 5 + ((i * 37) % 23) + (i % 7) / 10);
    const { lanes, makespan } = packSlots(jobs, 5);
    expect(lanes.flat()).toHaveLength(60);
    const loads = new Array<number>(5).fill(0);
    for (const j of [...jobs].sort((a, b) => b - a)) loads[loads.indexOf(Math.min(...loads))] += j;
    expect(makespan).toBeLessThanOrEqual(Math.max(...loads));
  });

  it('leaves one region or none as it is', () => {
    expect(copyOrder([], 'ap-southeast-3', new Map(), 5)).toEqual([]);
    expect(copyOrder(['af-south-1'], 'ap-southeast-3', new Map(), 5)).toEqual(['af-south-1']);
  });
});
