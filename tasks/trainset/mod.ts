/**
 * TODO
 *
 * @module
 */

export {
  buildTrainingSet,
  buildTrainingSetWithCounts,
  formatInstance,
  runTrainset,
  type TrainsetCliOptions,
  writeTrainingSet,
} from "./trainset.ts";
