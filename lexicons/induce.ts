/**
 * Lexicon induction from cross-lingual word embeddings, as in the paper: for
 * each source word, the target word with the highest dot product of the
 * aligned vectors (MUSE `wiki.multi.{lang}.vec`), or optionally the CSLS
 * criterion of Conneau et al. (2018) that penalises hub target words.
 *
 * Vectors are read from fastText text files (`count dim` header, then
 * `word v1 ... vdim`) in one streaming pass that keeps only the wanted rows.
 * Scores are computed by onnxruntime-node (MLAS GEMM, tens of GFLOP/s) in
 * blocks of source x target rows with the top-k taken inside the graph, so
 * memory is the two matrices plus one block of scores and only a few numbers
 * per row come back to JavaScript.
 * Malformed `.vec` lines (MUSE's Arabic file has one) are skipped and counted.
 *
 * @module
 */

import * as ort from "onnxruntime-node";
import {
  checkNumberOption,
  DataType,
  encodeModel,
  InputError,
  type Lang,
  readLines,
} from "../tasks/util/mod.ts";
import type { Lexicon } from "./lexicon.ts";

/**
 * Word vectors: row `i` of `vectors` (length `dim`) belongs to `words[i]`.
 *
 * @example
 * ```ts
 * declare const embeddings: Embeddings;
 * embeddings.words;
 * ```
 */
export interface Embeddings {
  /** Words in file order. */
  words: string[];
  /** Vector size. */
  dim: number;
  /** Row-major `words.length x dim` matrix. */
  vectors: Float32Array;
}

/** What {@linkcode readVec} skipped. */
export interface VecReport {
  /** File that was read. */
  path: string;
  /** Vector lines read (after the header). */
  lines: number;
  /** Malformed lines skipped. */
  malformed: number;
  /** Line numbers of the first few malformed lines. */
  malformedLines: number[];
  /** Repeated words skipped (first occurrence kept). */
  duplicates: number;
}

/** Options of {@linkcode readVec}. */
export interface ReadVecOptions {
  /** Keep only these words (e.g. a training vocabulary); matched exactly. */
  vocabulary?: Set<string>;
  /** Read at most the first N vectors (fastText files are sorted by frequency). */
  maxWords?: number;
  /** Scale every kept vector to unit length. */
  normalize?: boolean;
}

/**
 * Reads a fastText `.vec` text file in one streaming pass. The header must be
 * `count dim`; a vector line with the wrong field count or a non-number is
 * skipped and counted in the report rather than failing the whole file.
 *
 * @example
 * ```ts
 * const { embeddings, report } = await readVec("wiki.multi.de.vec", { maxWords: 50000 });
 * ```
 */
export async function readVec(
  path: string,
  opts: ReadVecOptions = {},
): Promise<{ embeddings: Embeddings; report: VecReport }> {
  const { vocabulary, maxWords = Infinity, normalize = false } = opts;
  const report: VecReport = { path, lines: 0, malformed: 0, malformedLines: [], duplicates: 0 };
  const words: string[] = [];
  const seen = new Set<string>();
  let dim = 0;
  let capacity = 0;
  let vectors = new Float32Array(0);
  const lines = readLines(path);
  for await (const { text, n } of lines) {
    if (n === 1) {
      const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
      if (!m || Number(m[2]) === 0) {
        throw new InputError(path, 1, "expected a fastText header 'count dim'");
      }
      dim = Number(m[2]);
      const wanted = Math.min(Number(m[1]), maxWords, vocabulary?.size ?? Infinity);
      capacity = Math.max(1, Math.min(wanted, 1 << 20));
      vectors = new Float32Array(capacity * dim);
      continue;
    }
    if (report.lines >= maxWords) break;
    report.lines++;
    const space = text.indexOf(" ");
    const word = space > 0 ? text.slice(0, space) : "";
    if (vocabulary && word !== "" && !vocabulary.has(word)) continue;
    const row = words.length;
    if (row === capacity) {
      capacity *= 2;
      const grown = new Float32Array(capacity * dim);
      grown.set(vectors);
      vectors = grown;
    }
    if (!parseRow(text, space, dim, vectors, row * dim)) {
      report.malformed++;
      if (report.malformedLines.length < 10) report.malformedLines.push(n);
      continue;
    }
    if (seen.has(word)) {
      report.duplicates++;
      continue;
    }
    seen.add(word);
    words.push(word);
    if (normalize) normalizeRow(vectors, row * dim, dim);
  }
  if (dim === 0) {
    throw new InputError(path, 1, "empty file: expected a fastText header 'count dim'");
  }
  return { embeddings: { words, dim, vectors: vectors.slice(0, words.length * dim) }, report };
}

/** Parses `dim` numbers after the word into `out`; false when the line is malformed. */
function parseRow(text: string, space: number, dim: number, out: Float32Array, off: number) {
  if (space <= 0) return false;
  const fields = text.slice(space + 1).trim().split(" ");
  if (fields.length !== dim) return false;
  for (let d = 0; d < dim; d++) {
    const v = Number(fields[d]);
    if (!Number.isFinite(v) || fields[d] === "") return false;
    out[off + d] = v;
  }
  return true;
}

