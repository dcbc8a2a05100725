/**
 * Result reports: the main table (method × language pair, mean ± sd over
 * seeds, significance against the baseline after a declared correction) as
 * Markdown and CSV, an SVG heatmap of the delta to the baseline, and a table
 * that checks the paper's headline claims. Everything here is a pure function
 * of typed per-query results: fixed ordering, fixed decimals and no timestamps,
 * so the same results give the same bytes and versions diff cleanly in git.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import * as vega from "vega";
import * as vl from "vega-lite";
import { join } from "node:path";
import type { Profile } from "./profile.ts";
import { writeFileAtomic } from "./atomic.ts";
import {
  alignPaired,
  bootstrapCI,
  correct,
  type Correction,
  pairedTTest,
  signFlipTest,
} from "./significance.ts";

/** Retrieval setting of a result cell. */
export type Setting = "MoIR" | "CLIR" | "MLIR";

/** Canonical method names; use these so tables, claims and diffs line up. */
export const METHODS = {
  bm25: "BM25",
  zeroShot: "Zero-shot",
  blcs: "BL-CS",
  mlcs: "ML-CS",
  wikics: "Wiki-CS",
  ttZeroShot: "TT (Zero-shot)",
  ttMlcs: "TT (ML-CS)",
  fineTuning: "Fine-tuning",
} as const;

/** Row order of the tables; methods not listed follow in string order. */
export const METHOD_ORDER: readonly string[] = Object.values(METHODS);

/** The code-switching methods. */
export const CS_METHODS: readonly string[] = [METHODS.blcs, METHODS.mlcs, METHODS.wikics];

/** The Translate Test methods. */
export const TT_METHODS: readonly string[] = [METHODS.ttZeroShot, METHODS.ttMlcs];

/**
 * Per-query scores of one method on one language pair under one seed.
 *
 * `pair` is the query language for MoIR (`"de"`), `query-doc` for CLIR
 * (`"en-de"`), and `"mlir-seen"` / `"mlir-all"` for MLIR. `perQuery` must hold
 * every evaluated query (use `evaluateRun` with `complete`), keyed by qid.
 */
export interface CellResult {
  /** Method name (see {@linkcode METHODS}). */
  method: string;
  /** Retrieval setting. */
  setting: Setting;
  /** Language pair label. */
  pair: string;
  /** Training seed. */
  seed: number;
  /** qid -> value of the report's measure (RR@10 by default). */
  perQuery: ReadonlyMap<string, number>;
}

/** How seeds are combined: per-query mean over seeds, or the paper's best seed per cell. */
export type SeedChoice = "mean" | "best";

