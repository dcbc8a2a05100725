/**
 * Per-query results grouped into cells (method × setting × pair), with the
 * seeds of a cell aligned on one query order.
 *
 * @module
 */

import { compareStrings } from "../util/mod.ts";
import { mean } from "../stats/mod.ts";
import type { Setting } from "./methods.ts";

/**
 * Per-query scores of one method on one language pair under one seed.
 *
 * `pair` is the query language for MoIR (`"de"`), `query-doc` for CLIR
 * (`"en-de"`), and `"mlir-seen"` / `"mlir-all"` for MLIR. `perQuery` must hold
 * every evaluated query (use `evaluateRun` with `complete`), keyed by qid.
 *
 * @example
 * ```ts
 * import { type CellResult, METHODS } from "./mod.ts";
 * const r: CellResult = {
 *   method: METHODS.zeroShot,
 *   setting: "CLIR",
 *   pair: "en-de",
 *   seed: 1,
 *   perQuery: new Map([["q1", 1], ["q2", 0.5]]),
 * };
 * ```
 */
export interface CellResult {
  /** Method name (see `METHODS`). */
  method: string;
  /** Retrieval setting. */
  setting: Setting;
  /** Language pair label. */
  pair: string;
  /** Training seed (any constant for methods without one, such as BM25). */
  seed: number;
  /** qid -> value of the report's measure. */
  perQuery: ReadonlyMap<string, number>;
}

/** How seeds are combined: all seeds, or the released script's best seed per cell. *
 * @example
 * ```ts
 * import type { SeedChoice } from "./mod.ts";
 * const choice: SeedChoice = "mean";
 * ```
 */
export type SeedChoice = "mean" | "best";

/** Inconsistent results: a duplicate seed, or seeds that score different queries. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, ResultsError } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * const r: CellResult = { method: "BM25", setting: "MoIR", pair: "en", seed: 1, perQuery: new Map() };
 * try {
 *   buildReport([r, r], { profile: XQUAD_R, measure: parseMeasure("RR@10") });
 * } catch (e) {
 *   if (!(e instanceof ResultsError)) throw e; // duplicate result for BM25 MoIR en seed 1
 * }
 * ```
 */
export class ResultsError extends RangeError {
  /** Creates the error with a message naming the cell. */
  constructor(message: string) {
    super(message);
    this.name = "ResultsError";
  }
}

/** All seeds of one method × setting × pair. */
export interface Cell {
  /** Method. */
  method: string;
  /** Setting. */
  setting: Setting;
  /** Pair label. */
  pair: string;
  /** Seeds, ascending. */
  seeds: number[];
  /** Query ids in string order. */
  qids: string[];
  /** Per seed (in `seeds` order), values in `qids` order. */
  values: Float64Array[];
  /** Per seed, the mean over queries. */
  seedMeans: number[];
}

/** Key of a cell in a {@linkcode CellIndex}. */
export function cellKey(method: string, setting: Setting, pair: string): string {
  return `${method}\t${setting}\t${pair}`;
}

/** Cells by {@linkcode cellKey}. */
export type CellIndex = ReadonlyMap<string, Cell>;

/**
 * Groups results into cells. With `best`, a cell keeps only its seed with the
 * highest mean (the lowest seed on ties). Throws a {@linkcode ResultsError} on
 * duplicate seeds or on seeds of a cell that score different queries.
 */
export function indexCells(results: readonly CellResult[], choice: SeedChoice): CellIndex {
  const groups = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = cellKey(r.method, r.setting, r.pair);
    const g = groups.get(key) ?? [];
    if (g.some((x) => x.seed === r.seed)) {
      throw new ResultsError(
        `duplicate result for ${r.method} ${r.setting} ${r.pair} seed ${r.seed}`,
      );
    }
    g.push(r);
    groups.set(key, g);
  }
  const out = new Map<string, Cell>();
  for (const [key, g] of groups) {
    g.sort((a, b) => a.seed - b.seed);
    const { method, setting, pair } = g[0];
    const qids = [...g[0].perQuery.keys()].sort(compareStrings);
    const values = g.map((r) => {
      if (r.perQuery.size !== qids.length) {
        throw new ResultsError(`${method} ${setting} ${pair}: seeds score different query sets`);
      }
      return Float64Array.from(qids, (q) => {
        const v = r.perQuery.get(q);
        if (v === undefined) {
          throw new ResultsError(`${method} ${setting} ${pair}: seed ${r.seed} lacks query "${q}"`);
        }
        return v;
      });
    });
    const seedMeans = values.map((v) => mean(v));
    let keep = g.map((_, i) => i);
    if (choice === "best") {
      const best = seedMeans.reduce((b, m, i) => (m > seedMeans[b] ? i : b), 0);
      keep = [best];
    }
    out.set(key, {
      method,
      setting,
      pair,
      seeds: keep.map((i) => g[i].seed),
      qids,
      values: keep.map((i) => values[i]),
      seedMeans: keep.map((i) => seedMeans[i]),
    });
  }
  return out;
}
