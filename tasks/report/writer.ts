/**
 * Writing a result version: every rendering of the report plus the caller's
 * extra files, and rebuilding the report files from `per_query.csv.gz`.
 *
 * @module
 */

import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { writeDirAtomic, writeFileAtomic } from "../util/mod.ts";
import type { CellResult } from "./cells.ts";
import { ablationCsv, ablationMarkdown } from "./ablation.ts";
import { heatmapSvg } from "./heatmap.ts";
import type { ReportOptions } from "./options.ts";
import { parsePerQueryCsv } from "./per_query.ts";
import { claimsCsv, mainCsv } from "./render_csv.ts";
import { reportJson } from "./render_json.ts";
import { claimsLatex, mainLatex } from "./render_latex.ts";
import { claimsMarkdown, mainMarkdown } from "./render_markdown.ts";
import { buildReport, type Report } from "./report.ts";

/** Report files of a result version, by name. *
 * @example
 * ```ts
 * import { RESULT_FILES } from "./mod.ts";
 * RESULT_FILES.includes("report.json"); // true
 * ```
 */
export const RESULT_FILES = [
  "main.md",
  "main.csv",
  "main.tex",
  "claims.md",
  "claims.csv",
  "claims.tex",
  "report.json",
  "delta_heatmap.svg",
  "ablation.md",
  "ablation.csv",
] as const;

/** Every rendering of a report, keyed by file name. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, renderReport } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const files = await renderReport(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") }));
 * files["main.tex"]; // booktabs tables
 * ```
 */
export async function renderReport(
  r: Report,
): Promise<Record<(typeof RESULT_FILES)[number], string>> {
  return {
    "main.md": mainMarkdown(r),
    "main.csv": mainCsv(r),
    "main.tex": mainLatex(r),
    "claims.md": claimsMarkdown(r),
    "claims.csv": claimsCsv(r),
    "claims.tex": claimsLatex(r),
    "report.json": reportJson(r),
    "delta_heatmap.svg": await heatmapSvg(r),
    "ablation.md": r.ablation
      ? ablationMarkdown(r.ablation)
      : "No ablation models in these results.\n",
    "ablation.csv": r.ablation ? ablationCsv(r.ablation) : "",
  };
}

/**
 * Writes a result version directory (`results/<profile>/<version>/`): the
 * report files and any `extra` files (relative paths: manifest, per-query
 * values, runs). The new version is built beside the old one and swapped in
 * by renames ({@linkcode writeDirAtomic}), so a failure at any point leaves
 * the complete old or the complete new version, and leftovers of killed runs
 * are removed by the next one.
 *
 * @example
 * ```ts
 * import { type CellResult, writeResultVersion } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await writeResultVersion("results/xquad-r/v1", results, { profile: XQUAD_R, measure: parseMeasure("RR@10") }, {
 *   "manifest.json": "{}\n",
 * });
 * ```
 */
export async function writeResultVersion(
  dir: string,
  results: readonly CellResult[],
  options: ReportOptions,
  extra: Record<string, string | Uint8Array> = {},
): Promise<void> {
  const files = await renderReport(buildReport(results, options));
  await writeDirAtomic(dir, async (tmp) => {
    for (const [name, data] of Object.entries({ ...files, ...extra })) {
      await writeFileAtomic(join(tmp, name), data);
    }
  });
}

/**
 * Rebuilds the report files of a result version from its per-query CSV
 * (gzipped or not) into `outDir`; the measure comes from the CSV header.
 * Returns the report.
 *
 * @example
 * ```ts
 * import { rebuildReport } from "./mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * // Recompute every report file of a committed version from its per-query values.
 * const dir = "results/xquad-r/v0.2.0";
 * await rebuildReport(`${dir}/per_query.csv.gz`, dir, { profile: XQUAD_R });
 * ```
 */
export async function rebuildReport(
  perQueryFile: string,
  outDir: string,
  options: Omit<ReportOptions, "measure">,
): Promise<Report> {
  const raw = await Deno.readFile(perQueryFile);
  const text = new TextDecoder().decode(perQueryFile.endsWith(".gz") ? gunzipSync(raw) : raw);
  const { measure, results } = parsePerQueryCsv(text, perQueryFile);
  const report = buildReport(results, { ...options, measure });
  for (const [name, data] of Object.entries(await renderReport(report))) {
    await writeFileAtomic(join(outDir, name), data);
  }
  return report;
}
