/**
 * Training a transformer cross-encoder through the trainer contract: tokenize
 * the records with the base model's tokenizer, write the job, run the trainer
 * command, check what comes back (`contract.ts`) and move it into place
 * atomically with the harness's own record, `trainer.json`.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { PairEncoder } from "../ranker/mod.ts";
import {
  fileExists,
  OptionError,
  PathError,
  readTrainingInstances,
  sha256File,
  sha256Hex,
  UserError,
  writeDirAtomic,
} from "../util/mod.ts";
import {
  checkTrainedModel,
  CONTRACT_VERSION,
  type ModelCheck,
  type TrainerJob,
} from "./contract.ts";
import { type CrossEncoderTrainer, TORCH_TRAINER_SCRIPT } from "./options.ts";

/** Files of a base model that define it; those present are hashed into its key. */
const BASE_FILES = [
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "pytorch_model.bin",
  "model.safetensors",
];

/**
 * sha256 of a base model's defining files (name and content of each one present).
 *
 * @example
 * ```ts
 * const hash = await baseModelHash("models/mminilm"); // 64 hex digits
 * ```
 */
export async function baseModelHash(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const f of BASE_FILES) {
    if (await fileExists(join(dir, f))) parts.push(`${f}:${await sha256File(join(dir, f))}`);
  }
  if (!parts.some((p) => p.startsWith("config.json:"))) {
    throw new PathError(
      join(dir, "config.json"),
      "not found: expected a Hugging Face model directory",
    );
  }
  return sha256Hex(parts.join("\n"));
}

/**
 * Checks a trainer's base model before any work: its tokenizer and config load
 * for the trainer's maximum length, and it has a checkpoint. Throws a
 * {@linkcode PathError} / `InputError` naming the file at fault.
 *
 * @example
 * ```ts
 * import { parseTrainer } from "./options.ts";
 * const trainer = parseTrainer({ trainer: "torch", baseModel: "models/tiny" }, true)!;
 * await checkBaseModel(trainer);
 * ```
 */
export async function checkBaseModel(t: CrossEncoderTrainer): Promise<void> {
  await PairEncoder.load(t.baseModel, t.hyper.maxLength);
  for (const f of ["pytorch_model.bin", "model.safetensors"]) {
    if (await fileExists(join(t.baseModel, f))) return;
  }
  throw new PathError(
    join(t.baseModel, "pytorch_model.bin"),
    "not found: a base model needs pytorch_model.bin or model.safetensors",
  );
}

/**
 * Everything a trained cross-encoder depends on besides its data and seed: the
 * content key of the model stage and the `trainer.json` record. The torch
 * trainer is identified by its script's hash, a command by its command line
 * (the interpreter's path is not part of it).
 *
 * @example
 * ```ts
 * import type { CrossEncoderTrainer } from "./options.ts";
 * declare const trainer: CrossEncoderTrainer;
 * const key = await trainerKey(trainer);
 * key.kind; // "torch"
 * ```
 */
export async function trainerKey(t: CrossEncoderTrainer): Promise<Record<string, unknown>> {
  return {
    contract: CONTRACT_VERSION,
    kind: t.kind,
    ...(t.kind === "torch"
      ? { script: await sha256File(TORCH_TRAINER_SCRIPT) }
      : { command: t.command.join(" ") }),
    base: await baseModelHash(t.baseModel),
    ...t.hyper,
  };
}

/**
 * Options of {@linkcode trainCrossEncoder}.
 *
 * @example
 * ```ts
 * declare const o: CrossEncoderTrainOptions;
 * o.outDir;
 * ```
 */
export interface CrossEncoderTrainOptions {
  /** The trainer. */
  trainer: CrossEncoderTrainer;
  /** Seed. */
  seed: number;
  /** Model directory to write (replaced atomically). */
  outDir: string;
  /** Free-form labels recorded in `trainer.json`. */
  labels?: Record<string, string>;
}

/**
 * What {@linkcode trainCrossEncoder} did.
 *
 * @example
 * ```ts
 * declare const r: CrossEncoderTrained;
 * r.phases.train;
 * ```
 */
export interface CrossEncoderTrained {
  /** The model directory. */
  dir: string;
  /** The harness's checks. */
  check: ModelCheck;
  /** Training records. */
  records: number;
  /** Seconds of tokenizing, of the trainer command and of checking. */
  phases: { tokenise: number; train: number; check: number };
}

/** The harness's record in a trained model directory. */
const TRAINER_RECORD = "trainer.json";

const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(3));

/**
 * Trains a cross-encoder on training records with a trainer command and writes
 * the checked model directory: the trainer's files plus `trainer.json` (the
 * trainer key, seed, data hash, labels and the parity check).
 *
 * @example
 * ```ts
 * import { parseTrainer } from "./options.ts";
 * const trainer = parseTrainer({ trainer: "torch", baseModel: "models/tiny", steps: "200" }, false)!;
 * const r = await trainCrossEncoder("train.jsonl", { trainer, seed: 1, outDir: "/tmp/model" });
 * console.log(r.check.parityMaxAbsDiff);
 * ```
 */
