/**
 * The `evaluate` stage's measures (trec_eval semantics, measures as data) and
 * the TREC run and qrels formats.
 *
 * @example
 * ```ts
 * const qrels = qrelsFrom([{ qid: "q1", docid: "d1", rel: 1 }]);
 * const run = new Map([["q1", [{ docid: "d1", score: 1 }]]]);
 * evaluateRun(qrels, run, [parseMeasure("RR@10")]).mean.get("RR@10"); // 1
 * ```
 *
 * @module
 */

export {
  type EvaluateCliOptions,
  evaluateRun,
  type Measure,
  parseMeasure,
  RELEVANCE_LEVEL,
  runEvaluate,
} from "./metrics.ts";
export { expectedRandom, type PoolStats, poolStats } from "./pools.ts";
export {
  formatRun,
  isRunFile,
  type Qrels,
  qrelsFrom,
  retagRun,
  type Run,
  writeRun,
} from "./trec.ts";