/** Options of the reports. */
export interface ReportOptions {
  /** The profile (column order, seen/unseen languages). */
  profile: Profile;
  /** Label of the measure in captions and CSV (default `MRR@10`). */
  measure?: string;
  /** Baseline method of the tests and deltas (default Zero-shot). */
  baseline?: string;
  /** Correction over the family of all table comparisons (default Bonferroni, as the paper). */
  correction?: Correction;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Seed combination (default `mean`; `best` is the released script's best-of-seeds). */
  seedChoice?: SeedChoice;
  /** Seed of the bootstrap and the sign-flip Monte Carlo (default 0). */
  statsSeed?: number;
  /** Bootstrap resamples per cell (default 10,000). */
  bootstrapResamples?: number;
  /** Sign-flip Monte Carlo samples per cell (default 5,000; 0 skips the test). */
  signFlipSamples?: number;
}

/** One cell of the main table. Values are on the measure's 0-1 scale. */
export interface TableCell {
  /** Method. */
  method: string;
  /** Setting. */
  setting: Setting;
  /** Pair label, or `AVG` for the mean over the setting's pairs. */
  pair: string;
  /** Seeds that went into the cell (for `best`: the chosen one only). */
  seeds: number[];
  /** Mean over seeds of the per-seed mean (for `best`: the best seed's mean). */
  mean: number;
  /** Sample standard deviation over seeds (0 with one seed). */
  sd: number;
  /** Number of queries. */
  n: number;
  /** Comparison with the baseline; absent for the baseline itself or when it is missing. */
  test?: CellTest;
}

/** Significance of one cell against the baseline. */
export interface CellTest {
  /** Mean difference system - baseline over per-query values. */
  delta: number;
  /** 95% percentile bootstrap CI of `delta`. */
  ciLow: number;
  /** Upper CI bound. */
  ciHigh: number;
  /** Raw two-sided paired t-test p-value. */
  p: number;
  /** p after the family-wide correction (AVG cells are not in the family: equals `p`). */
  pCorrected: number;
  /** Sign-flip p-value (NaN when skipped). */
  pSignFlip: number;
  /** `pCorrected < alpha`. */
  significant: boolean;
}

/** A column of the main table. */
export interface Column {
  /** Setting. */
  setting: Setting;
  /** Pair label or `AVG`. */
  pair: string;
}

/** The main table with everything needed to render it. */
export interface MainTable {
  /** Columns in display order, grouped by setting, each setting ending in `AVG`. */
  columns: Column[];
  /** Methods in display order. */
  methods: string[];
  /** Cells keyed by {@linkcode cellKey}. */
  cells: Map<string, TableCell>;
  /** Caption naming measure, seeds, test, correction and family size. */
  caption: string;
  /** Options after defaults. */
  options: Required<ReportOptions>;
}

/** Key of a cell in {@linkcode MainTable.cells}. */
export function cellKey(method: string, setting: Setting, pair: string): string {
  return `${method}\t${setting}\t${pair}`;
}

function withDefaults(o: ReportOptions): Required<ReportOptions> {
  return {
    measure: "MRR@10",
    baseline: METHODS.zeroShot,
    correction: "bonferroni",
    alpha: 0.05,
    seedChoice: "mean",
    statsSeed: 0,
    bootstrapResamples: 10_000,
    signFlipSamples: 5_000,
    ...o,
  };
}

const SETTINGS: readonly Setting[] = ["MoIR", "CLIR", "MLIR"];
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Seeds of one (method, setting, pair) combined into one per-query map. */
interface Combined {
  method: string;
  setting: Setting;
  pair: string;
  seeds: number[];
  seedMeans: number[];
  perQuery: Map<string, number>;
}

function meanOf(values: Iterable<number>): number {
  let s = 0;
  let n = 0;
  for (const v of values) {
    s += v;
    n++;
  }
  return n ? s / n : 0;
}

function sdOf(x: readonly number[]): number {
  if (x.length < 2) return 0;
  const m = meanOf(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
}

/** Groups results by cell and combines seeds; rejects duplicates and mismatched query sets. */
function combineSeeds(results: readonly CellResult[], choice: SeedChoice): Map<string, Combined> {
  const groups = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = cellKey(r.method, r.setting, r.pair);
    const g = groups.get(key) ?? [];
    if (g.some((x) => x.seed === r.seed)) {
      throw new RangeError(
        `duplicate result for ${r.method} ${r.setting} ${r.pair} seed ${r.seed}`,
      );
    }
    g.push(r);
    groups.set(key, g);
  }
  const out = new Map<string, Combined>();
  for (const [key, g] of groups) {
    g.sort((a, b) => a.seed - b.seed);
    const seedMeans = g.map((r) => meanOf(r.perQuery.values()));
    const { method, setting, pair } = g[0];
    if (choice === "best") {
      // Highest mean; the lowest seed wins ties so the choice is stable.
      let best = 0;
      for (let i = 1; i < g.length; i++) if (seedMeans[i] > seedMeans[best]) best = i;
      out.set(key, {
        method,
        setting,
        pair,
        seeds: [g[best].seed],
        seedMeans: [seedMeans[best]],
        perQuery: new Map(g[best].perQuery),
      });
      continue;
    }
    const perQuery = new Map<string, number>();
    for (const q of g[0].perQuery.keys()) {
      let s = 0;
      for (const r of g) {
        const v = r.perQuery.get(q);
        if (v === undefined) {
          throw new RangeError(`${method} ${setting} ${pair}: seed ${r.seed} lacks query "${q}"`);
        }
        s += v;
      }
      perQuery.set(q, s / g.length);
    }
    for (const r of g) {
      if (r.perQuery.size !== perQuery.size) {
        throw new RangeError(`${method} ${setting} ${pair}: seeds score different query sets`);
      }
    }
    out.set(key, { method, setting, pair, seeds: g.map((r) => r.seed), seedMeans, perQuery });
  }
  return out;
}

/** Pair columns of a setting in profile order; pairs the profile does not know follow sorted. */
function pairOrder(profile: Profile, setting: Setting, present: Set<string>): string[] {
  const known = setting === "MoIR"
    ? [...profile.seen, ...profile.unseen]
    : setting === "CLIR"
    ? [...profile.clirSeen, ...profile.clirUnseen].map((p) => `${p.query}-${p.doc}`)
    : ["mlir-seen", "mlir-all"];
  const ordered = known.filter((p) => present.has(p));
  return [...ordered, ...[...present].filter((p) => !known.includes(p)).sort(byString)];
}

function methodOrder(present: Set<string>): string[] {
  const known = METHOD_ORDER.filter((m) => present.has(m));
  return [...known, ...[...present].filter((m) => !METHOD_ORDER.includes(m)).sort(byString)];
}

/** Concatenates per-query maps of several pairs, keyed `pair<TAB>qid`. */
function concatPairs(cells: readonly Combined[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of cells) for (const [q, v] of c.perQuery) out.set(`${c.pair}\t${q}`, v);
  return out;
}

/**
 * Builds the main table: cells per method × pair plus an `AVG` column per
 * setting, and tests of every method against the baseline on per-query values.
 *
 * @example
 * ```ts
 * const table = buildMainTable(results, { profile: XQUAD_R });
 * await Deno.writeTextFile("main.md", mainTableMarkdown(table));
 * ```
 */
export function buildMainTable(results: readonly CellResult[], options: ReportOptions): MainTable {
  const o = withDefaults(options);
  const combined = combineSeeds(results, o.seedChoice);
  const methods = methodOrder(new Set([...combined.values()].map((c) => c.method)));
  const columns: Column[] = [];
  for (const setting of SETTINGS) {
    const present = new Set(
      [...combined.values()].filter((c) => c.setting === setting).map((c) => c.pair),
    );
    if (present.size === 0) continue;
    for (const pair of pairOrder(o.profile, setting, present)) columns.push({ setting, pair });
    columns.push({ setting, pair: "AVG" });
  }

  const cells = new Map<string, TableCell>();
  const family: CellTest[] = [];
  for (const method of methods) {
    for (const { setting, pair } of columns) {
      const isAvg = pair === "AVG";
      const parts = isAvg
        ? columns.filter((c) => c.setting === setting && c.pair !== "AVG")
          .map((c) => combined.get(cellKey(method, setting, c.pair)))
        : [combined.get(cellKey(method, setting, pair))];
      if (parts.some((p) => p === undefined)) continue; // AVG only over complete rows
      const present = parts as Combined[];
      const seeds = [...new Set(present.flatMap((p) => p.seeds))].sort((a, b) => a - b);
      // Per-seed AVG is the mean over pairs of that seed's means.
      const seedMeans = isAvg
        ? present[0].seedMeans.map((_, i) => meanOf(present.map((p) => p.seedMeans[i] ?? NaN)))
        : present[0].seedMeans;
      const cell: TableCell = {
        method,
        setting,
        pair,
        seeds,
        mean: meanOf(seedMeans),
        sd: sdOf(seedMeans),
        n: present.reduce((s, p) => s + p.perQuery.size, 0),
      };
      if (method !== o.baseline) {
        const base = isAvg
          ? columns.filter((c) => c.setting === setting && c.pair !== "AVG")
            .map((c) => combined.get(cellKey(o.baseline, setting, c.pair)))
          : [combined.get(cellKey(o.baseline, setting, pair))];
        if (base.every((b) => b !== undefined)) {
          cell.test = testCell(concatPairs(base as Combined[]), concatPairs(present), o);
          if (!isAvg) family.push(cell.test);
        }
      }
      cells.set(cellKey(method, setting, pair), cell);
    }
  }
  const corrected = correct(family.map((t) => t.p), o.correction);
  family.forEach((t, i) => {
    t.pCorrected = corrected[i];
    t.significant = corrected[i] < o.alpha;
  });
  for (const c of cells.values()) {
    if (c.test && c.pair === "AVG") c.test.significant = c.test.p < o.alpha;
  }
  return { columns, methods, cells, caption: caption(o, results, family.length), options: o };
}

function testCell(
  base: Map<string, number>,
  system: Map<string, number>,
  o: Required<ReportOptions>,
): CellTest {
  const [a, b] = alignPaired(base, system);
  const t = pairedTTest(a, b);
  const ci = bootstrapCI(a, b, { seed: o.statsSeed, resamples: o.bootstrapResamples });
  const pSignFlip = o.signFlipSamples > 0
    ? signFlipTest(a, b, { seed: o.statsSeed, samples: o.signFlipSamples }).p
    : NaN;
  return {
    delta: t.meanDiff,
    ciLow: ci.low,
    ciHigh: ci.high,
    p: t.p,
    pCorrected: t.p,
    pSignFlip,
    significant: false,
  };
}

const CORRECTION_NAMES: Record<Correction, string> = {
  bonferroni: "Bonferroni-corrected",
  holm: "Holm-corrected",
  none: "uncorrected",
};

function caption(o: Required<ReportOptions>, results: readonly CellResult[], m: number): string {
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b).join(", ");
  const values = o.seedChoice === "best"
    ? `best of seeds ${seeds} per cell (the paper's released-script choice); tests use the chosen seed's per-query values`
    : `mean ± sd over seeds ${seeds}; tests use per-query values averaged over seeds`;
  return `${o.measure} × 100 (profile ${o.profile.name}); ${values}. ` +
    `† = significantly different from ${o.baseline}: paired two-sided t-test, ` +
    `${CORRECTION_NAMES[o.correction]} over the ${m} method × pair comparisons, p < ${o.alpha}. ` +
    `AVG = mean over the setting's pairs (its test, on the pooled queries, is uncorrected).`;
}

