/**
 * The `train` command for every trainer: the built-in KNRM, or a transformer
 * cross-encoder with `--trainer torch` or a trainer command, where `--steps`,
 * `--batch` and `--lr` are the transformer's.
 *
 * @module
 */

import { join } from "node:path";
import { isModelDir, runTrain, TRAIN_DEFAULTS, type TrainCliOptions } from "../ranker/mod.ts";
import {
  fileExists,
  guardExisting,
  OptionError,
  parseIntOption,
  refuseInputAsOutput,
} from "../util/mod.ts";
import { checkTorch, parseTrainer, type TrainerCliOptions } from "./options.ts";
import { checkBaseModel, trainCrossEncoder } from "./train.ts";

/**
 * Options of `train`: KNRM's, and the transformer trainers' (their batch and
 * learning rate are `--batch` and `--lr` here).
 *
 * @example
 * ```ts
 * const o: TrainCommandOptions = { data: "train.jsonl", out: "models/ce", trainer: "torch", baseModel: "models/tiny" };
 * ```
 */
export type TrainCommandOptions =
  & TrainCliOptions
  & Omit<TrainerCliOptions, "steps" | "trainerBatch" | "trainerLr">;

/** Whether `dir` is a model directory a transformer trainer wrote through the harness. */
async function isTrainedModelDir(dir: string): Promise<boolean> {
  return await fileExists(join(dir, "trainer.json")) && await fileExists(join(dir, "model.onnx"));
}

/**
 * Runs `train`; returns the summary line it prints.
 *
 * @example
 * ```ts
 * console.log(await runTrainCommand({
 *   data: "train.jsonl",
 *   out: "models/ce",
 *   trainer: "torch",
 *   baseModel: "models/tiny",
 *   steps: "300",
 * }));
 * ```
 */
export async function runTrainCommand(o: TrainCommandOptions): Promise<string> {
  if ((o.trainer ?? "knrm").trim() === "knrm") {
    // Rejects the transformer trainers' own options; --steps, --batch and --lr are KNRM's here.
    parseTrainer({ ...o, steps: undefined }, false);
    return await runTrain(o);
  }
  for (const [option, value] of [["--epochs", o.epochs], ["--workers", o.workers]]) {
    if (value !== undefined) throw new OptionError(option!, "only with --trainer knrm", value);
  }
  const trainer = parseTrainer({ ...o, trainerBatch: o.batch, trainerLr: o.lr }, false)!;
  if (trainer.kind === "torch") await checkTorch(trainer.command[0]);
  await checkBaseModel(trainer);
  // Checked before training: never replace the data, nor what is not a model, unasked.
  await refuseInputAsOutput(o.out, [{ option: "--data", path: o.data }]);
  await guardExisting(o.out, {
    what: "model directory",
    isOwn: async (dir) => await isModelDir(dir) || await isTrainedModelDir(dir),
    force: o.force,
  });
  const seed = parseIntOption("--seed", o.seed, { min: 0 }) ?? TRAIN_DEFAULTS.seed;
  const r = await trainCrossEncoder(o.data, { trainer, seed, outDir: o.out });
  const { hyper } = trainer;
  return `${r.dir}: ${hyper.steps} steps x ${hyper.batchSize} pairs on ${r.records} records, ` +
    `ONNX Runtime within ${r.check.parityMaxAbsDiff.toExponential(1)} of the trainer's logits`;
}
