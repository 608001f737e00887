/**
 * The copy planner's own cost, by number of regions (copyOrder: expected times, the bounded
 * packing search, the start order), and how far its plan is from the simple lower bound
 * max(longest copy, total / 5). Wired into `npm run bench` by test/bench/index.ts.
 */
import { copyOrder, packSlots } from '../../scripts/pipeline/copy-order.js';

interface CopyOrderBenchRow {
  regions: number;
  medianMs: number;
  planMs: number;
  boundMs: number;
}

/** Deterministic copy times of 6 to 19 minutes for `n` regions (no catalogue needed: all from history). */
function times(n: number): Map<string, number> {
  return new Map(Array.from({ length: n }, (_, i) => [`r${i}`, (6 + ((i * 7919) % 131) / 10) * 60_000]));
}

export function benchCopyOrder(sizes: readonly number[], runs = 5): CopyOrderBenchRow[] {
  return sizes.map((n) => {
    const history = times(n);
    const regions = [...history.keys()];
    const took: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      copyOrder(regions, 'ap-southeast-3', history, 5);
      took.push(performance.now() - t);
    }
    const jobs = [...history.values()];
    return {
      regions: n,
      medianMs: took.sort((a, b) => a - b)[runs >> 1],
      planMs: packSlots(jobs, 5).makespan,
      boundMs: Math.max(...jobs, jobs.reduce((a, b) => a + b, 0) / 5),
    };
  });
}

export function printCopyOrder(rows: readonly CopyOrderBenchRow[]): void {
  console.log('\ncopy order planning (5 slots, median of 5 runs)');
  console.log('  regions   planning   planned copy phase vs max(longest, total/5)');
  for (const r of rows) console.log(`  ${String(r.regions).padStart(7)}   ${`${r.medianMs.toFixed(1)} ms`.padStart(8)}   +${(((r.planMs - r.boundMs) / r.boundMs) * 100).toFixed(2)}%`);
}
