/**
 * The report value: the main tables and the claims table with their captions,
 * computed once and rendered to Markdown, CSV, JSON, LaTeX and SVG.
 *
 * @module
 */

import { confidenceInterval, correct, tost } from "../stats/mod.ts";
import { type CellIndex, type CellResult, indexCells, type SeedChoice } from "./cells.ts";
import { type AblationTable, buildAblation } from "./ablation.ts";
import { type Claim, CLAIMS, claimScope } from "./claims.ts";
import { measureContrast } from "./contrast.ts";
import { percent, points } from "./format.ts";
import { measureLabel } from "./measure.ts";
import { type ReportOptions, type ResolvedOptions, resolveOptions } from "./options.ts";
import { buildTables, type SettingTable, type TestFamily } from "./tables.ts";
import { type Verdict, verdictOf } from "./verdicts.ts";

/** One row of the claims table (effects on the measure's 0-1 scale). *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type ClaimRow } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const rows: ClaimRow[] = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") }).claims.rows;
 * ```
 */
export interface ClaimRow {
  /** Claim id. */
  id: string;
  /** Claim text. */
  text: string;
  /** Compared methods. */
  compared: string;
  /** Setting(s). */
  setting: string;
  /** Pairs, as printed. */
  pairs: string;
  /** Variant declared in advance. */
  variant: string;
  /** Paper's figure as printed. */
  paper: string;
  /** Paper's effect (undefined: a direction only). */
  paperEffect?: number;
  /** Paper's direction. */
  direction: 1 | -1;
  /** `difference` or `equivalence`. */
  test: "difference" | "equivalence";
  /** Our estimate, when measured. */
  estimate?: number;
  /** Lower bound of the family-adjusted interval. */
  low?: number;
  /** Upper bound. */
  high?: number;
  /** Number of queries. */
  n?: number;
  /** Seed-aware p-value (TOST p for equivalence claims). */
  p?: number;
  /** `p` corrected within the claims family. */
  pCorrected?: number;
  /** Paired t-test over queries on seed-averaged values (two-sided). */
  pTTest?: number;
  /** Verdict. */
  verdict: Verdict;
  /** Why not measurable, or how the verdict is read. */
  note: string;
}

/** The claims table. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type ClaimsTable } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * const claims: ClaimsTable = report.claims;
 * claims.level; // 1 - alpha / number of claims measured
 * ```
 */
export interface ClaimsTable {
  /** The claims test family. */
  family: TestFamily;
  /** Level of every interval (Bonferroni-adjusted so the intervals hold jointly). */
  level: number;
  /** Rows in claim order. */
  rows: ClaimRow[];
  /** Caption. */
  caption: string;
}

/** Everything a result version reports. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type Report } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const r: Report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * r.tables.map((t) => t.family.size); // tests per setting family
 * ```
 */
export interface Report {
  /** Profile name. */
  profile: string;
  /** Label of the measure, e.g. `MRR@10`. */
  measure: string;
  /** Baseline of the tables. */
  baseline: string;
  /** Seeds in the results. */
  seeds: number[];
  /** Seed combination. */
  seedChoice: SeedChoice;
  /** Equivalence margin (0-1 scale). */
  margin: number;
  /** Main tables, one per setting. */
  tables: (SettingTable & { caption: string })[];
  /** Claims. */
  claims: ClaimsTable;
  /** The ablation table, when the results hold ablation models. */
  ablation?: AblationTable;
}

const BEST_OF_SEEDS = "exploratory, no verdict: best-of-seeds chooses seeds on the test data";

/** Verdict and note of a measured claim. */
function measuredVerdict(
  c: Claim,
  estimate: number,
  low: number,
  high: number,
  pCorrected: number,
  o: ResolvedOptions,
): { verdict: Verdict; note: string } {
  return {
    verdict: verdictOf({ ...c, estimate, low, high, pCorrected, alpha: o.alpha }),
    note: c.test === "equivalence"
      ? `TOST at ±${points(o.margin, 1)}`
      : c.paperEffect === undefined
      ? "the paper gives a direction only"
      : "",
  };
}

const CORRECTION_NAMES = { holm: "Holm", bonferroni: "Bonferroni" } as const;

function familyText(f: TestFamily): string {
  return `${CORRECTION_NAMES[f.correction]}-corrected within the family "${f.name}" ` +
    `(${f.size} tests), p < ${f.alpha}`;
}

function seedText(seeds: number[], choice: SeedChoice): string {
  return choice === "best"
    ? `best of seeds ${seeds.join(", ")} per cell (the released script's choice, made on test ` +
      `data: exploratory; tests use the chosen seed only, so seed variance is not in them)`
    : `mean ± sd over seeds ${seeds.join(", ")}`;
}

