/**
 * Scoring: query-candidate pairs through a trained model (ONNX Runtime or the
 * TypeScript forward pass), written as a TREC run.
 *
 * @example
 * ```ts
 * import { loadModel } from "../ranker/mod.ts";
 * const scorer = await Scorer.create(await loadModel("/tmp/model"));
 * await scorer.score([{ qid: "q1", query: "red house", docid: "d1", doc: "the red house" }]);
 * await scorer.release();
 * ```
 *
 * @module
 */

export {
  type Candidate,
  type CandidateScorer,
  type OpenedModel,
  openScorer,
  runScore,
  SCORE_DEFAULTS,
  type ScoreBackend,
  scoreCandidates,
  type ScoreCliOptions,
  Scorer,
  ScorerCache,
} from "./score.ts";
