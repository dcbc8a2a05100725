/**
 * The compact neural cross-encoder: KNRM kernel pooling (Xiong et al., 2017)
 * over the cosine similarity matrix of query and document word vectors, where
 * a word vector is the mean of hashed embeddings of the whole word and of its
 * character 3-5-grams (fastText style). Unseen words and cognates still get
 * vectors, and identical strings always get identical vectors, so they land in
 * the exact-match kernel (mu = 1, sigma = 1e-3). Each query term's log-kernel
 * features are weighted by a learned gate (softplus of a linear function of the
 * raw word vector) so the model can learn IDF-like term importance, then a
 * linear layer gives one logit. Optionally (`bm25`, default on) the logit also
 * gets w0 * x + w1 * log(1 + x), where x is the pair's BM25 score with
 * statistics from the collection being ranked, i.e. the distinct documents of
 * the pairs (see {@linkcode pairBm25}), as in rankers that combine kernel
 * features with BM25.
 *
 * This module holds the configuration, the parameter layout, featurisation
 * (text -> word rows -> hashed slot ids) and the forward and backward passes.
 * The same featurised batch feeds the TypeScript forward, training and the
 * ONNX graph (see `onnx_export.ts`).
 *
 * @module
 */

import { Bm25Index } from "../bm25/mod.ts";
import { fnv1a, FNV_OFFSET, Rng, terms } from "../util/mod.ts";

/**
 * Model hyper-parameters and hashing parameters; saved as `config.json`.
 *
 * @example
 * ```ts
 * declare const rankerConfig: RankerConfig;
 * rankerConfig.dim;
 * ```
 */
export interface RankerConfig {
  /** Embedding dimension. */
  dim: number;
  /** Rows of the hashed embedding table (words and n-grams share it). */
  buckets: number;
  /** Smallest character n-gram of `<word>`. */
  minN: number;
  /** Largest character n-gram of `<word>`. */
  maxN: number;
  /** At most this many slots per word: the whole word, then n-grams shortest first. */
  maxSlots: number;
  /** Query tokens kept (the rest is cut). */
  maxQueryLen: number;
  /** Document tokens kept (the rest is cut). */
  maxDocLen: number;
  /** Kernel centres. */
  mus: number[];
  /** Kernel widths (same length as `mus`). */
  sigmas: number[];
  /** Salt of the string hash. */
  hashSeed: number;
  /** Add the learned BM25 feature w0 * x + w1 * log(1 + x) to the logit (x: see `pairBm25`). */
  bm25: boolean;
}

/**
 * The default model: 2^18 x 32 hashed embeddings, 11 KNRM kernels.
 *
 * @example
 * ```ts
 * const small: RankerConfig = { ...DEFAULT_CONFIG, dim: 8, buckets: 64 };
 * ```
 */
