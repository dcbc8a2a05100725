/**
 * Training the ranker: binary cross-entropy on shuffled (query, passage,
 * label) instances, Adam (lazy on the embedding table: only rows a batch
 * touches are updated, as in sparse Adam), seeded initialisation and
 * shuffling. Each mini-batch is split into {@linkcode SHARDS} fixed halves
 * whose gradients are computed separately (on the main thread and a worker
 * thread when `workers` is 2) and summed in a fixed order, so the weights are
 * byte-identical for a seed whatever the number of workers or their timing.
 * With the BM25 feature on, BM25 statistics come from the distinct passages
 * of the training data (the collection the training queries are ranked in).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { readLines } from "../datasets/lines.ts";
import { parseInstance } from "./codeswitch.ts";
import type { TrainingInstance } from "../datasets/records.ts";
import { InputError, OptionError } from "./errors.ts";
import { type ModelArtifact, type Provenance, saveModel, type Timing } from "./model_store.ts";
import { Progress } from "./progress.ts";
import {
  addGrads,
  backpropWords,
  DEFAULT_CONFIG,
  headParams,
  initParams,
  makeBatch,
  newPairGrads,
  pairBm25,
  pairGradients,
  type PairGrads,
  type PairWords,
  paramLayout,
  type RankerConfig,
  validateConfig,
  WordTable,
  wordVectors,
} from "./ranker.ts";
import { Rng } from "./rng.ts";
import type { ShardRequest } from "./train_worker.ts";

/**
 * Default Adam learning rate. High for Adam, but one epoch of ~100k pairs is
 * short: on XQuAD-R MRR@10 rose steadily from 1e-3 to 5e-3 (en and en->de).
 */
export const DEFAULT_LR = 5e-3;

/** Gradient shards per mini-batch (fixed, so results do not depend on `workers`). */
export const SHARDS = 2;

/** Options of {@linkcode trainRanker} and {@linkcode trainParams}. */
export interface TrainOptions {
  /** Seed of initialisation and shuffling (default 1). */
  seed?: number;
  /** Optimiser steps; overrides `epochs` when given. */
  steps?: number;
  /** Passes over the data when `steps` is not given (default 1; may be fractional). */
  epochs?: number;
  /** Pairs per step (default 64, as in the paper). */
  batchSize?: number;
  /** Adam learning rate (default {@linkcode DEFAULT_LR}). */
  lr?: number;
  /** Threads computing gradients: 1 or 2 (default 2). Does not change the result. */
  workers?: number;
  /** Model hyper-parameters (default {@linkcode DEFAULT_CONFIG}). */
  config?: Partial<RankerConfig>;
  /** Free-form labels stored in the provenance. */
  labels?: Record<string, string>;
  /** Show a progress line (default: when stderr is a TTY). */
  progress?: boolean;
}

/** A trained model in memory. */
export interface TrainedModel {
  /** Hyper-parameters. */
  config: RankerConfig;
  /** Parameters. */
  params: Float32Array;
  /** Deterministic training facts. */
  provenance: Provenance;
  /** Time and speed. */
  timing: Timing;
}

/**
 * Reads training instances from a JSON-lines file (`{qid, query, pid, passage,
 * label}` per line, label 0 or 1), streaming and validating each line.
 */
export async function* readTrainingInstances(path: string): AsyncGenerator<TrainingInstance> {
  for await (const { text, n } of readLines(path)) {
    if (text.trim() !== "") yield parseInstance(text, path, n);
  }
}

function checkOptions(opts: TrainOptions) {
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0) {
    throw new OptionError("--seed", "a non-negative integer", opts.seed);
  }
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < SHARDS) {
    throw new OptionError("--batch", `an integer >= ${SHARDS}`, opts.batchSize);
  }
  const lr = opts.lr ?? DEFAULT_LR;
  if (!(lr > 0) || !Number.isFinite(lr)) {
    throw new OptionError("--lr", "a positive number", opts.lr);
  }
  const workers = opts.workers ?? 2;
  if (workers !== 1 && workers !== 2) throw new OptionError("--workers", "1 or 2", opts.workers);
  if (opts.steps !== undefined && (!Number.isInteger(opts.steps) || opts.steps < 1)) {
    throw new OptionError("--steps", "a positive integer", opts.steps);
  }
  const epochs = opts.epochs ?? 1;
  if (!(epochs > 0) || !Number.isFinite(epochs)) {
    throw new OptionError("--epochs", "a positive number", opts.epochs);
  }
  const config: RankerConfig = { ...DEFAULT_CONFIG, ...opts.config };
  try {
    validateConfig(config);
  } catch (e) {
    throw new OptionError("config", "a valid ranker configuration", (e as Error).message);
  }
  return { seed, batchSize, lr, workers, epochs, config };
}

