/**
 * A contrast is a weighted sum of family means, each a method's mean over the
 * pairs of one setting. Per query, every term is first averaged over its
 * pairs (the query is the unit), then the terms are combined; terms whose
 * models are the same training runs (same method or its Translate Test, same
 * seeds) are paired by seed, the others are independent seed groups.
 *
 * @module
 */

import {
  confidenceInterval,
  pairedTTest,
  seededContrast,
  type SeededEstimate,
  type SeedGroup,
  signFlipTest,
} from "../stats/mod.ts";
import { type Cell, type CellIndex, cellKey, ResultsError } from "./cells.ts";
import { modelOf, type Setting } from "./methods.ts";

/** One family mean of a contrast. *
 * @example
 * ```ts
 * import type { Term } from "./mod.ts";
 * // Mean over two pairs, per query, of ML-CS.
 * const t: Term = { method: "ML-CS", setting: "CLIR", pairs: ["en-de", "en-ar"], weight: 1 };
 * ```
 */
export interface Term {
  /** Method. */
  method: string;
  /** Setting. */
  setting: Setting;
  /** Pairs averaged per query. */
  pairs: readonly string[];
  /** Weight of the term. */
  weight: number;
}

/** Statistical options of a contrast. */
export interface ContrastOptions {
  /** Confidence level of the interval. */
  level: number;
  /** Sign-flip Monte Carlo samples (0 skips the test). */
  signFlipSamples: number;
  /** Seed of the sign-flip Monte Carlo. */
  seed: number;
}

/** A measured contrast (on the measure's 0-1 scale). */
export interface Contrast {
  /** Seed-aware estimate (mean over seeds and queries). */
  seeded: SeededEstimate;
  /** Lower bound of the seed-aware interval. */
  low: number;
  /** Upper bound. */
  high: number;
  /** Confidence level of [low, high]. */
  level: number;
  /** Paired t-test over queries on seed-averaged values. */
  pTTest: number;
  /** Sign-flip test over queries on seed-averaged values (NaN when skipped). */
  pSignFlip: number;
}

/** Why a contrast cannot be measured. *
 * @example
 * ```ts
 * import type { Missing } from "./mod.ts";
 * const m: Missing = { missing: "no BL-CS results for MoIR en" };
 * ```
 */
export interface Missing {
  /** E.g. `no BL-CS results for MoIR de`. */
  missing: string;
}

const qidIndex = new WeakMap<Cell, Map<string, number>>();

function indexOf(cell: Cell): Map<string, number> {
  let m = qidIndex.get(cell);
  if (m === undefined) {
    m = new Map(cell.qids.map((q, i) => [q, i]));
    qidIndex.set(cell, m);
  }
  return m;
}

/** Looks up the cells of `terms`; the first missing one is reported. */
function termCells(cells: CellIndex, terms: readonly Term[]): Cell[][] | Missing {
  const out: Cell[][] = [];
  for (const t of terms) {
    const row: Cell[] = [];
    for (const p of t.pairs) {
      const c = cells.get(cellKey(t.method, t.setting, p));
      if (c === undefined) return { missing: `no ${t.method} results for ${t.setting} ${p}` };
      row.push(c);
    }
    if (row.length === 0) return { missing: `no ${t.setting} pairs for ${t.method}` };
    out.push(row);
  }
  return out;
}

/** Measures a contrast over the queries every involved cell scores. */
export function measureContrast(
  cells: CellIndex,
  terms: readonly Term[],
  o: ContrastOptions,
): Contrast | Missing {
  const found = termCells(cells, terms);
  if ("missing" in found) return found;
  const all = found.flat();
  const qids = all.slice(1).reduce(
    (qs, c) => qs.filter((q) => indexOf(c).has(q)),
    all[0].qids,
  );
  if (qids.length === 0) throw new ResultsError("the cells of a contrast share no query");
  const n = qids.length;
  const groups = new Map<string, SeedGroup & { perSeed: Float64Array[] }>();
  terms.forEach((t, ti) => {
    const row = found[ti];
    const S = row[0].seeds.length;
    if (row.some((c) => c.seeds.length !== S)) {
      throw new ResultsError(`${t.method} ${t.setting}: pairs have different numbers of seeds`);
    }
    const labels = row.every((c) => c.seeds.join() === row[0].seeds.join())
      ? row[0].seeds.join()
      : `term ${ti}`; // seeds that differ per pair (best of seeds) pair with nothing
    const key = `${modelOf(t.method)}\t${labels}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { weight: 1, perSeed: Array.from({ length: S }, () => new Float64Array(n)) };
      groups.set(key, g);
    }
    const w = t.weight / row.length;
    for (const c of row) {
      const idx = indexOf(c);
      const pos = qids.map((q) => idx.get(q)!);
      for (let s = 0; s < S; s++) {
        const v = c.values[s];
        const acc = g.perSeed[s];
        for (let q = 0; q < n; q++) acc[q] += w * v[pos[q]];
      }
    }
  });
  const seeded = seededContrast([...groups.values()]);
  const { low, high } = confidenceInterval(seeded, o.level);
  const zeros = new Float64Array(n);
  return {
    seeded,
    low,
    high,
    level: o.level,
    pTTest: pairedTTest(zeros, seeded.perQuery).p,
    pSignFlip: o.signFlipSamples > 0
      ? signFlipTest(zeros, seeded.perQuery, { samples: o.signFlipSamples, seed: o.seed }).p
      : NaN,
  };
}
