/**
 * The forward pass: word vectors and term gates from slot embeddings, then
 * kernel pooling per pair and the linear head.
 *
 * @module
 */

import { LOG_EPS, NORM_EPS, paramLayout, type RankerConfig } from "./config.ts";
import type { Batch, PairWords } from "./words.ts";

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

/** log(1 + e^x), stable for large |x|. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + e^-x): the derivative of {@linkcode softplus}. */
export function sigmoid(x: number): number {
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

/** Kernel pooling forward for one pair; fills `s` (the backward pass reads it) and returns the logit. */
export function pairForward(
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
 * import { DEFAULT_CONFIG, initParams } from "./config.ts";
 * import { makeBatch, WordTable } from "./words.ts";
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
