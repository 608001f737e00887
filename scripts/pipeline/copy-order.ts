/**
 * The order in which a build starts its cross-region copies. At most 5 run at once (IMS, per
 * tenant), and the copy phase ends with the last of them, so the order decides how long buyers
 * wait for the last region. Each copy's duration is taken from the latest earlier build of the
 * image that copied there, or else estimated from the distance between the two regions' cities.
 * The durations are packed onto the 5 slots as tightly as a bounded search finds (it starts
 * from longest-first), and the copies start in the order of their planned start times. With
 * durations as expected, the pool's first-free-slot start reproduces the plan exactly; when a
 * copy ends early or late, the next one simply starts on the slot that frees first.
 */
import { regionInfo } from '../../stacks/catalogue/regions.js';

/**
 * A first build's estimate. Huawei publishes no copy speeds: "The time required for
 * replicating an image across regions depends on the network speed, image size, and number of
 * concurrent tasks" (IMS, Replicating Images Across Regions,
 * https://support.huaweicloud.com/intl/en-us/usermanual-ims/ims_01_0332.html). The image and
 * the tenant's concurrency are the same for every copy of a build, which leaves the network:
 * a fixed part (the job, the OBS writes in the target) and a part that grows with distance,
 * as a long path's round trips slow a transfer. Only the ratios between regions matter for
 * the order; once a build has timed its copies, the times replace this.
 */
export const COPY_ESTIMATE = { fixedMs: 4 * 60_000, msPer1000Km: 30_000 } as const;

/** Search nodes the planner may visit before it settles for the best packing found so far. */
const PLAN_BUDGET = 200_000;

/** Great-circle distance between two regions' cities in km, or undefined when the catalogue places either nowhere. */
export function regionDistanceKm(from: string, to: string): number | undefined {
  const a = regionInfo(from)?.at;
  const b = regionInfo(to)?.at;
  return a && b ? distanceKm(a, b) : undefined;
}

/** Great-circle distance between two [lat, lon] points, in km (haversine, mean Earth radius). */
function distanceKm([lat1, lon1]: readonly [number, number], [lat2, lon2]: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The estimate for a copy from `from` to `to`, or undefined when the catalogue places either nowhere. */
export function estimateCopyMs(from: string, to: string): number | undefined {
  const km = regionDistanceKm(from, to);
  return km === undefined ? undefined : Math.round(COPY_ESTIMATE.fixedMs + (km / 1000) * COPY_ESTIMATE.msPer1000Km);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Each region's expected copy duration: its own history, else its distance estimate scaled by
 * how the regions with both compare (history / estimate, the median), so that measured and
 * estimated times share one scale. A region with neither is given the longest expected time,
 * so it starts among the first: a long copy started late is what stretches the phase.
 */
export function expectedCopyMs(regions: readonly string[], buildRegion: string, history: ReadonlyMap<string, number>): Map<string, number> {
  const estimate = new Map(regions.flatMap((r) => {
    const ms = estimateCopyMs(buildRegion, r);
    return ms === undefined ? [] : [[r, ms] as const];
  }));
  const ratios = regions.filter((r) => history.has(r) && estimate.has(r)).map((r) => history.get(r)! / estimate.get(r)!);
  const scale = ratios.length ? median(ratios) : 1;
  const expected = new Map<string, number>();
  for (const r of regions) {
    const ms = history.get(r) ?? (estimate.has(r) ? estimate.get(r)! * scale : undefined);
    if (ms !== undefined) expected.set(r, ms);
  }
  const longest = Math.max(0, ...expected.values());
  for (const r of regions) if (!expected.has(r)) expected.set(r, longest || COPY_ESTIMATE.fixedMs);
  return expected;
}

/**
 * Packs jobs onto `slots` identical slots, minimizing the latest end: branch and bound over the
 * jobs, longest first, with longest-first list scheduling as the first bound. It stops at the
 * optimum's lower bound or after PLAN_BUDGET nodes (a handful of milliseconds), so any number of
 * regions is planned in bounded time. Returns each slot's jobs (indexes into `jobs`).
 */
export function packSlots(jobs: readonly number[], slots: number): { lanes: number[][]; makespan: number } {
  const m = Math.max(1, Math.min(slots, jobs.length));
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b] - jobs[a] || a - b);
  const total = jobs.reduce((a, b) => a + b, 0);
  const lower = Math.max(jobs[order[0]] ?? 0, total / m);
  // Longest first onto the least loaded slot: the bound to beat.
  let bestLanes: number[][] = Array.from({ length: m }, () => []);
  const lptLoads = new Array<number>(m).fill(0);
  for (const j of order) {
    const k = lptLoads.indexOf(Math.min(...lptLoads));
    bestLanes[k].push(j);
    lptLoads[k] += jobs[j];
  }
  let best = Math.max(...lptLoads);
  const loads = new Array<number>(m).fill(0);
  const lanes: number[][] = Array.from({ length: m }, () => []);
  let nodes = 0;
  const place = (i: number): void => {
    if (best <= lower || nodes > PLAN_BUDGET) return;
    if (i === order.length) {
      const span = Math.max(...loads);
      if (span < best) {
        best = span;
        bestLanes = lanes.map((l) => [...l]);
      }
      return;
    }
    const job = order[i];
    const seen = new Set<number>();
    for (let k = 0; k < m; k++) {
      // Slots with the same load are interchangeable; a slot that would pass the best cannot help.
      if (seen.has(loads[k]) || loads[k] + jobs[job] >= best) continue;
      seen.add(loads[k]);
      nodes++;
      loads[k] += jobs[job];
      lanes[k].push(job);
      place(i + 1);
      lanes[k].pop();
      loads[k] -= jobs[job];
    }
  };
  place(0);
  return { lanes: bestLanes, makespan: best };
}

/**
 * The regions in the order to start their copies, for a pool of `parallelism` slots: each
 * slot's plan runs longest first, and the copies start in the order of their planned start
 * times (ties: the longer first).
 */
export function copyOrder(regions: readonly string[], buildRegion: string, history: ReadonlyMap<string, number>, parallelism: number): string[] {
  if (regions.length <= 1) return [...regions];
  const expected = expectedCopyMs(regions, buildRegion, history);
  const jobs = regions.map((r) => expected.get(r)!);
  const { lanes } = packSlots(jobs, parallelism);
  const planned: { region: string; start: number; ms: number }[] = [];
  for (const lane of lanes) {
    let t = 0;
    for (const j of [...lane].sort((a, b) => jobs[b] - jobs[a] || a - b)) {
      planned.push({ region: regions[j], start: t, ms: jobs[j] });
      t += jobs[j];
    }
  }
  return planned.sort((a, b) => a.start - b.start || b.ms - a.ms || regions.indexOf(a.region) - regions.indexOf(b.region)).map((p) => p.region);
}