function fmt100(x: number, decimals: number): string {
  return (Math.round(x * 100 * 10 ** decimals) / 10 ** decimals + 0).toFixed(decimals);
}

function fmtP(p: number): string {
  return Number.isNaN(p) ? "" : p === 0 ? "0" : p.toPrecision(4);
}

function cellText(c: TableCell | undefined, seedChoice: SeedChoice): string {
  if (c === undefined) return "–";
  const sd = seedChoice === "mean" && c.seeds.length > 1 ? ` ± ${fmt100(c.sd, 1)}` : "";
  return `${fmt100(c.mean, 1)}${sd}${c.test?.significant ? "†" : ""}`;
}

/** Renders the main table as Markdown: one table per setting, methods as rows. */
export function mainTableMarkdown(t: MainTable): string {
  const out = [`# Main results`, "", t.caption, ""];
  for (const setting of SETTINGS) {
    const cols = t.columns.filter((c) => c.setting === setting);
    if (cols.length === 0) continue;
    out.push(`## ${setting}`, "");
    out.push(`| Method | ${cols.map((c) => c.pair).join(" | ")} |`);
    out.push(`|---|${cols.map(() => "---:").join("|")}|`);
    for (const m of t.methods) {
      const cells = cols.map((c) =>
        cellText(t.cells.get(cellKey(m, setting, c.pair)), t.options.seedChoice)
      );
      out.push(`| ${m} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** CSV header of {@linkcode mainTableCsv}. */
export const MAIN_CSV_COLUMNS = [
  "method",
  "setting",
  "pair",
  "measure",
  "seeds",
  "mean",
  "sd",
  "n",
  "delta",
  "ci_low",
  "ci_high",
  "p_ttest",
  "p_corrected",
  "significant",
  "p_signflip",
] as const;

/**
 * Renders the main table as CSV, one row per cell in display order; values ×
 * 100 with 2 decimals, p-values with 4 significant digits.
 */
export function mainTableCsv(t: MainTable): string {
  const rows: string[][] = [[...MAIN_CSV_COLUMNS]];
  for (const m of t.methods) {
    for (const { setting, pair } of t.columns) {
      const c = t.cells.get(cellKey(m, setting, pair));
      if (c === undefined) continue;
      const s = c.test;
      rows.push([
        m,
        setting,
        pair,
        t.options.measure,
        c.seeds.join(" "),
        fmt100(c.mean, 2),
        fmt100(c.sd, 2),
        String(c.n),
        s ? fmt100(s.delta, 2) : "",
        s ? fmt100(s.ciLow, 2) : "",
        s ? fmt100(s.ciHigh, 2) : "",
        s ? fmtP(s.p) : "",
        s ? fmtP(s.pCorrected) : "",
        s ? (s.significant ? "yes" : "no") : "",
        s ? fmtP(s.pSignFlip) : "",
      ]);
    }
  }
  return stringify(rows, { record_delimiter: "unix" });
}

/**
 * Renders an SVG heatmap of Δ (system - baseline, × 100) per pair (x) and
 * method (y), headless (vega-lite → vega View → SVG), with element ids
 * renumbered so the bytes do not depend on what was rendered before.
 */
export async function heatmapSvg(t: MainTable): Promise<string> {
  const values: { pair: string; method: string; delta: number; label: string }[] = [];
  const pairs: string[] = [];
  for (const { setting, pair } of t.columns) {
    const label = pair === "AVG" ? `${setting} AVG` : setting === "MoIR" ? `${pair} (MoIR)` : pair;
    let any = false;
    for (const m of t.methods) {
      const test = t.cells.get(cellKey(m, setting, pair))?.test;
      if (!test) continue;
      any = true;
      const d = Number(fmt100(test.delta, 1));
      values.push({
        pair: label,
        method: m,
        delta: d,
        label: `${d > 0 ? "+" : ""}${d.toFixed(1)}`,
      });
    }
    if (any) pairs.push(label);
  }
  const methods = t.methods.filter((m) => values.some((v) => v.method === m));
  const extent = Math.max(1, ...values.map((v) => Math.abs(v.delta)));
  const spec: vl.TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Δ${t.options.measure} × 100 vs ${t.options.baseline}`,
    data: { values },
    config: { font: "sans-serif", axis: { labelFontSize: 10 } },
    encoding: {
      x: { field: "pair", type: "nominal", sort: pairs, title: "language pair" },
      y: { field: "method", type: "nominal", sort: methods, title: null },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: {
            field: "delta",
            type: "quantitative",
            scale: { scheme: "redblue", domain: [-extent, extent] },
            title: "Δ",
          },
        },
      },
      { mark: { type: "text", fontSize: 9 }, encoding: { text: { field: "label" } } },
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return renumberIds(await view.toSVG()) + "\n";
  } finally {
    view.finalize();
  }
}

/** Vega numbers gradients and clips with process-wide counters; renumber per document. */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/id="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `id${ids.size}`);
  }
  return svg.replace(/(id="|url\(#|href="#)([^")]+)/g, (s, p: string, id: string) => {
    const n = ids.get(id);
    return n === undefined ? s : p + n;
  });
}

