/**
 * Scoring candidate lists with a trained ranker: featurise pairs in
 * TypeScript, run the exported ONNX graph with onnxruntime-node in batches
 * (pairs sorted by length so that little padding is computed), or run the
 * TypeScript forward pass instead. Also reads candidate files and writes TREC
 * runs for the `score` subcommand.
 *
 * @module
 */

import * as ort from "onnxruntime-node";
import {
  checkNumberOption,
  guardExisting,
  InputError,
  LruMap,
  OptionError,
  parseIntOption,
  parseJsonObject,
  PathError,
  readLines,
  refuseInputAsOutput,
  TREC_WORD,
} from "../util/mod.ts";
import {
  ExternalCrossEncoder,
  forwardBatch,
  isHfModelDir,
  loadModel,
  makeBatch,
  type ModelArtifact,
  openOnnxSession,
  pairBm25,
  type PairWords,
  slotMatrix,
  WordTable,
} from "../ranker/mod.ts";
import { isRunFile, type Run, writeRun } from "../evaluate/mod.ts";
import { trainedMaxLength } from "../trainer/mod.ts";

/**
 * One query-candidate pair to score.
 *
 * @example
 * ```ts
 * declare const candidate: Candidate;
 * candidate.qid;
 * ```
 */
export interface Candidate {
  /** Query id. */
  qid: string;
  /** Query text. */
  query: string;
  /** Candidate document id. */
  docid: string;
  /** Candidate document text. */
  doc: string;
}

/**
 * Where the forward pass runs.
 *
 * @example
 * ```ts
 * const scoreBackend: ScoreBackend = "onnx";
 * ```
 */
export type ScoreBackend = "onnx" | "ts";

/**
 * Defaults of scoring, shared by `score`, `reproduce` and their help.
 *
 * @example
 * ```ts
 * SCORE_DEFAULTS.backend;
 * ```
 */
export const SCORE_DEFAULTS = {
  /** Forward-pass backend. */
  backend: "onnx" as ScoreBackend,
  /** ONNX Runtime intra-op threads. */
  threads: 2,
  /** Pairs per ONNX Runtime call. */
  batchSize: 32,
  /** Distinct words a scorer remembers across calls. */
  cacheWords: 1 << 20,
  /** Run tag (last column of a run file). */
  tag: "csclir",
} as const;

/** Options for {@linkcode Scorer.create} and {@linkcode scoreCandidates}. */
export interface ScoreOptions {
  /** `onnx` (default): onnxruntime-node; `ts`: the TypeScript forward pass. */
  backend?: ScoreBackend;
  /** ONNX Runtime intra-op threads (1 or 2; default 2). */
  threads?: number;
  /** Pairs per ONNX run (default 32; small batches keep the kernel tensors in cache). */
  batchSize?: number;
  /**
   * Distinct words a scorer remembers across calls, with their vectors, before
   * it starts afresh (bounds memory; default 2^20). Encoded texts are kept up
   * to a quarter of this.
   */
  cacheWords?: number;
}

/** Word vectors of the first `words` rows of a word table, as the pair graph takes them. */
export interface WordVectorTable {
  /** Unit vectors, row-major, at least [words, dim]. */
  unit: Float32Array;
  /** Term gates, at least [words]. */
  gate: Float32Array;
  /** Rows in use. */
  words: number;
  /** Vector dimension. */
  dim: number;
}

