/**
 * The paired two-sided t-test (as `scipy.stats.ttest_rel(b, a)`).
 *
 * @module
 */

import tcdf from "@stdlib/stats-base-dists-t-cdf";
import { differences, mean } from "./describe.ts";

/** Why a test could not be computed normally (the p-value is then 1, or 0 for a constant shift). *
 * @example
 * ```ts
 * import { type Degenerate, pairedTTest } from "./mod.ts";
 * const why: Degenerate | undefined = pairedTTest([1, 2], [1, 2]).degenerate; // "all differences zero"
 * ```
 */
export type Degenerate = "fewer than 2 pairs" | "all differences zero" | "constant difference";

/** Result of {@linkcode pairedTTest}. *
 * @example
 * ```ts
 * import { pairedTTest, type TTestResult } from "./mod.ts";
 * const r: TTestResult = pairedTTest([0.1, 0.2, 0.3], [0.2, 0.2, 0.5]);
 * ```
 */
export interface TTestResult {
  /** Number of pairs. */
  n: number;
  /** Mean of `b - a`. */
  meanDiff: number;
  /** t statistic (±Infinity for a constant non-zero difference, NaN when undefined). */
  t: number;
  /** Degrees of freedom, n - 1. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** Set when the data make the test degenerate. */
  degenerate?: Degenerate;
}

/**
 * Paired two-sided t-test of `b` against `a`. Degenerate inputs give p = 1
 * (fewer than 2 pairs, or all differences zero) and p = 0 for a constant
 * non-zero difference, with {@linkcode TTestResult.degenerate} set.
 *
 * @example
 * ```ts
 * import { pairedTTest } from "./mod.ts";
 * pairedTTest([0.1, 0.2, 0.3], [0.2, 0.2, 0.5]).p; // two-sided p-value
 * ```
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTestResult {
  const d = differences(a, b);
  const n = d.length;
  const m = mean(d);
  if (n < 2) return { n, meanDiff: m, t: NaN, df: n - 1, p: 1, degenerate: "fewer than 2 pairs" };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - m) ** 2;
  const df = n - 1;
  if (ss === 0) {
    return m === 0 ? { n, meanDiff: m, t: NaN, df, p: 1, degenerate: "all differences zero" } : {
      n,
      meanDiff: m,
      t: m > 0 ? Infinity : -Infinity,
      df,
      p: 0,
      degenerate: "constant difference",
    };
  }
  const t = m / Math.sqrt(ss / df / n);
  return { n, meanDiff: m, t, df, p: twoSidedP(t, df) };
}

/** Two-sided p-value of a t statistic with `df` (possibly fractional) degrees of freedom. *
 * @example
 * ```ts
 * import { twoSidedP } from "./mod.ts";
 * twoSidedP(2.0, 10); // ≈ 0.0734
 * ```
 */
export function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tcdf(-Math.abs(t), df));
}
