/**
 * `per_query.csv.gz` as text: columns method, setting, pair, seed, qid and the
 * measure's column (e.g. `rr10`), values with 4 decimals. Every report number
 * recomputes from it.
 *
 * @module
 */

import { InputError } from "../util/mod.ts";
import type { Measure } from "../evaluate/mod.ts";
import type { CellResult } from "./cells.ts";
import { measureColumn, measureFromColumn } from "./measure.ts";
import { SETTINGS } from "./methods.ts";

const COLUMNS = ["method", "setting", "pair", "seed", "qid"];
/** Decimals of the per-query values in the file. */
const DECIMALS = 4;

/**
 * Results with every per-query value as the per-query CSV writes it, so a
 * report built from them equals one rebuilt from the file, byte for byte.
 *
 * @example
 * ```ts
 * import { type CellResult, roundAsWritten } from "./mod.ts";
 * const r: CellResult = { method: "BM25", setting: "MoIR", pair: "en", seed: 1, perQuery: new Map([["q1", 1 / 7]]) };
 * roundAsWritten([r])[0].perQuery.get("q1"); // 0.1429
 * ```
 */
export function roundAsWritten(results: readonly CellResult[]): CellResult[] {
  return results.map((r) => ({
    ...r,
    perQuery: new Map([...r.perQuery].map(([q, v]) => [q, Number(v.toFixed(DECIMALS))])),
  }));
}

/** Renders results as the per-query CSV (in result order, no quoting: names hold no commas). *
 * @example
 * ```ts
 * import { type CellResult, perQueryCsv } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * declare const results: CellResult[];
 * const csv = perQueryCsv(results, parseMeasure("RR@10")); // header ends in ",rr10"
 * ```
 */
export function perQueryCsv(results: readonly CellResult[], measure: Measure): string {
  const lines = [[...COLUMNS, measureColumn(measure)].join(",")];
  for (const r of results) {
    if (/[,\n]/.test(r.method + r.pair)) {
      throw new RangeError(`per-query CSV: a comma or newline in ${JSON.stringify(r.method)}`);
    }
    for (const [qid, v] of r.perQuery) {
      lines.push(`${r.method},${r.setting},${r.pair},${r.seed},${qid},${v.toFixed(DECIMALS)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Parses {@linkcode perQueryCsv} output; `file` names the input in errors. *
 * @example
 * ```ts
 * import { parsePerQueryCsv } from "./mod.ts";
 * const { measure, results } = parsePerQueryCsv(
 *   "method,setting,pair,seed,qid,rr10\nBM25,MoIR,en,1,q1,0.5000\n",
 *   "per_query.csv",
 * );
 * measure.name; // "RR@10"
 * ```
 */
export function parsePerQueryCsv(
  text: string,
  file: string,
): { measure: Measure; results: CellResult[] } {
  const lines = text.split("\n");
  const header = lines[0].split(",");
  if (header.length !== 6 || header.slice(0, 5).join() !== COLUMNS.join()) {
    throw new InputError(file, 1, `header ${COLUMNS.join(",")},<measure>`);
  }
  const measure = measureFromColumn(header[5], `${file} header`);
  const byCell = new Map<string, CellResult & { perQuery: Map<string, number> }>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const f = lines[i].split(",");
    const value = Number(f[5]);
    const seed = Number(f[3]);
    const setting = SETTINGS.find((s) => s === f[1]);
    if (f.length !== 6 || !setting || !Number.isInteger(seed) || !Number.isFinite(value)) {
      throw new InputError(file, i + 1, "method,setting,pair,seed,qid,value");
    }
    const key = `${f[0]}\t${setting}\t${f[2]}\t${seed}`;
    let r = byCell.get(key);
    if (r === undefined) {
      r = { method: f[0], setting, pair: f[2], seed, perQuery: new Map() };
      byCell.set(key, r);
    }
    r.perQuery.set(f[4], value);
  }
  return { measure, results: [...byCell.values()] };
}
