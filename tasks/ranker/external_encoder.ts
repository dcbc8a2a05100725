/**
 * Scoring with external Hugging Face-style ONNX cross-encoders, e.g. the
 * paper's mMiniLMv2 ranker exported with `optimum-cli export onnx --task
 * text-classification`. A model directory holds `model.onnx`, `tokenizer.json`,
 * `config.json` and optionally `tokenizer_config.json`.
 *
 * Query and passage are tokenized as a pair with the tokenizer's own
 * post-processor (`[CLS] q [SEP] p [SEP]` for BERT, `<s> q </s></s> p </s>` for
 * XLM-R), truncated to the maximum length (passage first), padded per batch and
 * fed to ONNX Runtime as int64 `input_ids`, `attention_mask` and, when the model
 * declares it, `token_type_ids`.
 *
 * @module
 */

import * as ort from "onnxruntime-node";
import { Tokenizer } from "@huggingface/tokenizers";
import { join } from "node:path";
import { InputError, OptionError, UserError } from "../util/mod.ts";
import { openOnnxSession } from "./onnx_session.ts";

/**
 * A query-passage pair to score.
 *
 * @example
 * ```ts
 * declare const scoringPair: ScoringPair;
 * scoringPair.query;
 * ```
 */
export interface ScoringPair {
  /** Query text. */
  query: string;
  /** Passage (document) text. */
  doc: string;
}

/** Anything that scores query-passage pairs, one score per pair, higher = more relevant. */
export interface PairScorer {
  /** Scores `pairs`; the result has one entry per pair, in input order. */
  score(pairs: readonly ScoringPair[]): Promise<Float32Array>;
}

/** Options for {@linkcode ExternalCrossEncoder.load}. */
export interface ExternalEncoderOptions {
  /**
   * Maximum tokens per pair, special tokens included. Default: `model_max_length`
   * from tokenizer_config.json or config.json, else 512, capped by the model's
   * position embeddings.
   */
  maxLength?: number;
  /** Pairs per ONNX Runtime call. Default 32. */
  batchSize?: number;
  /** ONNX Runtime intra-op threads. Default 1. */
  intraOpNumThreads?: number;
}

/**
 * One tokenized pair, before padding.
 *
 * @example
 * ```ts
 * const pair: EncodedPair = { ids: [2, 17, 3, 19, 3], typeIds: [0, 0, 0, 1, 1] };
 * ```
 */
export interface EncodedPair {
  /** Token ids, special tokens included. */
  ids: number[];
  /** Segment ids (0 for the query side, 1 for the passage side where the post-processor says so). */
  typeIds: number[];
}

const MODEL_FILE = "model.onnx";
const TOKENIZER_FILE = "tokenizer.json";
const CONFIG_FILE = "config.json";
const TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
const DEFAULT_MAX_LENGTH = 512;
// transformers writes int(1e30) when a tokenizer has no real limit.
const UNSET_MAX_LENGTH = 1e9;
// RoBERTa-style models number positions from pad_token_id + 1.
const OFFSET_POSITION_MODELS = new Set(["roberta", "xlm-roberta", "xlm-roberta-xl", "camembert"]);

type Json = Record<string, unknown>;

async function readJson(path: string, required: boolean): Promise<Json | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && !required) return undefined;
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(path, undefined, "file not found (expected in an HF model directory)");
    }
    throw new InputError(path, undefined, `cannot read: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, undefined, `invalid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(path, undefined, "expected a JSON object");
  }
  return value as Json;
}

/**
 * Whether `dir` looks like a Hugging Face ONNX model directory (has `model.onnx`,
 * `tokenizer.json` and `config.json`), so a caller can pick this scorer over the
 * project's own model format.
 *
 * @example
 * ```ts
 * if (await isHfModelDir("models/ce")) console.log("scored with ExternalCrossEncoder");
 * ```
 */
