/**
 * Method and setting names shared by tables, claims and diffs, and which
 * methods share trained models (and so are paired by seed).
 *
 * @module
 */

import type { SettingKind } from "../profiles/mod.ts";

/** Retrieval setting of a result cell (the profiles' setting kind). *
 * @example
 * ```ts
 * import type { Setting } from "./mod.ts";
 * const s: Setting = "MLIR";
 * ```
 */
export type Setting = SettingKind;

/** The settings in table order. */
export const SETTINGS: readonly Setting[] = ["MoIR", "CLIR", "MLIR"];

/** Canonical method names; use these so tables, claims and diffs line up. *
 * @example
 * ```ts
 * import { METHODS } from "./mod.ts";
 * METHODS.blcs; // "BL-CS"
 * ```
 */
export const METHODS = {
  random: "Random",
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

/**
 * The trained models behind a method: Translate Test scores translated inputs
 * with the Zero-shot or ML-CS model of the same seed, so their seeds pair.
 */
export function modelOf(method: string): string {
  if (method === METHODS.ttZeroShot) return METHODS.zeroShot;
  if (method === METHODS.ttMlcs) return METHODS.mlcs;
  return method;
}