function normalizeRow(v: Float32Array, off: number, dim: number) {
  let s = 0;
  for (let d = 0; d < dim; d++) s += v[off + d] * v[off + d];
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let d = 0; d < dim; d++) v[off + d] *= inv;
}

/** Returns unit-length copies of the vectors (zero rows stay zero). */
export function normalized(e: Embeddings): Embeddings {
  const vectors = e.vectors.slice();
  for (let r = 0; r < e.words.length; r++) normalizeRow(vectors, r * e.dim, e.dim);
  return { words: e.words, dim: e.dim, vectors };
}

/** Retrieval criterion for induction. */
export type InductionMethod = "dot" | "csls";

/** Options of {@linkcode induceLexicon}. */
export interface InductionOptions {
  /** `dot`: highest raw dot product (the paper's rule); `csls`: CSLS over cosine. */
  method?: InductionMethod;
  /** Neighbourhood size of CSLS. */
  k?: number;
  /** Source rows per block (default 1024). */
  sourceBlock?: number;
  /**
   * Target rows per block (default 50,000). One block of scores holds
   * `sourceBlock x targetBlock` floats (200 MB at the defaults).
   */
  targetBlock?: number;
  /** ONNX Runtime intra-op threads (default 2). */
  threads?: number;
  /** Called after each source block with the number of source words done. */
  onProgress?: (done: number) => void;
}

/**
 * Scores rows `a` against rows `b` (`alpha a b^T + beta c`) and keeps each `a`
 * row's best `b` row: TopK breaks ties towards the lower index.
 */
function bestModel(dim: number, penalty: boolean): Uint8Array {
  return encodeModel({
    name: "induce-best",
    nodes: [
      penalty
        // CSLS up to a per-source constant: 2 cos(x, y) - r_S(y).
        ? {
          op: "Gemm",
          inputs: ["a", "b", "penalty"],
          outputs: ["scores"],
          attrs: { transB: 1, alpha: { float: 2 }, beta: { float: -1 } },
        }
        : { op: "Gemm", inputs: ["a", "b"], outputs: ["scores"], attrs: { transB: 1 } },
      { op: "TopK", inputs: ["scores", "one"], outputs: ["v", "i"], attrs: { axis: 1 } },
    ],
    inputs: [
      { name: "a", type: DataType.FLOAT, shape: ["m", dim] },
      { name: "b", type: DataType.FLOAT, shape: ["n", dim] },
      ...(penalty ? [{ name: "penalty", type: DataType.FLOAT, shape: ["n"] }] : []),
    ],
    outputs: [
      { name: "v", type: DataType.FLOAT, shape: ["m", 1] },
      { name: "i", type: DataType.INT64, shape: ["m", 1] },
    ],
    initializers: [{ name: "one", dims: [1], data: BigInt64Array.of(1n) }],
  });
}

/**
 * Merges one block of `a` x `b` similarities into each `a` row's running
 * descending top-`k` (`prev`, `m x k`): TopK of the block (`kb = min(k, n)`
 * columns), then TopK of that next to `prev`.
 */
function topKModel(dim: number, k: number): Uint8Array {
  return encodeModel({
    name: "induce-topk",
    nodes: [
      { op: "Gemm", inputs: ["a", "b"], outputs: ["scores"], attrs: { transB: 1 } },
      { op: "TopK", inputs: ["scores", "kb"], outputs: ["top", "top_i"], attrs: { axis: 1 } },
      { op: "Concat", inputs: ["prev", "top"], outputs: ["both"], attrs: { axis: 1 } },
      { op: "TopK", inputs: ["both", "k"], outputs: ["next", "next_i"], attrs: { axis: 1 } },
    ],
    inputs: [
      { name: "a", type: DataType.FLOAT, shape: ["m", dim] },
      { name: "b", type: DataType.FLOAT, shape: ["n", dim] },
      { name: "prev", type: DataType.FLOAT, shape: ["m", k] },
      { name: "kb", type: DataType.INT64, shape: [1] },
    ],
    outputs: [{ name: "next", type: DataType.FLOAT, shape: ["m", k] }],
    initializers: [{ name: "k", dims: [1], data: BigInt64Array.of(BigInt(k)) }],
  });
}

/** Rows `r0 .. r0 + n` of `e` as an `n x dim` tensor (a view, not a copy). */
function rows(e: Embeddings, r0: number, n: number): ort.Tensor {
  return new ort.Tensor("float32", e.vectors.subarray(r0 * e.dim, (r0 + n) * e.dim), [n, e.dim]);
}

/**
 * For every target row, the mean similarity to its `k` nearest source rows
 * (CSLS's hubness penalty r_S(y)), in one blocked pass.
 */
