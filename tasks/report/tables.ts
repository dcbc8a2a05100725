/**
 * The main tables, one per setting: every method × pair cell with its per-seed
 * means, and the seed-aware test against the baseline. Each table is one test
 * family; the AVG column averages each query over the setting's pairs first.
 *
 * @module
 */

import type { Profile } from "../profiles/mod.ts";
import { compareStrings } from "../util/mod.ts";
import { correct, type Correction, mean, sd } from "../stats/mod.ts";
import { type CellIndex, cellKey } from "./cells.ts";
import { measureContrast } from "./contrast.ts";
import { METHOD_ORDER, parseAblationMethod, type Setting, SETTINGS } from "./methods.ts";
import type { ResolvedOptions } from "./options.ts";

/** Label of the column that averages a setting's pairs. */
export const AVG = "AVG";

/** Seed-aware test of one cell against the baseline (measure's 0-1 scale). *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type CellTest } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * const tests: CellTest[] = report.tables.flatMap((t) =>
 *   t.rows.flatMap((r) => r.cells.flatMap((c) => (c?.test ? [c.test] : [])))
 * );
 * ```
 */
export interface CellTest {
  /** Mean over seeds and queries of system − baseline. */
  delta: number;
  /** Lower bound of the 95% seed-aware interval. */
  low: number;
  /** Upper bound. */
  high: number;
  /** Standard error (queries and seeds). */
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Seed-aware two-sided p-value. */
  p: number;
  /** `p` corrected within the table's family. */
  pCorrected: number;
  /** `pCorrected < alpha`: the † marker. */
  significant: boolean;
  /** Paired t-test over queries on seed-averaged values. */
  pTTest: number;
  /** Sign-flip test over queries on seed-averaged values (NaN when skipped). */
  pSignFlip: number;
}

/** One cell of a table. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type TableCell } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * const cell: TableCell | undefined = report.tables[0].rows[0].cells[0];
 * cell?.seedMeans; // per-seed means
 * ```
 */
export interface TableCell {
  /** Seeds, ascending (for best-of-seeds: the chosen one). */
  seeds: number[];
  /** Per seed, the mean over queries (AVG: over the setting's pairs too). */
  seedMeans: number[];
  /** Mean of `seedMeans`. */
  mean: number;
  /** Sample standard deviation of `seedMeans` (0 with one seed). */
  sd: number;
  /** Number of queries. */
  n: number;
  /** Test against the baseline; absent for the baseline itself. */
  test?: CellTest;
}

/** A row of a table; `cells` follows the table's `columns` (undefined: no result). *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type TableRow } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * const rows: TableRow[] = report.tables[0].rows;
 * ```
 */
export interface TableRow {
  /** Method. */
  method: string;
  /** Cells in column order. */
  cells: (TableCell | undefined)[];
}

/** A named family of tests, corrected together. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type TestFamily } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * const f: TestFamily = report.claims.family; // { name: "claims", size, correction, alpha }
 * ```
 */
export interface TestFamily {
  /** Family name, e.g. `CLIR table`. */
  name: string;
  /** Number of tests. */
  size: number;
  /** Correction applied within the family. */
  correction: Correction;
  /** Family-wise level. */
  alpha: number;
}

/** The table of one setting. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, type SettingTable } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * const report = buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * const clir: SettingTable | undefined = report.tables.find((t) => t.setting === "CLIR");
 * ```
 */
export interface SettingTable {
  /** Setting. */
  setting: Setting;
  /** Pair labels in display order, ending in {@linkcode AVG}. */
  columns: string[];
  /** Rows in method order. */
  rows: TableRow[];
  /** The table's test family. */
  family: TestFamily;
}

/** Pair columns of a setting in profile order; pairs the profile does not know follow sorted. */
function pairOrder(profile: Profile, setting: Setting, present: Set<string>): string[] {
  const known = setting === "MoIR"
    ? [...profile.seen, ...profile.unseen]
    : setting === "CLIR"
    ? [...profile.clirSeen, ...profile.clirUnseen].map((p) => `${p.query}-${p.doc}`)
    : ["mlir-seen", "mlir-all"];
  const ordered = known.filter((p) => present.has(p));
  return [...ordered, ...[...present].filter((p) => !known.includes(p)).sort(compareStrings)];
}

function methodOrder(present: Set<string>): string[] {
  const known = METHOD_ORDER.filter((m) => present.has(m));
  return [...known, ...[...present].filter((m) => !METHOD_ORDER.includes(m)).sort(compareStrings)];
}

