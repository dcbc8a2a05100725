/**
 * Training the ranker: binary cross-entropy on shuffled (query, passage,
 * label) instances, Adam (lazy on the embedding table: only rows a batch
 * touches are updated, as in sparse Adam), seeded initialisation and
 * shuffling. Each step's work (word vectors, the gradients of
 * {@linkcode SHARDS} fixed halves of the mini-batch, embedding-row updates) is
 * split between the main thread and, when `workers` is 2, a worker thread over
 * shared memory (see `train_step.ts`), with sums in a fixed order, so the
 * weights are byte-identical for a seed whatever the number of workers.
 * With the BM25 feature on, BM25 statistics come from the distinct passages
 * of the training data (the collection the training queries are ranked in).
 *
 * @module
 */

import { createHash } from "node:crypto";
import {
  checkNumberOption,
  guardExisting,
  InputError,
  LruMap,
  OptionError,
  parseIntOption,
  parseNumberOption,
  Progress,
  readTrainingInstances,
  refuseInputAsOutput,
  Rng,
  terms,
  type TrainingInstance,
} from "../util/mod.ts";
import {
  isModelDir,
  type ModelArtifact,
  type Provenance,
  saveModel,
  type Timing,
} from "./model_store.ts";
import { adamDense, adamStep, RowGrads } from "./adam.ts";
import { addGrads, type PairGrads, rawGradients } from "./backward.ts";
import {
  DEFAULT_CONFIG,
  initParams,
  paramLayout,
  type RankerConfig,
  validateConfig,
} from "./config.ts";
import { makeBatch, pairBm25, type PairWords, WordTable } from "./words.ts";
import {
  pairsPhase,
  rowsPhase,
  type StepBuffers,
  type StepRequest,
  vectorsPhase,
} from "./train_step.ts";

/**
 * Default Adam learning rate. High for Adam, but one epoch of ~100k pairs is
 * short: on XQuAD-R MRR@10 rose steadily from 1e-3 to 5e-3 (en and en->de).
 */
export const DEFAULT_LR = 5e-3;

/**
 * Defaults of {@linkcode TrainOptions}, shared by `train`, `reproduce` and their help.
 *
 * @example
 * ```ts
 * TRAIN_DEFAULTS.seed;
 * ```
 */
export const TRAIN_DEFAULTS = {
  /** Seed of initialisation and shuffling. */
  seed: 1,
  /** Passes over the data. */
  epochs: 1,
  /** Pairs per step, as in the paper. */
  batchSize: 64,
  /** Adam learning rate. */
  lr: DEFAULT_LR,
  /** Gradient threads (1 or 2; the result does not depend on it). */
  workers: 2,
} as const;

/** Gradient shards per mini-batch (fixed, so results do not depend on `workers`). */
export const SHARDS = 2;

/**
 * Options of {@linkcode trainRanker} and {@linkcode trainParams}.
 *
 * @example
 * ```ts
 * declare const trainOptions: TrainOptions;
 * trainOptions.seed;
 * ```
 */
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
  /**
   * Initial embedding table (`buckets x dim`), e.g. a cross-lingual prior;
   * default: the seeded random table.
   */
  embeddings?: Float32Array;
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

/** Milliseconds as seconds with 3 decimals. */
const sec = (ms: number) => Number((ms / 1000).toFixed(3));

/** Largest `--batch`: 65,536 pairs per step. */
const MAX_BATCH = 1 << 16;

/** Stops training whose loss or weights left the finite numbers: no model of NaNs is saved. */
function diverged(lr: number, step: number, what: string): never {
  throw new OptionError(
    "--lr",
    `a learning rate at which training stays finite (at step ${step} ${what}; try a smaller one)`,
    lr,
  );
}

function checkOptions(opts: TrainOptions) {
  const d = TRAIN_DEFAULTS;
  const seed = checkNumberOption("--seed", opts.seed ?? d.seed, { min: 0, integer: true });
  const batchSize = checkNumberOption("--batch", opts.batchSize ?? d.batchSize, {
    min: SHARDS,
    // The upper bound keeps the per-step buffers (batch × words × dim) allocatable.
    max: MAX_BATCH,
    integer: true,
  });
  const lr = checkNumberOption("--lr", opts.lr ?? d.lr, { above: 0 });
  const workers = checkNumberOption("--workers", opts.workers ?? d.workers, {
    min: 1,
    max: 2,
    integer: true,
  });
  if (opts.steps !== undefined) checkNumberOption("--steps", opts.steps, { min: 1, integer: true });
  const epochs = checkNumberOption("--epochs", opts.epochs ?? d.epochs, { above: 0 });
  const config: RankerConfig = { ...DEFAULT_CONFIG, ...opts.config };
  try {
    validateConfig(config);
  } catch (e) {
    throw new OptionError("config", "a valid ranker configuration", (e as Error).message);
  }
  return { seed, batchSize, lr, workers, epochs, config };
}