/** Runs one shard on a worker thread. */
class ShardWorker {
  #worker = new Worker(new URL("./train_worker.ts", import.meta.url).href, { type: "module" });

  run(req: ShardRequest): Promise<PairGrads> {
    return new Promise((resolve, reject) => {
      this.#worker.onmessage = (ev: MessageEvent<PairGrads>) => resolve(ev.data);
      this.#worker.onerror = (ev: ErrorEvent) => {
        ev.preventDefault();
        reject(new Error(`training worker failed: ${ev.message}`));
      };
      this.#worker.postMessage(req);
    });
  }

  close() {
    this.#worker.terminate();
  }
}

/**
 * Trains a ranker in memory.
 *
 * @param instances training instances (the whole set is held, featurised, to shuffle it)
 * @example
 * ```ts
 * const m = await trainParams(readTrainingInstances("train.jsonl"), { seed: 1, steps: 500 });
 * ```
 */
export async function trainParams(
  instances: AsyncIterable<TrainingInstance> | Iterable<TrainingInstance>,
  opts: TrainOptions = {},
): Promise<TrainedModel> {
  const { seed, batchSize, lr, workers, epochs, config } = checkOptions(opts);
  const t0 = performance.now();
  const table = new WordTable(config);
  const pairs: PairWords[] = [];
  const labels: number[] = [];
  const queries = new Map<string, Int32Array>();
  // Texts for the BM25 feature (only kept when it is on).
  const qTexts: string[] = [], dTexts: string[] = [];
  const sha = createHash("sha256");
  for await (const x of instances) {
    sha.update(
      JSON.stringify({
        qid: x.qid,
        query: x.query,
        pid: x.pid,
        passage: x.passage,
        label: x.label,
      }) + "\n",
    );
    let q = queries.get(x.query);
    if (!q) queries.set(x.query, q = table.encode(x.query, config.maxQueryLen));
    pairs.push({ q, d: table.encode(x.passage, config.maxDocLen) });
    labels.push(x.label);
    if (config.bm25) {
      qTexts.push(x.query);
      dTexts.push(x.passage);
    }
  }
  if (pairs.length === 0) {
    throw new InputError("training data", undefined, "expected at least one instance");
  }
  if (config.bm25) {
    const bm = pairBm25(qTexts, dTexts);
    for (let i = 0; i < pairs.length; i++) pairs[i].bm25 = bm[i];
  }
  const steps = opts.steps ?? Math.max(1, Math.ceil(epochs * pairs.length / batchSize));
  const t1 = performance.now();

  const lay = paramLayout(config);
  const D = config.dim, nk = config.mus.length;
  const params = initParams(config, seed);
  const adamM = new Float32Array(lay.size), adamV = new Float32Array(lay.size);
  const gradEmb = new Float64Array(config.buckets * D);
  const seen = new Uint8Array(config.buckets);
  const touched: number[] = [];
  const gradDense = new Float64Array(lay.size - lay.gateW);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];

  let order: number[] = [];
  let epoch = 0, cursor = 0;
  const nextIndex = () => {
    if (cursor === order.length) {
      order = new Rng(seed, 0x5f1e, epoch++).shuffle(Array.from(pairs.keys()));
      cursor = 0;
    }
    return order[cursor++];
  };

  const worker = workers === 2 ? new ShardWorker() : undefined;
  const progress = new Progress({
    label: "train",
    total: steps * batchSize,
    enabled: opts.progress,
  });
  const windowSize = Math.max(1, Math.ceil(steps / 10));
  const lossCurve: number[] = [];
  let windowLoss = 0, windowPairs = 0;
  try {
    for (let step = 1; step <= steps; step++) {
      const idx = Array.from({ length: batchSize }, nextIndex);
      const batch = makeBatch(table, idx.map((i) => pairs[i]));
      const y = Float64Array.from(idx, (i) => labels[i]);
      const wv = wordVectors(config, params, batch);
      const head = headParams(config, params);
      const scale = 1 / batchSize;
      const half = Math.ceil(batchSize / SHARDS);
      const shard1 = batch.pairs.slice(half);
      const remote = worker?.run({
        dim: D,
        kernels: nk,
        words: batch.words,
        unit: wv.unit,
        gate: wv.gate,
        head,
        pairs: shard1,
        labels: y.slice(half),
        scale,
      });
      const g = newPairGrads(D, nk, batch.words);
      pairGradients(D, wv.unit, wv.gate, head, batch.pairs, y, 0, half, scale, g);
      let g1: PairGrads;
      if (remote) {
        g1 = await remote;
      } else {
        g1 = newPairGrads(D, nk, batch.words);
        pairGradients(D, wv.unit, wv.gate, head, batch.pairs, y, half, batchSize, scale, g1);
      }
      addGrads(g, g1);
      windowLoss += g.loss;
      windowPairs += batchSize;
      if (step % windowSize === 0 || step === steps) {
        lossCurve.push(Number((windowLoss / windowPairs).toFixed(6)));
        windowLoss = windowPairs = 0;
      }

      gradDense.fill(0);
      backpropWords(config, params, batch, wv, g, gradEmb, touched, seen, gradDense);
      const c1 = 1 / (1 - b1 ** step), c2 = 1 / (1 - b2 ** step);
      for (const row of touched) {
        for (let o = row * D, end = o + D; o < end; o++) {
          const gr = gradEmb[o];
          gradEmb[o] = 0;
          adamM[o] = b1 * adamM[o] + (1 - b1) * gr;
          adamV[o] = b2 * adamV[o] + (1 - b2) * gr * gr;
          params[o] -= lr * adamM[o] * c1 / (Math.sqrt(adamV[o] * c2) + eps);
        }
        seen[row] = 0;
      }
      touched.length = 0;
      for (let j = 0; j < gradDense.length; j++) {
        const o = lay.gateW + j, gr = gradDense[j];
        adamM[o] = b1 * adamM[o] + (1 - b1) * gr;
        adamV[o] = b2 * adamV[o] + (1 - b2) * gr * gr;
        params[o] -= lr * adamM[o] * c1 / (Math.sqrt(adamV[o] * c2) + eps);
      }
      progress.add(batchSize);
    }
  } finally {
    worker?.close();
    progress.done();
  }
  const seconds = (performance.now() - t1) / 1000;
  const provenance: Provenance = {
    dataSha256: sha.digest("hex"),
    instances: pairs.length,
    seed,
    steps,
    batchSize,
    lr,
    lossCurve,
    ...(opts.labels ? { labels: opts.labels } : {}),
  };
  const timing: Timing = {
    created: new Date().toISOString(),
    loadSeconds: Number(((t1 - t0) / 1000).toFixed(3)),
    seconds: Number(seconds.toFixed(3)),
    pairsPerSecond: Math.round(steps * batchSize / seconds),
    workers,
  };
  return { config, params, provenance, timing };
}

