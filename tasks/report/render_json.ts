/**
 * The {@linkcode Report} as JSON: the value itself, numbers on the measure's
 * 0-1 scale rounded to 8 significant digits (NaN as null).
 *
 * @module
 */

import type { Report } from "./report.ts";

/** Renders the report as pretty-printed JSON. */
export function reportJson(r: Report): string {
  return JSON.stringify(
    r,
    (_k, v) => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(8)) : v),
    2,
  ) + "\n";
}
