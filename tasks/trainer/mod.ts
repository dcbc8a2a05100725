/**
 * Transformer cross-encoder trainers: the trainer contract (a job file in, a
 * checked Hugging Face-style ONNX model directory out), the reference PyTorch
 * trainer (`torch/train.py`) and the options that choose between them and the
 * built-in KNRM.
 *
 * @example
 * ```ts
 * const trainer = parseTrainer({ trainer: "torch", baseModel: "models/tiny", steps: "200" }, false);
 * if (trainer) {
 *   await checkTorch(trainer.command[0]);
 *   const r = await trainCrossEncoder("train.jsonl", { trainer, seed: 1, outDir: "/tmp/ce" });
 *   console.log(r.dir, r.check.parityMaxAbsDiff);
 * }
 * ```
 *
 * @module
 */

export { runTrainCommand, type TrainCommandOptions } from "./command.ts";
export {
  checkTrainedModel,
  CONTRACT_VERSION,
  type ModelCheck,
  PARITY_TOLERANCE,
  TRAINED_FILES,
  type TrainerJob,
} from "./contract.ts";
export {
  checkTorch,
  CROSS_ENCODER_DEFAULTS,
  type CrossEncoderHyper,
  type CrossEncoderTrainer,
  findPython,
  parseTrainer,
  TORCH_TRAINER_SCRIPT,
  type TrainerCliOptions,
} from "./options.ts";
export {
  baseModelHash,
  checkBaseModel,
  type CrossEncoderTrained,
  type CrossEncoderTrainOptions,
  initBaseModel,
  trainCrossEncoder,
  trainedMaxLength,
  trainerKey,
} from "./train.ts";