// ---------------------------------------------------------------- claims

/** Outcome of checking one claim. */
export type Verdict = "supported" | "not supported" | "contradicted" | "not measured";

/** A measured effect behind a claim. */
export interface Effect {
  /** Effect in measure points × 100 (e.g. ΔMRR@10 × 100). */
  value: number;
  /** Two-sided p-value of the paired t-test behind it. */
  p: number;
  /** Paired units (queries × pairs). */
  n: number;
  /** What was compared, e.g. `ML-CS − Zero-shot, CLIR seen pairs`. */
  detail: string;
}

/** What a claim's `measure` can use. */
export interface ClaimContext {
  /** The profile. */
  profile: Profile;
  /** Cells combined over seeds (as in the table). */
  cells: ReadonlyMap<
    string,
    { method: string; setting: Setting; pair: string; perQuery: Map<string, number> }
  >;
  /** Whether a pair label involves one of the profile's unseen languages. */
  hasUnseen(pair: string): boolean;
  /** Pairs of a setting with results for all `methods` (filtered by `keep`). */
  pairs(setting: Setting, methods: readonly string[], keep?: (pair: string) => boolean): string[];
  /** Of `candidates`, the method with the highest mean over `setting`'s pairs shared with the baseline. */
  best(
    candidates: readonly string[],
    setting: Setting,
    keep?: (pair: string) => boolean,
  ): string | undefined;
  /** Paired contrast system − baseline over the queries of `pairs` (pooled). */
  contrast(system: string, baseline: string, setting: Setting, pairs: readonly string[]): Effect;
  /**
   * Per-query difference of two contrasts, each averaged over its pairs:
   * (sysA − baseA over pairsA) − (sysB − baseB over pairsB), tested on queries shared by both.
   */
  gap(
    a: { system: string; baseline: string; setting: Setting; pairs: readonly string[] },
    b: { system: string; baseline: string; setting: Setting; pairs: readonly string[] },
  ): Effect;
}

