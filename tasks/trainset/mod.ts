/**
 * The `trainset` stage: the English training set (SQuAD question -> answer
 * sentence, 1 positive : 4 negatives), written as JSON lines.
 *
 * @example
 * ```ts
 * await runTrainset("/tmp/train.jsonl", {
 *   seed: "1",
 *   negatives: "4",
 *   fromParagraph: "2",
 *   pool: "100",
 *   maxQuestions: "100",
 *   mirror: "../shared/mirror",
 *   offline: true,
 * });
 * ```
 *
 * @module
 */

export {
  buildTrainingSet,
  buildTrainingSetWithCounts,
  runTrainset,
  TRAINSET_DEFAULTS,
  type TrainsetCliOptions,
} from "./trainset.ts";
