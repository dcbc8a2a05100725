/**
 * Worker thread of `train.ts`: computes the gradients of one shard of a
 * mini-batch (`pairGradients`) from plain data and posts them back.
 *
 * @module
 */

import { type HeadParams, newPairGrads, pairGradients, type PairWords } from "./ranker.ts";

/** A shard to compute: everything `pairGradients` reads. */
export interface ShardRequest {
  /** Embedding dimension. */
  dim: number;
  /** Kernels. */
  kernels: number;
  /** Distinct words of the batch. */
  words: number;
  /** Unit word vectors [words, dim]. */
  unit: Float64Array;
  /** Term gates [words]. */
  gate: Float64Array;
  /** Head parameters. */
  head: HeadParams;
  /** The shard's pairs (local word rows). */
  pairs: PairWords[];
  /** Labels of the shard's pairs. */
  labels: Float64Array;
  /** Loss scale (1 / batch size). */
  scale: number;
}

// deno-lint-ignore no-explicit-any
const scope = self as any;
scope.onmessage = (ev: MessageEvent<ShardRequest>) => {
  const r = ev.data;
  const g = newPairGrads(r.dim, r.kernels, r.words);
  pairGradients(r.dim, r.unit, r.gate, r.head, r.pairs, r.labels, 0, r.pairs.length, r.scale, g);
  scope.postMessage(g, [
    g.dUnit.buffer,
    g.dGate.buffer,
    g.dOutW.buffer,
    g.dOutB.buffer,
    g.dBm25W.buffer,
  ]);
};
