/**
 * The backward pass: gradients of pair losses with respect to word unit
 * vectors, gates and the head, then through the word vectors to the raw
 * vectors and their embedding slots.
 *
 * @module
 */

import { BM25_FEATURES, LOG_EPS, NORM_EPS, paramLayout, type RankerConfig } from "./config.ts";
import {
  type HeadParams,
  pairForward,
  Scratch,
  sigmoid,
  softplus,
  type WordVectors,
} from "./forward.ts";
import type { RowGrads } from "./adam.ts";
import type { Batch, PairWords } from "./words.ts";

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
 * `acc`'s sums of its slots' embedding rows, for rows in `[lo, hi)` only, in
 * word order. Each row thus sums in the same order whatever the split, so
 * threads that take disjoint row ranges give the same bytes as one thread.
 */
export function scatterSlots(
  cfg: RankerConfig,
  batch: Batch,
  dv: Float64Array,
  acc: RowGrads,
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
      const e = acc.slot(row);
      const grad = acc.grad;
      for (let t = 0; t < D; t++) grad[e + t] += a * dv[o + t];
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
