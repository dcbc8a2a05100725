/**
 * Synthetic per-query results for the report tests: every query has a base
 * value; a method adds a known effect, a per-seed shift and per-query noise.
 *
 * @module
 */

import { parseMeasure } from "../evaluate/mod.ts";
import { XQUAD_R } from "../profiles/mod.ts";
import { Rng } from "../util/mod.ts";
import type { CellResult } from "./cells.ts";
import { METHODS, type Setting } from "./methods.ts";
import type { ReportOptions } from "./options.ts";

/** Shape of the synthetic data. */
export interface SynthSpec {
  /** Queries per cell. */
  queries: number;
  /** Seeds. */
  seeds: number[];
  /** Sd of the per-seed shift. */
  seedSd: number;
  /** Sd of the per-seed, per-query noise. */
  noiseSd: number;
}

/** Per-query values of one method on one pair for every seed; `effect` is added to each query. */
export function synth(
  method: string,
  setting: Setting,
  pair: string,
  effect: number,
  s: SynthSpec,
): CellResult[] {
  const base = new Rng(
    7,
    pair.length * 131 + pair.charCodeAt(0) + pair.charCodeAt(pair.length - 1),
  );
  const values = Array.from({ length: s.queries }, () => 0.5 + 0.2 * base.normal());
  const salt = [...`${method}|${setting}|${pair}`].reduce(
    (h, c) => (h * 31 + c.charCodeAt(0)) >>> 0,
    7,
  );
  return s.seeds.map((seed) => {
    const rng = new Rng(seed, salt);
    const shift = s.seedSd * rng.normal();
    const perQuery = new Map<string, number>();
    values.forEach((v, q) => {
      perQuery.set(`q${String(q).padStart(4, "0")}`, v + effect + shift + s.noiseSd * rng.normal());
    });
    return { method, setting, pair, seed, perQuery };
  });
}

/** Small experiment on xquad-r cells: a few methods, settings and pairs, 3 seeds. */
export function smallFixture(): CellResult[] {
  const spec = { queries: 60, seeds: [1, 2, 3], seedSd: 0.003, noiseSd: 0.05 };
  const effects: Record<string, number> = {
    [METHODS.zeroShot]: 0,
    [METHODS.blcs]: 0.005,
    [METHODS.mlcs]: 0.2,
    [METHODS.ttZeroShot]: 0.03,
  };
  const cells: [Setting, string][] = [
    ["MoIR", "en"],
    ["MoIR", "de"],
    ["CLIR", "en-de"],
    ["CLIR", "ar-ru"],
    ["CLIR", "en-el"],
    ["MLIR", "mlir-seen"],
  ];
  return Object.entries(effects).flatMap(([method, e]) =>
    cells.flatMap(([setting, pair]) =>
      synth(method, setting, pair, setting === "MoIR" ? 0 : e, spec)
    )
  );
}

/** Report options of the tests: xquad-r, RR@10, few sign-flip samples. */
export const OPTIONS: ReportOptions = {
  profile: XQUAD_R,
  measure: parseMeasure("RR@10"),
  signFlipSamples: 200,
};
