/**
 * Exports the ranker (see `ranker.ts`) to an ONNX graph that computes exactly
 * the TypeScript forward pass on a featurised, padded batch:
 *
 * - `slot_ids` int32 [W, K], `word_scale` float [W]: the batch's distinct words
 *   (row 0 = padding) as hashed embedding rows (padded with `buckets`, an
 *   all-zero row appended to the table) and 1/(number of slots);
 * - `q_idx` int32 [B, Lq], `q_mask` float [B, Lq]: query words (rows of W);
 * - `d_idx` int32 [B, Ld], `d_mask` float [B, Ld]: document words;
 * - `bm25` float [B]: BM25 score of each pair (only when the config has `bm25`);
 * - output `logit` float [B].
 *
 * Padded document positions get a similarity of -1e4, so every kernel gives
 * them exactly 0 (cheaper than masking the [B, Lq, Ld, kernels] tensor).
 *
 * @module
 */

import { DataType, encodeModel, type Initializer, type NodeSpec } from "./onnx_graph.ts";
import { BM25_FEATURES, LOG_EPS, NORM_EPS, paramLayout, type RankerConfig } from "./ranker.ts";

/** Names of the graph inputs, in the order {@linkcode exportOnnx} declares them. */
export function onnxInputs(cfg: RankerConfig): string[] {
  const base = ["slot_ids", "word_scale", "q_idx", "q_mask", "d_idx", "d_mask"];
  return cfg.bm25 ? [...base, "bm25"] : base;
}

const i64 = (...v: number[]) => BigInt64Array.from(v.map(BigInt));
const f32 = (...v: number[]) => Float32Array.from(v);

/**
 * Builds the ONNX model bytes for `params` under `cfg`.
 *
 * @param metadata key-value pairs stored in the model (e.g. provenance)
 * @example
 * ```ts
 * const bytes = exportOnnx(cfg, params, { seed: "1" });
 * const session = await ort.InferenceSession.create(bytes);
 * ```
 */
