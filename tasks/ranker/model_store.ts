/**
 * Model artifacts on disk. A model is a directory:
 *
 * - `config.json`: {@linkcode MODEL_FORMAT}, {@linkcode RankerConfig}
 *   (hyper-parameters and the hashing parameters that turn words into embedding
 *   rows) and the tensor layout;
 * - `weights.f32`: all parameters as little-endian float32, in layout order;
 * - `words.onnx` and `model.onnx`: the exported word and pair graphs (see
 *   `onnx_export.ts`);
 * - `provenance.json`: training data sha256, seed, steps, options, loss curve;
 *   the same data and seed give the same bytes;
 * - `timing.json`: creation time and speed, kept apart because they vary.
 *
 * Directories are written under a temporary name and renamed into place.
 *
 * @module
 */

import { join } from "node:path";
import { InputError, onPath, toPathError, writeDirAtomic } from "../util/mod.ts";
import { exportOnnx } from "./onnx_export.ts";
import { paramLayout, type RankerConfig, validateConfig } from "./config.ts";

/**
 * Version of the model directory format, stored as `format` in `config.json`.
 * 2 added the BM25 feature; 3 split the ONNX export into a word graph and a
 * pair graph. Older directories are rejected with a message to retrain.
 *
 * @example
 * ```ts
 * const config = JSON.parse(await Deno.readTextFile("models/zs/config.json"));
 * config.format === MODEL_FORMAT; // a model of this layout
 * ```
 */
export const MODEL_FORMAT = 3;

/** How a model was trained; deterministic for given data and options. */
export interface Provenance {
  /** sha256 (hex) of the training instances as canonical JSON lines (see `train.ts`). */
  dataSha256: string;
  /** Training instances read. */
  instances: number;
  /** Seed of initialisation and shuffling. */
  seed: number;
  /** Optimiser steps taken. */
  steps: number;
  /** Pairs per step. */
  batchSize: number;
  /** Adam learning rate. */
  lr: number;
  /** Mean training loss per tenth of the run, in order. */
  lossCurve: number[];
  /** Free-form labels (e.g. training variant, language pair). */
  labels?: Record<string, string>;
}

/** Run-dependent facts of training, stored apart from the provenance. */
export interface Timing {
  /** ISO time the model was saved. */
  created: string;
  /** Seconds spent reading and featurising the training data. */
  loadSeconds: number;
  /** Seconds spent in the optimisation loop. */
  seconds: number;
  /** Training throughput of the optimisation loop. */
  pairsPerSecond: number;
  /** Threads that computed gradients. */
  workers: number;
  /** Seconds per phase of training, when the trainer measured them. */
  phases?: TrainPhases;
}

/**
 * Where a model's training time went, in seconds.
 *
 * @example
 * ```ts
 * declare const trainPhases: TrainPhases;
 * trainPhases.read + trainPhases.tokenise + trainPhases.bm25; // loading the data
 * ```
 */
export interface TrainPhases {
  /** Reading, parsing and hashing the training data (with the time not otherwise counted). */
  read: number;
  /** Tokenising and hashing words into embedding slots. */
  tokenise: number;
  /** The BM25 feature over the training passages. */
  bm25: number;
  /** The optimisation loop. */
  train: number;
  /** Exporting and writing the model directory (added by {@linkcode saveModel}). */
  save?: number;
}

/** Where a model's two ONNX graphs are. */
export interface OnnxPaths {
  /** `words.onnx`: slot ids to unit vectors and gates. */
  words: string;
  /** `model.onnx`: word vectors and pairs to logits. */
  pairs: string;
}

const onnxPaths = (dir: string): OnnxPaths => ({
  words: join(dir, "words.onnx"),
  pairs: join(dir, "model.onnx"),
});

/**
 * A model as loaded from (or saved to) its directory.
 *
 * @example
 * ```ts
 * declare const modelArtifact: ModelArtifact;
 * modelArtifact.dir;
 * ```
 */
export interface ModelArtifact {
  /** The model directory. */
  dir: string;
  /** Hyper-parameters and hashing parameters. */
  config: RankerConfig;
  /** Flat parameter vector (see `paramLayout`). */
  params: Float32Array;
  /** Paths of the ONNX word graph (`words.onnx`) and pair graph (`model.onnx`). */
  onnx: OnnxPaths;
  /** Training provenance. */
  provenance: Provenance;
  /** What `timing.json` holds, when {@linkcode saveModel} wrote one. */
  timing?: Timing;
}