export const DEFAULT_CONFIG: Readonly<RankerConfig> = Object.freeze({
  dim: 32,
  buckets: 1 << 18,
  minN: 3,
  maxN: 5,
  maxSlots: 24,
  maxQueryLen: 32,
  maxDocLen: 128,
  mus: [1, 0.9, 0.7, 0.5, 0.3, 0.1, -0.1, -0.3, -0.5, -0.7, -0.9],
  sigmas: [1e-3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
  hashSeed: 0x5eed,
  bm25: true,
});

/** Weights of the BM25 feature: raw score and log(1 + score). */
export const BM25_FEATURES = 2;

/**
 * Initial weight of each kernel feature. Small, because the log of an empty far
 * kernel is about -14: with 1/kernels the first logits are around -80 and the
 * early steps only undo that (0.01 measured +0.4 MRR@10 en, +5.6 en->de on XQuAD-R).
 */
export const OUT_W_INIT = 0.01;

/** Added to |v|^2 before the square root, so an all-zero (padding) word has norm > 0. */
export const NORM_EPS = 1e-12;
/** Added to kernel sums before the log, so empty or far-off documents stay finite. */
export const LOG_EPS = 1e-6;

/** Offsets of each parameter tensor inside the flat parameter vector. */
export interface ParamLayout {
  /** Embedding table [buckets, dim]. */
  emb: number;
  /** Gate weights [dim]. */
  gateW: number;
  /** Gate bias [1]. */
  gateB: number;
  /** Kernel feature weights [kernels]. */
  outW: number;
  /** Output bias [1]. */
  outB: number;
  /** BM25 feature weights [BM25_FEATURES] (absent, zero length, without `bm25`). */
  bm25W: number;
  /** Total length. */
  size: number;
}

/**
 * Computes where each tensor lives in the flat parameter vector.
 *
 * @example
 * ```ts
 * const lay = paramLayout({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * lay.emb; // 0: the embedding table comes first
 * ```
 */
export function paramLayout(cfg: RankerConfig): ParamLayout {
  const emb = 0;
  const gateW = cfg.buckets * cfg.dim;
  const gateB = gateW + cfg.dim;
  const outW = gateB + 1;
  const outB = outW + cfg.mus.length;
  const bm25W = outB + 1;
  return { emb, gateW, gateB, outW, outB, bm25W, size: bm25W + (cfg.bm25 ? BM25_FEATURES : 0) };
}

/** Checks a configuration; throws a `RangeError` naming the bad field. */
export function validateConfig(cfg: RankerConfig): void {
  const int = (k: keyof RankerConfig, min: number) => {
    const v = cfg[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new RangeError(`ranker config: ${k} must be an integer >= ${min}, got ${v}`);
    }
  };
  int("dim", 1);
  int("buckets", 2);
  int("minN", 1);
  int("maxN", cfg.minN);
  int("maxSlots", 1);
  int("maxQueryLen", 1);
  int("maxDocLen", 1);
  int("hashSeed", 0);
  if (typeof cfg.bm25 !== "boolean") {
    throw new RangeError(`ranker config: bm25 must be true or false, got ${cfg.bm25}`);
  }
  if (!Array.isArray(cfg.mus) || cfg.mus.length === 0 || cfg.mus.length !== cfg.sigmas?.length) {
    throw new RangeError("ranker config: mus and sigmas must be non-empty and of equal length");
  }
  if (cfg.sigmas.some((s) => !(s > 0)) || cfg.mus.some((m) => !Number.isFinite(m))) {
    throw new RangeError("ranker config: sigmas must be > 0 and mus finite");
  }
}

/**
 * Fresh seeded parameters: embeddings ~ N(0, 0.1^2), gate weights ~ N(0, 0.01^2)
 * with bias softplus^-1(1) (every term starts with weight 1), output weights
 * {@linkcode OUT_W_INIT}, BM25 weights 0.
 *
 * @example
 * ```ts
 * const cfg = { ...DEFAULT_CONFIG, dim: 8, buckets: 64 };
 * initParams(cfg, 1).length === paramLayout(cfg).size; // true
 * ```
 */
export function initParams(cfg: RankerConfig, seed: number): Float32Array {
  const lay = paramLayout(cfg);
  const p = new Float32Array(lay.size);
  const rng = new Rng(seed, 0x1417);
  for (let i = 0; i < lay.gateW; i++) p[i] = 0.1 * rng.normal();
  for (let i = 0; i < cfg.dim; i++) p[lay.gateW + i] = 0.01 * rng.normal();
  p[lay.gateB] = Math.log(Math.E - 1);
  p.fill(OUT_W_INIT, lay.outW, lay.outB);
  p[lay.outB] = 0;
  return p;
}

/** Salted FNV-1a over the UTF-16 code units `s[start, end)`, then an avalanche. */
function hashRange(s: string, start: number, end: number, salt: number): number {
  let h = fnv1a(s, start, end, (FNV_OFFSET ^ salt) >>> 0);
  // Final avalanche so that nearby strings spread over the buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Embedding rows of one word: the whole word first, then the character n-grams
 * of `<word>`, shortest n first, left to right, at most `maxSlots` in all.
 *
 * @example
 * ```ts
 * wordSlots(DEFAULT_CONFIG, "cat"); // 1 + 3 + 2 + 1 = 7 row ids
 * ```
 */
export function wordSlots(cfg: RankerConfig, word: string): Int32Array {
  const w = `<${word}>`;
  const ids: number[] = [hashRange(w, 0, w.length, cfg.hashSeed ^ 0x77) % cfg.buckets];
  for (let n = cfg.minN; n <= cfg.maxN && ids.length < cfg.maxSlots; n++) {
    for (let i = 0; i + n <= w.length && ids.length < cfg.maxSlots; i++) {
      ids.push(hashRange(w, i, i + n, cfg.hashSeed) % cfg.buckets);
    }
  }
  return Int32Array.from(ids);
}

/**
 * A query-document pair as word lists (row numbers into a word table).
 *
 * @example
 * ```ts
 * declare const pairWords: PairWords;
 * pairWords.q;
 * ```
 */
export interface PairWords {
  /** Query words (indices into the word table). */
  q: Int32Array;
  /** Document words (indices into the word table). */
  d: Int32Array;
  /** BM25 score of the pair (a float32 value; 0 when absent). */
  bm25?: number;
}

/**
 * Maps words to rows of a word table and remembers their slots, so that each
 * distinct word is hashed once. Row 0 is reserved for padding (no slots).
 *
 * @example
 * ```ts
 * const table = new WordTable({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * const pair = table.pair("a cat", "the cat sat");
 * pair.q.length; // 2 query words
 * ```
 */
export class WordTable {
  /** The configuration the slots are hashed with. */
  readonly cfg: RankerConfig;
  #index = new Map<string, number>();
  /** Slot ids per row (row 0: empty, padding). */
  readonly slots: Int32Array[] = [new Int32Array(0)];

  /** Creates an empty table for `cfg`. */
  constructor(cfg: RankerConfig) {
    this.cfg = cfg;
  }

  /** Number of rows, including the padding row. */
  get size(): number {
    return this.slots.length;
  }

  /** Row of `word`, adding it if new. */
  row(word: string): number {
    let r = this.#index.get(word);
    if (r === undefined) {
      r = this.slots.length;
      this.#index.set(word, r);
      this.slots.push(wordSlots(this.cfg, word));
    }
    return r;
  }

  /** Rows of the first `max` terms of `text`. */
  encode(text: string, max: number, lang?: string): Int32Array {
    const ts = terms(text, lang);
    const n = Math.min(ts.length, max);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.row(ts[i]);
    return out;
  }

  /** Encodes a query-document pair with the configured length limits. */
  pair(query: string, doc: string, lang?: string): PairWords {
    return {
      q: this.encode(query, this.cfg.maxQueryLen, lang),
      d: this.encode(doc, this.cfg.maxDocLen, lang),
    };
  }
}

/** Hashed slot ids of some word-table rows, padded to a rectangle. */
export interface SlotMatrix {
  /** Slots per row K (the maximum over the rows, at least 1). */
  slots: number;
  /** Slot ids [rows, K]; padding slots hold `buckets` (an all-zero row in the ONNX graph). */
  slotIds: Int32Array;
  /** 1/n per row for its n slots (0 for the padding row 0): word vector = scale * sum. */
  wordScale: Float32Array;
}

/**
 * A featurised batch: the distinct words of the batch with their slot ids and
 * weights (local row 0 is padding), and each pair's words as local rows; what
 * the TypeScript forward and backward passes take.
 */
export interface Batch extends SlotMatrix {
  /** Distinct words W (including the padding row 0). */
  words: number;
  /** Pairs with query/document words as local rows. */
  pairs: PairWords[];
}

/**
 * Slot ids and scales of `rows` of `table`, in that order (the word graph's
 * inputs), padded to the longest row, or to `slots` columns when given.
 *
 * @example
 * ```ts
 * const table = new WordTable({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * const { q } = table.pair("a cat", "the cat");
 * slotMatrix(table, q).slotIds.length;
 * ```
 */
export function slotMatrix(
  table: WordTable,
  rows: ArrayLike<number>,
  slots?: number,
): SlotMatrix {
  let k = slots ?? 1;
  for (let i = 0; i < rows.length; i++) k = Math.max(k, table.slots[rows[i]].length);
  const slotIds = new Int32Array(rows.length * k).fill(table.cfg.buckets);
  const wordScale = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const s = table.slots[rows[i]];
    slotIds.set(s, i * k);
    if (s.length > 0) wordScale[i] = 1 / s.length;
  }
  return { slots: k, slotIds, wordScale };
}

/**
 * Collects the distinct words of `pairs` (rows of `table`) into a {@linkcode Batch},
 * in order of first appearance, so the same pairs always give the same batch.
 *
 * @example
 * ```ts
 * const table = new WordTable({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * const batch = makeBatch(table, [table.pair("a cat", "the cat sat")]);
 * batch.words; // distinct words, padding row included
 * ```
 */
export function makeBatch(table: WordTable, pairs: readonly PairWords[]): Batch {
  const local = new Map<number, number>();
  const rows: number[] = [0];
  local.set(0, 0);
  const map = (ws: Int32Array) => {
    const out = new Int32Array(ws.length);
    for (let i = 0; i < ws.length; i++) {
      let l = local.get(ws[i]);
      if (l === undefined) {
        l = rows.length;
        local.set(ws[i], l);
        rows.push(ws[i]);
      }
      out[i] = l;
    }
    return out;
  };
  const mapped = pairs.map((p) => ({ q: map(p.q), d: map(p.d), bm25: p.bm25 ?? 0 }));
  return { words: rows.length, ...slotMatrix(table, rows), pairs: mapped };
}

/** Per-word quantities of a batch: raw vectors, unit vectors and term gates. */
export interface WordVectors {
  /** Raw (mean of slot embeddings) vectors [W, dim]. */
  raw: Float64Array;
  /** Unit vectors [W, dim]. */
  unit: Float64Array;
  /** Gate pre-activations [W]. */
  gatePre: Float64Array;
  /** Gates softplus(gatePre) [W]. */
  gate: Float64Array;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Zeroed word vector buffers for `words` words of dimension `dim`. */
export function newWordVectors(dim: number, words: number): WordVectors {
  return {
    raw: new Float64Array(words * dim),
    unit: new Float64Array(words * dim),
    gatePre: new Float64Array(words),
    gate: new Float64Array(words),
  };
}

/** Computes the word vectors and gates of a batch from the parameters. */
export function wordVectors(cfg: RankerConfig, params: Float32Array, batch: Batch): WordVectors {
  const wv = newWordVectors(cfg.dim, batch.words);
  wordVectorsInto(cfg, params, batch, wv, 0, batch.words);
  return wv;
}

/**
 * Computes the vectors and gates of the batch's words `[from, to)` into `out`
 * (buffers at least as large as the batch's); words are independent, so
 * threads can fill disjoint ranges.
 */
export function wordVectorsInto(
  cfg: RankerConfig,
  params: Float32Array,
  batch: Batch,
  out: WordVectors,
  from: number,
  to: number,
): void {
  const lay = paramLayout(cfg);
  const D = cfg.dim, K = batch.slots;
  const { raw, unit, gatePre, gate } = out;
  for (let w = from; w < to; w++) {
    const o = w * D;
    raw.fill(0, o, o + D);
    for (let j = 0; j < K; j++) {
      const id = batch.slotIds[w * K + j];
      if (id === cfg.buckets) break;
      const e = lay.emb + id * D;
      for (let t = 0; t < D; t++) raw[o + t] += params[e + t];
    }
    const a = batch.wordScale[w];
    for (let t = 0; t < D; t++) raw[o + t] *= a;
    let sq = 0, g = params[lay.gateB];
    for (let t = 0; t < D; t++) {
      sq += raw[o + t] * raw[o + t];
      g += params[lay.gateW + t] * raw[o + t];
    }
    const r = 1 / Math.sqrt(sq + NORM_EPS);
    for (let t = 0; t < D; t++) unit[o + t] = raw[o + t] * r;
    gatePre[w] = g;
    gate[w] = softplus(g);
  }
}

/** The kernel-pooling head's inputs shared by the pair kernels. */
export interface HeadParams {
  /** Kernel centres. */
  mus: Float64Array;
  /** -1 / (2 sigma^2) per kernel. */
  negInv2s2: Float64Array;
  /** -1 / sigma^2 per kernel (for the gradient). */
  negInvS2: Float64Array;
  /** Output weights [kernels]. */
  outW: Float64Array;
  /** Output bias. */
  outB: number;
  /** BM25 feature weights (empty when the feature is off). */
  bm25W: Float64Array;
}

/** Extracts the head parameters from the flat vector. */
export function headParams(cfg: RankerConfig, params: Float32Array): HeadParams {
  const lay = paramLayout(cfg);
  const nk = cfg.mus.length;
  return {
    mus: Float64Array.from(cfg.mus),
    negInv2s2: Float64Array.from(cfg.sigmas, (s) => -1 / (2 * s * s)),
    negInvS2: Float64Array.from(cfg.sigmas, (s) => -1 / (s * s)),
    outW: Float64Array.from(params.subarray(lay.outW, lay.outW + nk)),
    outB: params[lay.outB],
    bm25W: Float64Array.from(params.subarray(lay.bm25W, lay.size)),
  };
}

/** Reusable scratch space for the pair kernels (grows as needed). */
export class Scratch {
  /** Similarities [Lq*Ld]. */
  m = new Float64Array(0);
  /** Kernel values [Lq*Ld*nk]. */
  e = new Float64Array(0);
  /** Kernel sums [Lq*nk]. */
  ks = new Float64Array(0);

  /** Makes room for a pair of the given lengths. */
  fit(lq: number, ld: number, nk: number): void {
    if (this.m.length < lq * ld) this.m = new Float64Array(lq * ld * 2);
    if (this.e.length < lq * ld * nk) this.e = new Float64Array(lq * ld * nk * 2);
    if (this.ks.length < lq * nk) this.ks = new Float64Array(lq * nk * 2);
  }
}

/** Kernel pooling forward for one pair; fills `s` and returns the logit. */
function pairForward(
  D: number,
  unit: Float64Array,
  gate: Float64Array,
  head: HeadParams,
  p: PairWords,
  s: Scratch,
): number {
  const nk = head.mus.length, lq = p.q.length, ld = p.d.length;
  s.fit(lq, ld, nk);
  const { m, e, ks } = s;
  let logit = head.outB;
  for (let i = 0; i < lq; i++) {
    const qo = p.q[i] * D;
    for (let k = 0; k < nk; k++) ks[i * nk + k] = 0;
    for (let j = 0; j < ld; j++) {
      const dOff = p.d[j] * D;
      let dot = 0;
      for (let t = 0; t < D; t++) dot += unit[qo + t] * unit[dOff + t];
      m[i * ld + j] = dot;
      const eo = (i * ld + j) * nk;
      for (let k = 0; k < nk; k++) {
        const x = dot - head.mus[k];
        const v = Math.exp(x * x * head.negInv2s2[k]);
        e[eo + k] = v;
        ks[i * nk + k] += v;
      }
    }
    const g = gate[p.q[i]];
    for (let k = 0; k < nk; k++) logit += head.outW[k] * g * Math.log(ks[i * nk + k] + LOG_EPS);
  }
  if (head.bm25W.length > 0) {
    const x = p.bm25 ?? 0;
    logit += head.bm25W[0] * x + head.bm25W[1] * Math.log1p(x);
  }
  return logit;
}

/**
 * Logits of pairs with the TypeScript forward pass (the reference the ONNX
 * graph is tested against).
 *
 * @example
 * ```ts
 * const cfg = { ...DEFAULT_CONFIG, dim: 8, buckets: 64 };
 * const table = new WordTable(cfg);
 * const batch = makeBatch(table, [table.pair("a cat", "the cat sat")]);
 * forwardBatch(cfg, initParams(cfg, 1), batch).length; // 1 logit
 * ```
 */
export function forwardBatch(cfg: RankerConfig, params: Float32Array, batch: Batch): Float32Array {
  const wv = wordVectors(cfg, params, batch);
  const head = headParams(cfg, params);
  const s = new Scratch();
  const out = new Float32Array(batch.pairs.length);
  for (let b = 0; b < batch.pairs.length; b++) {
    out[b] = pairForward(cfg.dim, wv.unit, wv.gate, head, batch.pairs[b], s);
  }
  return out;
}

/** Gradients of a group of pairs with respect to word unit vectors, gates and the head. */
export interface PairGrads {
  /** d loss / d unit vectors [W, dim]. */
  dUnit: Float64Array;
  /** d loss / d gates [W]. */
  dGate: Float64Array;
  /** d loss / d output weights [kernels]. */
  dOutW: Float64Array;
  /** d loss / d output bias (length 1). */
  dOutB: Float64Array;
  /** d loss / d BM25 weights (length {@linkcode BM25_FEATURES}). */
  dBm25W: Float64Array;
  /** Sum of the pairs' losses (before scaling). */
  loss: number;
}

/** Zeroed gradient buffers for a batch of `words` words. */
export function newPairGrads(dim: number, kernels: number, words: number): PairGrads {
  return {
    dUnit: new Float64Array(words * dim),
    dGate: new Float64Array(words),
    dOutW: new Float64Array(kernels),
    dOutB: new Float64Array(1),
    dBm25W: new Float64Array(BM25_FEATURES),
    loss: 0,
  };
}

/**
 * Forward and backward pass of binary cross-entropy for pairs `[from, to)`,
 * accumulating (in pair order) `scale` times the gradient into `g`. This is the
 * part that worker threads run; everything it reads is plain data.
 */
export function pairGradients(
  D: number,
  unit: Float64Array,
  gate: Float64Array,
  head: HeadParams,
  pairs: readonly PairWords[],
  labels: ArrayLike<number>,
  from: number,
  to: number,
  scale: number,
  g: PairGrads,
): void {
  const s = new Scratch();
  const nk = head.mus.length;
  const dL = new Float64Array(nk);
  for (let b = from; b < to; b++) {
    const p = pairs[b];
    const z = pairForward(D, unit, gate, head, p, s);
    const y = labels[b];
    // BCE with logits: softplus(z) - y z; d/dz = sigmoid(z) - y.
    g.loss += softplus(z) - y * z;
    const dz = (sigmoid(z) - y) * scale;
    g.dOutB[0] += dz;
    const x = p.bm25 ?? 0;
    g.dBm25W[0] += dz * x;
    g.dBm25W[1] += dz * Math.log1p(x);
    const { m, e, ks } = s;
    const lq = p.q.length, ld = p.d.length;
    for (let i = 0; i < lq; i++) {
      const qi = p.q[i];
      const gi = gate[qi];
      let dg = 0;
      for (let k = 0; k < nk; k++) {
        const kv = ks[i * nk + k] + LOG_EPS;
        const lk = Math.log(kv);
        g.dOutW[k] += dz * gi * lk;
        dg += dz * head.outW[k] * lk;
        dL[k] = dz * head.outW[k] * gi / kv;
      }
      g.dGate[qi] += dg;
      const qo = qi * D;
      for (let j = 0; j < ld; j++) {
        const mv = m[i * ld + j];
        const eo = (i * ld + j) * nk;
        let dm = 0;
        for (let k = 0; k < nk; k++) {
          dm += dL[k] * e[eo + k] * (mv - head.mus[k]) * head.negInvS2[k];
        }
        if (dm === 0) continue;
        const dOff = p.d[j] * D;
        for (let t = 0; t < D; t++) {
          g.dUnit[qo + t] += dm * unit[dOff + t];
          g.dUnit[dOff + t] += dm * unit[qo + t];
        }
      }
    }
  }
}

/**
 * Back-propagates word-level gradients through the gates and the
 * normalisation: the gradient of each word's raw (mean-of-slots) vector into
 * `dv` [words, dim], and the small dense gradients into `gradDense` (gateW
 * [dim], gateB, outW [kernels], outB, then bm25W when configured). See
 * {@linkcode scatterSlots} for the embedding rows.
 */
export function rawGradients(
  cfg: RankerConfig,
  params: Float32Array,
  batch: Batch,
  wv: WordVectors,
  g: PairGrads,
  dv: Float64Array,
  gradDense: Float64Array,
): void {
  const lay = paramLayout(cfg);
  const D = cfg.dim, nk = cfg.mus.length;
  for (let w = 1; w < batch.words; w++) {
    const o = w * D;
    let sq = 0, dot = 0;
    for (let t = 0; t < D; t++) {
      sq += wv.raw[o + t] * wv.raw[o + t];
      dot += wv.raw[o + t] * g.dUnit[o + t];
    }
    const q = sq + NORM_EPS;
    const r = 1 / Math.sqrt(q);
    const dPre = g.dGate[w] * sigmoid(wv.gatePre[w]);
    // d(v / sqrt(|v|^2 + eps)) = dn / r' - v (v . dn) / r'^3, plus the gate path.
    for (let t = 0; t < D; t++) {
      dv[o + t] = g.dUnit[o + t] * r - wv.raw[o + t] * dot * r / q +
        dPre * params[lay.gateW + t];
      gradDense[t] += dPre * wv.raw[o + t];
    }
    gradDense[D] += dPre;
  }
  for (let k = 0; k < nk; k++) gradDense[D + 1 + k] += g.dOutW[k];
  gradDense[D + 1 + nk] += g.dOutB[0];
  for (let j = 0; j < lay.size - lay.bm25W; j++) gradDense[D + 2 + nk + j] += g.dBm25W[j];
}

/**
 * Adds each word's `dv` from {@linkcode rawGradients} (scaled by 1/slots) into
 * the `gradEmb` rows of its slots (listed once each in `touched`, first touch
 * first), for rows in `[lo, hi)` only,
 * in word order. Each row thus sums in the same order whatever the split, so
 * threads that take disjoint row ranges give the same bytes as one thread.
 */
export function scatterSlots(
  cfg: RankerConfig,
  batch: Batch,
  dv: Float64Array,
  gradEmb: Float64Array,
  touched: number[],
  seen: Uint8Array,
  lo: number,
  hi: number,
): void {
  const D = cfg.dim, K = batch.slots;
  for (let w = 1; w < batch.words; w++) {
    const o = w * D;
    const a = batch.wordScale[w];
    for (let j = 0; j < K; j++) {
      const row = batch.slotIds[w * K + j];
      if (row === cfg.buckets) break;
      if (row < lo || row >= hi) continue;
      if (!seen[row]) {
        seen[row] = 1;
        touched.push(row);
      }
      const e = row * D;
      for (let t = 0; t < D; t++) gradEmb[e + t] += a * dv[o + t];
    }
  }
}

/** Adds `b` into `a` element-wise (fixed order, so sums are reproducible). */
export function addGrads(a: PairGrads, b: PairGrads): void {
  for (let i = 0; i < a.dUnit.length; i++) a.dUnit[i] += b.dUnit[i];
  for (let i = 0; i < a.dGate.length; i++) a.dGate[i] += b.dGate[i];
  for (let i = 0; i < a.dOutW.length; i++) a.dOutW[i] += b.dOutW[i];
  a.dOutB[0] += b.dOutB[0];
  for (let i = 0; i < a.dBm25W.length; i++) a.dBm25W[i] += b.dBm25W[i];
  a.loss += b.loss;
}

/**
 * BM25 (k1 0.9, b 0.4) of each pair `(queries[i], docs[i])`, with document
 * frequencies and lengths from the distinct texts of `docs` (the collection
 * being ranked), rounded to float32 as the ONNX graph receives them.
 *
 * @example
 * ```ts
 * pairBm25(["red fox", "red fox"], ["the red fox", "a dog"]); // [> 0, 0]
 * ```
 */
export function pairBm25(queries: readonly string[], docs: readonly string[]): Float32Array {
  if (queries.length !== docs.length) {
    throw new RangeError(`pairBm25: ${queries.length} queries but ${docs.length} documents`);
  }
  const ids = new Map<string, string>();
  for (const d of docs) if (!ids.has(d)) ids.set(d, String(ids.size));
  const index = Bm25Index.build(Array.from(ids, ([text, id]) => ({ id, text })));
  // One call per distinct query, so each query is tokenised once.
  const byQuery = new Map<string, number[]>();
  queries.forEach((q, i) => {
    let l = byQuery.get(q);
    if (!l) byQuery.set(q, l = []);
    l.push(i);
  });
  const out = new Float32Array(queries.length);
  for (const [q, idx] of byQuery) {
    const s = index.score(q, idx.map((i) => ids.get(docs[i])!));
    for (let j = 0; j < idx.length; j++) out[idx[j]] = s[j];
  }
  return out;
}
