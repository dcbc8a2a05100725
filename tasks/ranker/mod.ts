/**
 * TODO
 *
 * @module
 */

export { ExternalCrossEncoder, type ScoringPair } from "./external_encoder.ts";
export { loadModel, MODEL_FORMAT, type ModelArtifact, saveModel } from "./model_store.ts";
export {
  DEFAULT_CONFIG,
  forwardBatch,
  initParams,
  makeBatch,
  pairBm25,
  type PairWords,
  paramLayout,
  type RankerConfig,
  slotMatrix,
  WordTable,
} from "./ranker.ts";
export { runTrain, type TrainCliOptions, trainParams, trainRanker } from "./train.ts";
