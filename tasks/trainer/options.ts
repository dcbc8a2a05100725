/**
 * Which trainer makes a run's rankers, and the hyper-parameters of the
 * transformer cross-encoder trainers: the built-in KNRM (`knrm`, the default),
 * the reference PyTorch trainer (`torch`) or any command that follows the
 * trainer contract (see `contract.ts`).
 *
 * @module
 */

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OptionError, parseIntOption, parseNumberOption, UserError } from "../util/mod.ts";

/**
 * The paper's fine-tuning protocol (Litschko et al., 2023, after mMARCO):
 * binary cross-entropy, AdamW with lr 2e-5 and weight decay 0.01, 5,000 linear
 * warm-up steps then linear decay, batch 64, max length 512, 200k steps. The
 * quick scale trains 1,000 steps with 100 warm-up steps.
 *
 * @example
 * ```ts
 * CROSS_ENCODER_DEFAULTS.lr; // 2e-5
 * ```
 */
export const CROSS_ENCODER_DEFAULTS = {
  /** Peak AdamW learning rate. */
  lr: 2e-5,
  /** Linear warm-up steps. */
  warmup: 5_000,
  /** Pairs per step. */
  batchSize: 64,
  /** Tokens per pair, special tokens included. */
  maxLength: 512,
  /** Optimiser steps. */
  steps: 200_000,
  /** AdamW weight decay (not on biases and LayerNorm). */
  weightDecay: 0.01,
  /** Torch device. */
  device: "cpu",
  /** CPU threads of the trainer (the weights' bits depend on it, so it is part of the config). */
  threads: 1,
  /** Steps of a `--quick` run. */
  quickSteps: 1_000,
  /** Warm-up steps of a `--quick` run. */
  quickWarmup: 100,
} as const;

/**
 * Hyper-parameters handed to a cross-encoder trainer.
 *
 * @example
 * ```ts
 * const hyper: CrossEncoderHyper = { ...CROSS_ENCODER_DEFAULTS, steps: 300, warmup: 30 };
 * ```
 */
export interface CrossEncoderHyper {
  /** Peak learning rate. */
  lr: number;
  /** Linear warm-up steps. */
  warmup: number;
  /** Pairs per step. */
  batchSize: number;
  /** Tokens per pair, special tokens included. */
  maxLength: number;
  /** Optimiser steps. */
  steps: number;
  /** AdamW weight decay. */
  weightDecay: number;
  /** `cpu`, `cuda` or `cuda:N`. */
  device: string;
  /** CPU threads. */
  threads: number;
}

/**
 * A transformer cross-encoder trainer: the command the harness runs and what it trains from.
 *
 * @example
 * ```ts
 * declare const trainer: CrossEncoderTrainer;
 * trainer.command.join(" "); // e.g. "/usr/bin/python3 tasks/trainer/torch/train.py train"
 * ```
 */
export interface CrossEncoderTrainer {
  /** `torch` (the reference trainer) or `command` (a user's trainer). */
  kind: "torch" | "command";
  /** The argv the harness runs, before the job config's path. */
  command: string[];
  /** Base model directory (Hugging Face layout), absolute. */
  baseModel: string;
  /** Hyper-parameters. */
  hyper: CrossEncoderHyper;
}

/**
 * Trainer options as parsed from the command line.
 *
 * @example
 * ```ts
 * const o: TrainerCliOptions = { trainer: "torch", baseModel: "models/mminilm", steps: "300" };
 * ```
 */
export interface TrainerCliOptions {
  /** `knrm`, `torch` or a command line. */
  trainer?: string;
  /** Base model directory. */
  baseModel?: string;
  /** Python interpreter of the torch trainer. */
  python?: string;
  /** Torch device. */
  device?: string;
  /** Optimiser steps. */
  steps?: string;
  /** Warm-up steps. */
  warmup?: string;
  /** Pairs per step (the option is `--trainer-batch`, as `train --batch` is KNRM's). */
  trainerBatch?: string;
  /** Peak learning rate (`--trainer-lr`). */
  trainerLr?: string;
  /** Tokens per pair. */
  maxLength?: string;
  /** CPU threads of the trainer. */
  trainerThreads?: string;
}

/** The reference trainer script, beside this module. */
export const TORCH_TRAINER_SCRIPT: string = fileURLToPath(
  new URL("./torch/train.py", import.meta.url),
);