/** A headline claim of the paper, as data. */
export interface Claim {
  /** Stable id (diff key). */
  id: string;
  /** The claim in words. */
  text: string;
  /** The paper's number(s), as printed. */
  paper: string;
  /** Our measurement, or undefined when the needed methods are missing. */
  measure(ctx: ClaimContext): Effect | undefined;
  /** Verdict from our effect and its corrected p-value. */
  verdict(effect: Effect, pCorrected: number, alpha: number): Verdict;
}

/** Supported when significantly positive, contradicted when significantly negative. */
function positive(e: Effect, p: number, alpha: number): Verdict {
  if (p < alpha) return e.value > 0 ? "supported" : "contradicted";
  return "not supported";
}

const isDistant = (pair: string) => pair.startsWith("ar-");

function csVsZeroShot(
  ctx: ClaimContext,
  setting: Setting,
  keep?: (pair: string) => boolean,
): Effect | undefined {
  const cs = ctx.best(CS_METHODS, setting, keep);
  if (cs === undefined) return undefined;
  return ctx.contrast(
    cs,
    METHODS.zeroShot,
    setting,
    ctx.pairs(setting, [cs, METHODS.zeroShot], keep),
  );
}

/** The paper's headline claims (DESIGN.md), checked by {@linkcode checkClaims}. */
export const CLAIMS: readonly Claim[] = [
  {
    id: "cs-beats-zs-clir",
    text: "Code-switching (best variant) beats Zero-shot in CLIR (seen pairs)",
    paper: "+5.1 MRR@10",
    measure: (ctx) => csVsZeroShot(ctx, "CLIR", (p) => !ctx.hasUnseen(p)),
    verdict: positive,
  },
  {
    id: "cs-beats-zs-mlir",
    text: "Code-switching (best variant) beats Zero-shot in MLIR",
    paper: "+3.9 MRR@10",
    measure: (ctx) => csVsZeroShot(ctx, "MLIR"),
    verdict: positive,
  },
  {
    id: "cs-stable-moir",
    text: "Code-switching keeps MoIR stable (no significant drop vs Zero-shot)",
    paper: "stable",
    measure: (ctx) => {
      // The best CLIR variant among those with MoIR results (BL-CS may be trained for CLIR only).
      const withMoir = CS_METHODS.filter((m) => ctx.pairs("MoIR", [m, METHODS.zeroShot]).length);
      const cs = ctx.best(withMoir, "CLIR");
      if (cs === undefined) return undefined;
      return ctx.contrast(cs, METHODS.zeroShot, "MoIR", ctx.pairs("MoIR", [cs, METHODS.zeroShot]));
    },
    verdict: (e, p, alpha) => (p < alpha && e.value < 0 ? "contradicted" : "supported"),
  },
  {
    id: "gains-largest-distant",
    text:
      "CS gains over Zero-shot are larger for distant pairs (AR-x) than for the other CLIR pairs",
    paper: "AR-IT 7.7→15.6, AR-RU 7.1→14.1",
    measure: (ctx) => {
      const cs = ctx.best(CS_METHODS, "CLIR");
      if (cs === undefined) return undefined;
      const all = ctx.pairs("CLIR", [cs, METHODS.zeroShot], (p) => !ctx.hasUnseen(p));
      const far = all.filter(isDistant);
      const near = all.filter((p) => !isDistant(p));
      if (!far.length || !near.length) return undefined;
      const base = { system: cs, baseline: METHODS.zeroShot, setting: "CLIR" as const };
      return ctx.gap({ ...base, pairs: far }, { ...base, pairs: near });
    },
    verdict: positive,
  },
  {
    id: "tt-little-clir",
    text: "Translate Test gives little over Zero-shot in CLIR (< 3 points)",
    paper: "+0.2 (CLIR), +2.2 (MLIR)",
    measure: (ctx) => {
      const tt = ctx.best(TT_METHODS, "CLIR");
      if (tt === undefined) return undefined;
      return ctx.contrast(tt, METHODS.zeroShot, "CLIR", ctx.pairs("CLIR", [tt, METHODS.zeroShot]));
    },
    verdict: (e) => (e.value < 3 ? "supported" : "not supported"),
  },
  {
    id: "tt-behind-cs",
    text: "Translate Test stays behind code-switching in CLIR",
    paper: "CS > TT",
    measure: (ctx) => {
      const cs = ctx.best(CS_METHODS, "CLIR");
      const tt = ctx.best(TT_METHODS, "CLIR");
      if (cs === undefined || tt === undefined) return undefined;
      return ctx.contrast(cs, tt, "CLIR", ctx.pairs("CLIR", [cs, tt]));
    },
    verdict: positive,
  },
  {
    id: "gains-unseen",
    text: "CS gains over Zero-shot hold for unseen languages (CLIR pairs with an unseen language)",
    paper: "gains on unseen",
    measure: (ctx) => csVsZeroShot(ctx, "CLIR", (p) => ctx.hasUnseen(p)),
    verdict: positive,
  },
  {
    id: "ft-closer-moir",
    text: "Fine-tuning on translated data is closer to CS in MoIR than in CLIR " +
      "(gap FT − CS larger in CLIR)",
    paper: "+4 (MoIR) vs +11.1 (CLIR)",
    measure: (ctx) => {
      const cs = ctx.best(CS_METHODS, "CLIR");
      if (cs === undefined) return undefined;
      const clir = ctx.pairs("CLIR", [METHODS.fineTuning, cs]);
      const moir = ctx.pairs("MoIR", [METHODS.fineTuning, cs]);
      if (!clir.length || !moir.length) return undefined;
      return ctx.gap(
        { system: METHODS.fineTuning, baseline: cs, setting: "CLIR", pairs: clir },
        { system: METHODS.fineTuning, baseline: cs, setting: "MoIR", pairs: moir },
      );
    },
    verdict: positive,
  },
];

