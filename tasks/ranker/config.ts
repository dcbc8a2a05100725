/**
 * The compact neural cross-encoder's configuration and parameters: KNRM
 * kernel pooling (Xiong et al., 2017) over the cosine similarity matrix of
 * query and document word vectors, where a word vector is the mean of hashed
 * embeddings of the whole word and of its character 3-5-grams (fastText
 * style). Unseen words and cognates still get vectors, and identical strings
 * always get identical vectors, so they land in the exact-match kernel
 * (mu = 1, sigma = 1e-3). Each query term's log-kernel features are weighted
 * by a learned gate (softplus of a linear function of the raw word vector) so
 * the model can learn IDF-like term importance, then a linear layer gives one
 * logit. Optionally (`bm25`, default on) the logit also gets
 * w0 * x + w1 * log(1 + x), where x is the pair's BM25 score with statistics
 * from the collection being ranked (see `pairBm25`).
 *
 * This module holds the configuration, the flat parameter layout and the
 * initial parameters; `words.ts` featurises text, `forward.ts` and
 * `backward.ts` run the model. The same featurised batch feeds the TypeScript
 * forward, training and the ONNX graph (see `onnx_export.ts`).
 *
 * @module
 */

import { Rng } from "../util/mod.ts";

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
 * {@linkcode OUT_W_INIT}, BM25 weights 0. Given `embeddings` (e.g. a
 * cross-lingual prior), the table is a copy of them and the other tensors are
 * the same as without: their draws come after the table's, which are skipped.
 *
 * @example
 * ```ts
 * const cfg = { ...DEFAULT_CONFIG, dim: 8, buckets: 64 };
 * initParams(cfg, 1).length === paramLayout(cfg).size; // true
 * ```
 */
export function initParams(
  cfg: RankerConfig,
  seed: number,
  embeddings?: Float32Array,
): Float32Array {
  const lay = paramLayout(cfg);
  const p = new Float32Array(lay.size);
  const rng = new Rng(seed, 0x1417);
  if (embeddings) {
    if (embeddings.length !== lay.gateW) {
      throw new RangeError(
        `initial embeddings: expected ${lay.gateW} values, got ${embeddings.length}`,
      );
    }
    p.set(embeddings, lay.emb);
    rng.skipNormals(lay.gateW);
  } else {
    for (let i = 0; i < lay.gateW; i++) p[i] = 0.1 * rng.normal();
  }
  for (let i = 0; i < cfg.dim; i++) p[lay.gateW + i] = 0.01 * rng.normal();
  p[lay.gateB] = Math.log(Math.E - 1);
  p.fill(OUT_W_INIT, lay.outW, lay.outB);
  p[lay.outB] = 0;
  return p;
}
