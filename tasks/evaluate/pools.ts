/**
 * What a candidate pool offers before any ranker sees it: its size, its
 * recall (the share of queries with a relevant document in the pool) and the
 * exact expected value of a measure when the pool is put in a uniformly random
 * order (the *Random* row of the tables: computed, not sampled).
 *
 * @module
 */

import type { Measure } from "./metrics.ts";
import type { Qrels } from "./trec.ts";

/**
 * The exact expectation of `measure` for one query when its `pool` of docids
 * is ranked in a uniformly random order; `judged` maps docids to relevance
 * levels (unjudged documents are not relevant). Relevant documents outside the
 * pool count in the denominators of AP and R, as trec_eval counts them.
 *
 * @example
 * ```ts
 * import { parseMeasure } from "./metrics.ts";
 * // One relevant document among two: RR is 1 or 1/2, each with probability 1/2.
 * expectedRandom(parseMeasure("RR@10"), ["a", "b"], new Map([["a", 1]])); // 0.75
 * ```
 */
export function expectedRandom(
  measure: Measure,
  pool: readonly string[],
  judged: ReadonlyMap<string, number> | undefined,
): number {
  const n = pool.length;
  const { cutoff, rel } = measure.params;
  const depth = Math.min(cutoff, n);
  let inPool = 0;
  let gainInPool = 0;
  for (const d of pool) {
    const level = judged?.get(d) ?? 0;
    if (level >= rel) inPool++;
    if (level > 0) gainInPool += level;
  }
  const levels = [...(judged?.values() ?? [])].filter((l) => l > 0).sort((a, b) => b - a);
  const relevant = levels.filter((l) => l >= rel).length;
  switch (measure.family) {
    case "RR": {
      // P(first relevant at rank i): P(1) = R/N, P(i+1) = P(i) (N - i - R + 1) / (N - i).
      let p = n ? inPool / n : 0;
      let e = 0;
      for (let i = 1; i <= depth && p > 0; i++) {
        e += p / i;
        p *= (n - i - inPool + 1) / (n - i);
      }
      return e;
    }
    case "P":
      return n ? (depth * inPool) / n / cutoff : 0;
    case "R":
      return relevant ? (depth * inPool) / n / relevant : 0;
    case "AP": {
      // E[rel_i · hits in top i] = (R/N) (1 + (i - 1)(R - 1)/(N - 1)).
      if (!relevant || !inPool) return 0;
      let e = 0;
      for (let i = 1; i <= depth; i++) {
        const rest = n > 1 ? ((i - 1) * (inPool - 1)) / (n - 1) : 0;
        e += (inPool / n) * (1 + rest) / i;
      }
      return e / relevant;
    }
    case "nDCG": {
      let ideal = 0;
      for (let i = 0; i < Math.min(cutoff, levels.length); i++) {
        ideal += levels[i] / Math.log2(i + 2);
      }
      if (ideal === 0) return 0;
      let dcg = 0;
      for (let i = 0; i < depth; i++) dcg += gainInPool / n / Math.log2(i + 2);
      return dcg / ideal;
    }
    default:
      throw new RangeError(`no random expectation for the measure family ${measure.family}`);
  }
}

/**
 * Size and recall of the pools of a set of queries.
 *
 * @example
 * ```ts
 * const s: PoolStats = { queries: 2, meanSize: 26.9, minSize: 12, medianSize: 26, maxSize: 50, recall: 0.985 };
 * ```
 */
export interface PoolStats {
  /** Judged queries. */
  queries: number;
  /** Mean candidates per query. */
  meanSize: number;
  /** Smallest pool. */
  minSize: number;
  /** Median pool (the lower middle for an even count). */
  medianSize: number;
  /** Largest pool. */
  maxSize: number;
  /** Share of queries with a relevant document (level >= `rel`) in the pool. */
  recall: number;
}

/**
 * Pool sizes and recall over every judged query (a query without candidates
 * has a pool of size 0).
 *
 * @example
 * ```ts
 * const qrels = new Map([["q1", new Map([["d1", 1]])], ["q2", new Map([["d9", 1]])]]);
 * const pools = new Map([["q1", ["d1", "d2"]], ["q2", ["d3"]]]);
 * poolStats(qrels, pools, 1).recall; // 0.5
 * ```
 */
export function poolStats(
  qrels: Qrels,
  pools: ReadonlyMap<string, readonly string[]>,
  rel: number,
): PoolStats {
  const sizes: number[] = [];
  let found = 0;
  for (const [qid, judged] of qrels) {
    const pool = pools.get(qid) ?? [];
    sizes.push(pool.length);
    if (pool.some((d) => (judged.get(d) ?? 0) >= rel)) found++;
  }
  sizes.sort((a, b) => a - b);
  const q = sizes.length;
  return {
    queries: q,
    meanSize: q ? sizes.reduce((s, x) => s + x, 0) / q : 0,
    minSize: q ? sizes[0] : 0,
    medianSize: q ? sizes[(q - 1) >> 1] : 0,
    maxSize: q ? sizes[q - 1] : 0,
    recall: q ? found / q : 0,
  };
}
