/**
 * Options of a report and their defaults.
 *
 * @module
 */

import type { Measure } from "../evaluate/mod.ts";
import type { Profile } from "../profiles/mod.ts";
import type { Correction } from "../stats/mod.ts";
import type { SeedChoice } from "./cells.ts";
import { METHODS } from "./methods.ts";

/** Options of {@linkcode buildReport}. *
 * @example
 * ```ts
 * import type { ReportOptions } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * const o: ReportOptions = {
 *   profile: XQUAD_R,
 *   measure: parseMeasure("RR@10"),
 *   correction: "bonferroni",
 *   margin: 0.02,
 * };
 * ```
 */
export interface ReportOptions {
  /** The profile (column order, seen/unseen languages, distant pairs). */
  profile: Profile;
  /** The measure of the per-query values. */
  measure: Measure;
  /** Baseline of the tables' tests and deltas (default Zero-shot). */
  baseline?: string;
  /** Correction within each family (default Holm). */
  correction?: Correction;
  /** Family-wise significance level (default 0.05). */
  alpha?: number;
  /** Equivalence margin on the measure's 0-1 scale (default 0.01 = 1 point × 100). */
  margin?: number;
  /** Seed combination (default `mean`; `best` is the released script's best-of-seeds). */
  seedChoice?: SeedChoice;
  /** Seed of the sign-flip Monte Carlo (default 0). */
  statsSeed?: number;
  /** Sign-flip Monte Carlo samples per test (default 5,000; 0 skips the test). */
  signFlipSamples?: number;
}

/** Options after defaults. */
export type ResolvedOptions = Required<ReportOptions>;

/**
 * The defaults of {@linkcode ReportOptions}, defined once (the pipeline's run
 * defaults read them).
 *
 * @example
 * ```ts
 * import { REPORT_DEFAULTS } from "./mod.ts";
 * REPORT_DEFAULTS.margin; // 0.01: ±1.0 point of MRR@10 × 100
 * ```
 */
export const REPORT_DEFAULTS: Readonly<Omit<ResolvedOptions, "profile" | "measure">> = {
  baseline: METHODS.zeroShot,
  correction: "holm",
  alpha: 0.05,
  margin: 0.01,
  seedChoice: "mean",
  statsSeed: 0,
  signFlipSamples: 5_000,
};

/** Fills in the defaults; throws a RangeError on an out-of-range value. */
export function resolveOptions(o: ReportOptions): ResolvedOptions {
  const r: ResolvedOptions = { ...REPORT_DEFAULTS, ...o };
  if (!(r.alpha > 0 && r.alpha < 1)) throw new RangeError(`alpha must be in (0, 1): ${r.alpha}`);
  if (!(r.margin > 0)) throw new RangeError(`margin must be positive: ${r.margin}`);
  return r;
}
