/**
 * The ablation table: Zero-shot and ML-CS under the four ranker
 * configurations ({cross-lingual prior on, off} × {BM25 feature on, off}) on
 * the seen CLIR pairs, the CLIR pairs across scripts and English MoIR. Each
 * variant is tested against the run's own configuration of the same method
 * with the seed-aware contrast of the main tables; the tests form one family.
 *
 * @module
 */

import { correct } from "../stats/mod.ts";
import { crossScript } from "../profiles/mod.ts";
import type { CellIndex } from "./cells.ts";
import { points, pValue, signedPoints } from "./format.ts";
import {
  ABLATION_METHODS,
  ablationMethod,
  METHODS,
  parseAblationMethod,
  RANKER_VARIANTS,
  type RankerVariant,
  type Setting,
  variantLabel,
} from "./methods.ts";
import type { ResolvedOptions } from "./options.ts";
import {
  averagedCell,
  type CellTest,
  type TableCell,
  testAgainst,
  type TestFamily,
} from "./tables.ts";

/**
 * A column of the ablation table: a setting and the pairs it averages.
 *
 * @example
 * ```ts
 * declare const ablationColumn: AblationColumn;
 * ablationColumn.pairs;
 * ```
 */
export interface AblationColumn {
  /** Column label. */
  label: string;
  /** Setting. */
  setting: Setting;
  /** Pairs averaged (each query averaged over them, as AVG columns). */
  pairs: string[];
}

/**
 * A row of the ablation table.
 *
 * @example
 * ```ts
 * declare const ablationRow: AblationRow;
 * ablationRow.variant?.prior;
 * ```
 */
export interface AblationRow {
  /** Method (`Zero-shot`, `ML-CS`, or `BM25` for reference). */
  method: string;
  /** Ranker configuration (absent for BM25). */
  variant?: RankerVariant;
  /** Whether this is the run's own configuration (the reference of the tests). */
  reference: boolean;
  /** Cells in column order; a variant's cells test it against the reference. */
  cells: (TableCell | undefined)[];
}

/**
 * The ablation table.
 *
 * @example
 * ```ts
 * declare const ablationTable: AblationTable;
 * ablationTable.family.size;
 * ```
 */
export interface AblationTable {
  /** Columns. */
  columns: AblationColumn[];
  /** BM25, then per method its reference and the other three variants. */
  rows: AblationRow[];
  /** The family of the variant-vs-reference tests. */
  family: TestFamily;
  /** Caption. */
  caption: string;
}

const same = (a: RankerVariant, b: RankerVariant) =>
  a.prior === b.prior && a.bm25Feature === b.bm25Feature;

/**
 * Builds the ablation table from the cells of a report, or undefined when the
 * results hold no ablation models. The run's own configuration of a method is
 * the one variant without a bracketed name (the combination missing among the
 * bracketed ones).
 *
 * @example
 * ```ts
 * import type { CellIndex } from "./cells.ts";
 * import type { ResolvedOptions } from "./options.ts";
 * declare const cells: CellIndex, o: ResolvedOptions;
 * buildAblation(cells, o)?.rows.length; // 9: BM25 and 4 variants of 2 methods
 * ```
 */
