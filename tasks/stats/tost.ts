/**
 * Equivalence by two one-sided tests (TOST) at a margin: H0 is |effect| ≥
 * margin, rejected when both one-sided t-tests reject. The seed-aware form uses
 * the standard error and degrees of freedom of a {@linkcode SeededEstimate};
 * with one seed it is SciPy's paired TOST.
 *
 * @module
 */

import tcdf from "@stdlib/stats-base-dists-t-cdf";
import { seededContrast, type SeededEstimate } from "./seeded.ts";

/** One one-sided test of a TOST. *
 * @example
 * ```ts
 * import { type OneSided, pairedTost } from "./mod.ts";
 * const lower: OneSided = pairedTost([0.1, 0.2, 0.3], [0.1, 0.25, 0.3], 0.1).lower;
 * ```
 */
export interface OneSided {
  /** t statistic. */
  t: number;
  /** One-sided p-value. */
  p: number;
}

/** Result of {@linkcode tost}. *
 * @example
 * ```ts
 * import { pairedTost, type TostResult } from "./mod.ts";
 * const r: TostResult = pairedTost([0.1, 0.2, 0.3], [0.1, 0.25, 0.3], 0.1);
 * ```
 */
export interface TostResult {
  /** Equivalence margin (same scale as the estimate). */
  margin: number;
  /** H0 effect ≤ -margin, alternative greater. */
  lower: OneSided;
  /** H0 effect ≥ +margin, alternative less. */
  upper: OneSided;
  /** TOST p-value: the larger of the two. */
  p: number;
}

/** TOST of a seed-aware estimate at ±`margin` (margin > 0). *
 * @example
 * ```ts
 * import { seededContrast, tost } from "./mod.ts";
 * const e = seededContrast([
 *   { weight: 1, perSeed: [[0.5, 0.4, 0.1], [0.5, 0.3, 0.2]] },
 *   { weight: -1, perSeed: [[0.5, 0.4, 0.2], [0.4, 0.4, 0.1]] },
 * ]);
 * tost(e, 0.01).p < 0.05; // equivalent within ±0.01?
 * ```
 */
export function tost(e: SeededEstimate, margin: number): TostResult {
  if (!(margin > 0)) throw new RangeError(`equivalence margin must be positive, got ${margin}`);
  const tl = (e.estimate + margin) / e.se;
  const tu = (e.estimate - margin) / e.se;
  const lower = { t: tl, p: tcdf(-tl, e.df) };
  const upper = { t: tu, p: tcdf(tu, e.df) };
  return { margin, lower, upper, p: Math.max(lower.p, upper.p) };
}

/**
 * Paired TOST of `b` against `a` (as SciPy's `ttest_1samp(b - a, ∓margin)`
 * with alternatives greater / less).
 *
 * @example
 * ```ts
 * import { pairedTost } from "./mod.ts";
 * pairedTost([0.1, 0.2, 0.3, 0.4], [0.11, 0.2, 0.29, 0.41], 0.05).p; // TOST p-value
 * ```
 */
export function pairedTost(a: ArrayLike<number>, b: ArrayLike<number>, margin: number): TostResult {
  return tost(
    seededContrast([{ weight: -1, perSeed: [a] }, { weight: 1, perSeed: [b] }]),
    margin,
  );
}