/**
 * Trains a ranker and saves it as a model directory (see `model_store.ts`).
 *
 * @param source training instances, or the path of a JSON-lines file of them
 * @example
 * ```ts
 * const model = await trainRanker("data/train.jsonl", { seed: 1, outDir: "models/zs" });
 * model.onnx.pairs; // "models/zs/model.onnx"
 * ```
 */
export async function trainRanker(
  source: string | AsyncIterable<TrainingInstance> | Iterable<TrainingInstance>,
  opts: TrainOptions & { outDir: string },
): Promise<ModelArtifact> {
  if (!opts.outDir) throw new OptionError("--out", "a model directory", opts.outDir);
  const m = await trainParams(
    typeof source === "string" ? readTrainingInstances(source) : source,
    opts,
  );
  return await saveModel(opts.outDir, m.config, m.params, m.provenance, m.timing);
}

/** Options of the `train` subcommand, as strings from the command line. */
export interface TrainCliOptions {
  /** Training instances, JSON lines. */
  data: string;
  /** Model directory to write. */
  out: string;
  /** Seed. */
  seed: string;
  /** Steps (default: one epoch). */
  steps?: string;
  /** Epochs when `steps` is not given. */
  epochs?: string;
  /** Batch size. */
  batch: string;
  /** Learning rate. */
  lr: string;
  /** Gradient threads (1 or 2). */
  workers: string;
}

/** Parses a numeric command-line value, or throws an {@linkcode OptionError}. */
export function parseNumber(option: string, value: string, integer: boolean): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new OptionError(option, integer ? "an integer" : "a number", value);
  }
  return v;
}

/** Runs the `train` subcommand; returns the summary line it prints. */
export async function runTrain(o: TrainCliOptions): Promise<string> {
  const m = await trainRanker(o.data, {
    outDir: o.out,
    seed: parseNumber("--seed", o.seed, true),
    steps: o.steps === undefined ? undefined : parseNumber("--steps", o.steps, true),
    epochs: o.epochs === undefined ? undefined : parseNumber("--epochs", o.epochs, false),
    batchSize: parseNumber("--batch", o.batch, true),
    lr: parseNumber("--lr", o.lr, false),
    workers: parseNumber("--workers", o.workers, true),
  });
  const p = m.provenance;
  return `${m.dir}: ${p.steps} steps x ${p.batchSize} pairs on ${p.instances} instances, ` +
    `loss ${p.lossCurve[0]} -> ${p.lossCurve.at(-1)}`;
}
