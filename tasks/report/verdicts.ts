/**
 * Verdicts of a claim relative to the paper's number.
 *
 * @module
 */

/** Outcome of checking one claim. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type Verdict } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const verdicts: Verdict[] = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") }).claims.rows.map((r) => r.verdict);
 * ```
 */
export type Verdict =
  | "reproduced"
  | "weaker than reported"
  | "stronger than reported"
  | "not reproduced"
  | "contradicted"
  | "equivalent"
  | "not equivalent"
  | "not measurable here";

/** What a verdict is decided from (effects and margins on one scale). */
export interface VerdictInput {
  /** `difference`: a directional effect; `equivalence`: a TOST claim. */
  test: "difference" | "equivalence";
  /** The paper's direction: +1 (system above) or -1 (below). */
  direction: 1 | -1;
  /** The paper's effect; undefined when the paper gives a direction only. */
  paperEffect?: number;
  /** Our estimate. */
  estimate: number;
  /** Lower bound of our (family-adjusted) interval. */
  low: number;
  /** Upper bound. */
  high: number;
  /** Corrected p-value: two-sided for differences, TOST for equivalence. */
  pCorrected: number;
  /** Family-wise level. */
  alpha: number;
}

/**
 * Equivalence claims: *equivalent* when the corrected TOST p is below alpha.
 * Difference claims: *not reproduced* unless significant; *contradicted* when
 * significant against the paper's direction; otherwise *reproduced* when the
 * interval holds the paper's effect (or the paper gives a direction only),
 * *weaker* / *stronger than reported* when the whole interval is below /
 * above it in the paper's direction.
 */
export function verdictOf(v: VerdictInput): Verdict {
  const significant = v.pCorrected < v.alpha;
  if (v.test === "equivalence") return significant ? "equivalent" : "not equivalent";
  if (!significant) return "not reproduced";
  if (Math.sign(v.estimate) !== v.direction) return "contradicted";
  if (v.paperEffect === undefined) return "reproduced";
  const [low, high, paper] = v.direction > 0
    ? [v.low, v.high, v.paperEffect]
    : [-v.high, -v.low, -v.paperEffect];
  if (paper < low) return "stronger than reported";
  if (paper > high) return "weaker than reported";
  return "reproduced";
}
