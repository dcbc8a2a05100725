/**
 * Paired significance tests over per-query scores: the two-sided paired
 * t-test (as `scipy.stats.ttest_rel(b, a)`), the paired randomization
 * (sign-flip) test on the mean difference (exact for small n, seeded Monte
 * Carlo otherwise), Bonferroni and Holm corrections over a declared family, and
 * a seeded percentile bootstrap CI for the mean difference. Differences are
 * always `b - a` (system minus baseline).
 *
 * @module
 */

import tcdf from "@stdlib/stats-base-dists-t-cdf";
import { Rng } from "./rng.ts";

/** Why a test could not be computed normally (the p-value is then 1, or 0 for a constant shift). */
export type Degenerate = "fewer than 2 pairs" | "all differences zero" | "constant difference";

/** Result of {@linkcode pairedTTest}. */
export interface TTestResult {
  /** Number of pairs. */
  n: number;
  /** Mean of `b - a`. */
  meanDiff: number;
  /** t statistic (±Infinity for a constant non-zero difference, NaN when undefined). */
  t: number;
  /** Degrees of freedom, n - 1. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** Set when the data make the test degenerate. */
  degenerate?: Degenerate;
}

function checkPaired(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  }
  const d = new Float64Array(a.length);
  for (let i = 0; i < d.length; i++) d[i] = b[i] - a[i];
  return d;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length ? s / x.length : 0;
}

/**
 * Paired two-sided t-test of `b` against `a`. Degenerate inputs give p = 1
 * (fewer than 2 pairs, or all differences zero) and p = 0 for a constant
 * non-zero difference, with {@linkcode TTestResult.degenerate} set.
 *
 * @example
 * ```ts
 * pairedTTest([0.1, 0.2, 0.3], [0.2, 0.2, 0.5]).p; // two-sided p-value
 * ```
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTestResult {
  const d = checkPaired(a, b);
  const n = d.length;
  const m = mean(d);
  if (n < 2) return { n, meanDiff: m, t: NaN, df: n - 1, p: 1, degenerate: "fewer than 2 pairs" };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - m) ** 2;
  const df = n - 1;
  if (ss === 0) {
    return m === 0 ? { n, meanDiff: m, t: NaN, df, p: 1, degenerate: "all differences zero" } : {
      n,
      meanDiff: m,
      t: m > 0 ? Infinity : -Infinity,
      df,
      p: 0,
      degenerate: "constant difference",
    };
  }
  const t = m / Math.sqrt(ss / df / n);
  return { n, meanDiff: m, t, df, p: Math.min(1, 2 * tcdf(-Math.abs(t), df)) };
}

/** Options of {@linkcode signFlipTest}. */
export interface SignFlipOptions {
  /** Enumerate all 2^n sign flips up to this n (default 20); Monte Carlo above. */
  exactMaxN?: number;
  /** Monte Carlo resamples (default 10,000). */
  samples?: number;
  /** Seed of the Monte Carlo stream (default 0). */
  seed?: number;
}

/** Result of {@linkcode signFlipTest}. */
export interface SignFlipResult {
  /** Number of pairs. */
  n: number;
  /** Mean of `b - a`. */
  meanDiff: number;
  /** Two-sided p-value for the mean difference. */
  p: number;
  /** True when all 2^n flips were enumerated. */
  exact: boolean;
  /** Number of sign patterns evaluated (2^n, or the Monte Carlo resamples). */
  samples: number;
}

/**
 * Paired randomization test: under H0 each difference's sign is exchangeable.
 * p = share of sign patterns whose |sum| reaches the observed |sum| (exact),
 * or (hits + 1) / (samples + 1) with seeded random patterns (as scipy's
 * `permutation_test`). A tolerance of 1e-10·Σ|d| makes float-level ties count
 * as ties. All differences zero (or n = 0) gives p = 1.
 *
 * @example
 * ```ts
 * signFlipTest(a, b).p; // exact for n <= 20
 * signFlipTest(a, b, { samples: 100_000, seed: 7 }).p; // Monte Carlo for larger n
 * ```
 */
export function signFlipTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: SignFlipOptions = {},
): SignFlipResult {
  const d = checkPaired(a, b);
  const n = d.length;
  const meanDiff = mean(d);
  let absSum = 0;
  let obs = 0;
  for (let i = 0; i < n; i++) {
    absSum += Math.abs(d[i]);
    obs += d[i];
  }
  if (absSum === 0) return { n, meanDiff, p: 1, exact: true, samples: 2 ** n };
  const threshold = Math.abs(obs) - 1e-10 * absSum;
  const exactMaxN = options.exactMaxN ?? 20;
  if (n <= exactMaxN) {
    // Meet in the middle: every pattern's sum is L + R over two halves, each
    // computed from scratch, so rounding error stays at a few ulps.
    const h = n >> 1;
    const left = subsetSums(d.subarray(0, h));
    const right = subsetSums(d.subarray(h));
    let hits = 0;
    for (let i = 0; i < left.length; i++) {
      const l = left[i];
      for (let j = 0; j < right.length; j++) if (Math.abs(l + right[j]) >= threshold) hits++;
    }
    const total = left.length * right.length;
    return { n, meanDiff, p: hits / total, exact: true, samples: total };
  }
  const samples = options.samples ?? 10_000;
  const rng = new Rng(options.seed ?? 0);
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32();
      sum += bits & 1 ? -d[i] : d[i];
      bits >>>= 1;
    }
    if (Math.abs(sum) >= threshold) hits++;
  }
  return { n, meanDiff, p: (hits + 1) / (samples + 1), exact: false, samples };
}