export function buildAblation(cells: CellIndex, o: ResolvedOptions): AblationTable | undefined {
  const all = [...cells.values()];
  const variants = new Map<string, RankerVariant[]>();
  for (const c of all) {
    const a = parseAblationMethod(c.method);
    if (!a) continue;
    const list = variants.get(a.method) ?? [];
    if (!list.some((v) => same(v, a.variant))) list.push(a.variant);
    variants.set(a.method, list);
  }
  if (variants.size === 0) return undefined;
  const present = (setting: Setting) =>
    new Set(all.filter((c) => c.setting === setting).map((c) => c.pair));
  const clir = present("CLIR");
  const seen = o.profile.clirSeen.map((p) => `${p.query}-${p.doc}`).filter((p) => clir.has(p));
  const cross = [...o.profile.clirSeen, ...o.profile.clirUnseen].map((p) => `${p.query}-${p.doc}`)
    .filter((p) => clir.has(p) && crossScript(p));
  const columns: AblationColumn[] = [
    { label: "CLIR seen pairs", setting: "CLIR", pairs: seen },
    { label: "CLIR across scripts", setting: "CLIR", pairs: cross },
    { label: "MoIR en", setting: "MoIR", pairs: present("MoIR").has("en") ? ["en"] : [] },
  ];
  const tests: CellTest[] = [];
  const rows: AblationRow[] = [{
    method: METHODS.bm25,
    reference: false,
    cells: columns.map((col) => averagedCell(cells, METHODS.bm25, col.setting, col.pairs)),
  }];
  for (const method of ABLATION_METHODS) {
    const others = variants.get(method) ?? [];
    const own = RANKER_VARIANTS.filter((v) => !others.some((x) => same(x, v)));
    if (own.length !== 1) continue;
    for (const v of RANKER_VARIANTS) {
      const reference = same(v, own[0]);
      const name = reference ? method : ablationMethod(method, v);
      rows.push({
        method,
        variant: v,
        reference,
        cells: columns.map((col) => {
          const cell = averagedCell(cells, name, col.setting, col.pairs);
          if (cell && !reference) {
            const where = { method: name, setting: col.setting, pairs: col.pairs };
            const test = testAgainst(cells, cell, where, method, o);
            if (test) tests.push(test);
          }
          return cell;
        }),
      });
    }
  }
  const corrected = correct(tests.map((t) => t.p), o.correction);
  tests.forEach((t, i) => {
    t.pCorrected = corrected[i];
    t.significant = corrected[i] < o.alpha;
  });
  const family: TestFamily = {
    name: "ablation table",
    size: tests.length,
    correction: o.correction,
    alpha: o.alpha,
  };
  return {
    columns,
    rows,
    family,
    caption: `Ablation: ${o.measure.name} × 100 (profile ${o.profile.name}), mean over seeds; ` +
      `Δ = variant − the run's own configuration of the method (marked *), with the 95% ` +
      `seed-aware interval; † = differs after ${o.correction} correction within the ablation ` +
      `family (${tests.length} tests). Columns average each query over their pairs: seen CLIR ` +
      `(${seen.join(", ")}), across scripts (${cross.join(", ")}), English MoIR.`,
  };
}

/**
 * The ablation table as Markdown.
 *
 * @example
 * ```ts
 * declare const ablationTable: AblationTable;
 * console.log(ablationMarkdown(ablationTable));
 * ```
 */
export function ablationMarkdown(t: AblationTable): string {
  const cell = (c: TableCell | undefined) => {
    if (!c) return "–";
    const base = points(c.mean, 1);
    if (!c.test) return base;
    const d = c.test;
    return `${base} (Δ ${signedPoints(d.delta, 1)} [${signedPoints(d.low, 1)}, ${
      signedPoints(d.high, 1)
    }]` +
      `${d.significant ? " †" : ""})`;
  };
  const label = (r: AblationRow) =>
    r.variant ? `${r.method}, ${variantLabel(r.variant)}${r.reference ? " *" : ""}` : r.method;
  return [
    `| method | ${t.columns.map((c) => c.label).join(" | ")} |`,
    `|---|${t.columns.map(() => "---:").join("|")}|`,
    ...t.rows.map((r) => `| ${label(r)} | ${r.cells.map(cell).join(" | ")} |`),
    "",
    t.caption,
    "",
  ].join("\n");
}

/**
 * The ablation table as CSV: one row per cell.
 *
 * @example
 * ```ts
 * declare const ablationTable: AblationTable;
 * ablationCsv(ablationTable).split("\n")[0]; // the header
 * ```
 */
export function ablationCsv(t: AblationTable): string {
  const lines = [
    "method,prior,bm25_feature,reference,column,pairs,seeds,mean,sd,n,delta,ci_low,ci_high,p,p_corrected,significant",
  ];
  const n6 = (x: number | undefined) => (x === undefined ? "" : x.toFixed(6));
  for (const r of t.rows) {
    r.cells.forEach((c, i) => {
      if (!c) return;
      const col = t.columns[i];
      lines.push([
        r.method,
        r.variant ? String(r.variant.prior) : "",
        r.variant ? String(r.variant.bm25Feature) : "",
        String(r.reference),
        `"${col.label}"`,
        col.pairs.join(" "),
        c.seeds.join(" "),
        n6(c.mean),
        n6(c.sd),
        String(c.n),
        n6(c.test?.delta),
        n6(c.test?.low),
        n6(c.test?.high),
        c.test ? pValue(c.test.p) : "",
        c.test ? pValue(c.test.pCorrected) : "",
        c.test ? String(c.test.significant) : "",
      ].join(","));
    });
  }
  return lines.join("\n") + "\n";
}
