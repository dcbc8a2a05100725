/**
 * Result reports. One {@linkcode Report} value (main tables per setting and
 * the paper's claims with verdicts) is built from per-query results and
 * rendered to Markdown, CSV, JSON, LaTeX and an SVG heatmap. The query is the
 * unit of analysis, seeds are a variance source of every interval and marker,
 * "stable" / "on par" claims are TOST equivalence tests, and corrections run
 * within named families (each table, and the claims). Everything is a pure
 * function of the results: fixed ordering and decimals, no timestamps.
 *
 * @example
 * ```ts
 * import { type CellResult, writeResultVersion } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await writeResultVersion("results/xquad-r/v1", results, {
 *   profile: XQUAD_R,
 *   measure: parseMeasure("RR@10"),
 * });
 * ```
 *
 * @module
 */

export {
  type AblationColumn,
  ablationCsv,
  ablationMarkdown,
  type AblationRow,
  type AblationTable,
  buildAblation,
} from "./ablation.ts";
export { type CellResult, ResultsError, type SeedChoice } from "./cells.ts";
export { type Claim, CLAIMS, type ClaimScope, type Measurement } from "./claims.ts";
export type { Missing, Term } from "./contrast.ts";
export { heatmapSvg } from "./heatmap.ts";
export { measureColumn, measureLabel } from "./measure.ts";
export {
  ABLATION_METHODS,
  ablationMethod,
  METHODS,
  parseAblationMethod,
  RANKER_VARIANTS,
  type RankerVariant,
  type Setting,
  variantLabel,
} from "./methods.ts";
export { REPORT_DEFAULTS, type ReportOptions } from "./options.ts";
export { parsePerQueryCsv, perQueryCsv, roundAsWritten } from "./per_query.ts";
export { claimsCsv, mainCsv } from "./render_csv.ts";
export { reportJson } from "./render_json.ts";
export { claimsLatex, mainLatex } from "./render_latex.ts";
export { claimsMarkdown, mainMarkdown } from "./render_markdown.ts";
export { buildReport, type ClaimRow, type ClaimsTable, type Report } from "./report.ts";
export type { CellTest, SettingTable, TableCell, TableRow, TestFamily } from "./tables.ts";
export type { Verdict } from "./verdicts.ts";
export { rebuildReport, renderReport, RESULT_FILES, writeResultVersion } from "./writer.ts";