/** The worker thread of a training run (see `train_step.ts`). */
class StepWorker {
  #worker = new Worker(new URL("./train_worker.ts", import.meta.url).href, { type: "module" });

  /** Posts a request; resolves with the worker's answer. */
  request<T>(req: StepRequest): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#worker.onmessage = (ev: MessageEvent<T>) => resolve(ev.data);
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

/** Typed arrays over shared memory when a worker needs to see them. */
function allocator(shared: boolean) {
  const bytes = (n: number) => shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n);
  return {
    f32: (n: number) => new Float32Array(bytes(4 * n)),
    f64: (n: number) => new Float64Array(bytes(8 * n)),
    u8: (n: number) => new Uint8Array(bytes(n)),
  };
}

/** Training data featurised for one configuration: what the loop reads. */
interface Featurised {
  /** Word rows of every query and passage. */
  table: WordTable;
  /** Each instance's word rows (and BM25 score with the feature on). */
  pairs: PairWords[];
  /** Each instance's label. */
  labels: number[];
  /** sha256 of the instances as canonical JSON lines. */
  dataSha256: string;
  /** Seconds reading, tokenising and computing the BM25 feature. */
  phases: { read: number; tokenise: number; bm25: number };
}

/** Reads and featurises instances for `config` (the part of training that does not depend on the seed). */
async function featurise(
  instances: AsyncIterable<TrainingInstance> | Iterable<TrainingInstance>,
  config: RankerConfig,
): Promise<Featurised> {
  const t0 = performance.now();
  const table = new WordTable(config);
  const pairs: PairWords[] = [];
  const labels: number[] = [];
  const queries = new Map<string, Int32Array>();
  // Each distinct passage is tokenised once, for its word rows and the BM25 feature.
  const passages = new Map<string, { d: Int32Array; terms: readonly string[] }>();
  // Texts for the BM25 feature (only kept when it is on).
  const qTexts: string[] = [], dTexts: string[] = [];
  const sha = createHash("sha256");
  let tokenise = 0;
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
    const te = performance.now();
    let q = queries.get(x.query);
    if (!q) queries.set(x.query, q = table.encode(x.query, config.maxQueryLen));
    let p = passages.get(x.passage);
    if (!p) {
      const ts = terms(x.passage);
      passages.set(x.passage, p = { d: table.encodeTerms(ts, config.maxDocLen), terms: ts });
    }
    pairs.push({ q, d: p.d });
    tokenise += performance.now() - te;
    labels.push(x.label);
    if (config.bm25) {
      qTexts.push(x.query);
      dTexts.push(x.passage);
    }
  }
  if (pairs.length === 0) {
    throw new InputError("training data", undefined, "expected at least one instance");
  }
  const tb = performance.now();
  if (config.bm25) {
    const bm = pairBm25(qTexts, dTexts, (text) => passages.get(text)?.terms);
    for (let i = 0; i < pairs.length; i++) pairs[i].bm25 = bm[i];
  }
  const t1 = performance.now();
  return {
    table,
    pairs,
    labels,
    dataSha256: sha.digest("hex"),
    phases: { read: sec(tb - t0 - tokenise), tokenise: sec(tokenise), bm25: sec(t1 - tb) },
  };
}

/**
 * Featurised files kept for the next model of this process (a job-pool child
 * trains several models on one file: the ablation's variants, the seeds of
 * Zero-shot), keyed by path, inode, size, modification and change times, and
 * configuration; two files (each about 100 MB at the default size) at once.
 */
const featurisedFiles = new LruMap<string, Promise<Featurised>>(2);

