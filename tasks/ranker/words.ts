/**
 * Featurisation: text -> word rows -> hashed slot ids (the whole word and its
 * character n-grams), batches of pairs over a shared word table, and the
 * in-batch BM25 feature.
 *
 * @module
 */

import { Bm25Index } from "../bm25/mod.ts";
import { fnv1a, FNV_OFFSET, terms } from "../util/mod.ts";
import type { RankerConfig } from "./config.ts";

/** Salted FNV-1a over the UTF-16 code units `s[start, end)`, then an avalanche. */
function hashRange(s: string, start: number, end: number, salt: number): number {
  let h = fnv1a(s, start, end, (FNV_OFFSET ^ salt) >>> 0);
  // Final avalanche so that nearby strings spread over the buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Embedding rows of one word: the whole word first, then the character n-grams
 * of `<word>`, shortest n first, left to right, at most `maxSlots` in all.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * wordSlots(DEFAULT_CONFIG, "cat"); // 1 + 3 + 2 + 1 = 7 row ids
 * ```
 */
export function wordSlots(cfg: RankerConfig, word: string): Int32Array {
  const w = `<${word}>`;
  const ids: number[] = [hashRange(w, 0, w.length, cfg.hashSeed ^ 0x77) % cfg.buckets];
  for (let n = cfg.minN; n <= cfg.maxN && ids.length < cfg.maxSlots; n++) {
    for (let i = 0; i + n <= w.length && ids.length < cfg.maxSlots; i++) {
      ids.push(hashRange(w, i, i + n, cfg.hashSeed) % cfg.buckets);
    }
  }
  return Int32Array.from(ids);
}

/**
 * A query-document pair as word lists (row numbers into a word table).
 *
 * @example
 * ```ts
 * declare const pairWords: PairWords;
 * pairWords.q;
 * ```
 */
export interface PairWords {
  /** Query words (indices into the word table). */
  q: Int32Array;
  /** Document words (indices into the word table). */
  d: Int32Array;
  /** BM25 score of the pair (a float32 value; 0 when absent). */
  bm25?: number;
}

/**
 * Maps words to rows of a word table and remembers their slots, so that each
 * distinct word is hashed once. Row 0 is reserved for padding (no slots).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const table = new WordTable({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * const pair = table.pair("a cat", "the cat sat");
 * pair.q.length; // 2 query words
 * ```
 */
export class WordTable {
  /** The configuration the slots are hashed with. */
  readonly cfg: RankerConfig;
  #index = new Map<string, number>();
  /** Slot ids per row (row 0: empty, padding). */
  readonly slots: Int32Array[] = [new Int32Array(0)];

  /** Creates an empty table for `cfg`. */
  constructor(cfg: RankerConfig) {
    this.cfg = cfg;
  }

  /** Number of rows, including the padding row. */
  get size(): number {
    return this.slots.length;
  }

  /** Row of `word`, adding it if new. */
  row(word: string): number {
    let r = this.#index.get(word);
    if (r === undefined) {
      r = this.slots.length;
      this.#index.set(word, r);
      this.slots.push(wordSlots(this.cfg, word));
    }
    return r;
  }

  /** Rows of the first `max` terms of `text`. */
  encode(text: string, max: number, lang?: string): Int32Array {
    return this.encodeTerms(terms(text, lang), max);
  }

  /** Rows of the first `max` of `ts` (a text's terms). */
  encodeTerms(ts: readonly string[], max: number): Int32Array {
    const n = Math.min(ts.length, max);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.row(ts[i]);
    return out;
  }

  /** Encodes a query-document pair with the configured length limits. */
  pair(query: string, doc: string, lang?: string): PairWords {
    return {
      q: this.encode(query, this.cfg.maxQueryLen, lang),
      d: this.encode(doc, this.cfg.maxDocLen, lang),
    };
  }
}

/** Hashed slot ids of some word-table rows, padded to a rectangle. */
export interface SlotMatrix {
  /** Slots per row K (the maximum over the rows, at least 1). */
  slots: number;
  /** Slot ids [rows, K]; padding slots hold `buckets` (an all-zero row in the ONNX graph). */
  slotIds: Int32Array;
  /** 1/n per row for its n slots (0 for the padding row 0): word vector = scale * sum. */
  wordScale: Float32Array;
}

/**
 * A featurised batch: the distinct words of the batch with their slot ids and
 * weights (local row 0 is padding), and each pair's words as local rows; what
 * the TypeScript forward and backward passes take.
 */
export interface Batch extends SlotMatrix {
  /** Distinct words W (including the padding row 0). */
  words: number;
  /** Pairs with query/document words as local rows. */
  pairs: PairWords[];
}

/**
 * Slot ids and scales of `rows` of `table`, in that order (the word graph's
 * inputs), padded to the longest row, or to `slots` columns when given.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const table = new WordTable({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * const { q } = table.pair("a cat", "the cat");
 * slotMatrix(table, q).slotIds.length;
 * ```
 */
export function slotMatrix(
  table: WordTable,
  rows: ArrayLike<number>,
  slots?: number,
): SlotMatrix {
  let k = slots ?? 1;
  for (let i = 0; i < rows.length; i++) k = Math.max(k, table.slots[rows[i]].length);
  const slotIds = new Int32Array(rows.length * k).fill(table.cfg.buckets);
  const wordScale = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const s = table.slots[rows[i]];
    slotIds.set(s, i * k);
    if (s.length > 0) wordScale[i] = 1 / s.length;
  }
  return { slots: k, slotIds, wordScale };
}

