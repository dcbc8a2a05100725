/**
 * The `model` stage: the neural cross-encoder (KNRM over hashed n-gram
 * embeddings), its CPU trainer, the on-disk model format with ONNX export, and
 * external (Hugging Face layout) ONNX cross-encoders and their tokenizer.
 *
 * @example
 * ```ts
 * const model = await trainRanker("train.jsonl", { seed: 1, epochs: 1, outDir: "/tmp/model" });
 * model.dir;
 * ```
 *
 * @module
 */

export { adamStep, RowGrads } from "./adam.ts";
export {
  type EncodedPair,
  ExternalCrossEncoder,
  isHfModelDir,
  PairEncoder,
  type ScoringPair,
} from "./external_encoder.ts";
export {
  isModelDir,
  loadModel,
  MODEL_FORMAT,
  type ModelArtifact,
  saveModel,
} from "./model_store.ts";
export { DEFAULT_CONFIG, initParams, paramLayout, type RankerConfig } from "./config.ts";
export { forwardBatch } from "./forward.ts";
export { makeBatch, pairBm25, type PairWords, slotMatrix, wordSlots, WordTable } from "./words.ts";
export { openOnnxSession } from "./onnx_session.ts";
export {
  runTrain,
  TRAIN_DEFAULTS,
  type TrainCliOptions,
  type TrainOptions,
  trainParams,
  trainRanker,
} from "./train.ts";