/** {@linkcode featurise} of a file, from {@linkcode featurisedFiles} when it is unchanged. */
async function featuriseFile(path: string, config: RankerConfig): Promise<Featurised> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info) return await featurise(readTrainingInstances(path), config);
  const stamp = [info.ino, info.size, info.mtime?.getTime(), info.ctime?.getTime()];
  const key = JSON.stringify([path, stamp, config]);
  const cached = featurisedFiles.get(key);
  if (cached) {
    const { phases: _, ...data } = await cached;
    return { ...data, phases: { read: 0, tokenise: 0, bm25: 0 } };
  }
  const f = featurise(readTrainingInstances(path), config);
  featurisedFiles.set(key, f);
  f.catch(() => featurisedFiles.delete(key));
  return await f;
}

/**
 * Trains a ranker in memory.
 *
 * @param instances training instances (the whole set is held, featurised, to shuffle it)
 * @example
 * ```ts
 * import { readTrainingInstances } from "../util/mod.ts";
 * const m = await trainParams(readTrainingInstances("train.jsonl"), { seed: 1, steps: 500 });
 * ```
 */
export async function trainParams(
  instances: AsyncIterable<TrainingInstance> | Iterable<TrainingInstance>,
  opts: TrainOptions = {},
): Promise<TrainedModel> {
  const checked = checkOptions(opts);
  return await trainFeaturised(await featurise(instances, checked.config), checked, opts);
}

