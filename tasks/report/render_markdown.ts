/**
 * Markdown renderings of a {@linkcode Report}.
 *
 * @module
 */

import { points, pValue, signedPoints } from "./format.ts";
import type { Report } from "./report.ts";
import type { TableCell } from "./tables.ts";

/** `mean ± sd†` of a cell (× 100, one decimal); `–` when missing. */
function cellText(c: TableCell | undefined): string {
  if (c === undefined) return "–";
  const sd = c.seeds.length > 1 ? ` ± ${points(c.sd, 1)}` : "";
  return `${points(c.mean, 1)}${sd}${c.test?.significant ? "†" : ""}`;
}

/** The main tables as Markdown, one section per setting. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, mainMarkdown } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await Deno.writeTextFile("main.md", mainMarkdown(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function mainMarkdown(r: Report): string {
  const out = ["# Main results", ""];
  for (const t of r.tables) {
    out.push(`## ${t.setting}`, "", t.caption, "");
    out.push(`| Method | ${t.columns.join(" | ")} |`);
    out.push(`|---|${t.columns.map(() => "---:").join("|")}|`);
    for (const row of t.rows) {
      out.push(`| ${row.method} | ${row.cells.map(cellText).join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** `[low, high]` × 100 with 2 decimals; empty when absent. */
export function intervalText(low: number | undefined, high: number | undefined): string {
  return low === undefined || high === undefined
    ? ""
    : `[${signedPoints(low, 2)}, ${signedPoints(high, 2)}]`;
}

/** The claims table as Markdown. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, claimsMarkdown } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * console.log(claimsMarkdown(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function claimsMarkdown(r: Report): string {
  const out = [
    "# Claims",
    "",
    r.claims.caption,
    "",
    "| # | Claim | Compared | Pairs | Variant | Paper | Ours | Interval | p (corr.) | Verdict | Note |",
    "|---|---|---|---|---|---|---:|---|---:|---|---|",
  ];
  for (const c of r.claims.rows) {
    const ours = c.estimate === undefined ? "–" : signedPoints(c.estimate, 2);
    const p = c.pCorrected === undefined ? "–" : pValue(c.pCorrected);
    out.push(
      `| ${c.id} | ${c.text} | ${c.compared} | ${c.pairs || "–"} | ${c.variant} | ${c.paper} | ` +
        `${ours} | ${intervalText(c.low, c.high) || "–"} | ${p} | ${c.verdict} | ${c.note} |`,
    );
  }
  return out.join("\n") + "\n";
}