/**
 * The cell of `method` in `setting` averaged over `pairs` (each seed's mean is
 * the mean of the pairs' seed means); undefined when a pair has no result.
 *
 * @example
 * ```ts
 * import type { CellIndex } from "./cells.ts";
 * declare const cells: CellIndex;
 * averagedCell(cells, "Zero-shot", "CLIR", ["en-de", "en-ar"])?.mean;
 * ```
 */
export function averagedCell(
  cells: CellIndex,
  method: string,
  setting: Setting,
  pairs: readonly string[],
): TableCell | undefined {
  const parts = pairs.map((p) => cells.get(cellKey(method, setting, p)));
  if (parts.length === 0 || parts.some((c) => c === undefined)) return undefined;
  const seedMeans = parts[0]!.seedMeans.map((_, s) => mean(parts.map((c) => c!.seedMeans[s])));
  return {
    seeds: parts[0]!.seeds,
    seedMeans,
    mean: mean(seedMeans),
    sd: sd(seedMeans),
    n: parts[0]!.qids.length,
  };
}

/**
 * Tests a cell against `baseline` over the same pairs with the seed-aware
 * contrast; sets `cell.test` (p uncorrected until the family is known) and
 * returns it, or undefined when the baseline has no results there.
 *
 * @example
 * ```ts
 * import type { CellIndex } from "./cells.ts";
 * import type { ResolvedOptions } from "./options.ts";
 * declare const cells: CellIndex, o: ResolvedOptions;
 * const where = { method: "ML-CS", setting: "CLIR" as const, pairs: ["en-de"] };
 * const cell = averagedCell(cells, where.method, where.setting, where.pairs)!;
 * testAgainst(cells, cell, where, "Zero-shot", o)?.delta;
 * ```
 */
export function testAgainst(
  cells: CellIndex,
  cell: TableCell,
  where: { method: string; setting: Setting; pairs: readonly string[] },
  baseline: string,
  o: Pick<ResolvedOptions, "signFlipSamples" | "statsSeed">,
): CellTest | undefined {
  const c = measureContrast(cells, [
    { ...where, weight: 1 },
    { method: baseline, setting: where.setting, pairs: where.pairs, weight: -1 },
  ], { level: 0.95, signFlipSamples: o.signFlipSamples, seed: o.statsSeed });
  if ("missing" in c) return undefined;
  cell.n = c.seeded.n;
  cell.test = {
    delta: c.seeded.estimate,
    low: c.low,
    high: c.high,
    se: c.seeded.se,
    df: c.seeded.df,
    p: c.seeded.p,
    pCorrected: c.seeded.p,
    significant: false,
    pTTest: c.pTTest,
    pSignFlip: c.pSignFlip,
  };
  return cell.test;
}

/** Builds one table per setting present in `cells`. */
export function buildTables(cells: CellIndex, o: ResolvedOptions): SettingTable[] {
  const all = [...cells.values()];
  // Ablation models have their own table.
  const methods = methodOrder(
    new Set(all.map((c) => c.method).filter((m) => parseAblationMethod(m) === undefined)),
  );
  const tables: SettingTable[] = [];
  for (const setting of SETTINGS) {
    const present = new Set(all.filter((c) => c.setting === setting).map((c) => c.pair));
    if (present.size === 0) continue;
    const pairs = pairOrder(o.profile, setting, present);
    const tests: CellTest[] = [];
    const rows = methods.map((method): TableRow => ({
      method,
      cells: [...pairs, AVG].map((pair) => {
        const ps = pair === AVG ? pairs : [pair];
        const cell = averagedCell(cells, method, setting, ps); // AVG only over complete rows
        if (cell && method !== o.baseline) {
          const test = testAgainst(cells, cell, { method, setting, pairs: ps }, o.baseline, o);
          if (test) tests.push(test);
        }
        return cell;
      }),
    })).filter((r) => r.cells.some((c) => c !== undefined));
    const corrected = correct(tests.map((t) => t.p), o.correction);
    tests.forEach((t, i) => {
      t.pCorrected = corrected[i];
      t.significant = corrected[i] < o.alpha;
    });
    tables.push({
      setting,
      columns: [...pairs, AVG],
      rows,
      family: {
        name: `${setting} table`,
        size: tests.length,
        correction: o.correction,
        alpha: o.alpha,
      },
    });
  }
  return tables;
}
