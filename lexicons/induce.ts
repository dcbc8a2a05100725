/**
 * Lexicon induction from cross-lingual word embeddings, as in the paper: for
 * each source word, the target word with the highest dot product of the
 * aligned vectors (MUSE `wiki.multi.{lang}.vec`), or optionally the CSLS
 * criterion of Conneau et al. (2018) that penalises hub target words.
 *
 * Vectors are read from fastText text files (`count dim` header, then
 * `word v1 ... vdim`) in one streaming pass that keeps only the wanted rows.
 * Scores are computed in blocks of source x target rows (Float32Array, 4x1
 * register blocking), so memory is the two matrices plus one block of scores.
 * Malformed `.vec` lines (MUSE's Arabic file has one) are skipped and counted.
 *
 * @module
 */

import type { Lang } from "../datasets/records.ts";
import { readLines } from "../datasets/lines.ts";
import { InputError } from "../tasks/errors.ts";
import type { Lexicon } from "./lexicon.ts";

/** Word vectors: row `i` of `vectors` (length `dim`) belongs to `words[i]`. */
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
  /** Source rows per block. */
  sourceBlock?: number;
  /** Target rows per block (keep a block within the L2 cache: rows x dim x 4 bytes). */
  targetBlock?: number;
  /** Called after each source block with the number of source words done. */
  onProgress?: (done: number) => void;
}

/**
 * Computes the dot products of a block of source rows with a block of target
 * rows into `out` (`sn x tn`, row-major), four source rows at a time so that
 * each target value is loaded once per four multiply-adds.
 */
export function scoreBlock(
  src: Float32Array,
  s0: number,
  sn: number,
  tgt: Float32Array,
  t0: number,
  tn: number,
  dim: number,
  out: Float32Array,
): void {
  let i = 0;
  for (; i + 4 <= sn; i += 4) {
    const a0 = (s0 + i) * dim, a1 = a0 + dim, a2 = a1 + dim, a3 = a2 + dim;
    for (let j = 0; j < tn; j++) {
      const b = (t0 + j) * dim;
      let x0 = 0, x1 = 0, x2 = 0, x3 = 0;
      for (let d = 0; d < dim; d++) {
        const v = tgt[b + d];
        x0 += src[a0 + d] * v;
        x1 += src[a1 + d] * v;
        x2 += src[a2 + d] * v;
        x3 += src[a3 + d] * v;
      }
      out[i * tn + j] = x0;
      out[(i + 1) * tn + j] = x1;
      out[(i + 2) * tn + j] = x2;
      out[(i + 3) * tn + j] = x3;
    }
  }
  for (; i < sn; i++) {
    const a = (s0 + i) * dim;
    for (let j = 0; j < tn; j++) {
      const b = (t0 + j) * dim;
      let x = 0;
      for (let d = 0; d < dim; d++) x += src[a + d] * tgt[b + d];
      out[i * tn + j] = x;
    }
  }
}

/** Inserts `v` into the descending top-k list at `off` of `top` (length k, pre-filled with -Inf). */
function pushTopK(top: Float32Array, off: number, k: number, v: number) {
  if (v <= top[off + k - 1]) return;
  let p = off + k - 1;
  while (p > off && top[p - 1] < v) {
    top[p] = top[p - 1];
    p--;
  }
  top[p] = v;
}

/**
 * For every target row, the mean similarity to its `k` nearest source rows
 * (CSLS's hubness penalty r_S(y)), in one blocked pass.
 */
function meanTopKPerTarget(
  src: Embeddings,
  tgt: Embeddings,
  k: number,
  sb: number,
  tb: number,
): Float32Array {
  const ns = src.words.length, nt = tgt.words.length, dim = src.dim;
  const kk = Math.min(k, ns);
  const top = new Float32Array(nt * kk).fill(-Infinity);
  const block = new Float32Array(sb * tb);
  for (let t0 = 0; t0 < nt; t0 += tb) {
    const tn = Math.min(tb, nt - t0);
    for (let s0 = 0; s0 < ns; s0 += sb) {
      const sn = Math.min(sb, ns - s0);
      scoreBlock(src.vectors, s0, sn, tgt.vectors, t0, tn, dim, block);
      for (let i = 0; i < sn; i++) {
        for (let j = 0; j < tn; j++) pushTopK(top, (t0 + j) * kk, kk, block[i * tn + j]);
      }
    }
  }
  const mean = new Float32Array(nt);
  for (let j = 0; j < nt; j++) {
    let s = 0;
    for (let q = 0; q < kk; q++) s += top[j * kk + q];
    mean[j] = kk ? s / kk : 0;
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
 * the earlier (more frequent) target word.
 */
export function induceLexicon(
  source: Lang,
  target: Lang,
  src: Embeddings,
  tgt: Embeddings,
  opts: InductionOptions = {},
): Lexicon {
  const { method = "dot", k = 10, sourceBlock = 64, targetBlock = 256, onProgress } = opts;
  if (src.dim !== tgt.dim) {
    throw new Error(`embedding sizes differ: source ${src.dim}, target ${tgt.dim}`);
  }
  const S = method === "csls" ? normalized(src) : src;
  const T = method === "csls" ? normalized(tgt) : tgt;
  const ns = S.words.length, nt = T.words.length, dim = S.dim;
  const penalty = method === "csls"
    ? meanTopKPerTarget(S, T, k, sourceBlock, targetBlock)
    : undefined;
  const entries = new Map<string, string[]>();
  const block = new Float32Array(sourceBlock * targetBlock);
  const best = new Float64Array(sourceBlock);
  const arg = new Int32Array(sourceBlock);
  for (let s0 = 0; s0 < ns; s0 += sourceBlock) {
    const sn = Math.min(sourceBlock, ns - s0);
    best.fill(-Infinity);
    arg.fill(-1);
    for (let t0 = 0; t0 < nt; t0 += targetBlock) {
      const tn = Math.min(targetBlock, nt - t0);
      scoreBlock(S.vectors, s0, sn, T.vectors, t0, tn, dim, block);
      for (let i = 0; i < sn; i++) {
        let b = best[i], a = arg[i];
        for (let j = 0; j < tn; j++) {
          const v = penalty ? 2 * block[i * tn + j] - penalty[t0 + j] : block[i * tn + j];
          if (v > b) {
            b = v;
            a = t0 + j;
          }
        }
        best[i] = b;
        arg[i] = a;
      }
    }
    for (let i = 0; i < sn; i++) {
      // Keys are lower-cased; the first (most frequent) casing of a word wins.
      const key = S.words[s0 + i].toLowerCase();
      if (arg[i] >= 0 && !entries.has(key)) entries.set(key, [T.words[arg[i]]]);
    }
    onProgress?.(s0 + sn);
  }
  return { source, target, entries, maxNgram: 1 };
}
