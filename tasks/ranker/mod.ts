/**
 * The `model` stage: the neural cross-encoder (KNRM over hashed n-gram
 * embeddings), its CPU trainer, the on-disk model format with ONNX export, and
 * an external ONNX cross-encoder.
 *
 * @example
 * ```ts
 * const model = await trainRanker("train.jsonl", { seed: 1, epochs: 1, outDir: "/tmp/model" });
 * model.dir;
 * ```
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
export {
  runTrain,
  TRAIN_DEFAULTS,
  type TrainCliOptions,
  type TrainOptions,
  trainParams,
  trainRanker,
} from "./train.ts";
