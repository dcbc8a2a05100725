/**
 * TODO
 *
 * @module
 */

export {
  type Candidate,
  runScore,
  scoreCandidates,
  type ScoreCliOptions,
  Scorer,
} from "./score.ts";