/** Inputs of the pair graph for `pairs` whose words are rows of `vectors`. */
export function pairFeeds(
  vectors: WordVectorTable,
  pairs: readonly PairWords[],
  withBm25: boolean,
): Record<string, ort.Tensor> {
  const B = pairs.length;
  let lq = 1, ld = 1;
  for (const p of pairs) {
    lq = Math.max(lq, p.q.length);
    ld = Math.max(ld, p.d.length);
  }
  const qIdx = new Int32Array(B * lq), qMask = new Float32Array(B * lq);
  const dIdx = new Int32Array(B * ld), dMask = new Float32Array(B * ld);
  for (let b = 0; b < B; b++) {
    const p = pairs[b];
    qIdx.set(p.q, b * lq);
    qMask.fill(1, b * lq, b * lq + p.q.length);
    dIdx.set(p.d, b * ld);
    dMask.fill(1, b * ld, b * ld + p.d.length);
  }
  const { unit, gate, words, dim } = vectors;
  const feeds: Record<string, ort.Tensor> = {
    unit: new ort.Tensor("float32", unit.subarray(0, words * dim), [words, dim]),
    gate: new ort.Tensor("float32", gate.subarray(0, words), [words]),
    q_idx: new ort.Tensor("int32", qIdx, [B, lq]),
    q_mask: new ort.Tensor("float32", qMask, [B, lq]),
    d_idx: new ort.Tensor("int32", dIdx, [B, ld]),
    d_mask: new ort.Tensor("float32", dMask, [B, ld]),
  };
  if (withBm25) {
    const bm = Float32Array.from(pairs, (p) => p.bm25 ?? 0);
    feeds.bm25 = new ort.Tensor("float32", bm, [B]);
  }
  return feeds;
}

// Rows of every word-graph run. ONNX Runtime picks kernels by tensor shape, so a
// fixed shape (rows padded, slots padded to maxSlots) gives each word the same
// vector bits whatever else is embedded with it.
const WORD_CHUNK = 1024;

/**
 * A loaded model ready to score pairs. It keeps a table of the words it has
 * seen with their vectors, so each distinct word goes through the word graph
 * once and batches of pairs only run the pair graph.
 *
 * @example
 * ```ts
 * import { loadModel } from "../ranker/mod.ts";
 * const scorer = await Scorer.create(await loadModel("models/zs"), { threads: 2 });
 * const logits = await scorer.score([{ qid: "1", query: "who", docid: "d", doc: "he" }]);
 * await scorer.release();
 * ```
 */
export class Scorer {
  /** The model being scored with. */
  readonly model: ModelArtifact;
  #sessions?: { words: ort.InferenceSession; pairs: ort.InferenceSession };
  #batchSize: number;
  #cacheWords: number;
  #table: WordTable;
  #texts = new Map<string, Int32Array>();
  // Unit vectors and gates of the table rows [0, #ready), in growable buffers.
  #unit = new Float32Array(0);
  #gate = new Float32Array(0);
  #ready = 0;

  private constructor(
    model: ModelArtifact,
    sessions: { words: ort.InferenceSession; pairs: ort.InferenceSession } | undefined,
    bs: number,
    cacheWords: number,
  ) {
    this.model = model;
    this.#sessions = sessions;
    this.#batchSize = bs;
    this.#cacheWords = cacheWords;
    this.#table = new WordTable(model.config);
  }

