/**
 * The {@linkcode Report} as JSON: the value itself, numbers on the measure's
 * 0-1 scale rounded to 8 significant digits (NaN as null).
 *
 * @module
 */

import type { Report } from "./report.ts";

/** Renders the report as pretty-printed JSON. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, reportJson } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const value = JSON.parse(reportJson(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function reportJson(r: Report): string {
  return JSON.stringify(
    r,
    (_k, v) => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(8)) : v),
    2,
  ) + "\n";
}