/** One row of the claims table. */
export interface ClaimRow {
  /** Claim id. */
  id: string;
  /** Claim text. */
  text: string;
  /** Paper value. */
  paper: string;
  /** Our effect, if measured. */
  effect?: Effect;
  /** Corrected p-value over the measured claims. */
  pCorrected?: number;
  /** Verdict. */
  verdict: Verdict;
}

function buildContext(results: readonly CellResult[], o: Required<ReportOptions>): ClaimContext {
  const cells = combineSeeds(results, o.seedChoice);
  const get = (m: string, s: Setting, p: string) => cells.get(cellKey(m, s, p));
  const pairs = (setting: Setting, methods: readonly string[], keep?: (p: string) => boolean) => {
    const present = new Set(
      [...cells.values()].filter((c) => c.setting === setting).map((c) => c.pair),
    );
    return pairOrder(o.profile, setting, present)
      .filter((p) => (keep ? keep(p) : true) && methods.every((m) => get(m, setting, p)));
  };
  const perQueryMean = (
    system: string,
    baseline: string,
    setting: Setting,
    ps: readonly string[],
  ) => {
    // qid -> mean over pairs of (system - baseline)
    const sum = new Map<string, number>();
    const count = new Map<string, number>();
    for (const p of ps) {
      const [a, b] = [get(baseline, setting, p)!, get(system, setting, p)!];
      alignPaired(a.perQuery, b.perQuery);
      for (const [q, v] of b.perQuery) {
        sum.set(q, (sum.get(q) ?? 0) + v - a.perQuery.get(q)!);
        count.set(q, (count.get(q) ?? 0) + 1);
      }
    }
    return new Map([...sum].map(([q, s]) => [q, s / count.get(q)!]));
  };
  const unseen = new Set(o.profile.unseen);
  return {
    profile: o.profile,
    cells,
    pairs,
    hasUnseen: (pair) => pair.split("-").some((l) => unseen.has(l)),
    best(candidates, setting, keep) {
      let best: string | undefined;
      let bestMean = -Infinity;
      for (const m of candidates) {
        const ps = pairs(setting, [m, o.baseline], keep);
        if (!ps.length) continue;
        const v = meanOf(ps.map((p) => meanOf(get(m, setting, p)!.perQuery.values())));
        if (v > bestMean) [best, bestMean] = [m, v];
      }
      return best;
    },
    contrast(system, baseline, setting, ps) {
      const a = concatPairs(ps.map((p) => get(baseline, setting, p)!));
      const b = concatPairs(ps.map((p) => get(system, setting, p)!));
      const [x, y] = alignPaired(a, b);
      const t = pairedTTest(x, y);
      return {
        value: Number(fmt100(t.meanDiff, 2)),
        p: t.p,
        n: t.n,
        detail: `${system} − ${baseline}, ${setting} ${ps.join(" ")}`,
      };
    },
    gap(ga, gb) {
      const da = perQueryMean(ga.system, ga.baseline, ga.setting, ga.pairs);
      const db = perQueryMean(gb.system, gb.baseline, gb.setting, gb.pairs);
      const shared = [...da.keys()].filter((q) => db.has(q)).sort(byString);
      const d = shared.map((q) => da.get(q)! - db.get(q)!);
      const t = pairedTTest(new Float64Array(d.length), d);
      const side = (g: typeof ga) =>
        `${g.system} − ${g.baseline} on ${g.setting} ${g.pairs.join(" ")}`;
      return {
        value: Number(fmt100(t.meanDiff, 2)),
        p: t.p,
        n: t.n,
        detail: `(${side(ga)}) − (${side(gb)})`,
      };
    },
  };
}

