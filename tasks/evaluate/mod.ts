/**
 * TODO
 *
 * @module
 */

export { type EvaluateCliOptions, evaluateRun, parseMeasure, runEvaluate } from "./metrics.ts";
export { formatRun, type Qrels, qrelsFrom, type Run, writeRun } from "./trec.ts";
