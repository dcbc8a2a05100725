/**
 * The paired randomization (sign-flip) test on the mean difference: exact for
 * small n, seeded Monte Carlo otherwise.
 *
 * @module
 */

import { Rng } from "../util/mod.ts";
import { differences, mean } from "./describe.ts";

/** Options of {@linkcode signFlipTest}. *
 * @example
 * ```ts
 * import { type SignFlipOptions, signFlipTest } from "./mod.ts";
 * const o: SignFlipOptions = { samples: 5_000, seed: 1 };
 * signFlipTest([0, 0.5], [1, 0.5], o);
 * ```
 */
export interface SignFlipOptions {
  /** Enumerate all 2^n sign flips up to this n (default 20); Monte Carlo above. */
  exactMaxN?: number;
  /** Monte Carlo resamples (default 10,000). */
  samples?: number;
  /** Seed of the Monte Carlo stream (default 0). */
  seed?: number;
}

/** Result of {@linkcode signFlipTest}. *
 * @example
 * ```ts
 * import { type SignFlipResult, signFlipTest } from "./mod.ts";
 * const r: SignFlipResult = signFlipTest([0, 0.5], [1, 0.5]); // r.exact === true
 * ```
 */
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
 * import { signFlipTest } from "./mod.ts";
 * const a = [0.1, 0.5, 0.2, 1];
 * const b = [0.3, 0.5, 0.4, 1];
 * signFlipTest(a, b).p; // exact for n <= 20
 * signFlipTest(a, b, { exactMaxN: 0, samples: 100_000, seed: 7 }).p; // Monte Carlo
 * ```
 */
export function signFlipTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: SignFlipOptions = {},
): SignFlipResult {
  const d = differences(a, b);
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
  // Bit i of the pattern negates d[i], bits drawn 32 at a time: each byte of a
  // draw picks one of 256 precomputed signed sums of 8 differences, so a
  // pattern costs n / 8 lookups instead of n branches.
  const table = byteSums(d);
  const blocks = table.length >> 8;
  const words = Math.ceil(n / 32);
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let w = 0, block = 0; w < words; w++) {
      const bits = rng.nextUint32();
      for (let k = 0; k < 4 && block < blocks; k++, block++) {
        sum += table[(block << 8) | ((bits >>> (8 * k)) & 255)];
      }
    }
    if (Math.abs(sum) >= threshold) hits++;
  }
  return { n, meanDiff, p: (hits + 1) / (samples + 1), exact: false, samples };
}

/**
 * For each block of 8 differences, the signed sums of all 256 sign patterns
 * (bit j set = d[8·block + j] negated), blocks laid out 256 apart.
 */
function byteSums(d: Float64Array): Float64Array {
  const blocks = Math.ceil(d.length / 8);
  const out = new Float64Array(blocks << 8);
  for (let b = 0; b < blocks; b++) {
    const part = d.subarray(8 * b, Math.min(d.length, 8 * b + 8));
    out.set(subsetSums(part).subarray(0, 256), b << 8);
    // A short last block: bits past the end leave the sum unchanged.
    for (let mask = 1 << part.length; mask < 256; mask++) {
      out[(b << 8) | mask] = out[(b << 8) | (mask & ((1 << part.length) - 1))];
    }
  }
  return out;
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
