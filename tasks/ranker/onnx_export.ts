/**
 * Exports the ranker (see `config.ts` and `forward.ts`) to two ONNX graphs that together compute
 * exactly the TypeScript forward pass:
 *
 * - the **word graph** (`words.onnx`): `slot_ids` int32 [W, K] (hashed
 *   embedding rows, padded with `buckets`, an all-zero row appended to the
 *   table) and `word_scale` float [W] (1/number of slots) give each word's unit
 *   vector `unit` float [W, dim] and term gate `gate` float [W];
 * - the **pair graph** (`model.onnx`): `unit` and `gate` of a word table,
 *   `q_idx` int32 [B, Lq] / `q_mask` float [B, Lq] (query words as rows of the
 *   table), `d_idx` / `d_mask` [B, Ld] (document words), and, when the config
 *   has `bm25`, `bm25` float [B], give `logit` float [B].
 *
 * Split this way, a scorer computes each distinct word once and reuses it for
 * every pair it occurs in, instead of once per batch.
 *
 * Padded document positions get a similarity of -1e4, so every kernel gives
 * them exactly 0 (cheaper than masking the [B, Lq, Ld, kernels] tensor).
 *
 * @module
 */

import { DataType, encodeModel, type Initializer, type NodeSpec } from "../util/mod.ts";
import { BM25_FEATURES, LOG_EPS, NORM_EPS, paramLayout, type RankerConfig } from "./config.ts";

/** The two graphs of a model, as ONNX model bytes. */
export interface OnnxGraphs {
  /** Word graph: slot ids and scales to unit vectors and gates. */
  words: Uint8Array;
  /** Pair graph: word vectors and pair indices to logits. */
  pairs: Uint8Array;
}

const i64 = (...v: number[]) => BigInt64Array.from(v.map(BigInt));
const f32 = (...v: number[]) => Float32Array.from(v);
const node = (
  op: string,
  inputs: string[],
  output: string,
  attrs?: NodeSpec["attrs"],
): NodeSpec => ({ op, inputs, outputs: [output], attrs });

/**
 * Builds both ONNX graphs for `params` under `cfg`.
 *
 * @param metadata key-value pairs stored in both models (e.g. provenance)
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * import { DEFAULT_CONFIG, initParams } from "./config.ts";
 * const cfg = { ...DEFAULT_CONFIG, dim: 8, buckets: 64 };
 * const { pairs } = exportOnnx(cfg, initParams(cfg, 1), { seed: "1" });
 * const session = await ort.InferenceSession.create(pairs);
 * ```
 */
export function exportOnnx(
  cfg: RankerConfig,
  params: Float32Array,
  metadata: Record<string, string> = {},
): OnnxGraphs {
  return {
    words: wordGraph(cfg, params, metadata),
    pairs: pairGraph(cfg, params, metadata),
  };
}

function wordGraph(
  cfg: RankerConfig,
  params: Float32Array,
  metadata: Record<string, string>,
): Uint8Array {
  const lay = paramLayout(cfg);
  const D = cfg.dim;
  const emb = new Float32Array((cfg.buckets + 1) * D);
  emb.set(params.subarray(lay.emb, lay.emb + cfg.buckets * D));
  const initializers: Initializer[] = [
    { name: "emb", dims: [cfg.buckets + 1, D], data: emb },
    { name: "gate_w", dims: [D, 1], data: params.slice(lay.gateW, lay.gateW + D) },
    { name: "gate_b", dims: [1], data: params.slice(lay.gateB, lay.gateB + 1) },
    { name: "norm_eps", dims: [], data: f32(NORM_EPS) },
    { name: "ax1", dims: [1], data: i64(1) },
  ];
  const nodes: NodeSpec[] = [
    // Word vectors: mean of slot embeddings (padding slots read the zero row).
    node("Gather", ["emb", "slot_ids"], "slot_vecs"),
    node("ReduceSum", ["slot_vecs", "ax1"], "vsum", { keepdims: 0 }),
    node("Unsqueeze", ["word_scale", "ax1"], "ws2"),
    node("Mul", ["vsum", "ws2"], "raw"),
    node("Mul", ["raw", "raw"], "raw2"),
    node("ReduceSum", ["raw2", "ax1"], "sq", { keepdims: 1 }),
    node("Add", ["sq", "norm_eps"], "sqe"),
    node("Sqrt", ["sqe"], "norm"),
    node("Div", ["raw", "norm"], "unit"),
    // Term gates softplus(raw . gate_w + gate_b).
    node("MatMul", ["raw", "gate_w"], "gl"),
    node("Add", ["gl", "gate_b"], "gp"),
    node("Softplus", ["gp"], "gs"),
    node("Squeeze", ["gs", "ax1"], "gate"),
  ];
  return encodeModel({
    name: "csclir-knrm-words",
    nodes,
    inputs: [
      { name: "slot_ids", type: DataType.INT32, shape: ["W", "K"] },
      { name: "word_scale", type: DataType.FLOAT, shape: ["W"] },
    ],
    outputs: [
      { name: "unit", type: DataType.FLOAT, shape: ["W", D] },
      { name: "gate", type: DataType.FLOAT, shape: ["W"] },
    ],
    initializers,
    metadata,
  });
}

