/**
 * A tiny randomly initialised BERT cross-encoder (1 layer, 2 heads, hidden 16)
 * written as a Hugging Face-style model directory, for tests and benches of
 * {@link ./external_encoder.ts}. The ONNX graph is built with
 * {@link ./onnx_graph.ts}; the weights come from a seeded {@linkcode Rng}, so the
 * directory is the same bytes for the same options.
 *
 * @module
 */

import { join } from "node:path";
import { DataType, encodeModel, type GraphSpec, type NodeSpec } from "./onnx_graph.ts";
import { Rng } from "./rng.ts";

/** The WordPiece vocabulary; a token's id is its index. */
// deno-fmt-ignore
export const TINY_BERT_VOCAB: readonly string[] = [
  "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
  ".", ",", "?", "a", "the", "is", "on", "in", "of", "where", "what", "who", "cat", "dog", "mat",
  "sat", "run", "play", "park", "house", "red", "big", "small", "book", "read",
  "##s", "##ing", "##ed", "##er",
];

/** Model sizes. */
export const TINY_BERT_SIZE = { hidden: 16, heads: 2, ffn: 32, types: 2 } as const;

/** Options for {@linkcode writeTinyBert}. */
export interface TinyBertOptions {
  /** Weight seed. Default 1. */
  seed?: number;
  /** Logits per pair: 1 (regression head) or 2 (two-label classifier). Default 1. */
  numLabels?: 1 | 2;
  /** Whether the graph takes `token_type_ids`. Default true. */
  tokenTypes?: boolean;
  /** Position embeddings (`max_position_embeddings`). Default 64. */
  maxPositions?: number;
  /** `model_max_length` written to tokenizer_config.json; none when omitted. */
  modelMaxLength?: number;
}

/** A weight matrix or vector, row-major. */
export interface Param {
  /** Dimensions. */
  dims: number[];
  /** Values. */
  data: Float32Array;
}

/** The parameter names of the tiny BERT. */
export type TinyBertParam =
  | "wordEmb"
  | "posEmb"
  | "typeEmb"
  | "embLnG"
  | "embLnB"
  | "wq"
  | "bq"
  | "wk"
  | "bk"
  | "wv"
  | "bv"
  | "wo"
  | "bo"
  | "attnLnG"
  | "attnLnB"
  | "w1"
  | "b1"
  | "w2"
  | "b2"
  | "ffnLnG"
  | "ffnLnB"
  | "wp"
  | "bp"
  | "wc"
  | "bc";

/** All weights of the tiny BERT. */
export type TinyBertWeights = Record<TinyBertParam, Param>;

/** LayerNorm epsilon used by the graph (BERT's). */
export const TINY_BERT_EPS = 1e-12;
/** Additive attention bias for padded keys. */
export const TINY_BERT_MASK_BIAS = -10000;

/** Seeded weights; scaled large enough that different inputs give clearly different scores. */
export function tinyBertWeights(
  seed: number,
  numLabels: number,
  maxPositions: number,
): TinyBertWeights {
  const rng = new Rng(seed);
  const { hidden: h, ffn: f, types } = TINY_BERT_SIZE;
  const normal = (dims: number[], std: number, mean = 0): Param => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
    return { dims, data };
  };
  const mat = (rows: number, cols: number) => normal([rows, cols], 1 / Math.sqrt(rows));
  return {
    wordEmb: normal([TINY_BERT_VOCAB.length, h], 1),
    posEmb: normal([maxPositions, h], 0.5),
    typeEmb: normal([types, h], 0.5),
    embLnG: normal([h], 0.1, 1),
    embLnB: normal([h], 0.1),
    wq: mat(h, h),
    bq: normal([h], 0.1),
    wk: mat(h, h),
    bk: normal([h], 0.1),
    wv: mat(h, h),
    bv: normal([h], 0.1),
    wo: mat(h, h),
    bo: normal([h], 0.1),
    attnLnG: normal([h], 0.1, 1),
    attnLnB: normal([h], 0.1),
    w1: mat(h, f),
    b1: normal([f], 0.1),
    w2: mat(f, h),
    b2: normal([h], 0.1),
    ffnLnG: normal([h], 0.1, 1),
    ffnLnB: normal([h], 0.1),
    wp: mat(h, h),
    bp: normal([h], 0.1),
    wc: mat(h, numLabels),
    bc: normal([numLabels], 0.1),
  };
}

