/**
 * The parts of a training step that the main thread and the worker thread
 * (`train_worker.ts`) split between them, over shared memory. Each phase is
 * cut so that no two threads write the same bytes and every sum runs in a
 * fixed order, so one or two threads give byte-identical weights:
 *
 * 1. word vectors, split by word;
 * 2. pair gradients, split into the step's two fixed shards (the main thread
 *    adds them in order and computes the raw-vector gradients `dv`);
 * 3. scattering `dv` into embedding rows and the Adam update of those rows,
 *    split by row range (each thread sums its rows in its own {@linkcode RowGrads}).
 *
 * @module
 */

import type { AdamStep, RowGrads } from "./adam.ts";
import { newPairGrads, pairGradients, type PairGrads, scatterSlots } from "./backward.ts";
import type { RankerConfig } from "./config.ts";
import { headParams, type WordVectors, wordVectorsInto } from "./forward.ts";
import type { Batch } from "./words.ts";

/** Memory both threads use (typed arrays over `SharedArrayBuffer`s when there is a worker). */
export interface StepBuffers {
  /** Flat parameters. */
  params: Float32Array;
  /** Adam first moments. */
  adamM: Float32Array;
  /** Adam second moments. */
  adamV: Float32Array;
  /** Word vectors of the step's batch (room for the largest batch). */
  wv: WordVectors;
  /** Gradients of the batch's raw word vectors [words, dim]. */
  dv: Float64Array;
}

/** Messages to the worker thread; each is answered once the work is done. */
export type StepRequest =
  | { kind: "init"; config: RankerConfig; buffers: StepBuffers }
  | { kind: "vectors"; batch: Batch; labels: Float64Array; from: number; to: number }
  | { kind: "pairs"; from: number; to: number; scale: number }
  | { kind: "rows"; lo: number; hi: number; step: AdamStep };

/** Phase 1: word vectors of the batch's words `[from, to)` into `b.wv`. */
export function vectorsPhase(
  config: RankerConfig,
  b: StepBuffers,
  batch: Batch,
  from: number,
  to: number,
): void {
  wordVectorsInto(config, b.params, batch, b.wv, from, to);
}

/** Phase 2: loss and gradients of pairs `[from, to)`, scaled by `scale`. */
export function pairsPhase(
  config: RankerConfig,
  b: StepBuffers,
  batch: Batch,
  labels: Float64Array,
  from: number,
  to: number,
  scale: number,
): PairGrads {
  const g = newPairGrads(config.dim, config.mus.length, batch.words);
  const head = headParams(config, b.params);
  pairGradients(config.dim, b.wv.unit, b.wv.gate, head, batch.pairs, labels, from, to, scale, g);
  return g;
}

/**
 * Phase 3: embedding rows `[lo, hi)`: scatter `b.dv` into `acc` (this
 * thread's), then Adam on the rows touched.
 */
export function rowsPhase(
  config: RankerConfig,
  b: StepBuffers,
  acc: RowGrads,
  batch: Batch,
  lo: number,
  hi: number,
  step: AdamStep,
): void {
  scatterSlots(config, batch, b.dv, acc, lo, hi);
  acc.apply({ params: b.params, m: b.adamM, v: b.adamV }, step);
}
