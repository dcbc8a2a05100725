/**
 * Test helpers: the SciPy golden files in `../shared/golden` (relative to the
 * repository root) and a relative closeness assertion.
 *
 * @module
 */

import assert from "node:assert/strict";

/** A golden paired test case of `significance.json`. */
export interface GoldenPaired {
  n: number;
  a: number[];
  b: number[];
  ttest_rel_b_vs_a: { statistic: number; pvalue_two_sided: number };
  exact_sign_flip_mean_diff?: { pvalue_two_sided: number };
}

/** `significance.json`. */
export interface SignificanceGolden {
  paired_tests: GoldenPaired[];
  corrections: { pvalues: number[]; bonferroni: number[]; holm: number[] };
}

/** A golden TOST case of `equivalence.json`. */
export interface GoldenTost {
  n: number;
  margin: number;
  a: number[];
  b: number[];
  mean_diff_b_minus_a: number;
  lower_test: { statistic: number; pvalue: number };
  upper_test: { statistic: number; pvalue: number };
  tost_pvalue: number;
}

const GOLDEN = new URL("../../../shared/golden/", import.meta.url);

/** Reads `significance.json`. */
export async function significanceGolden(): Promise<SignificanceGolden> {
  return JSON.parse(await Deno.readTextFile(new URL("significance.json", GOLDEN)));
}

/** Reads the TOST cases of `equivalence.json`. */
export async function equivalenceGolden(): Promise<GoldenTost[]> {
  return JSON.parse(await Deno.readTextFile(new URL("equivalence.json", GOLDEN))).tost_paired;
}

/** |x - y| within `rel` relative (or 1e-300 absolute for tiny p-values). */
export function assertClose(x: number, y: number, label: string, rel = 1e-12): void {
  assert.ok(
    Math.abs(x - y) <= rel * Math.max(Math.abs(y), 1e-300),
    `${label}: got ${x}, expected ${y}`,
  );
}
