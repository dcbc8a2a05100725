/**
 * Family-wise corrections of p-values: Holm (the default) and Bonferroni.
 *
 * @module
 */

/** Multiple-comparison corrections supported by {@linkcode correct}. *
 * @example
 * ```ts
 * import { correct, type Correction } from "./mod.ts";
 * const c: Correction = "holm";
 * correct([0.01, 0.04], c); // [0.02, 0.04]
 * ```
 */
export type Correction = "holm" | "bonferroni";

/** Bonferroni: p · m, capped at 1, for a family of m tests. *
 * @example
 * ```ts
 * import { bonferroni } from "./mod.ts";
 * bonferroni([0.01, 0.04]); // [0.02, 0.08]
 * ```
 */
export function bonferroni(p: readonly number[]): number[] {
  return p.map((x) => Math.min(1, x * p.length));
}

/**
 * Holm's step-down adjustment (as `statsmodels` `multipletests(method="holm")`):
 * sorted ascending, p_(i) · (m - i + 1), made monotone, capped at 1; returned in
 * input order.
 *
 * @example
 * ```ts
 * import { holm } from "./mod.ts";
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holm(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((i, j) => p[i] - p[j] || i - j);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, p[idx] * (m - rank)));
    out[idx] = running;
  });
  return out;
}

/** Applies a correction to a declared family of p-values. *
 * @example
 * ```ts
 * import { correct } from "./mod.ts";
 * correct([0.01, 0.04], "bonferroni"); // [0.02, 0.08]
 * ```
 */
export function correct(p: readonly number[], method: Correction): number[] {
  return method === "bonferroni" ? bonferroni(p) : holm(p);
}