export async function isHfModelDir(dir: string): Promise<boolean> {
  for (const f of [MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE]) {
    try {
      if (!(await Deno.stat(join(dir, f))).isFile) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Splits into the tokenizer's pieces, applies the pair template and maps pieces to ids. */
class PairTokenizer {
  readonly #tokenizer: Tokenizer;
  readonly #post: NonNullable<Tokenizer["post_processor"]>;
  readonly #unkId: number | undefined;
  readonly #path: string;
  /** Special tokens the pair template adds. */
  readonly specialCount: number;

  constructor(json: Json, config: Json, path: string) {
    this.#path = path;
    try {
      // Older tokenizer.json files omit empty sections; the library wants them present.
      this.#tokenizer = new Tokenizer({
        added_tokens: [],
        normalizer: null,
        pre_tokenizer: null,
        post_processor: null,
        decoder: null,
        ...json,
      }, config);
    } catch (e) {
      throw new InputError(path, undefined, `unsupported tokenizer: ${(e as Error).message}`);
    }
    const post = this.#tokenizer.post_processor;
    if (post === null) {
      throw new InputError(path, undefined, "no post_processor: cannot build a query-passage pair");
    }
    this.#post = post;
    this.#unkId = this.#tokenizer.model?.unk_token_id;
    this.specialCount = post([], [], true).tokens.length;
  }

  /** Pieces of one text, without special tokens. */
  pieces(text: string): string[] {
    return this.#tokenizer.tokenize(text, { add_special_tokens: false });
  }

  /** Id of a special token, if the vocabulary has it. */
  id(token: string): number | undefined {
    return this.#tokenizer.token_to_id(token);
  }

  /** Applies the pair template to already truncated pieces. */
  pair(query: string[], doc: string[]): EncodedPair {
    const out = this.#post(query, doc, true);
    const ids = out.tokens.map((t) => {
      const id = this.#tokenizer.token_to_id(t) ?? this.#unkId;
      if (id === undefined) {
        throw new InputError(this.#path, undefined, `token ${JSON.stringify(t)} has no id`);
      }
      return id;
    });
    const typeIds = out.token_type_ids ?? new Array<number>(ids.length).fill(0);
    return { ids, typeIds };
  }
}

/**
 * A model directory's tokenizer applied to query-passage pairs: `tokenizer.json`,
 * `config.json` and (if present) `tokenizer_config.json`, with the maximum length
 * and padding id they declare. A base model for training needs no `model.onnx`.
 *
 * @example
 * ```ts
 * const enc = await PairEncoder.load("models/mminilm-msmarco", 128);
 * enc.encode("who wrote faust", "Goethe wrote Faust.").ids.length <= 128; // true
 * ```
 */
export class PairEncoder {
  /** Maximum tokens per pair, special tokens included. */
  readonly maxLength: number;
  /** Id of the padding token. */
  readonly padId: number;
  readonly #tokenizer: PairTokenizer;

  private constructor(tokenizer: PairTokenizer, maxLength: number, padId: number) {
    this.#tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.padId = padId;
  }

  /**
   * Reads the tokenizer files of `dir`. `maxLength` defaults to `model_max_length`
   * from tokenizer_config.json or config.json, else 512, capped by the model's
   * position embeddings. Throws a {@linkcode UserError} naming the file at fault.
   */
  static async load(dir: string, maxLength?: number): Promise<PairEncoder> {
    const configPath = join(dir, CONFIG_FILE);
    const tokenizerPath = join(dir, TOKENIZER_FILE);
    const config = (await readJson(configPath, true))!;
    const tokenizerJson = (await readJson(tokenizerPath, true))!;
    const tokConfig = await readJson(join(dir, TOKENIZER_CONFIG_FILE), false) ?? {};
    const tokenizer = new PairTokenizer(tokenizerJson, tokConfig, tokenizerPath);
    const max = resolveMaxLength(maxLength, config, configPath, tokConfig);
    if (max <= tokenizer.specialCount) {
      throw new OptionError(
        "maxLength",
        `more than the ${tokenizer.specialCount} special tokens of a pair`,
        max,
      );
    }
    return new PairEncoder(
      tokenizer,
      max,
      resolvePadId(config, tokenizerJson, tokConfig, tokenizer),
    );
  }

  /**
   * Tokenizes one pair with the model's template, truncated to {@linkcode maxLength}:
   * passage tokens are dropped first, then query tokens if the query alone is too long.
   */
  encode(query: string, doc: string): EncodedPair {
    return this.#fit(this.#tokenizer.pieces(query), this.#tokenizer.pieces(doc));
  }

  /**
   * Tokenizes many pairs as {@linkcode encode} does, splitting each distinct
   * text once (a query recurs with each of its candidates, a passage across queries).
   */
  encodeAll(pairs: readonly ScoringPair[]): EncodedPair[] {
    const pieces = new Map<string, string[]>();
    const of = (text: string) => {
      let p = pieces.get(text);
      if (!p) pieces.set(text, p = this.#tokenizer.pieces(text));
      return p;
    };
    return pairs.map((p) => this.#fit(of(p.query), of(p.doc)));
  }

  #fit(q: string[], d: string[]): EncodedPair {
    const budget = this.maxLength - this.#tokenizer.specialCount;
    if (q.length + d.length > budget) {
      if (q.length > budget) q = q.slice(0, budget);
      d = d.slice(0, budget - q.length);
    }
    return this.#tokenizer.pair(q, d);
  }
}

/**
 * A cross-encoder in ONNX format from a Hugging Face-style model directory.
 *
 * Scores are the raw logit for models with one output logit (`[B, 1]` or `[B]`),
 * and the logit of label 1 (the "relevant" class) for two-label classifiers
 * (`[B, 2]`); no sigmoid or softmax is applied.
 *
 * @example
 * ```ts
 * const ce = await ExternalCrossEncoder.load("models/mminilm-msmarco", { intraOpNumThreads: 2 });
 * const scores = await ce.score([{ query: "who wrote faust", doc: "Goethe wrote Faust." }]);
 * await ce.release();
 * ```
 */
export class ExternalCrossEncoder implements PairScorer {
  /** Maximum tokens per pair, special tokens included. */
  readonly maxLength: number;
  /** Pairs per ONNX Runtime call. */
  readonly batchSize: number;
  /** Whether the model takes `token_type_ids`. */
  readonly usesTokenTypes: boolean;
  /** Number of logits per pair the model outputs (1 or 2), known after the first call. */
  numLogits: number | undefined;
  /** The model's tokenizer. */
  readonly encoder: PairEncoder;
  readonly #session: ort.InferenceSession;
  readonly #output: string;
  readonly #modelPath: string;

  private constructor(
    session: ort.InferenceSession,
    encoder: PairEncoder,
    init: { batchSize: number; output: string; path: string },
  ) {
    this.#session = session;
    this.encoder = encoder;
    this.maxLength = encoder.maxLength;
    this.batchSize = init.batchSize;
    this.#output = init.output;
    this.#modelPath = init.path;
    this.usesTokenTypes = session.inputNames.includes("token_type_ids");
  }

  /**
   * Loads `model.onnx` and the tokenizer files ({@linkcode PairEncoder.load}) from `dir`. Throws a {@linkcode UserError} naming the
   * file when one is missing or the model's inputs or outputs are not those of a
   * sequence-classification cross-encoder.
   */
  static async load(dir: string, opts: ExternalEncoderOptions = {}): Promise<ExternalCrossEncoder> {
    const batchSize = opts.batchSize ?? 32;
    const threads = opts.intraOpNumThreads ?? 1;
    if (!positiveInt(batchSize)) throw new OptionError("batchSize", "an integer >= 1", batchSize);
    if (!positiveInt(threads)) {
      throw new OptionError("intraOpNumThreads", "an integer >= 1", threads);
    }
    const encoder = await PairEncoder.load(dir, opts.maxLength);
    const modelPath = join(dir, MODEL_FILE);
    try {
      await Deno.stat(modelPath);
    } catch {
      throw new InputError(
        modelPath,
        undefined,
        "file not found (expected in an HF model directory)",
      );
    }
    const session = await openOnnxSession(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    });
    const output = checkSignature(session, modelPath);
    return new ExternalCrossEncoder(session, encoder, { batchSize, output, path: modelPath });
  }

  /** Tokenizes one pair with the model's template (see {@linkcode PairEncoder.encode}). */
  encode(query: string, doc: string): EncodedPair {
    return this.encoder.encode(query, doc);
  }

  /** Scores pairs in batches; one score per pair, in input order. */
  score(pairs: readonly ScoringPair[]): Promise<Float32Array> {
    return this.scoreEncoded(this.encoder.encodeAll(pairs));
  }

  /** Scores already tokenized pairs (e.g. the token ids a trainer was given); in input order. */
  async scoreEncoded(encoded: readonly EncodedPair[]): Promise<Float32Array> {
    // Batching pairs of similar length keeps padding small; order is restored below.
    const order = encoded.map((_, i) => i).sort((a, b) =>
      encoded[b].ids.length - encoded[a].ids.length || a - b
    );
    const scores = new Float32Array(encoded.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize);
      const logits = await this.#run(batch.map((i) => encoded[i]));
      batch.forEach((i, k) => scores[i] = logits[k]);
    }
    return scores;
  }

  /** Frees the ONNX Runtime session. */
  async release(): Promise<void> {
    await this.#session.release();
  }

  async #run(batch: EncodedPair[]): Promise<Float32Array> {
    const b = batch.length;
    const len = Math.max(...batch.map((e) => e.ids.length));
    const ids = new BigInt64Array(b * len).fill(BigInt(this.encoder.padId));
    const mask = new BigInt64Array(b * len);
    const types = new BigInt64Array(b * len);
    batch.forEach((e, r) => {
      for (let t = 0; t < e.ids.length; t++) {
        ids[r * len + t] = BigInt(e.ids[t]);
        mask[r * len + t] = 1n;
        types[r * len + t] = BigInt(e.typeIds[t]);
      }
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, [b, len]),
      attention_mask: new ort.Tensor("int64", mask, [b, len]),
    };
    if (this.usesTokenTypes) feeds.token_type_ids = new ort.Tensor("int64", types, [b, len]);
    const out = (await this.#session.run(feeds))[this.#output];
    const dims = out.dims;
    const width = dims.length === 1 ? 1 : dims[1];
    if (
      out.type !== "float32" || dims[0] !== b || dims.length > 2 || (width !== 1 && width !== 2)
    ) {
      throw new InputError(
        this.#modelPath,
        undefined,
        `output "${this.#output}": expected float32 logits [batch, 1] or [batch, 2], ` +
          `got ${out.type} [${dims.join(", ")}]`,
      );
    }
    this.numLogits = width;
    const data = out.data as Float32Array;
    const logits = new Float32Array(b);
    for (let r = 0; r < b; r++) logits[r] = data[r * width + width - 1];
    return logits;
  }
}

function resolveMaxLength(
  option: number | undefined,
  config: Json,
  configPath: string,
  tokConfig: Json,
): number {
  if (option !== undefined && !positiveInt(option)) {
    throw new OptionError("maxLength", "an integer >= 1", option);
  }
  const declared = [tokConfig.model_max_length, config.model_max_length]
    .map(positiveInt).find((v) => v !== undefined && v < UNSET_MAX_LENGTH);
  const maxPos = positiveInt(config.max_position_embeddings);
  const offset = OFFSET_POSITION_MODELS.has(String(config.model_type))
    ? (positiveInt(config.pad_token_id) ?? 1) + 1
    : 0;
  const cap = maxPos === undefined ? undefined : maxPos - offset;
  const wanted = option ?? declared ?? Math.min(DEFAULT_MAX_LENGTH, cap ?? DEFAULT_MAX_LENGTH);
  if (cap !== undefined && wanted > cap) {
    throw new UserError(
      `maxLength ${wanted} exceeds the ${cap} positions the model has ` +
        `(${configPath}: max_position_embeddings ${maxPos})`,
    );
  }
  return wanted;
}

function resolvePadId(
  config: Json,
  tokenizerJson: Json,
  tokConfig: Json,
  tok: PairTokenizer,
): number {
  // config.json's pad_token_id is what RoBERTa-style models use to number positions.
  if (typeof config.pad_token_id === "number") return config.pad_token_id;
  const padding = tokenizerJson.padding as { pad_id?: unknown } | null | undefined;
  if (typeof padding?.pad_id === "number") return padding.pad_id;
  const padToken = typeof tokConfig.pad_token === "string" ? tokConfig.pad_token : undefined;
  for (const t of [padToken, "[PAD]", "<pad>"]) {
    const id = t === undefined ? undefined : tok.id(t);
    if (id !== undefined) return id;
  }
  return 0;
}

/** Checks inputs and picks the logits output; returns its name. */
function checkSignature(session: ort.InferenceSession, path: string): string {
  const known = new Set(["input_ids", "attention_mask", "token_type_ids"]);
  const names = session.inputNames;
  const problem = !names.includes("input_ids") || !names.includes("attention_mask")
    ? "must take input_ids and attention_mask"
    : names.some((n) => !known.has(n))
    ? "must take only input_ids, attention_mask and optionally token_type_ids"
    : undefined;
  if (problem) {
    throw new InputError(path, undefined, `model inputs [${names.join(", ")}] ${problem}`);
  }
  for (const meta of session.inputMetadata) {
    if (meta.isTensor && meta.type !== "int64") {
      throw new InputError(path, undefined, `input ${meta.name}: expected int64, got ${meta.type}`);
    }
  }
  const outputs = session.outputNames;
  if (outputs.includes("logits")) return "logits";
  if (outputs.length === 1) return outputs[0];
  throw new InputError(
    path,
    undefined,
    `expected an output named "logits" or a single output, got [${outputs.join(", ")}]`,
  );
}
