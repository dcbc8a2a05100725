/**
 * The cross-lingual prior's objective: a symmetric InfoNCE (contrastive)
 * alignment of the ranker's hashed word vectors over translation pairs, with
 * the other pairs of a batch as negatives. It stands in for multilingual
 * pre-training: before any ranking data, a word and its translation get
 * nearby vectors, through the same embedding rows (whole word and character
 * n-grams) that the ranker reads.
 *
 * @module
 */

import {
  adamStep,
  initParams,
  paramLayout,
  type RankerConfig,
  RowGrads,
  wordSlots,
} from "../ranker/mod.ts";
import { Progress, Rng } from "../util/mod.ts";

/**
 * Hyper-parameters of {@linkcode alignEmbeddings}.
 *
 * @example
 * ```ts
 * const o: PriorOptions = { ...PRIOR_DEFAULTS, epochs: 1 };
 * ```
 */
export interface PriorOptions {
  /** Seed of the initial embeddings and of the pair order. */
  seed: number;
  /** Passes over the pairs. */
  epochs: number;
  /** Pairs per step; the other pairs of a batch are the negatives. */
  batchSize: number;
  /** Adam learning rate. */
  lr: number;
  /** Softmax temperature of the cosine similarities. */
  temperature: number;
}

/**
 * Defaults of {@linkcode PriorOptions}, fixed on the development split of the
 * prior half (BLI P@1), see README.
 *
 * @example
 * ```ts
 * PRIOR_DEFAULTS.temperature; // 0.2
 * ```
 */
export const PRIOR_DEFAULTS: Readonly<PriorOptions> = Object.freeze({
  seed: 1,
  epochs: 4,
  batchSize: 256,
  lr: 5e-3,
  temperature: 0.2,
});

/**
 * The result of {@linkcode alignEmbeddings}.
 *
 * @example
 * ```ts
 * declare const aligned: AlignedEmbeddings;
 * aligned.embeddings.length;
 * ```
 */
export interface AlignedEmbeddings {
  /** The embedding table, `buckets x dim`, as the ranker lays it out. */
  embeddings: Float32Array;
  /** Mean loss of each tenth of training. */
  lossCurve: number[];
  /** Optimiser steps taken. */
  steps: number;
}

/** Slot ids of words, hashed once each. */
export class SlotCache {
  #cfg: RankerConfig;
  #slots = new Map<string, Int32Array>();
  /** @param cfg the ranker configuration whose hashing is used */
  constructor(cfg: RankerConfig) {
    this.#cfg = cfg;
  }
  /** The slots of `word`. */
  get(word: string): Int32Array {
    let s = this.#slots.get(word);
    if (!s) this.#slots.set(word, s = wordSlots(this.#cfg, word));
    return s;
  }
}

/**
 * Writes the unit word vector of `slots` (the mean of their rows, normalised)
 * into `out[o, o + dim)` and returns the norm before normalisation.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * const cfg = { ...DEFAULT_CONFIG, dim: 4, buckets: 16 };
 * const emb = new Float32Array(16 * 4).fill(1);
 * const out = new Float64Array(4);
 * unitVector(emb, 4, Int32Array.of(1, 2), out, 0); // 2
 * ```
 */
export function unitVector(
  emb: Float32Array,
  dim: number,
  slots: Int32Array,
  out: Float64Array,
  o: number,
): number {
  out.fill(0, o, o + dim);
  for (let j = 0; j < slots.length; j++) {
    const e = slots[j] * dim;
    for (let t = 0; t < dim; t++) out[o + t] += emb[e + t];
  }
  let sq = 0;
  for (let t = 0; t < dim; t++) sq += (out[o + t] /= slots.length) ** 2;
  const norm = Math.sqrt(sq) + 1e-12;
  for (let t = 0; t < dim; t++) out[o + t] /= norm;
  return norm;
}

/**
 * The ranker's seeded initial embedding table, where alignment starts.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * const cfg = { ...DEFAULT_CONFIG, dim: 8, buckets: 1024 };
 * initialTable(cfg, 1).length; // 8192
 * ```
 */
export function initialTable(cfg: RankerConfig, seed: number): Float32Array {
  const lay = paramLayout(cfg);
  return initParams(cfg, seed).slice(lay.emb, lay.emb + cfg.buckets * cfg.dim);
}

/**
 * Cross-entropy of the softmax over `n` entries of `s` (entry m at
 * `first + m * stride`, the target at `target`), adding its gradient to `g`:
 * a row (English -> foreign) or a column (foreign -> English) of the batch.
 */
function softmaxLine(
  s: Float64Array,
  g: Float64Array,
  n: number,
  first: number,
  stride: number,
  target: number,
): number {
  let mx = -Infinity, z = 0;
  for (let m = 0; m < n; m++) mx = Math.max(mx, s[first + m * stride]);
  for (let m = 0; m < n; m++) z += Math.exp(s[first + m * stride] - mx);
  for (let m = 0; m < n; m++) g[first + m * stride] += Math.exp(s[first + m * stride] - mx) / z;
  const t = first + target * stride;
  g[t] -= 1;
  return -(s[t] - mx - Math.log(z));
}