/** The optimisation loop over featurised data. */
async function trainFeaturised(
  data: Featurised,
  { seed, batchSize, lr, workers, epochs, config }: ReturnType<typeof checkOptions>,
  opts: TrainOptions,
): Promise<TrainedModel> {
  const { table, pairs, labels } = data;
  const steps = opts.steps ?? Math.max(1, Math.ceil(epochs * pairs.length / batchSize));
  const t1 = performance.now();

  const lay = paramLayout(config);
  const D = config.dim;
  const a = allocator(workers === 2);
  const maxWords = 1 + batchSize * (config.maxQueryLen + config.maxDocLen);
  const buf: StepBuffers = {
    params: a.f32(lay.size),
    adamM: a.f32(lay.size),
    adamV: a.f32(lay.size),
    wv: {
      raw: a.f64(maxWords * D),
      unit: a.f64(maxWords * D),
      gatePre: a.f64(maxWords),
      gate: a.f64(maxWords),
    },
    dv: a.f64(maxWords * D),
  };
  buf.params.set(initParams(config, seed, opts.embeddings));
  const adam = { params: buf.params, m: buf.adamM, v: buf.adamV };
  const gradDense = new Float64Array(lay.size - lay.gateW);
  // Embedding rows below `mid` are updated by the main thread, the rest by the worker.
  const mid = config.buckets >>> 1;
  const acc = new RowGrads(config.buckets, D);

  let order: number[] = [];
  let epoch = 0, cursor = 0;
  const nextIndex = () => {
    if (cursor === order.length) {
      order = new Rng(seed, 0x5f1e, epoch++).shuffle(Array.from(pairs.keys()));
      cursor = 0;
    }
    return order[cursor++];
  };

  const worker = workers === 2 ? new StepWorker() : undefined;
  const progress = new Progress({
    label: "train",
    total: steps * batchSize,
    enabled: opts.progress,
  });
  const windowSize = Math.max(1, Math.ceil(steps / 10));
  const lossCurve: number[] = [];
  let windowLoss = 0, windowPairs = 0;
  try {
    await worker?.request({ kind: "init", config, buffers: buf });
    const nextBatch = () => {
      const idx = Array.from({ length: batchSize }, nextIndex);
      const batch = makeBatch(table, idx.map((i) => pairs[i]));
      return { batch, y: Float64Array.from(idx, (i) => labels[i]) };
    };
    let next = nextBatch();
    for (let step = 1; step <= steps; step++) {
      const { batch, y } = next;
      const scale = 1 / batchSize;
      const half = Math.ceil(batchSize / SHARDS);
      const words = worker ? Math.ceil(batch.words / 2) : batch.words;
      const vectors = worker?.request({
        kind: "vectors",
        batch,
        labels: y,
        from: words,
        to: batch.words,
      });
      vectorsPhase(config, buf, batch, 0, words);
      await vectors;
      const remote = worker?.request<PairGrads>({
        kind: "pairs",
        from: half,
        to: batchSize,
        scale,
      });
      const g = pairsPhase(config, buf, batch, y, 0, half, scale);
      addGrads(
        g,
        remote ? await remote : pairsPhase(config, buf, batch, y, half, batchSize, scale),
      );
      windowLoss += g.loss;
      windowPairs += batchSize;
      if (!Number.isFinite(g.loss)) diverged(lr, step, `the loss is ${g.loss}`);
      if (step % windowSize === 0 || step === steps) {
        lossCurve.push(Number((windowLoss / windowPairs).toFixed(6)));
        windowLoss = windowPairs = 0;
      }

      gradDense.fill(0);
      rawGradients(config, buf.params, batch, buf.wv, g, buf.dv, gradDense);
      const st = adamStep(lr, step);
      const rows = worker?.request({ kind: "rows", lo: mid, hi: config.buckets, step: st });
      rowsPhase(config, buf, acc, batch, 0, mid, st);
      // A batch depends on the shuffled order only, not on the weights: the next one is made
      // while the worker finishes its rows.
      if (step < steps) next = nextBatch();
      if (rows) await rows;
      else rowsPhase(config, buf, acc, batch, mid, config.buckets, st);
      adamDense(adam, gradDense, lay.gateW, st);
      progress.add(batchSize);
      // Weights are checked once per loss window (a full scan every step would cost a step).
      if (step % windowSize === 0 || step === steps) {
        const bad = buf.params.findIndex((w) => !Number.isFinite(w));
        if (bad !== -1) diverged(lr, step, `weight ${bad} is ${buf.params[bad]}`);
      }
    }
  } finally {
    worker?.close();
    progress.done();
  }
  // A plain (unshared) copy for the caller.
  const params = buf.params.slice();
  const t2 = performance.now();
  const seconds = (t2 - t1) / 1000;
  const provenance: Provenance = {
    dataSha256: data.dataSha256,
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
    loadSeconds: sec(1000 * (data.phases.read + data.phases.tokenise + data.phases.bm25)),
    seconds: sec(t2 - t1),
    pairsPerSecond: Math.round(steps * batchSize / seconds),
    workers,
    phases: { ...data.phases, train: sec(t2 - t1) },
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
  const checked = checkOptions(opts);
  const data = typeof source === "string"
    ? await featuriseFile(source, checked.config)
    : await featurise(source, checked.config);
  const m = await trainFeaturised(data, checked, opts);
  return await saveModel(opts.outDir, m.config, m.params, m.provenance, m.timing);
}

/**
 * Options of the `train` subcommand, as strings from the command line.
 *
 * @example
 * ```ts
 * declare const trainCliOptions: TrainCliOptions;
 * trainCliOptions.data;
 * ```
 */
export interface TrainCliOptions {
  /** Training instances, JSON lines. */
  data: string;
  /** Model directory to write. */
  out: string;
  /** Seed. */
  seed?: string;
  /** Steps (default: one epoch). */
  steps?: string;
  /** Epochs when `steps` is not given. */
  epochs?: string;
  /** Batch size. */
  batch?: string;
  /** Learning rate. */
  lr?: string;
  /** Gradient threads (1 or 2). */
  workers?: string;
  /** Replace an existing `out` that is not a model directory. */
  force?: boolean;
}

/**
 * Runs the `train` subcommand; returns the summary line it prints.
 *
 * @example
 * ```ts
 * console.log(await runTrain({ data: "train.jsonl", out: "models/zs", steps: "500" }));
 * ```
 */
export async function runTrain(o: TrainCliOptions): Promise<string> {
  // Checked before training: never replace the data, nor what is not a model, unasked.
  await refuseInputAsOutput(o.out, [{ option: "--data", path: o.data }]);
  await guardExisting(o.out, {
    what: "model directory (config.json, weights.f32)",
    isOwn: isModelDir,
    force: o.force,
  });
  const m = await trainRanker(o.data, {
    outDir: o.out,
    // Range checks (and defaults) are trainRanker's; the command only parses.
    seed: parseIntOption("--seed", o.seed),
    steps: parseIntOption("--steps", o.steps),
    epochs: parseNumberOption("--epochs", o.epochs),
    batchSize: parseIntOption("--batch", o.batch),
    lr: parseNumberOption("--lr", o.lr),
    workers: parseIntOption("--workers", o.workers),
  });
  const p = m.provenance;
  return `${m.dir}: ${p.steps} steps x ${p.batchSize} pairs on ${p.instances} instances, ` +
    `loss ${p.lossCurve[0]} -> ${p.lossCurve.at(-1)}`;
}
