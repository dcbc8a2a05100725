/**
 * The trainer contract: how the harness hands a transformer trainer its work
 * and what it accepts back. Any command can be a trainer (`--trainer "CMD"`);
 * the reference PyTorch trainer (`--trainer torch`, `torch/train.py`) is one.
 *
 * The harness runs `CMD JOB.json`. The job is a JSON object ({@linkcode TrainerJob}):
 * the training records (`records`, JSON lines `{qid, query, pid, passage, label}`),
 * the same records tokenized by the base model's `tokenizer.json` (`tokens`,
 * JSON lines `{ids, types, label}`, already truncated to `max_length`), the base
 * model directory (Hugging Face layout: `config.json`, `tokenizer.json`,
 * `pytorch_model.bin` or `model.safetensors`), the hyper-parameters, the seed,
 * the device, and `out`, a directory the trainer creates.
 *
 * Exit 0 means `out` holds:
 * - `model.onnx`: a sequence-classification graph with int64 inputs `input_ids`,
 *   `attention_mask` (and `token_type_ids` when the model uses them), dynamic
 *   batch and sequence axes, and float32 `logits` `[batch, 1]`;
 * - `tokenizer.json`: the base model's, byte for byte (one tokenizer);
 * - `config.json`: the model's Hugging Face config;
 * - `provenance.json`: what the trainer wants recorded (loss curve, versions);
 * - `parity.json`: `{pairs: [{ids, types}], logits}`, the logits the trainer's
 *   own framework computes for a few token records.
 *
 * The harness then loads the graph with onnxruntime-node, checks its inputs and
 * requires ONNX Runtime to reproduce `parity.json`'s logits within
 * {@linkcode PARITY_TOLERANCE}. Exit 2 is a user error (its last stderr
 * line is shown); any other failure is reported with the stderr tail.
 *
 * @module
 */

import { join } from "node:path";
import { ExternalCrossEncoder } from "../ranker/mod.ts";
import { InputError, PathError, sha256File } from "../util/mod.ts";

/**
 * Version of the contract, the job's `contract` field.
 *
 * @example
 * ```ts
 * CONTRACT_VERSION; // 1
 * ```
 */
export const CONTRACT_VERSION = 1;

/**
 * Largest |ONNX Runtime logit - trainer logit| the harness accepts on `parity.json`.
 *
 * @example
 * ```ts
 * PARITY_TOLERANCE; // 1e-4
 * ```
 */
export const PARITY_TOLERANCE = 1e-4;

/**
 * The job file a trainer command receives (snake_case: it is read by other languages).
 *
 * @example
 * ```ts
 * declare const job: TrainerJob;
 * job.max_length;
 * ```
 */
export interface TrainerJob {
  /** {@linkcode CONTRACT_VERSION}. */
  contract: number;
  /** Training records, JSON lines `{qid, query, pid, passage, label}`. */
  records: string;
  /** The records tokenized, JSON lines `{ids, types, label}`, in the same order. */
  tokens: string;
  /** Base model directory. */
  base_model: string;
  /** Directory to create with the trained model. */
  out: string;
  /** Peak learning rate. */
  lr: number;
  /** Linear warm-up steps. */
  warmup: number;
  /** Pairs per step. */
  batch_size: number;
  /** Tokens per pair, special tokens included. */
  max_length: number;
  /** Optimiser steps. */
  steps: number;
  /** AdamW weight decay. */
  weight_decay: number;
  /** Seed of initialisation, shuffling and dropout. */
  seed: number;
  /** `cpu`, `cuda` or `cuda:N`. */
  device: string;
  /** CPU threads. */
  threads: number;
}

/**
 * Files a trained model directory must hold.
 *
 * @example
 * ```ts
 * TRAINED_FILES.includes("parity.json"); // true
 * ```
 */
export const TRAINED_FILES = [
  "model.onnx",
  "tokenizer.json",
  "config.json",
  "provenance.json",
  "parity.json",
] as const;

