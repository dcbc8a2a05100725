/**
 * LaTeX (booktabs) renderings of a {@linkcode Report}.
 *
 * @module
 */

import { points, pValue, signedPoints } from "./format.ts";
import { intervalText } from "./render_markdown.ts";
import type { Report } from "./report.ts";
import type { TableCell } from "./tables.ts";

const SYMBOLS: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  "$": "\\$",
  "#": "\\#",
  "_": "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "†": "$^\\dagger$",
  "±": "$\\pm$",
  "−": "$-$",
  "→": "$\\rightarrow$",
  "×": "$\\times$",
  "≥": "$\\geq$",
  "<": "$<$",
  ">": "$>$",
  "²": "$^2$",
};

/** Escapes text for LaTeX, mapping the report's symbols to math mode. */
function latexEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^†±−→×≥²<>]/g, (c) => SYMBOLS[c]);
}

function cell(c: TableCell | undefined): string {
  if (c === undefined) return "--";
  const sd = c.seeds.length > 1 ? `\\,{\\scriptsize$\\pm$${points(c.sd, 1)}}` : "";
  return `${points(c.mean, 1)}${sd}${c.test?.significant ? "$^\\dagger$" : ""}`;
}

/** The main tables as LaTeX `table` environments (booktabs), one per setting. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, mainLatex } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await Deno.writeTextFile("main.tex", mainLatex(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function mainLatex(r: Report): string {
  const out: string[] = [];
  for (const t of r.tables) {
    out.push(
      "\\begin{table}[t]",
      "\\centering",
      "\\small",
      `\\caption{${latexEscape(t.caption)}}`,
      `\\begin{tabular}{l${"r".repeat(t.columns.length)}}`,
      "\\toprule",
      `Method & ${t.columns.map(latexEscape).join(" & ")} \\\\`,
      "\\midrule",
      ...t.rows.map((row) =>
        `${latexEscape(row.method)} & ${row.cells.map(cell).join(" & ")} \\\\`
      ),
      "\\bottomrule",
      "\\end{tabular}",
      "\\end{table}",
      "",
    );
  }
  return out.join("\n");
}

/** The claims table as a LaTeX `table` environment (booktabs). *
 * @example
 * ```ts
 * import { buildReport, type CellResult, claimsLatex } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await Deno.writeTextFile("claims.tex", claimsLatex(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export function claimsLatex(r: Report): string {
  const rows = r.claims.rows.map((c) =>
    [
      c.id,
      latexEscape(c.text),
      latexEscape(c.compared),
      latexEscape(c.paper),
      c.estimate === undefined ? "--" : latexEscape(signedPoints(c.estimate, 2)),
      latexEscape(intervalText(c.low, c.high)),
      c.pCorrected === undefined ? "--" : pValue(c.pCorrected),
      latexEscape(c.verdict),
    ].join(" & ") + " \\\\"
  );
  return [
    "\\begin{table}[t]",
    "\\centering",
    "\\small",
    `\\caption{${latexEscape(r.claims.caption)}}`,
    "\\begin{tabular}{lp{5cm}p{3.5cm}lrlrl}",
    "\\toprule",
    "\\# & Claim & Compared & Paper & Ours & Interval & $p$ (corr.) & Verdict \\\\",
    "\\midrule",
    ...rows,
    "\\bottomrule",
    "\\end{tabular}",
    "\\end{table}",
    "",
  ].join("\n");
}
