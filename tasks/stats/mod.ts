/**
 * Statistics for paired retrieval experiments over queries and training
 * seeds: the paired t-test and the sign-flip randomization test on per-query
 * values, Holm and Bonferroni corrections, seed-aware variance-components
 * contrasts with t intervals, and TOST equivalence tests. Differences are
 * always system minus baseline (`b - a`).
 *
 * @example
 * ```ts
 * import { confidenceInterval, seededContrast, tost } from "./mod.ts";
 * const e = seededContrast([
 *   { weight: 1, perSeed: [[1, 0.5, 0.2, 0], [1, 0.33, 0.25, 0.1]] },
 *   { weight: -1, perSeed: [[0.5, 0.5, 0.1, 0], [1, 0.2, 0.1, 0]] },
 * ]);
 * const ci = confidenceInterval(e);
 * const equivalence = tost(e, 0.01);
 * ```
 *
 * @module
 */

export { differences, mean, sd, variance } from "./describe.ts";
export { type Degenerate, pairedTTest, type TTestResult, twoSidedP } from "./ttest.ts";
export { type SignFlipOptions, type SignFlipResult, signFlipTest } from "./sign_flip.ts";
export { bonferroni, correct, type Correction, holm } from "./corrections.ts";
export {
  confidenceInterval,
  type Interval,
  seededContrast,
  type SeededEstimate,
  type SeedGroup,
  tQuantile,
} from "./seeded.ts";
export { type OneSided, pairedTost, tost, type TostResult } from "./tost.ts";