/**
 * What the harness found when it checked a trained model.
 *
 * @example
 * ```ts
 * declare const check: ModelCheck;
 * check.parityMaxAbsDiff < 1e-4; // true
 * ```
 */
export interface ModelCheck {
  /** Largest |ONNX Runtime - trainer| logit over the parity pairs. */
  parityMaxAbsDiff: number;
  /** Parity pairs compared. */
  parityPairs: number;
  /** Inputs of the graph. */
  inputs: string[];
}

/**
 * Checks a trainer's output directory against the contract: the files are
 * there, `tokenizer.json` is the base model's, the graph loads in ONNX Runtime
 * with cross-encoder inputs, and it reproduces the trainer's parity logits.
 * Throws a {@linkcode PathError} naming the file at fault.
 *
 * @example
 * ```ts
 * const check = await checkTrainedModel("/tmp/job/model", "models/mminilm");
 * console.log(check.parityMaxAbsDiff);
 * ```
 */
export async function checkTrainedModel(dir: string, baseModel: string): Promise<ModelCheck> {
  for (const f of TRAINED_FILES) {
    try {
      if (!(await Deno.stat(join(dir, f))).isFile) throw new Error();
    } catch {
      throw new PathError(join(dir, f), "missing: the trainer contract requires it");
    }
  }
  const tokenizer = join(dir, "tokenizer.json");
  if (await sha256File(tokenizer) !== await sha256File(join(baseModel, "tokenizer.json"))) {
    throw new PathError(tokenizer, `differs from the base model's (${baseModel}): one tokenizer`);
  }
  const parityPath = join(dir, "parity.json");
  const parity = parseParity(await Deno.readTextFile(parityPath), parityPath);
  const ce = await ExternalCrossEncoder.load(dir, { intraOpNumThreads: 1 });
  try {
    const scores = await ce.scoreEncoded(parity.pairs);
    if (ce.numLogits !== undefined && ce.numLogits !== 1) {
      throw new PathError(
        join(dir, "model.onnx"),
        `expected 1 logit per pair, got ${ce.numLogits}`,
      );
    }
    let worst = 0;
    scores.forEach((s, i) => worst = Math.max(worst, Math.abs(s - parity.logits[i])));
    if (!(worst <= PARITY_TOLERANCE)) {
      throw new PathError(
        join(dir, "model.onnx"),
        `ONNX Runtime logits differ from parity.json's by up to ${worst} ` +
          `(tolerance ${PARITY_TOLERANCE}): the export is not the trained model`,
      );
    }
    return {
      parityMaxAbsDiff: worst,
      parityPairs: parity.pairs.length,
      inputs: ce.usesTokenTypes
        ? ["input_ids", "attention_mask", "token_type_ids"]
        : ["input_ids", "attention_mask"],
    };
  } finally {
    await ce.release();
  }
}

function parseParity(text: string, path: string) {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, undefined, `invalid JSON: ${(e as Error).message}`);
  }
  const o = v as { pairs?: unknown; logits?: unknown };
  const ints = (a: unknown) => Array.isArray(a) && a.every((x) => Number.isInteger(x) && x >= 0);
  const ok = Array.isArray(o?.pairs) && Array.isArray(o.logits) && o.pairs.length > 0 &&
    o.pairs.length === o.logits.length && o.logits.every((x) => typeof x === "number") &&
    o.pairs.every((p: { ids?: unknown; types?: unknown }) =>
      ints(p?.ids) && ints(p?.types) && (p.ids as number[]).length > 0 &&
      (p.ids as number[]).length === (p.types as number[]).length
    );
  if (!ok) {
    throw new InputError(
      path,
      undefined,
      "expected {pairs: [{ids, types}], logits} with one logit per pair",
    );
  }
  const pairs = (o.pairs as { ids: number[]; types: number[] }[]).map((p) => ({
    ids: p.ids,
    typeIds: p.types,
  }));
  return { pairs, logits: o.logits as number[] };
}