function pairGraph(
  cfg: RankerConfig,
  params: Float32Array,
  metadata: Record<string, string>,
): Uint8Array {
  const lay = paramLayout(cfg);
  const nk = cfg.mus.length;
  const initializers: Initializer[] = [
    { name: "out_w", dims: [1, nk], data: params.slice(lay.outW, lay.outW + nk) },
    { name: "out_b", dims: [1], data: params.slice(lay.outB, lay.outB + 1) },
    { name: "mus", dims: [nk, 1, 1, 1], data: Float32Array.from(cfg.mus) },
    {
      name: "neg_inv_2s2",
      dims: [nk, 1, 1, 1],
      data: Float32Array.from(cfg.sigmas, (s) => -1 / (2 * s * s)),
    },
    { name: "log_eps", dims: [], data: f32(LOG_EPS) },
    { name: "one", dims: [], data: f32(1) },
    { name: "pad_sim", dims: [], data: f32(1e4) },
    { name: "ax0", dims: [1], data: i64(0) },
    { name: "ax1", dims: [1], data: i64(1) },
    { name: "ax2", dims: [1], data: i64(2) },
    { name: "ax3", dims: [1], data: i64(3) },
  ];
  const nodes: NodeSpec[] = [
    // Similarity matrix, with padded documents positions pushed out of every kernel.
    node("Gather", ["unit", "q_idx"], "qv"),
    node("Gather", ["unit", "d_idx"], "dv"),
    node("Transpose", ["dv"], "dvt", { perm: [0, 2, 1] }),
    node("MatMul", ["qv", "dvt"], "m"),
    node("Sub", ["d_mask", "one"], "dm1"),
    node("Mul", ["dm1", "pad_sim"], "pen"),
    node("Unsqueeze", ["pen", "ax1"], "pen3"),
    node("Add", ["m", "pen3"], "mm"),
    // RBF kernels with the kernel axis outermost ([nk, B, Lq, Ld]): broadcasting a
    // per-kernel scalar over long contiguous rows is far faster than over a last axis of nk.
    node("Unsqueeze", ["mm", "ax0"], "m4"),
    node("Sub", ["m4", "mus"], "x"),
    node("Mul", ["x", "x"], "x2"),
    node("Mul", ["x2", "neg_inv_2s2"], "ex"),
    node("Exp", ["ex"], "kv"),
    node("ReduceSum", ["kv", "ax3"], "ks", { keepdims: 0 }),
    node("Add", ["ks", "log_eps"], "kse"),
    node("Log", ["kse"], "lk"),
    // Gated sum over query positions ([nk, B]), then the linear layer.
    node("Gather", ["gate", "q_idx"], "gq"),
    node("Mul", ["gq", "q_mask"], "gqm"),
    node("Mul", ["lk", "gqm"], "wl"),
    node("ReduceSum", ["wl", "ax2"], "phi", { keepdims: 0 }),
    node("MatMul", ["out_w", "phi"], "z2"),
    node("Add", ["z2", "out_b"], "z3"),
  ];
  if (cfg.bm25) {
    initializers.push({
      name: "bm25_w",
      dims: [1, BM25_FEATURES],
      data: params.slice(lay.bm25W, lay.bm25W + BM25_FEATURES),
    });
    nodes.push(
      // Features [2, B]: bm25 and log(1 + bm25), then their weighted sum.
      node("Add", ["bm25", "one"], "bm1"),
      node("Log", ["bm1"], "lbm"),
      node("Unsqueeze", ["bm25", "ax0"], "bmu"),
      node("Unsqueeze", ["lbm", "ax0"], "lbmu"),
      node("Concat", ["bmu", "lbmu"], "bmf", { axis: 0 }),
      node("MatMul", ["bm25_w", "bmf"], "bmz"),
      node("Add", ["z3", "bmz"], "z4"),
      node("Squeeze", ["z4", "ax0"], "logit"),
    );
  } else {
    nodes.push(node("Squeeze", ["z3", "ax0"], "logit"));
  }
  return encodeModel({
    name: "csclir-knrm-pairs",
    nodes,
    inputs: [
      { name: "unit", type: DataType.FLOAT, shape: ["V", cfg.dim] },
      { name: "gate", type: DataType.FLOAT, shape: ["V"] },
      { name: "q_idx", type: DataType.INT32, shape: ["B", "Lq"] },
      { name: "q_mask", type: DataType.FLOAT, shape: ["B", "Lq"] },
      { name: "d_idx", type: DataType.INT32, shape: ["B", "Ld"] },
      { name: "d_mask", type: DataType.FLOAT, shape: ["B", "Ld"] },
      ...(cfg.bm25 ? [{ name: "bm25", type: DataType.FLOAT, shape: ["B"] }] : []),
    ],
    outputs: [{ name: "logit", type: DataType.FLOAT, shape: ["B"] }],
    initializers,
    metadata,
  });
}
