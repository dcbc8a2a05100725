/**
 * How a {@linkcode Measure} is named in reports: the label of a mean over
 * queries (`MRR@10`) and the per-query CSV column (`rr10`).
 *
 * @module
 */

import { type Measure, parseMeasure, RELEVANCE_LEVEL } from "../evaluate/mod.ts";

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

/** Column name of the measure in `per_query.csv.gz`: `rr10`, `ndcg10`, `ap`, `p10_rel2`. *
 * @example
 * ```ts
 * import { measureColumn } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * measureColumn(parseMeasure("nDCG@10")); // "ndcg10"
 * ```
 */
export function measureColumn(m: Measure): string {
  const k = m.params.cutoff === Infinity ? "" : String(m.params.cutoff);
  const rel = m.params.rel === RELEVANCE_LEVEL ? "" : `_rel${m.params.rel}`;
  return `${m.family.toLowerCase()}${k}${rel}`;
}

/** Inverse of {@linkcode measureColumn}; throws an OptionError naming `option` when unknown. */
export function measureFromColumn(column: string, option: string): Measure {
  const m = /^([a-z]+)(\d*)(?:_rel(\d+))?$/.exec(column);
  if (!m) return parseMeasure(column, option);
  return parseMeasure(`${m[1]}${m[3] ? `(rel=${m[3]})` : ""}${m[2] ? `@${m[2]}` : ""}`, option);
}