/**
 * Checks the claims against the results; p-values are corrected over the
 * measured claims with the report's correction. Missing methods give
 * "not measured".
 */
export function checkClaims(
  results: readonly CellResult[],
  options: ReportOptions,
  claims: readonly Claim[] = CLAIMS,
): ClaimRow[] {
  const o = withDefaults(options);
  const ctx = buildContext(results, o);
  const effects = claims.map((c) => c.measure(ctx));
  const measured = effects.filter((e): e is Effect => e !== undefined);
  const corrected = correct(measured.map((e) => e.p), o.correction);
  let k = 0;
  return claims.map((c, i) => {
    const effect = effects[i];
    if (effect === undefined) {
      return { id: c.id, text: c.text, paper: c.paper, verdict: "not measured" };
    }
    const pCorrected = corrected[k++];
    return {
      id: c.id,
      text: c.text,
      paper: c.paper,
      effect,
      pCorrected,
      verdict: c.verdict(effect, pCorrected, o.alpha),
    };
  });
}

/** Claims table as Markdown. */
export function claimsMarkdown(rows: readonly ClaimRow[], options: ReportOptions): string {
  const o = withDefaults(options);
  const out = [
    "# Headline claims",
    "",
    `Effects in ${o.measure} × 100 (${
      o.seedChoice === "best" ? "best seed per cell" : "per-query mean over seeds"
    }); ` +
    `paired two-sided t-test, ${CORRECTION_NAMES[o.correction]} over the ${
      rows.filter((r) => r.effect).length
    } measured claims, α = ${o.alpha}.`,
    "",
    "| Claim | Paper | Ours | p (corrected) | Verdict | Compared |",
    "|---|---|---:|---:|---|---|",
  ];
  for (const r of rows) {
    const e = r.effect;
    const ours = e ? `${e.value > 0 ? "+" : ""}${e.value.toFixed(2)}` : "–";
    out.push(
      `| ${r.text} | ${r.paper} | ${ours} | ${e ? fmtP(r.pCorrected!) : "–"} | ${r.verdict} | ${
        e ? e.detail : "–"
      } |`,
    );
  }
  return out.join("\n") + "\n";
}