export async function trainCrossEncoder(
  records: string,
  opts: CrossEncoderTrainOptions,
): Promise<CrossEncoderTrained> {
  const { trainer, seed, outDir } = opts;
  const encoder = await PairEncoder.load(trainer.baseModel, trainer.hyper.maxLength);
  await Deno.mkdir(dirname(outDir), { recursive: true });
  const job = await Deno.makeTempDir({ dir: dirname(outDir), prefix: `.${basename(outDir)}.job-` });
  try {
    let t0 = performance.now();
    const tokens = join(job, "tokens.jsonl");
    const count = await tokenizeRecords(records, tokens, encoder);
    const tokenise = seconds(t0);
    const spec: TrainerJob = {
      contract: CONTRACT_VERSION,
      records,
      tokens,
      base_model: trainer.baseModel,
      out: join(job, "model"),
      lr: trainer.hyper.lr,
      warmup: trainer.hyper.warmup,
      batch_size: trainer.hyper.batchSize,
      max_length: trainer.hyper.maxLength,
      steps: trainer.hyper.steps,
      weight_decay: trainer.hyper.weightDecay,
      seed,
      device: trainer.hyper.device,
      threads: trainer.hyper.threads,
    };
    const jobPath = join(job, "job.json");
    await Deno.writeTextFile(jobPath, JSON.stringify(spec, null, 2) + "\n");
    t0 = performance.now();
    await runTrainerCommand([...trainer.command, jobPath]);
    const train = seconds(t0);
    t0 = performance.now();
    const check = await checkTrainedModel(spec.out, trainer.baseModel);
    const record = {
      trainer: await trainerKey(trainer),
      seed,
      data: { sha256: await sha256File(records), records: count },
      tokens: { sha256: await sha256File(tokens) },
      ...(opts.labels ? { labels: opts.labels } : {}),
      check: { parityPairs: check.parityPairs, parityMaxAbsDiff: check.parityMaxAbsDiff },
    };
    await writeDirAtomic(outDir, async (tmp) => {
      for await (const e of Deno.readDir(spec.out)) {
        await Deno.rename(join(spec.out, e.name), join(tmp, e.name));
      }
      await Deno.writeTextFile(join(tmp, TRAINER_RECORD), JSON.stringify(record, null, 2) + "\n");
    });
    return { dir: outDir, check, records: count, phases: { tokenise, train, check: seconds(t0) } };
  } finally {
    await Deno.remove(job, { recursive: true }).catch(() => {});
  }
}

/** Writes the records' token ids (JSON lines `{ids, types, label}`); returns the count. */
async function tokenizeRecords(records: string, out: string, encoder: PairEncoder) {
  const file = await Deno.open(out, { write: true, createNew: true });
  const writer = file.writable.getWriter();
  const enc = new TextEncoder();
  let n = 0, lines: string[] = [];
  try {
    for await (const r of readTrainingInstances(records)) {
      const e = encoder.encode(r.query, r.passage);
      lines.push(JSON.stringify({ ids: e.ids, types: e.typeIds, label: r.label }));
      n++;
      if (lines.length === 1024) {
        await writer.write(enc.encode(lines.join("\n") + "\n"));
        lines = [];
      }
    }
    if (lines.length > 0) await writer.write(enc.encode(lines.join("\n") + "\n"));
  } finally {
    await writer.close();
  }
  if (n === 0) throw new PathError(records, "no training records");
  return n;
}

/** Runs a trainer's argv; exit 2 is the user's error (its last stderr line), others a failure. */
async function runTrainerCommand(argv: string[]): Promise<void> {
  // Progress goes straight to a terminal; otherwise stderr is kept for the error message.
  const tty = Deno.stderr.isTerminal();
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "null",
      stdout: "null",
      stderr: tty ? "inherit" : "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      throw new OptionError("--trainer", "knrm, torch or a command that can be run", argv[0]);
    }
    throw e;
  }
  if (out.success) return;
  const lines = tty ? [] : new TextDecoder().decode(out.stderr).trimEnd().split("\n");
  const who = `trainer (${argv.join(" ")})`;
  if (out.code === 2) {
    throw new UserError(`${who}: ${lines.at(-1)?.replace(/^error: /, "") ?? "exit 2"}`);
  }
  throw new Error(`${who} failed with exit ${out.code}:\n${lines.slice(-20).join("\n")}`);
}

/**
 * The maximum length a harness trainer trained the model in `dir` with
 * (`trainer.json`), so scoring truncates pairs as training did; `undefined`
 * for models from elsewhere.
 *
 * @example
 * ```ts
 * await trainedMaxLength("models/ce"); // e.g. 512
 * ```
 */
export async function trainedMaxLength(dir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, TRAINER_RECORD));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const v = JSON.parse(text)?.trainer?.maxLength;
  if (!Number.isInteger(v) || v < 1) {
    throw new PathError(join(dir, TRAINER_RECORD), "expected trainer.maxLength, an integer >= 1");
  }
  return v;
}

/**
 * Writes a randomly initialised checkpoint (`pytorch_model.bin`, seeded) for a
 * Hugging Face `config.json` into `outDir` with the reference trainer's `init`,
 * e.g. a base model of a paper model's shape for benchmarks and tests.
 *
 * @example
 * ```ts
 * await initBaseModel("/usr/bin/python3", "models/tiny/config.json", "models/tiny", 1);
 * ```
 */
export async function initBaseModel(
  python: string,
  config: string,
  outDir: string,
  seed: number,
): Promise<void> {
  await runTrainerCommand([
    python,
    TORCH_TRAINER_SCRIPT,
    "init",
    config,
    outDir,
    "--seed",
    `${seed}`,
  ]);
}