async function meanTopKPerTarget(
  src: Embeddings,
  tgt: Embeddings,
  k: number,
  sb: number,
  tb: number,
  options: ort.InferenceSession.SessionOptions,
): Promise<Float32Array> {
  const ns = src.words.length, nt = tgt.words.length;
  const kk = Math.min(k, ns);
  const mean = new Float32Array(nt);
  if (kk === 0) return mean;
  const session = await ort.InferenceSession.create(topKModel(src.dim, kk), options);
  try {
    for (let t0 = 0; t0 < nt; t0 += tb) {
      const tn = Math.min(tb, nt - t0);
      const a = rows(tgt, t0, tn);
      let prev: ort.Tensor = new ort.Tensor(
        "float32",
        new Float32Array(tn * kk).fill(-Infinity),
        [tn, kk],
      );
      for (let s0 = 0; s0 < ns; s0 += sb) {
        const sn = Math.min(sb, ns - s0);
        const kb = new ort.Tensor("int64", BigInt64Array.of(BigInt(Math.min(kk, sn))), [1]);
        prev = (await session.run({ a, b: rows(src, s0, sn), prev, kb })).next;
      }
      const top = prev.data as Float32Array;
      for (let j = 0; j < tn; j++) {
        let s = 0;
        for (let q = 0; q < kk; q++) s += top[j * kk + q];
        mean[t0 + j] = s / kk;
      }
    }
  } finally {
    await session.release();
  }
  return mean;
}

/**
 * Induces a lexicon: each source word maps to its best target word. With
 * `dot`, the best target maximises the raw dot product; with `csls`, vectors
 * are unit-normalised and the target maximises `2 cos(x, y) - r_S(y)` where
 * r_S(y) is y's mean cosine to its k nearest *source* rows (the source-side
 * term r_T(x) is constant per source word and does not change the argmax).
 * The source rows given are the CSLS neighbourhood, so pass the full source
 * space (not only the words to translate) for MUSE-identical CSLS. Ties go to
 * the earlier (more frequent) target word. Scores are float32 GEMM results, so
 * targets within ~1e-6 of each other may rank differently from a plain loop;
 * the same inputs and options always give the same lexicon.
 *
 * @example
 * ```ts
 * const en = await readVec("wiki.multi.en.vec");
 * const de = await readVec("wiki.multi.de.vec", { maxWords: 200_000 });
 * const lexicon = await induceLexicon("en", "de", en.embeddings, de.embeddings, { method: "csls" });
 * ```
 */
export async function induceLexicon(
  source: Lang,
  target: Lang,
  src: Embeddings,
  tgt: Embeddings,
  opts: InductionOptions = {},
): Promise<Lexicon> {
  const { method = "dot", onProgress } = opts;
  const k = checkNumberOption("k", opts.k ?? 10, { min: 1, integer: true });
  const sourceBlock = checkNumberOption("sourceBlock", opts.sourceBlock ?? 1024, {
    min: 1,
    integer: true,
  });
  const targetBlock = checkNumberOption("targetBlock", opts.targetBlock ?? 50_000, {
    min: 1,
    integer: true,
  });
  const threads = checkNumberOption("threads", opts.threads ?? 2, { min: 1, integer: true });
  if (src.dim !== tgt.dim) {
    throw new Error(`embedding sizes differ: source ${src.dim}, target ${tgt.dim}`);
  }
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  };
  const S = method === "csls" ? normalized(src) : src;
  const T = method === "csls" ? normalized(tgt) : tgt;
  const ns = S.words.length, nt = T.words.length;
  const penalty = method === "csls"
    ? await meanTopKPerTarget(S, T, k, sourceBlock, targetBlock, options)
    : undefined;
  const entries = new Map<string, string[]>();
  const best = new Float64Array(sourceBlock);
  const arg = new Int32Array(sourceBlock);
  const session = await ort.InferenceSession.create(bestModel(S.dim, !!penalty), options);
  try {
    for (let s0 = 0; s0 < ns; s0 += sourceBlock) {
      const sn = Math.min(sourceBlock, ns - s0);
      best.fill(-Infinity);
      arg.fill(-1);
      const a = rows(S, s0, sn);
      for (let t0 = 0; t0 < nt; t0 += targetBlock) {
        const tn = Math.min(targetBlock, nt - t0);
        const feeds: Record<string, ort.Tensor> = { a, b: rows(T, t0, tn) };
        if (penalty) {
          feeds.penalty = new ort.Tensor("float32", penalty.subarray(t0, t0 + tn), [tn]);
        }
        const out = await session.run(feeds);
        const v = out.v.data as Float32Array, ix = out.i.data as BigInt64Array;
        // Strict > keeps the earlier target block on ties, as TopK does within a block.
        for (let i = 0; i < sn; i++) {
          if (v[i] > best[i]) {
            best[i] = v[i];
            arg[i] = t0 + Number(ix[i]);
          }
        }
      }
      for (let i = 0; i < sn; i++) {
        // Keys are lower-cased; the first (most frequent) casing of a word wins.
        const key = S.words[s0 + i].toLowerCase();
        if (arg[i] >= 0 && !entries.has(key)) entries.set(key, [T.words[arg[i]]]);
      }
      onProgress?.(s0 + sn);
    }
  } finally {
    await session.release();
  }
  return { source, target, entries, maxNgram: 1 };
}