/** Claims table as CSV. */
export function claimsCsv(rows: readonly ClaimRow[]): string {
  const data = [["id", "claim", "paper", "effect", "n", "p", "p_corrected", "verdict", "compared"]];
  for (const r of rows) {
    const e = r.effect;
    data.push([
      r.id,
      r.text,
      r.paper,
      e ? e.value.toFixed(2) : "",
      e ? String(e.n) : "",
      e ? fmtP(e.p) : "",
      e ? fmtP(r.pCorrected!) : "",
      r.verdict,
      e ? e.detail : "",
    ]);
  }
  return stringify(data, { record_delimiter: "unix" });
}

/** Files of a result version, by name. */
export const RESULT_FILES = [
  "main.md",
  "main.csv",
  "claims.md",
  "claims.csv",
  "delta_heatmap.svg",
] as const;

/**
 * Writes a result version directory (`results/<profile>/<version>/`): main
 * table (Markdown, CSV), claims (Markdown, CSV), the Δ heatmap and any `extra`
 * files (relative paths: manifest, per-query values, runs). The
 * directory is built beside the target and renamed into place, so it is
 * either the old or the complete new version.
 *
 * @example
 * ```ts
 * await writeResultVersion("results/xquad-r/v1", results, { profile: XQUAD_R });
 * ```
 */
export async function writeResultVersion(
  dir: string,
  results: readonly CellResult[],
  options: ReportOptions,
  extra: Record<string, string | Uint8Array> = {},
): Promise<void> {
  const table = buildMainTable(results, options);
  const claims = checkClaims(results, options);
  const files: Record<(typeof RESULT_FILES)[number], string> = {
    "main.md": mainTableMarkdown(table),
    "main.csv": mainTableCsv(table),
    "claims.md": claimsMarkdown(claims, options),
    "claims.csv": claimsCsv(claims),
    "delta_heatmap.svg": await heatmapSvg(table),
  };
  const tmp = `${dir}.tmp-${Deno.pid}`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  try {
    for (const name of RESULT_FILES) await writeFileAtomic(join(tmp, name), files[name]);
    for (const [name, data] of Object.entries(extra)) await writeFileAtomic(join(tmp, name), data);
    await Deno.remove(dir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await Deno.rename(tmp, dir);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}