/** Sums of all 2^k sign patterns of `x` (bit i set = x[i] negated). */
function subsetSums(x: Float64Array): Float64Array {
  const out = new Float64Array(2 ** x.length);
  for (let mask = 0; mask < out.length; mask++) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += (mask >>> i) & 1 ? -x[i] : x[i];
    out[mask] = s;
  }
  return out;
}

/** Multiple-comparison corrections supported by {@linkcode correct}. */
export type Correction = "bonferroni" | "holm" | "none";

/** Bonferroni: p · m, capped at 1, for a family of m tests. */
export function bonferroni(p: readonly number[]): number[] {
  return p.map((x) => Math.min(1, x * p.length));
}

/**
 * Holm's step-down adjustment (as `statsmodels` `multipletests(method="holm")`):
 * sorted ascending, p_(i) · (m - i + 1), made monotone, capped at 1; returned in
 * input order.
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

/** Applies a correction to a declared family of p-values. */
export function correct(p: readonly number[], method: Correction): number[] {
  if (method === "bonferroni") return bonferroni(p);
  if (method === "holm") return holm(p);
  return [...p];
}

/** Options of {@linkcode bootstrapCI}. */
export interface BootstrapOptions {
  /** Resamples (default 10,000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed (default 0). */
  seed?: number;
}

/** A confidence interval for a mean. */
export interface Interval {
  /** Lower bound. */
  low: number;
  /** Upper bound. */
  high: number;
}

/**
 * Percentile bootstrap CI of the mean of `b - a` (pairs resampled with
 * replacement; quantiles interpolated linearly as numpy's default).
 * Deterministic for a given seed. Fewer than 1 pair gives NaN bounds.
 */
export function bootstrapCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): Interval {
  const d = checkPaired(a, b);
  const n = d.length;
  if (n === 0) return { low: NaN, high: NaN };
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  const rng = new Rng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rng.int(n)];
    means[r] = s / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { low: quantile(means, alpha), high: quantile(means, 1 - alpha) };
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Everything reported for one system-vs-baseline comparison. */
export interface PairedComparison {
  /** Number of paired queries. */
  n: number;
  /** Mean of the baseline (`a`). */
  meanA: number;
  /** Mean of the system (`b`). */
  meanB: number;
  /** Mean of `b - a`. */
  meanDiff: number;
  /** Paired t-test. */
  tTest: TTestResult;
  /** Sign-flip randomization test. */
  signFlip: SignFlipResult;
  /** Bootstrap CI of the mean difference. */
  ci: Interval;
}

/** Options of {@linkcode comparePaired}. */
export interface CompareOptions {
  /** Seed for the sign-flip Monte Carlo and the bootstrap (default 0). */
  seed?: number;
  /** Sign-flip options (seed defaults to `seed`). */
  signFlip?: SignFlipOptions;
  /** Bootstrap options (seed defaults to `seed`). */
  bootstrap?: BootstrapOptions;
}

/**
 * Runs the t-test, the sign-flip test and the bootstrap CI on per-query
 * scores keyed by qid. Both maps must hold the same qids (evaluate with
 * `complete` so that missing queries are already 0).
 */
export function comparePaired(
  baseline: ReadonlyMap<string, number>,
  system: ReadonlyMap<string, number>,
  options: CompareOptions = {},
): PairedComparison {
  const [a, b] = alignPaired(baseline, system);
  const seed = options.seed ?? 0;
  return {
    n: a.length,
    meanA: mean(a),
    meanB: mean(b),
    meanDiff: mean(b) - mean(a),
    tTest: pairedTTest(a, b),
    signFlip: signFlipTest(a, b, { seed, ...options.signFlip }),
    ci: bootstrapCI(a, b, { seed, ...options.bootstrap }),
  };
}

/**
 * Aligns two per-query maps into arrays in qid string order; throws a
 * RangeError naming a qid present in only one of them.
 */
export function alignPaired(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): [Float64Array, Float64Array] {
  for (const q of b.keys()) {
    if (!a.has(q)) throw new RangeError(`query "${q}" is scored in one sample only`);
  }
  if (a.size !== b.size) {
    const q = [...a.keys()].find((k) => !b.has(k));
    throw new RangeError(`query "${q}" is scored in one sample only`);
  }
  const qids = [...a.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return [Float64Array.from(qids, (q) => a.get(q)!), Float64Array.from(qids, (q) => b.get(q)!)];
}