  /** Opens a scorer (creates the ONNX Runtime sessions unless `backend` is `ts`). */
  static async create(model: ModelArtifact, opts: ScoreOptions = {}): Promise<Scorer> {
    const d = SCORE_DEFAULTS;
    const backend = opts.backend ?? d.backend;
    if (backend !== "onnx" && backend !== "ts") {
      throw new OptionError("--backend", '"onnx" or "ts"', backend);
    }
    const int = (option: string, v: number, max?: number) =>
      checkNumberOption(option, v, { min: 1, max, integer: true });
    const threads = int("--threads", opts.threads ?? d.threads, 64);
    const bs = int("--batch", opts.batchSize ?? d.batchSize);
    const cacheWords = int("cacheWords", opts.cacheWords ?? d.cacheWords);
    if (backend === "ts") return new Scorer(model, undefined, bs, cacheWords);
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      // Far kernels give float32 denormals, which are many times slower to compute
      // with; values below 1e-38 change nothing next to LOG_EPS.
      extra: { session: { set_denormal_as_zero: "1" } },
    };
    const words = await openOnnxSession(model.onnx.words, options);
    const pairs = await openOnnxSession(model.onnx.pairs, options);
    return new Scorer(model, { words, pairs }, bs, cacheWords);
  }

  /**
   * Logits of `items`, in input order. With the BM25 feature, BM25 statistics
   * come from the distinct documents of `items` (the candidate pool).
   */
  async score(items: readonly Candidate[]): Promise<Float32Array> {
    if (this.#table.size > this.#cacheWords || this.#texts.size > this.#cacheWords / 4) {
      this.#table = new WordTable(this.model.config);
      this.#texts.clear();
      this.#ready = 0;
    }
    const table = this.#table, cfg = this.model.config;
    // Queries repeat for every candidate and candidates repeat across queries: tokenise once.
    const encode = (text: string, max: number, key: string) => {
      let ws = this.#texts.get(key);
      if (!ws) this.#texts.set(key, ws = table.encode(text, max));
      return ws;
    };
    const bm = cfg.bm25 ? pairBm25(items.map((c) => c.query), items.map((c) => c.doc)) : undefined;
    const pairs: PairWords[] = items.map((c, i) => ({
      q: encode(c.query, cfg.maxQueryLen, "q\u0000" + c.query),
      d: encode(c.doc, cfg.maxDocLen, "d\u0000" + c.doc),
      bm25: bm?.[i],
    }));
    await this.#embedNewWords();
    // Sorting by length keeps padding small; the stable tie-break keeps batches reproducible.
    const order = Array.from(pairs.keys()).sort((a, b) =>
      pairs[a].d.length - pairs[b].d.length || pairs[a].q.length - pairs[b].q.length || a - b
    );
    const out = new Float32Array(items.length);
    for (let s = 0; s < order.length; s += this.#batchSize) {
      const idx = order.slice(s, s + this.#batchSize);
      const logits = await this.#run(idx.map((i) => pairs[i]));
      for (let j = 0; j < idx.length; j++) out[idx[j]] = logits[j];
    }
    return out;
  }

  // Runs the word graph on the table rows that have no vectors yet.
  async #embedNewWords(): Promise<void> {
    const size = this.#table.size, D = this.model.config.dim;
    if (!this.#sessions || size <= this.#ready) return;
    if (this.#gate.length < size) {
      const cap = Math.max(size, 2 * this.#gate.length);
      const unit = new Float32Array(cap * D), gate = new Float32Array(cap);
      unit.set(this.#unit.subarray(0, this.#ready * D));
      gate.set(this.#gate.subarray(0, this.#ready));
      [this.#unit, this.#gate] = [unit, gate];
    }
    const maxSlots = this.model.config.maxSlots;
    for (let from = this.#ready; from < size; from += WORD_CHUNK) {
      const n = Math.min(WORD_CHUNK, size - from);
      // Rows past the new words are the padding row 0.
      const rows = Int32Array.from({ length: WORD_CHUNK }, (_, i) => i < n ? from + i : 0);
      const m = slotMatrix(this.#table, rows, maxSlots);
      const res = await this.#sessions.words.run({
        slot_ids: new ort.Tensor("int32", m.slotIds, [WORD_CHUNK, m.slots]),
        word_scale: new ort.Tensor("float32", m.wordScale, [WORD_CHUNK]),
      });
      this.#unit.set((res.unit.data as Float32Array).subarray(0, n * D), from * D);
      this.#gate.set((res.gate.data as Float32Array).subarray(0, n), from);
    }
    this.#ready = size;
  }

  async #run(pairs: PairWords[]): Promise<Float32Array> {
    const cfg = this.model.config;
    if (!this.#sessions) return forwardBatch(cfg, this.model.params, makeBatch(this.#table, pairs));
    const vectors = { unit: this.#unit, gate: this.#gate, words: this.#ready, dim: cfg.dim };
    const feeds = pairFeeds(vectors, pairs, cfg.bm25);
    const res = await this.#sessions.pairs.run(feeds);
    return res.logit.data as Float32Array;
  }

  /** Frees the ONNX Runtime sessions. */
  async release(): Promise<void> {
    await this.#sessions?.words.release();
    await this.#sessions?.pairs.release();
    this.#sessions = undefined;
  }
}

/**
 * Anything that scores candidates: a {@linkcode Scorer} of the project's own
 * models or an `ExternalCrossEncoder` of a Hugging Face-style model directory.
 *
 * @example
 * ```ts
 * declare const scorer: CandidateScorer;
 * await scorer.score([{ qid: "1", query: "who", docid: "d", doc: "he" }]);
 * ```
 */
export interface CandidateScorer {
  /** Logits of `items`, in input order. */
  score(items: readonly Candidate[]): Promise<Float32Array>;
  /** Frees the ONNX Runtime sessions. */
  release(): Promise<void>;
}

/**
 * An opened model of either kind, with what `score` needs to know about it.
 *
 * @example
 * ```ts
 * declare const opened: OpenedModel;
 * opened.files; // the model's files, which a run file must not overwrite
 * ```
 */
export interface OpenedModel {
  /** The scorer. */
  scorer: CandidateScorer;
  /** The model's graph files. */
  files: string[];
  /** Whether the whole candidate file must be scored as one pool (BM25-feature models). */
  pooled: boolean;
}

/**
 * Opens a model for scoring: a directory written by `train` (or its loaded
 * artifact), or a Hugging Face-style cross-encoder directory (`model.onnx`,
 * `tokenizer.json`, `config.json`, e.g. one written by a transformer trainer),
 * scored through `ExternalCrossEncoder`.
 *
 * @example
 * ```ts
 * const { scorer } = await openScorer("models/ce", { threads: 2 });
 * await scorer.score([{ qid: "1", query: "who", docid: "d", doc: "he" }]);
 * await scorer.release();
 * ```
 */
export async function openScorer(
  model: ModelArtifact | string,
  opts: ScoreOptions = {},
): Promise<OpenedModel> {
  if (typeof model === "string" && await isHfModelDir(model)) {
    if ((opts.backend ?? SCORE_DEFAULTS.backend) !== "onnx") {
      throw new OptionError("--backend", "onnx for a Hugging Face model directory", opts.backend);
    }
    const int = (option: string, v: number, max?: number) =>
      checkNumberOption(option, v, { min: 1, max, integer: true });
    const scorer = await ExternalCrossEncoder.load(model, {
      maxLength: await trainedMaxLength(model),
      intraOpNumThreads: int("--threads", opts.threads ?? SCORE_DEFAULTS.threads, 64),
      batchSize: int("--batch", opts.batchSize ?? SCORE_DEFAULTS.batchSize),
    });
    return { scorer, files: [`${model}/model.onnx`], pooled: false };
  }
  const artifact = typeof model === "string" ? await loadModel(model) : model;
  return {
    scorer: await Scorer.create(artifact, opts),
    files: [artifact.onnx.words, artifact.onnx.pairs],
    pooled: artifact.config.bm25,
  };
}

/**
 * Opened models kept for reuse: evaluations of one model follow each other,
 * so its sessions and the vectors of the words it has seen stay open for the
 * next set instead of being loaded again. Each model's scorer serves one
 * caller at a time; the least recently used beyond `capacity` is released.
 *
 * @example
 * ```ts
 * const scorers = new ScorerCache({ threads: 1 });
 * const logits = await scorers.use("models/zs", (s) =>
 *   s.score([{ qid: "1", query: "who", docid: "d", doc: "he" }]));
 * await scorers.close();
 * ```
 */
export class ScorerCache {
  readonly #opts: ScoreOptions;
  readonly #open: LruMap<string, { scorer: Promise<CandidateScorer>; tail: Promise<unknown> }>;

  /** @param capacity models kept open at once (default 1) */
  constructor(opts: ScoreOptions = {}, capacity = 1) {
    this.#opts = opts;
    this.#open = new LruMap(capacity);
  }

  /** Runs `f` with the scorer of the model in `dir`, after any earlier use of it ends. */
  use<T>(dir: string, f: (scorer: CandidateScorer) => Promise<T>): Promise<T> {
    const e = this.#open.get(dir) ?? {
      scorer: openScorer(dir, this.#opts).then((o) => o.scorer),
      tail: Promise.resolve(),
    };
    const result = e.tail.then(async () => f(await e.scorer));
    e.tail = result.catch(() => {});
    // Those pushed out are released once their last use has ended.
    for (const o of this.#open.set(dir, e)) {
      void o.tail.then(() => o.scorer).then((s) => s.release(), () => {});
    }
    return result;
  }

  /** Releases every open scorer once its uses have ended. */
  async close(): Promise<void> {
    for (const o of this.#open.clear()) {
      await o.tail;
      await (await o.scorer.catch(() => undefined))?.release();
    }
  }
}

/**
 * Scores pairs with a model (an artifact or its directory) and returns their
 * logits in input order.
 *
 * @example
 * ```ts
 * const candidates = [{ qid: "1", query: "who", docid: "d", doc: "he" }];
 * const scores = await scoreCandidates("models/zs", candidates, { threads: 2 });
 * ```
 */
export async function scoreCandidates(
  model: ModelArtifact | string,
  items: readonly Candidate[],
  opts: ScoreOptions = {},
): Promise<Float32Array> {
  const { scorer } = await openScorer(model, opts);
  try {
    return await scorer.score(items);
  } finally {
    await scorer.release();
  }
}

/**
 * Reads a candidates file, streaming: JSON lines `{qid, query, docid, doc}`,
 * or, for names ending in `.tsv` / `.tsv.gz`, `qid<TAB>docid<TAB>query<TAB>doc`.
 * Malformed lines raise an {@linkcode InputError} naming file and line.
 */
export async function* readCandidates(path: string): AsyncGenerator<Candidate> {
  for await (const { c } of candidateLines(path)) yield c;
}

async function* candidateLines(path: string): AsyncGenerator<{ c: Candidate; n: number }> {
  const tsv = /\.tsv(\.gz)?$/i.test(path);
  for await (const { text, n } of readLines(path)) {
    if (text.trim() === "") continue;
    if (tsv) {
      const f = text.split("\t");
      if (f.length !== 4) {
        throw new InputError(
          path,
          n,
          `expected 4 tab-separated fields qid, docid, query, doc, got ${f.length}`,
        );
      }
      checkIds(f[0], f[1], path, n);
      yield { c: { qid: f[0], docid: f[1], query: f[2], doc: f[3] }, n };
      continue;
    }
    const o = parseJsonObject(text, path, n);
    for (const k of ["qid", "query", "docid", "doc"]) {
      if (typeof o[k] !== "string") {
        throw new InputError(
          path,
          n,
          `expected a string field "${k}", got ${JSON.stringify(o[k])}`,
        );
      }
    }
    const [qid, query, docid, doc] = [o.qid, o.query, o.docid, o.doc] as string[];
    checkIds(qid, docid, path, n);
    yield { c: { qid, query, docid, doc }, n };
  }
}

/** Ids go into TREC run lines: non-empty, and without the whitespace that splits fields there. */
function checkIds(qid: string, docid: string, path: string, n: number): void {
  for (const [name, id] of [["qid", qid], ["docid", docid]]) {
    if (!TREC_WORD.test(id)) {
      throw new InputError(
        path,
        n,
        `expected a non-empty ${name} without spaces, tabs or line breaks (TREC runs split ` +
          `fields there), got ${JSON.stringify(id)}`,
      );
    }
  }
}

/** Options of {@linkcode scoreCandidateFile}. */
export interface ScoreFileOptions extends ScoreOptions {
  /** Run tag (last column; one word). Default `csclir`. */
  tag?: string;
  /**
   * Pairs read and scored per chunk (bounds memory; default 65,536). Ignored for
   * models with the BM25 feature: the whole file is the collection its BM25
   * statistics come from, so it is scored as one pool.
   */
  chunk?: number;
  /** Replace an existing output that is not a TREC run file (`--force`). */
  force?: boolean;
}

/** Counts of a scored candidates file. */
export interface ScoreFileStats {
  /** Pairs scored. */
  pairs: number;
  /** Distinct queries. */
  queries: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/**
 * Scores a candidates file and writes a TREC run (`qid Q0 docid rank score tag`,
 * trec_eval order, fixed decimals) atomically. Texts are read in chunks (one pool
 * for BM25-feature models) and
 * dropped once scored, so only ids and scores are held in memory. A repeated
 * (qid, docid) pair is an {@linkcode InputError}.
 */
export async function scoreCandidateFile(
  model: ModelArtifact | string,
  candidatesPath: string,
  outPath: string,
  opts: ScoreFileOptions = {},
): Promise<ScoreFileStats> {
  const t0 = performance.now();
  const tag = opts.tag ?? SCORE_DEFAULTS.tag;
  if (!/^\S+$/.test(tag)) throw new OptionError("--tag", "one non-empty word", tag);
  const { scorer, files, pooled } = await openScorer(model, opts);
  const modelDir = typeof model === "string" ? model : model.dir;
  try {
    await refuseInputAsOutput(outPath, [
      { option: "--candidates", path: candidatesPath },
      ...files.map((path) => ({ option: "--model", path })),
    ]);
    await guardExisting(outPath, { what: "TREC run file", isOwn: isRunFile, force: opts.force });
  } catch (e) {
    await scorer.release();
    throw e;
  }
  const chunkSize = pooled ? Infinity : opts.chunk ?? 65536;
  const run: Run = new Map();
  const seen = new Map<string, Set<string>>();
  let pairs = 0;
  try {
    let chunk: Candidate[] = [];
    const flush = async () => {
      const scores = await scorer.score(chunk);
      for (let i = 0; i < chunk.length; i++) {
        const { qid, docid } = chunk[i];
        if (!Number.isFinite(scores[i])) {
          throw new PathError(
            modelDir,
            `the model scores query "${qid}", document "${docid}" as ${scores[i]}; ` +
              "no run is written (retrain the model, e.g. with a smaller --lr)",
          );
        }
        let docs = run.get(qid);
        if (!docs) run.set(qid, docs = []);
        docs.push({ docid, score: scores[i] });
      }
      pairs += chunk.length;
      chunk = [];
    };
    for await (const { c, n } of candidateLines(candidatesPath)) {
      let ids = seen.get(c.qid);
      if (!ids) seen.set(c.qid, ids = new Set());
      if (ids.has(c.docid)) {
        throw new InputError(
          candidatesPath,
          n,
          `duplicate candidate "${c.docid}" for query "${c.qid}"`,
        );
      }
      ids.add(c.docid);
      chunk.push(c);
      if (chunk.length >= chunkSize) await flush();
    }
    if (chunk.length > 0) await flush();
  } finally {
    await scorer.release();
  }
  await writeRun(outPath, run, tag);
  return { pairs, queries: run.size, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Options of the `score` subcommand, as strings from the command line.
 *
 * @example
 * ```ts
 * declare const scoreCliOptions: ScoreCliOptions;
 * scoreCliOptions.model;
 * ```
 */
export interface ScoreCliOptions {
  /** Model directory. */
  model: string;
  /** Candidates file. */
  candidates: string;
  /** Run file to write. */
  out: string;
  /** ONNX Runtime threads. */
  threads?: string;
  /** Pairs per ONNX run. */
  batch?: string;
  /** `onnx` or `ts`. */
  backend?: string;
  /** Run tag. */
  tag?: string;
  /** Replace an existing `out` that is not a TREC run file. */
  force?: boolean;
}

/**
 * Runs the `score` subcommand; returns the summary line it prints.
 *
 * @example
 * ```ts
 * console.log(await runScore({ model: "models/zs", candidates: "cands.jsonl", out: "runs/zs.run" }));
 * ```
 */
export async function runScore(o: ScoreCliOptions): Promise<string> {
  // Range checks (and defaults) are the Scorer's; the command only parses.
  const s = await scoreCandidateFile(o.model, o.candidates, o.out, {
    threads: parseIntOption("--threads", o.threads),
    batchSize: parseIntOption("--batch", o.batch),
    backend: o.backend as ScoreBackend,
    tag: o.tag,
    force: o.force,
  });
  return `${o.out}: ${s.pairs} pairs, ${s.queries} queries, ` +
    `${Math.round(s.pairs / Math.max(s.seconds, 1e-9))} pairs/s`;
}