export function exportOnnx(
  cfg: RankerConfig,
  params: Float32Array,
  metadata: Record<string, string> = {},
): Uint8Array {
  const lay = paramLayout(cfg);
  const D = cfg.dim, nk = cfg.mus.length;
  const emb = new Float32Array((cfg.buckets + 1) * D);
  emb.set(params.subarray(lay.emb, lay.emb + cfg.buckets * D));
  const initializers: Initializer[] = [
    { name: "emb", dims: [cfg.buckets + 1, D], data: emb },
    { name: "gate_w", dims: [D, 1], data: params.slice(lay.gateW, lay.gateW + D) },
    { name: "gate_b", dims: [1], data: params.slice(lay.gateB, lay.gateB + 1) },
    { name: "out_w", dims: [1, nk], data: params.slice(lay.outW, lay.outW + nk) },
    { name: "out_b", dims: [1], data: params.slice(lay.outB, lay.outB + 1) },
    { name: "mus", dims: [nk, 1, 1, 1], data: Float32Array.from(cfg.mus) },
    {
      name: "neg_inv_2s2",
      dims: [nk, 1, 1, 1],
      data: Float32Array.from(cfg.sigmas, (s) => -1 / (2 * s * s)),
    },
    { name: "norm_eps", dims: [], data: f32(NORM_EPS) },
    { name: "log_eps", dims: [], data: f32(LOG_EPS) },
    { name: "one", dims: [], data: f32(1) },
    { name: "pad_sim", dims: [], data: f32(1e4) },
    { name: "ax0", dims: [1], data: i64(0) },
    { name: "ax1", dims: [1], data: i64(1) },
    { name: "ax2", dims: [1], data: i64(2) },
    { name: "ax3", dims: [1], data: i64(3) },
  ];
  const n = (
    op: string,
    inputs: string[],
    output: string,
    attrs?: NodeSpec["attrs"],
  ): NodeSpec => ({
    op,
    inputs,
    outputs: [output],
    attrs,
  });
  const nodes: NodeSpec[] = [
    // Word vectors: mean of slot embeddings (padding slots read the zero row).
    n("Gather", ["emb", "slot_ids"], "slot_vecs"),
    n("ReduceSum", ["slot_vecs", "ax1"], "vsum", { keepdims: 0 }),
    n("Unsqueeze", ["word_scale", "ax1"], "ws2"),
    n("Mul", ["vsum", "ws2"], "raw"),
    n("Mul", ["raw", "raw"], "raw2"),
    n("ReduceSum", ["raw2", "ax1"], "sq", { keepdims: 1 }),
    n("Add", ["sq", "norm_eps"], "sqe"),
    n("Sqrt", ["sqe"], "norm"),
    n("Div", ["raw", "norm"], "unit"),
    // Term gates softplus(raw . gate_w + gate_b).
    n("MatMul", ["raw", "gate_w"], "gl"),
    n("Add", ["gl", "gate_b"], "gp"),
    n("Softplus", ["gp"], "gs"),
    n("Squeeze", ["gs", "ax1"], "gate"),
    // Similarity matrix, with padded documents positions pushed out of every kernel.
    n("Gather", ["unit", "q_idx"], "qv"),
    n("Gather", ["unit", "d_idx"], "dv"),
    n("Transpose", ["dv"], "dvt", { perm: [0, 2, 1] }),
    n("MatMul", ["qv", "dvt"], "m"),
    n("Sub", ["d_mask", "one"], "dm1"),
    n("Mul", ["dm1", "pad_sim"], "pen"),
    n("Unsqueeze", ["pen", "ax1"], "pen3"),
    n("Add", ["m", "pen3"], "mm"),
    // RBF kernels with the kernel axis outermost ([nk, B, Lq, Ld]): broadcasting a
    // per-kernel scalar over long contiguous rows is far faster than over a last axis of nk.
    n("Unsqueeze", ["mm", "ax0"], "m4"),
    n("Sub", ["m4", "mus"], "x"),
    n("Mul", ["x", "x"], "x2"),
    n("Mul", ["x2", "neg_inv_2s2"], "ex"),
    n("Exp", ["ex"], "kv"),
    n("ReduceSum", ["kv", "ax3"], "ks", { keepdims: 0 }),
    n("Add", ["ks", "log_eps"], "kse"),
    n("Log", ["kse"], "lk"),
    // Gated sum over query positions ([nk, B]), then the linear layer.
    n("Gather", ["gate", "q_idx"], "gq"),
    n("Mul", ["gq", "q_mask"], "gqm"),
    n("Mul", ["lk", "gqm"], "wl"),
    n("ReduceSum", ["wl", "ax2"], "phi", { keepdims: 0 }),
    n("MatMul", ["out_w", "phi"], "z2"),
    n("Add", ["z2", "out_b"], "z3"),
  ];
  if (cfg.bm25) {
    initializers.push({
      name: "bm25_w",
      dims: [1, BM25_FEATURES],
      data: params.slice(lay.bm25W, lay.bm25W + BM25_FEATURES),
    });
    nodes.push(
      // Features [2, B]: bm25 and log(1 + bm25), then their weighted sum.
      n("Add", ["bm25", "one"], "bm1"),
      n("Log", ["bm1"], "lbm"),
      n("Unsqueeze", ["bm25", "ax0"], "bmu"),
      n("Unsqueeze", ["lbm", "ax0"], "lbmu"),
      n("Concat", ["bmu", "lbmu"], "bmf", { axis: 0 }),
      n("MatMul", ["bm25_w", "bmf"], "bmz"),
      n("Add", ["z3", "bmz"], "z4"),
      n("Squeeze", ["z4", "ax0"], "logit"),
    );
  } else {
    nodes.push(n("Squeeze", ["z3", "ax0"], "logit"));
  }
  return encodeModel({
    name: "csclir-knrm",
    nodes,
    inputs: [
      { name: "slot_ids", type: DataType.INT32, shape: ["W", "K"] },
      { name: "word_scale", type: DataType.FLOAT, shape: ["W"] },
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