/** The ONNX graph of the tiny BERT cross-encoder (opset 17). */
export function tinyBertGraph(w: TinyBertWeights, tokenTypes: boolean): GraphSpec {
  const { hidden: h, heads } = TINY_BERT_SIZE;
  const dh = h / heads;
  const numLabels = w.bc.dims[0];
  const nodes: NodeSpec[] = [];
  const node = (op: string, inputs: string[], output: string, attrs?: NodeSpec["attrs"]) =>
    nodes.push({ op, inputs, outputs: [output], attrs });
  const dense = (x: string, wName: TinyBertParam, bName: TinyBertParam, out: string) => {
    node("MatMul", [x, wName], `${out}_mm`);
    node("Add", [`${out}_mm`, bName], out);
  };
  const layerNorm = (x: string, g: TinyBertParam, b: TinyBertParam, out: string) =>
    node("LayerNormalization", [x, g, b], out, { axis: -1, epsilon: { float: TINY_BERT_EPS } });

  // Embeddings: word + position + token type, then LayerNorm.
  node("Gather", ["wordEmb", "input_ids"], "we");
  node("Shape", ["input_ids"], "ids_shape");
  node("Gather", ["ids_shape", "i_one"], "seq_len", { axis: 0 });
  node("Range", ["i_zero", "seq_len", "i_one"], "pos_ids");
  node("Gather", ["posEmb", "pos_ids"], "pe");
  node("Gather", ["typeEmb", tokenTypes ? "token_type_ids" : "i_zero"], "te");
  node("Add", ["we", "pe"], "e1");
  node("Add", ["e1", "te"], "e2");
  layerNorm("e2", "embLnG", "embLnB", "h0");

  // Self-attention with an additive mask over padded keys.
  for (
    const [p, perm] of [["q", [0, 2, 1, 3]], ["k", [0, 2, 3, 1]], ["v", [0, 2, 1, 3]]] as const
  ) {
    dense("h0", `w${p}`, `b${p}`, `${p}0`);
    node("Reshape", [`${p}0`, "heads_shape"], `${p}1`);
    node("Transpose", [`${p}1`], `${p}h`, { perm: [...perm] });
  }
  node("MatMul", ["qh", "kh"], "s0");
  node("Mul", ["s0", "f_scale"], "s1");
  node("Cast", ["attention_mask"], "mask_f", { to: DataType.FLOAT });
  node("Sub", ["f_one", "mask_f"], "mask_inv");
  node("Mul", ["mask_inv", "f_mask_bias"], "mask_b");
  node("Unsqueeze", ["mask_b", "mask_axes"], "mask_4d");
  node("Add", ["s1", "mask_4d"], "s2");
  node("Softmax", ["s2"], "probs", { axis: -1 });
  node("MatMul", ["probs", "vh"], "ctx0");
  node("Transpose", ["ctx0"], "ctx1", { perm: [0, 2, 1, 3] });
  node("Reshape", ["ctx1", "hidden_shape"], "ctx");
  dense("ctx", "wo", "bo", "attn");
  node("Add", ["attn", "h0"], "attn_res");
  layerNorm("attn_res", "attnLnG", "attnLnB", "h1");

  // Feed-forward with exact (erf) GELU.
  dense("h1", "w1", "b1", "f0");
  node("Div", ["f0", "f_sqrt2"], "g0");
  node("Erf", ["g0"], "g1");
  node("Add", ["g1", "f_one"], "g2");
  node("Mul", ["f0", "g2"], "g3");
  node("Mul", ["g3", "f_half"], "gelu");
  dense("gelu", "w2", "b2", "f1");
  node("Add", ["f1", "h1"], "ffn_res");
  layerNorm("ffn_res", "ffnLnG", "ffnLnB", "h2");

  // Pooler on [CLS], then the classifier.
  node("Gather", ["h2", "i_zero"], "cls", { axis: 1 });
  dense("cls", "wp", "bp", "pool0");
  node("Tanh", ["pool0"], "pooled");
  dense("pooled", "wc", "bc", "logits");

  const f32 = (name: string, v: number) => ({ name, dims: [], data: new Float32Array([v]) });
  const i64 = (name: string, v: bigint[], dims: number[]) => ({
    name,
    dims,
    data: new BigInt64Array(v),
  });
  const ids = (name: string) => ({ name, type: DataType.INT64, shape: ["batch", "seq"] });
  return {
    name: "tiny-bert-cross-encoder",
    nodes,
    inputs: [
      ids("input_ids"),
      ids("attention_mask"),
      ...(tokenTypes ? [ids("token_type_ids")] : []),
    ],
    outputs: [{ name: "logits", type: DataType.FLOAT, shape: ["batch", numLabels] }],
    initializers: [
      ...Object.entries(w).map(([name, p]) => ({ name, dims: p.dims, data: p.data })),
      i64("i_zero", [0n], []),
      i64("i_one", [1n], []),
      i64("heads_shape", [0n, 0n, BigInt(heads), BigInt(dh)], [4]),
      i64("hidden_shape", [0n, 0n, BigInt(h)], [3]),
      i64("mask_axes", [1n, 2n], [2]),
      f32("f_scale", 1 / Math.sqrt(dh)),
      f32("f_one", 1),
      f32("f_half", 0.5),
      f32("f_sqrt2", Math.SQRT2),
      f32("f_mask_bias", TINY_BERT_MASK_BIAS),
    ],
  };
}

