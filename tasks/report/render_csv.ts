/**
 * CSV renderings of a {@linkcode Report}: values × 100 with 2 decimals,
 * p-values with 4 significant digits.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import { percent, points, pValue } from "./format.ts";
import type { Report } from "./report.ts";

/** Header of {@linkcode mainCsv}. */
export const MAIN_CSV_COLUMNS = [
  "method",
  "setting",
  "pair",
  "measure",
  "seeds",
  "seed_means",
  "mean",
  "sd",
  "n",
  "delta",
  "ci_low",
  "ci_high",
  "se",
  "df",
  "p",
  "p_corrected",
  "family",
  "family_size",
  "significant",
  "p_ttest",
  "p_signflip",
] as const;

/** The main tables as CSV, one row per cell in display order. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, mainCsv } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await Deno.writeTextFile("main.csv", mainCsv(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function mainCsv(r: Report): string {
  const rows: string[][] = [[...MAIN_CSV_COLUMNS]];
  for (const t of r.tables) {
    for (const row of t.rows) {
      row.cells.forEach((c, i) => {
        if (c === undefined) return;
        const s = c.test;
        rows.push([
          row.method,
          t.setting,
          t.columns[i],
          r.measure,
          c.seeds.join(" "),
          c.seedMeans.map((m) => points(m, 2)).join(" "),
          points(c.mean, 2),
          points(c.sd, 2),
          String(c.n),
          s ? points(s.delta, 2) : "",
          s ? points(s.low, 2) : "",
          s ? points(s.high, 2) : "",
          s ? points(s.se, 3) : "",
          s ? s.df.toFixed(1) : "",
          s ? pValue(s.p) : "",
          s ? pValue(s.pCorrected) : "",
          s ? t.family.name : "",
          s ? String(t.family.size) : "",
          s ? (s.significant ? "yes" : "no") : "",
          s ? pValue(s.pTTest) : "",
          s ? pValue(s.pSignFlip) : "",
        ]);
      });
    }
  }
  return stringify(rows, { record_delimiter: "unix" });
}

/** The claims table as CSV. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, claimsCsv } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await Deno.writeTextFile("claims.csv", claimsCsv(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function claimsCsv(r: Report): string {
  const rows: string[][] = [[
    "id",
    "claim",
    "compared",
    "setting",
    "pairs",
    "variant",
    "paper",
    "paper_effect",
    "test",
    "effect",
    "ci_low",
    "ci_high",
    "ci_level",
    "n",
    "p",
    "p_corrected",
    "p_ttest",
    "verdict",
    "note",
  ]];
  const opt = (x: number | undefined, f: (x: number) => string) => (x === undefined ? "" : f(x));
  for (const c of r.claims.rows) {
    rows.push([
      c.id,
      c.text,
      c.compared,
      c.setting,
      c.pairs,
      c.variant,
      c.paper,
      opt(c.paperEffect, (x) => points(x, 1)),
      c.test === "equivalence" ? `TOST ±${points(r.margin, 1)}` : "two-sided",
      opt(c.estimate, (x) => points(x, 2)),
      opt(c.low, (x) => points(x, 2)),
      opt(c.high, (x) => points(x, 2)),
      c.estimate === undefined ? "" : percent(r.claims.level),
      opt(c.n, String),
      opt(c.p, pValue),
      opt(c.pCorrected, pValue),
      opt(c.pTTest, pValue),
      c.verdict,
      c.note,
    ]);
  }
  return stringify(rows, { record_delimiter: "unix" });
}