/**
 * Aligns the ranker's embedding table on translation pairs: starting from
 * `start` (aligned in place; default the ranker's seeded initial embeddings),
 * minimises the symmetric InfoNCE loss of
 * the cosine similarities of each batch's (English, foreign) word vectors,
 * with sparse Adam on the rows a batch touches.
 *
 * @param pairs (English word, foreign word) pairs
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * const cfg = { ...DEFAULT_CONFIG, dim: 8, buckets: 1024 };
 * const a = await alignEmbeddings(cfg, [["dog", "hund"], ["cat", "katze"]], {
 *   ...PRIOR_DEFAULTS,
 *   batchSize: 2,
 * });
 * a.steps; // 3
 * ```
 */
export async function alignEmbeddings(
  cfg: RankerConfig,
  pairs: readonly (readonly [string, string])[],
  opts: PriorOptions,
  progress?: boolean,
  start: Float32Array = initialTable(cfg, opts.seed),
): Promise<AlignedEmbeddings> {
  const D = cfg.dim, B = Math.min(opts.batchSize, pairs.length), tau = opts.temperature;
  const embeddings = start;
  const state = {
    params: embeddings,
    m: new Float32Array(embeddings.length),
    v: new Float32Array(embeddings.length),
  };
  const acc = new RowGrads(cfg.buckets, D);
  const slots = new SlotCache(cfg);
  const steps = Math.max(1, Math.ceil(opts.epochs * pairs.length / B));
  const ua = new Float64Array(B * D), ub = new Float64Array(B * D);
  const na = new Float64Array(B), nb = new Float64Array(B);
  const dua = new Float64Array(B * D), dub = new Float64Array(B * D);
  const s = new Float64Array(B * B), g = new Float64Array(B * B);
  const bar = new Progress({ label: "prior", total: steps, enabled: progress });

  let order: number[] = [], cursor = 0, epoch = 0;
  const next = () => {
    if (cursor === order.length) {
      order = new Rng(opts.seed, 0x9e1a, epoch++).shuffle(Array.from(pairs.keys()));
      cursor = 0;
    }
    return pairs[order[cursor++]];
  };
  const back = (du: Float64Array, u: Float64Array, norm: number, o: number, sl: Int32Array) => {
    let dot = 0;
    for (let t = 0; t < D; t++) dot += u[o + t] * du[o + t];
    const k = 1 / (norm * sl.length);
    for (const id of sl) {
      const e = acc.slot(id), grad = acc.grad;
      for (let t = 0; t < D; t++) grad[e + t] += (du[o + t] - u[o + t] * dot) * k;
    }
  };

  const windowSize = Math.max(1, Math.ceil(steps / 10));
  const lossCurve: number[] = [];
  let windowLoss = 0, windowSteps = 0;
  for (let step = 1; step <= steps; step++) {
    const batch = Array.from({ length: B }, next);
    const sa = batch.map(([a]) => slots.get(a)), sb = batch.map(([, b]) => slots.get(b));
    for (let i = 0; i < B; i++) {
      na[i] = unitVector(embeddings, D, sa[i], ua, i * D);
      nb[i] = unitVector(embeddings, D, sb[i], ub, i * D);
    }
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < B; j++) {
        let dot = 0;
        for (let t = 0; t < D; t++) dot += ua[i * D + t] * ub[j * D + t];
        s[i * B + j] = dot / tau;
      }
    }
    // Row softmax (English -> foreign) and column softmax (foreign -> English).
    let loss = 0;
    g.fill(0);
    for (let i = 0; i < B; i++) loss += softmaxLine(s, g, B, i * B, 1, i);
    for (let j = 0; j < B; j++) loss += softmaxLine(s, g, B, j, B, j);
    loss /= 2 * B;
    const c = 1 / (2 * B * tau);
    dua.fill(0);
    dub.fill(0);
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < B; j++) {
        const gij = g[i * B + j] * c;
        if (gij === 0) continue;
        for (let t = 0; t < D; t++) {
          dua[i * D + t] += gij * ub[j * D + t];
          dub[j * D + t] += gij * ua[i * D + t];
        }
      }
    }
    for (let i = 0; i < B; i++) {
      back(dua, ua, na[i], i * D, sa[i]);
      back(dub, ub, nb[i], i * D, sb[i]);
    }
    acc.apply(state, adamStep(opts.lr, step));
    windowLoss += loss;
    windowSteps++;
    if (step % windowSize === 0 || step === steps) {
      lossCurve.push(Number((windowLoss / windowSteps).toFixed(6)));
      windowLoss = windowSteps = 0;
    }
    bar.add(1);
    // Minutes of arithmetic: let timers run (the stage lock's heartbeat among them).
    if (step % 32 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  bar.done();
  return { embeddings, lossCurve, steps };
}