function layoutJson(cfg: RankerConfig) {
  const l = paramLayout(cfg);
  return [
    { name: "emb", offset: l.emb, shape: [cfg.buckets, cfg.dim] },
    { name: "gate_w", offset: l.gateW, shape: [cfg.dim] },
    { name: "gate_b", offset: l.gateB, shape: [1] },
    { name: "out_w", offset: l.outW, shape: [cfg.mus.length] },
    { name: "out_b", offset: l.outB, shape: [1] },
    ...(cfg.bm25 ? [{ name: "bm25_w", offset: l.bm25W, shape: [l.size - l.bm25W] }] : []),
  ];
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";

/**
 * Saves a model directory atomically (written as `<dir>.tmp-<pid>`, then
 * renamed; an existing model at `dir` is replaced).
 *
 * @example
 * ```ts
 * import type { RankerConfig } from "./config.ts";
 * declare const cfg: RankerConfig, params: Float32Array, provenance: Provenance;
 * await saveModel("models/zs", cfg, params, provenance);
 * ```
 */
export async function saveModel(
  dir: string,
  config: RankerConfig,
  params: Float32Array,
  provenance: Provenance,
  timing?: Timing,
): Promise<ModelArtifact> {
  const t0 = performance.now();
  validateConfig(config);
  if (params.length !== paramLayout(config).size) {
    throw new RangeError(
      `saveModel: expected ${paramLayout(config).size} parameters, got ${params.length}`,
    );
  }
  // Any write into the new directory (a full disk, say) is reported against `dir`.
  await writeDirAtomic(dir, (tmp) =>
    onPath(dir, async () => {
      await Deno.writeTextFile(
        join(tmp, "config.json"),
        json({ format: MODEL_FORMAT, ...config, layout: layoutJson(config) }),
      );
      await Deno.writeFile(
        join(tmp, "weights.f32"),
        new Uint8Array(params.buffer, params.byteOffset, params.byteLength),
      );
      const meta = {
        dataSha256: provenance.dataSha256,
        seed: String(provenance.seed),
        steps: String(provenance.steps),
      };
      const graphs = exportOnnx(config, params, meta);
      const tmpPaths = onnxPaths(tmp);
      await Deno.writeFile(tmpPaths.words, graphs.words);
      await Deno.writeFile(tmpPaths.pairs, graphs.pairs);
      await Deno.writeTextFile(join(tmp, "provenance.json"), json(provenance));
      if (timing?.phases) {
        const save = Number(((performance.now() - t0) / 1000).toFixed(3));
        timing = { ...timing, phases: { ...timing.phases, save } };
      }
      if (timing) await Deno.writeTextFile(join(tmp, "timing.json"), json(timing));
    }));
  return { dir, config, params, onnx: onnxPaths(dir), provenance, ...(timing ? { timing } : {}) };
}

/**
 * Whether `dir` is a model directory (a `config.json` with a numeric `format`
 * and a `weights.f32`), which `train` may replace; anything else is not its own.
 *
 * @example
 * ```ts
 * if (!(await isModelDir("models/zs"))) console.log("not a model: train --out refuses it");
 * ```
 */
export async function isModelDir(dir: string): Promise<boolean> {
  try {
    const config = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
    return typeof config?.format === "number" &&
      (await Deno.stat(join(dir, "weights.f32"))).isFile;
  } catch {
    return false;
  }
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(path, undefined, "file not found (not a model directory?)");
    }
    throw toPathError(e, path);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(path, undefined, `expected JSON (${(e as Error).message})`);
  }
}

/**
 * Loads a model directory written by {@linkcode saveModel}, checking that the
 * weights match the configuration.
 *
 * @example
 * ```ts
 * const model = await loadModel("models/zs");
 * ```
 */
export async function loadModel(dir: string): Promise<ModelArtifact> {
  const cfgPath = join(dir, "config.json");
  const raw = await readJson(cfgPath);
  const { layout: _layout, format = 1, ...rest } = raw;
  if (format !== MODEL_FORMAT) {
    const older = typeof format === "number" && format < MODEL_FORMAT;
    throw new InputError(
      cfgPath,
      undefined,
      `expected model format ${MODEL_FORMAT}, got ${JSON.stringify(format)}` +
        (older ? " (an older model directory: retrain it with this version)" : ""),
    );
  }
  const config = rest as unknown as RankerConfig;
  try {
    validateConfig(config);
  } catch (e) {
    throw new InputError(cfgPath, undefined, (e as Error).message);
  }
  const provenance = await readJson(join(dir, "provenance.json")) as unknown as Provenance;
  const wPath = join(dir, "weights.f32");
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(wPath);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new InputError(wPath, undefined, "file not found");
    throw toPathError(e, wPath);
  }
  const size = paramLayout(config).size;
  if (bytes.byteLength !== size * 4) {
    throw new InputError(
      wPath,
      undefined,
      `expected ${size * 4} bytes for config.json, got ${bytes.byteLength}`,
    );
  }
  const params = new Float32Array(bytes.buffer, bytes.byteOffset, size).slice();
  const bad = params.findIndex((w) => !Number.isFinite(w));
  if (bad !== -1) {
    throw new InputError(wPath, undefined, `weight ${bad} is ${params[bad]}; retrain the model`);
  }
  const onnx = onnxPaths(dir);
  for (const path of [onnx.words, onnx.pairs]) {
    try {
      await Deno.stat(path);
    } catch {
      throw new InputError(path, undefined, "file not found");
    }
  }
  return { dir, config, params, onnx, provenance };
}