/**
 * Collects the distinct words of `pairs` (rows of `table`) into a {@linkcode Batch},
 * in order of first appearance, so the same pairs always give the same batch.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const table = new WordTable({ ...DEFAULT_CONFIG, dim: 8, buckets: 64 });
 * const batch = makeBatch(table, [table.pair("a cat", "the cat sat")]);
 * batch.words; // distinct words, padding row included
 * ```
 */
export function makeBatch(table: WordTable, pairs: readonly PairWords[]): Batch {
  const local = new Map<number, number>();
  const rows: number[] = [0];
  local.set(0, 0);
  const map = (ws: Int32Array) => {
    const out = new Int32Array(ws.length);
    for (let i = 0; i < ws.length; i++) {
      let l = local.get(ws[i]);
      if (l === undefined) {
        l = rows.length;
        local.set(ws[i], l);
        rows.push(ws[i]);
      }
      out[i] = l;
    }
    return out;
  };
  const mapped = pairs.map((p) => ({ q: map(p.q), d: map(p.d), bm25: p.bm25 ?? 0 }));
  return { words: rows.length, ...slotMatrix(table, rows), pairs: mapped };
}

/**
 * BM25 (k1 0.9, b 0.4) of each pair `(queries[i], docs[i])`, with document
 * frequencies and lengths from the distinct texts of `docs` (the collection
 * being ranked), rounded to float32 as the ONNX graph receives them.
 * `docTerms` gives a document's terms when the caller has tokenised it already.
 *
 * @example
 * ```ts
 * pairBm25(["red fox", "red fox"], ["the red fox", "a dog"]); // [> 0, 0]
 * ```
 */
export function pairBm25(
  queries: readonly string[],
  docs: readonly string[],
  docTerms: (doc: string) => readonly string[] | undefined = () => undefined,
): Float32Array {
  if (queries.length !== docs.length) {
    throw new RangeError(`pairBm25: ${queries.length} queries but ${docs.length} documents`);
  }
  const ids = new Map<string, string>();
  for (const d of docs) if (!ids.has(d)) ids.set(d, String(ids.size));
  const index = Bm25Index.build(
    Array.from(ids, ([text, id]) => ({ id, text, terms: docTerms(text) })),
  );
  // One call per distinct query, so each query is tokenised once.
  const byQuery = new Map<string, number[]>();
  queries.forEach((q, i) => {
    let l = byQuery.get(q);
    if (!l) byQuery.set(q, l = []);
    l.push(i);
  });
  const out = new Float32Array(queries.length);
  for (const [q, idx] of byQuery) {
    const s = index.score(q, idx.map((i) => ids.get(docs[i])!));
    for (let j = 0; j < idx.length; j++) out[idx[j]] = s[j];
  }
  return out;
}
