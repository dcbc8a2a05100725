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

/**
 * A ranker configuration of the ablation: the cross-lingual prior and the
 * BM25 feature, each on or off.
 *
 * @example
 * ```ts
 * const v: RankerVariant = { prior: false, bm25Feature: true };
 * ```
 */
export interface RankerVariant {
  /** Models start from the cross-lingual prior. */
  prior: boolean;
  /** Models get the BM25 feature. */
  bm25Feature: boolean;
}

/**
 * The four ranker configurations of the ablation, in table order.
 *
 * @example
 * ```ts
 * RANKER_VARIANTS.length; // 4
 * ```
 */
export const RANKER_VARIANTS: readonly RankerVariant[] = [
  { prior: true, bm25Feature: true },
  { prior: true, bm25Feature: false },
  { prior: false, bm25Feature: true },
  { prior: false, bm25Feature: false },
];

/**
 * The methods the ablation varies.
 *
 * @example
 * ```ts
 * ABLATION_METHODS; // ["Zero-shot", "ML-CS"]
 * ```
 */
export const ABLATION_METHODS: readonly string[] = [METHODS.zeroShot, METHODS.mlcs];

/**
 * A variant's readable label.
 *
 * @example
 * ```ts
 * variantLabel({ prior: false, bm25Feature: true }); // "prior off, BM25 feature on"
 * ```
 */
export function variantLabel(v: RankerVariant): string {
  return `prior ${v.prior ? "on" : "off"}, BM25 feature ${v.bm25Feature ? "on" : "off"}`;
}

/**
 * The method name of an ablation model: the method and its variant, e.g.
 * `Zero-shot [prior off; BM25 feature on]` (no comma: method names are CSV
 * fields). Such names stay out of the main tables and claims; the ablation
 * table reads them.
 *
 * @example
 * ```ts
 * ablationMethod("ML-CS", { prior: false, bm25Feature: false });
 * // "ML-CS [prior off; BM25 feature off]"
 * ```
 */
export function ablationMethod(method: string, v: RankerVariant): string {
  return `${method} [${variantLabel(v).replace(", ", "; ")}]`;
}

/**
 * The method and variant of an ablation method name; undefined for any other name.
 *
 * @example
 * ```ts
 * parseAblationMethod("Zero-shot [prior on; BM25 feature off]")?.variant.prior; // true
 * parseAblationMethod("Zero-shot"); // undefined
 * ```
 */
export function parseAblationMethod(
  name: string,
): { method: string; variant: RankerVariant } | undefined {
  const m = /^(.*) \[prior (on|off); BM25 feature (on|off)\]$/.exec(name);
  return m
    ? { method: m[1], variant: { prior: m[2] === "on", bm25Feature: m[3] === "on" } }
    : undefined;
}
