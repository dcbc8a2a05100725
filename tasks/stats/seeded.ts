/**
 * Seed-aware contrasts over shared queries: a variance-components estimate of
 * Σ_g w_g · (mean over seeds and queries of group g), where each group is one
 * independently trained set of models evaluated on the same queries. The
 * variance adds the query term s²_q / n (s²_q: variance over queries of the
 * seed-averaged per-query contrast) and, per group, the seed main effect
 * σ̂²_seed / S (ANOVA estimate: variance of the per-seed means minus the
 * seed × query residual mean square / n, which s²_q already carries, floored at
 * 0). The t reference uses Welch–Satterthwaite degrees of freedom. With one
 * seed per group this is exactly the paired t-test on the queries.
 *
 * @module
 */

import tcdf from "@stdlib/stats-base-dists-t-cdf";
import { mean, variance } from "./describe.ts";
import { twoSidedP } from "./ttest.ts";

/** One independently trained group of models in a contrast. *
 * @example
 * ```ts
 * import { type SeedGroup } from "./mod.ts";
 * // Two seeds of a system over three queries.
 * const system: SeedGroup = { weight: 1, perSeed: [[1, 0.5, 0], [1, 0.25, 0]] };
 * ```
 */
export interface SeedGroup {
  /** Weight of the group in the contrast, e.g. +1 for the system and -1 for the baseline. */
  weight: number;
  /** Per seed, the per-query values; every seed of every group uses the same query order. */
  perSeed: readonly ArrayLike<number>[];
}

/** A seed-aware estimate with its standard error. *
 * @example
 * ```ts
 * import { type SeededEstimate, seededContrast } from "./mod.ts";
 * const e: SeededEstimate = seededContrast([{ weight: 1, perSeed: [[0.2, 0.4, 0.1]] }]);
 * e.df; // 2: one seed is a one-sample t-test
 * ```
 */
export interface SeededEstimate {
  /** Σ_g w_g · mean over seeds and queries. */
  estimate: number;
  /** Number of queries. */
  n: number;
  /** Standard error of the estimate. */
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value of estimate = 0. */
  p: number;
  /** The query term of the variance, s²_q / n. */
  queryVariance: number;
  /** Per group, its seed term σ̂²_seed · w² / S (0 with one seed). */
  seedVariance: number[];
  /** Seed-averaged per-query contrast, the unit of analysis. */
  perQuery: Float64Array;
}

/** A confidence interval. *
 * @example
 * ```ts
 * import { confidenceInterval, type Interval, seededContrast } from "./mod.ts";
 * const ci: Interval = confidenceInterval(seededContrast([{ weight: 1, perSeed: [[0.2, 0.4, 0.1]] }]));
 * ```
 */
export interface Interval {
  /** Lower bound. */
  low: number;
  /** Upper bound. */
  high: number;
}

/** Estimates a seed-aware contrast; throws a RangeError on misaligned groups. *
 * @example
 * ```ts
 * import { seededContrast } from "./mod.ts";
 * // System (2 seeds) minus baseline (2 seeds, trained independently) on 4 queries.
 * const e = seededContrast([
 *   { weight: 1, perSeed: [[1, 0.5, 0.2, 0], [1, 0.33, 0.25, 0.1]] },
 *   { weight: -1, perSeed: [[0.5, 0.5, 0.1, 0], [1, 0.2, 0.1, 0]] },
 * ]);
 * e.estimate; // mean system - mean baseline
 * e.p; // seed-aware two-sided p-value
 * ```
 */
export function seededContrast(groups: readonly SeedGroup[]): SeededEstimate {
  if (groups.length === 0 || groups.some((g) => g.perSeed.length === 0)) {
    throw new RangeError("a contrast needs at least one group with at least one seed");
  }
  const n = groups[0].perSeed[0].length;
  const perQuery = new Float64Array(n);
  const seedVariance: number[] = [];
  // Satterthwaite: Σ (term² / df) over the independent mean squares.
  let dfDenominator = 0;
  for (const g of groups) {
    const S = g.perSeed.length;
    const seedMeans = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const y = g.perSeed[s];
      if (y.length !== n) throw new RangeError(`seed ${s} scores ${y.length} queries, not ${n}`);
      seedMeans[s] = mean(y);
    }
    const queryMeans = new Float64Array(n);
    for (let q = 0; q < n; q++) {
      let sum = 0;
      for (let s = 0; s < S; s++) sum += g.perSeed[s][q];
      queryMeans[q] = sum / S;
      perQuery[q] += g.weight * queryMeans[q];
    }
    if (S < 2 || n < 2) {
      seedVariance.push(0);
      continue;
    }
    const grand = mean(seedMeans);
    let ss = 0;
    for (let s = 0; s < S; s++) {
      const y = g.perSeed[s];
      for (let q = 0; q < n; q++) ss += (y[q] - seedMeans[s] - queryMeans[q] + grand) ** 2;
    }
    const w2 = g.weight * g.weight;
    const a = (w2 * variance(seedMeans)) / S;
    const b = (w2 * ss) / ((S - 1) * (n - 1)) / (n * S);
    if (a > b) {
      seedVariance.push(a - b);
      dfDenominator += a * a / (S - 1) + b * b / ((S - 1) * (n - 1));
    } else {
      seedVariance.push(0);
    }
  }
  const estimate = mean(perQuery);
  const queryVariance = variance(perQuery) / n;
  const v = queryVariance + seedVariance.reduce((s, x) => s + x, 0);
  if (n >= 2) dfDenominator += queryVariance * queryVariance / (n - 1);
  const df = dfDenominator > 0 ? v * v / dfDenominator : Math.max(n - 1, 0);
  const se = Math.sqrt(v);
  const p = n < 2 || estimate === 0 ? 1 : se === 0 ? 0 : twoSidedP(estimate / se, df);
  return { estimate, n, se, df, p, queryVariance, seedVariance, perQuery };
}

/** Two-sided confidence interval at `level` (default 0.95) from the t reference. *
 * @example
 * ```ts
 * import { confidenceInterval, seededContrast } from "./mod.ts";
 * const e = seededContrast([{ weight: 1, perSeed: [[0.2, 0.4, 0.1, 0.3]] }]);
 * const { low, high } = confidenceInterval(e, 0.95);
 * ```
 */
export function confidenceInterval(e: SeededEstimate, level = 0.95): Interval {
  if (e.se === 0 || !(e.df > 0)) return { low: e.estimate, high: e.estimate };
  const h = tQuantile(1 - (1 - level) / 2, e.df) * e.se;
  return { low: e.estimate - h, high: e.estimate + h };
}

/** Quantile of Student's t by bisection on the CDF (df may be fractional). *
 * @example
 * ```ts
 * import { tQuantile } from "./mod.ts";
 * tQuantile(0.975, 4); // ≈ 2.776
 * ```
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${p}`);
  let lo = -1;
  let hi = 1;
  while (tcdf(lo, df) > p) lo *= 2;
  while (tcdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (tcdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