/** A special token entry of a `tokenizer.json` `added_tokens` list. */
export function addedToken(content: string, id: number) {
  return {
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  };
}

/** The tokenizer.json of the tiny BERT: BERT normalizer (lower-casing), BERT pre-tokenizer, WordPiece. */
export function tinyBertTokenizerJson(): Record<string, unknown> {
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: "A" | "B", typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const specialIds = (t: string) => ({ id: t, ids: [TINY_BERT_VOCAB.indexOf(t)], tokens: [t] });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: TINY_BERT_VOCAB.slice(0, 5).map((content, id) => addedToken(content, id)),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0)],
      pair: [
        special("[CLS]", 0),
        seq("A", 0),
        special("[SEP]", 0),
        seq("B", 1),
        special("[SEP]", 1),
      ],
      special_tokens: { "[CLS]": specialIds("[CLS]"), "[SEP]": specialIds("[SEP]") },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_BERT_VOCAB.map((t, i) => [t, i])),
    },
  };
}

/** What {@linkcode writeTinyBert} wrote, for reference computations. */
export interface TinyBert {
  /** The weights in the ONNX graph. */
  weights: TinyBertWeights;
  /** Whether the graph takes `token_type_ids`. */
  tokenTypes: boolean;
}

/**
 * Writes `model.onnx`, `tokenizer.json`, `config.json` and, when
 * `modelMaxLength` is set, `tokenizer_config.json` into `dir`.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const { weights } = await writeTinyBert(dir, { seed: 7 });
 * ```
 */
export async function writeTinyBert(dir: string, opts: TinyBertOptions = {}): Promise<TinyBert> {
  const numLabels = opts.numLabels ?? 1;
  const tokenTypes = opts.tokenTypes ?? true;
  const maxPositions = opts.maxPositions ?? 64;
  const weights = tinyBertWeights(opts.seed ?? 1, numLabels, maxPositions);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(join(dir, "model.onnx"), encodeModel(tinyBertGraph(weights, tokenTypes)));
  const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
  await Deno.writeTextFile(join(dir, "tokenizer.json"), json(tinyBertTokenizerJson()));
  await Deno.writeTextFile(
    join(dir, "config.json"),
    json({
      architectures: ["BertForSequenceClassification"],
      model_type: "bert",
      vocab_size: TINY_BERT_VOCAB.length,
      hidden_size: TINY_BERT_SIZE.hidden,
      num_hidden_layers: 1,
      num_attention_heads: TINY_BERT_SIZE.heads,
      intermediate_size: TINY_BERT_SIZE.ffn,
      hidden_act: "gelu",
      max_position_embeddings: maxPositions,
      type_vocab_size: TINY_BERT_SIZE.types,
      layer_norm_eps: TINY_BERT_EPS,
      pad_token_id: 0,
      num_labels: numLabels,
    }),
  );
  if (opts.modelMaxLength !== undefined) {
    await Deno.writeTextFile(
      join(dir, "tokenizer_config.json"),
      json({ do_lower_case: true, model_max_length: opts.modelMaxLength, pad_token: "[PAD]" }),
    );
  }
  return { weights, tokenTypes };
}
