/**
 * How a {@linkcode Measure} is named in reports: the label of a mean over
 * queries (`MRR@10`) and the per-query CSV column (`rr10`).
 *
 * @module
 */

import { type Measure, parseMeasure } from "../evaluate/mod.ts";

/** Label of the measure's mean over queries: `MRR@10`, `MAP`, `nDCG@10`. *
 * @example
 * ```ts
 * import { measureLabel } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * measureLabel(parseMeasure("RR@10")); // "MRR@10"
 * ```
 */
export function measureLabel(m: Measure): string {
  return m.family === "RR" || m.family === "AP" ? `M${m.name}` : m.name;
}

/** Column name of the measure in `per_query.csv.gz`: `rr10`, `ndcg10`, `ap`. *
 * @example
 * ```ts
 * import { measureColumn } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * measureColumn(parseMeasure("nDCG@10")); // "ndcg10"
 * ```
 */
export function measureColumn(m: Measure): string {
  return m.name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Inverse of {@linkcode measureColumn}; throws an OptionError naming `option` when unknown. */
export function measureFromColumn(column: string, option: string): Measure {
  const m = /^([a-z]+)(\d*)$/.exec(column);
  return parseMeasure(m ? (m[2] ? `${m[1]}@${m[2]}` : m[1]) : column, option);
}