/**
 * Turns the trainer options into a trainer, or `undefined` for the built-in
 * KNRM. Options of transformer trainers given with KNRM are an {@linkcode OptionError}.
 * The torch trainer runs with {@linkcode findPython}'s interpreter.
 *
 * @example
 * ```ts
 * const t = parseTrainer({ trainer: "torch", baseModel: "/models/tiny", steps: "300" }, false);
 * t?.hyper.steps; // 300
 * ```
 */
export function parseTrainer(
  o: TrainerCliOptions,
  quick: boolean,
): CrossEncoderTrainer | undefined {
  const name = (o.trainer ?? "knrm").trim();
  const transformerOnly: [string, unknown][] = [
    ["--base-model", o.baseModel],
    ["--python", o.python],
    ["--device", o.device],
    ["--steps", o.steps],
    ["--warmup", o.warmup],
    ["--trainer-batch", o.trainerBatch],
    ["--trainer-lr", o.trainerLr],
    ["--max-length", o.maxLength],
    ["--trainer-threads", o.trainerThreads],
  ];
  if (name === "knrm") {
    const given = transformerOnly.find(([, v]) => v !== undefined);
    if (given) throw new OptionError(given[0], "--trainer torch or a trainer command", given[1]);
    return undefined;
  }
  if (name === "") throw new OptionError("--trainer", "knrm, torch or a command", o.trainer);
  if (o.baseModel === undefined || o.baseModel.trim() === "") {
    throw new OptionError("--base-model", "a Hugging Face model directory", o.baseModel);
  }
  const d = CROSS_ENCODER_DEFAULTS;
  const device = o.device ?? d.device;
  if (!/^(cpu|cuda(:\d+)?)$/.test(device)) {
    throw new OptionError("--device", "cpu, cuda or cuda:N", device);
  }
  const steps = parseIntOption("--steps", o.steps, { min: 1 }) ??
    (quick ? d.quickSteps : d.steps);
  const warmup = parseIntOption("--warmup", o.warmup, { min: 0 }) ??
    Math.min(quick ? d.quickWarmup : d.warmup, steps);
  return {
    kind: name === "torch" ? "torch" : "command",
    command: name === "torch"
      ? [findPython(o.python), TORCH_TRAINER_SCRIPT, "train"]
      : name.split(/\s+/),
    baseModel: resolve(o.baseModel),
    hyper: {
      lr: parseNumberOption("--trainer-lr", o.trainerLr, { above: 0, max: 1 }) ?? d.lr,
      warmup,
      batchSize: parseIntOption("--trainer-batch", o.trainerBatch, { min: 1 }) ?? d.batchSize,
      maxLength: parseIntOption("--max-length", o.maxLength, { min: 4 }) ?? d.maxLength,
      steps,
      weightDecay: d.weightDecay,
      device,
      threads: parseIntOption("--trainer-threads", o.trainerThreads, { min: 1, max: 64 }) ??
        d.threads,
    },
  };
}

/** Where Debian's python3-torch installs torch. */
const DEBIAN_PYTHON = "/usr/bin/python3";

/**
 * The Python interpreter of the torch trainer: `option` (`--python`), else
 * `$CSCLIR_PYTHON`, else `/usr/bin/python3` (where Debian's python3-torch
 * installs) when it exists, else `python3` on PATH.
 *
 * @example
 * ```ts
 * findPython(undefined); // "/usr/bin/python3" on Debian
 * ```
 */
export function findPython(option: string | undefined): string {
  const chosen = option ?? Deno.env.get("CSCLIR_PYTHON");
  if (chosen !== undefined && chosen.trim() !== "") return chosen;
  try {
    if (Deno.statSync(DEBIAN_PYTHON).isFile) return DEBIAN_PYTHON;
  } catch {
    // Not Debian's layout: the first python3 on PATH.
  }
  return "python3";
}

/**
 * Checks that `python` can import torch; returns torch's version. Otherwise a
 * one-line {@linkcode UserError} saying how to install it.
 *
 * @example
 * ```ts
 * await checkTorch("/usr/bin/python3"); // e.g. "1.13.0a0"
 * ```
 */
export async function checkTorch(python: string): Promise<string> {
  const hint = "install python3-torch (apt-get install python3-torch) or point --python " +
    "or CSCLIR_PYTHON at an interpreter that has torch";
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(python, {
      args: ["-c", "import torch; print(torch.__version__)"],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(`python interpreter ${python} not found: ${hint}`);
    }
    throw e;
  }
  if (!out.success) throw new UserError(`${python} cannot import torch: ${hint}`);
  return new TextDecoder().decode(out.stdout).trim();
}