/**
 * Builds the report: tables (one family per setting) and `claims` (one
 * family), Holm (or Bonferroni) within each family.
 *
 * @example
 * ```ts
 * import { buildReport, type CellResult } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { ...{ profile: XQUAD_R, measure: parseMeasure("RR@10") }, correction: "holm" });
 * report.claims.rows.map((c) => `${c.id}: ${c.verdict}`);
 * ```
 */
export function buildReport(
  results: readonly CellResult[],
  options: ReportOptions,
  claims: readonly Claim[] = CLAIMS,
): Report {
  const o = resolveOptions(options);
  const cells = indexCells(results, o.seedChoice);
  const label = measureLabel(o.measure);
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  const seedsText = seedText(seeds, o.seedChoice);
  const tables = buildTables(cells, o).map((t) => ({
    ...t,
    caption: `${t.setting}: ${label} × 100 (profile ${o.profile.name}); ${seedsText}. ` +
      `† = differs from ${o.baseline} by the seed-aware test (variance over queries and seeds, ` +
      `Welch–Satterthwaite t), ${familyText(t.family)}. The query is the unit: AVG averages ` +
      `each query over the setting's pairs, then tests across queries. The CSV and JSON add ` +
      `per-seed means, the 95% interval, and the paired t-test and sign-flip test over queries ` +
      `on seed-averaged values.`,
  }));
  return {
    profile: o.profile.name,
    measure: label,
    baseline: o.baseline,
    seeds,
    seedChoice: o.seedChoice,
    margin: o.margin,
    tables,
    claims: claimsTable(cells, o, label, seedsText, claims),
    ...optional(buildAblation(cells, o)),
  };
}

/** `{ ablation }` when there is one, so reports without it keep their bytes. */
const optional = (ablation: AblationTable | undefined) => (ablation ? { ablation } : {});

function claimsTable(
  cells: CellIndex,
  o: ResolvedOptions,
  label: string,
  seedsText: string,
  claims: readonly Claim[],
): ClaimsTable {
  const scope = claimScope(o.profile);
  const measured = claims.map((c) => {
    const m = c.measure(scope);
    if ("missing" in m) return { claim: c, pairs: "", missing: m.missing };
    const r = measureContrast(cells, m.terms, { level: 0.95, signFlipSamples: 0, seed: 0 });
    if ("missing" in r) return { claim: c, pairs: m.pairs, missing: r.missing };
    const p = c.test === "equivalence" ? tost(r.seeded, o.margin).p : r.seeded.p;
    return { claim: c, pairs: m.pairs, contrast: r, p };
  });
  const tested = measured.filter((m) => m.contrast !== undefined);
  const corrected = correct(tested.map((m) => m.p!), o.correction);
  const family: TestFamily = {
    name: "claims",
    size: tested.length,
    correction: o.correction,
    alpha: o.alpha,
  };
  const level = 1 - o.alpha / Math.max(1, tested.length);
  const margin = points(o.margin, 1);
  const rows = measured.map((m): ClaimRow => {
    const c = m.claim;
    const base = {
      id: c.id,
      text: c.text,
      compared: c.compared,
      setting: c.setting,
      pairs: m.pairs,
      variant: c.variant,
      paper: c.paper,
      paperEffect: c.paperEffect,
      direction: c.direction,
      test: c.test,
    };
    if (m.contrast === undefined) {
      const note = c.caveat ? `${m.missing}: ${c.caveat}` : m.missing;
      return { ...base, verdict: "not measurable here", note };
    }
    const pCorrected = corrected[tested.indexOf(m)];
    const { low, high } = confidenceInterval(m.contrast.seeded, level);
    const estimate = m.contrast.seeded.estimate;
    return {
      ...base,
      estimate,
      low,
      high,
      n: m.contrast.seeded.n,
      p: m.p,
      pCorrected,
      pTTest: m.contrast.pTTest,
      ...(o.seedChoice === "best"
        ? { verdict: "not measurable here", note: BEST_OF_SEEDS }
        : measuredVerdict(c, estimate, low, high, pCorrected, o)),
    };
  });
  const caption = `Claims: effects in ${label} × 100 (profile ${o.profile.name}; the paper's ` +
    `figures are on mMARCO); ${seedsText}. Each effect averages every query over the listed ` +
    `pairs first, then tests across queries (the query is the unit). Intervals: ` +
    `${percent(level)}% seed-aware (Bonferroni-adjusted over the ${tested.length} claims, so ` +
    `they hold jointly). p: seed-aware two-sided test, or for equivalence claims TOST at ` +
    `±${margin} points; ${familyText(family)}. Verdicts: reproduced = significant in the ` +
    `paper's direction and the interval holds the paper's effect; weaker / stronger than ` +
    `reported = significant, same direction, interval below / above it; not reproduced = not ` +
    `significant; contradicted = significant, opposite direction. Distant pairs: ` +
    `${o.profile.distance.criterion}.`;
  return { family, level, rows, caption };
}
