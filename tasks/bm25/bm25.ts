/**
 * In-memory BM25 for any language. Terms come from {@linkcode terms} (regex
 * words for spaced scripts, ICU segmentation for CJK/Thai, lower-cased; no
 * stemming, no stopword list, so every language is treated alike).
 *
 * Scoring follows Lucene/Anserini: idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
 * term weight = tf / (tf + k1 * (1 - b + b * dl / avgdl)), a repeated query term
 * counts once per occurrence (Anserini's bag-of-words boost). Document lengths
 * are exact (Lucene quantises them to one byte), so scores can differ from
 * Anserini's in the third digit. Defaults k1 = 0.9, b = 0.4 are Anserini's.
 *
 * Ties are broken by docid descending, the order trec_eval uses, so a top-k cut
 * keeps exactly the documents trec_eval would rank first.
 *
 * @module
 */

import { type Lang, terms } from "../util/mod.ts";

/** A document to index. */
export interface Bm25Doc {
  /** Document id (unique within the index). */
  id: string;
  /** Text to index. */
  text: string;
  /** The text's terms, when the caller has them already (as `terms(text, lang)` gives them). */
  terms?: readonly string[];
}

/** A scored document. */
export interface Bm25Hit {
  /** Document id. */
  id: string;
  /** BM25 score. */
  score: number;
}

/**
 * BM25 parameters and the language used for tokenisation.
 *
 * @example
 * ```ts
 * declare const bm25Options: Bm25Options;
 * bm25Options.k1;
 * ```
 */
export interface Bm25Options {
  /** Term-frequency saturation. Default 0.9 (Anserini). */
  k1?: number;
  /** Length normalisation. Default 0.4 (Anserini). */
  b?: number;
  /** Language hint for tokenisation of documents and queries. Default `"und"`. */
  lang?: Lang;
}

// Bounds are inflated by this factor before pruning, so float rounding in the
// sums never drops a document that exact arithmetic would keep.
const SLACK = 1 + 1e-9;

/** Default k1 (Anserini). */
export const DEFAULT_K1 = 0.9;
/** Default b (Anserini). */
export const DEFAULT_B = 0.4;

/** Lucene's BM25 idf for a term in `df` of `n` documents. */
export function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * An immutable BM25 index: postings in typed arrays (compressed sparse rows,
 * postings of a term sorted by document number) with precomputed term weights.
 *
 * @example
 * ```ts
 * const index = Bm25Index.build([{ id: "d1", text: "the cat sat" }, { id: "d2", text: "a dog" }]);
 * index.search("cat", 10); // [{ id: "d1", score: ... }]
 * ```
 */
export class Bm25Index {
  /** k1 used for the weights. */
  readonly k1: number;
  /** b used for the weights. */
  readonly b: number;
  /** Tokenisation language. */
  readonly lang: Lang;
  /** Average document length in terms. */
  readonly avgdl: number;
  readonly #ids: string[];
  readonly #byId: Map<string, number>;
  readonly #vocab: Map<string, number>;
  readonly #idf: Float64Array;
  readonly #start: Uint32Array;
  readonly #doc: Uint32Array;
  readonly #weight: Float64Array;
  // Position of each document in docid-descending order, for tie-breaking.
  readonly #tieRank: Uint32Array;
  // Largest weight in each term's postings (its score bound per unit of idf).
  readonly #maxWeight: Float64Array;
  // Per-search scratch: accumulators (0 = untouched), touched documents, quickselect.
  readonly #acc: Float64Array;
  readonly #touched: Uint32Array;
  readonly #scratch: Float64Array;

  private constructor(
    ids: string[],
    vocab: Map<string, number>,
    start: Uint32Array,
    doc: Uint32Array,
    weight: Float64Array,
    avgdl: number,
    k1: number,
    b: number,
    lang: Lang,
  ) {
    this.#ids = ids;
    this.#vocab = vocab;
    this.#start = start;
    this.#doc = doc;
    this.#weight = weight;
    this.avgdl = avgdl;
    this.k1 = k1;
    this.b = b;
    this.lang = lang;
    const n = ids.length;
    this.#byId = new Map(ids.map((id, i) => [id, i]));
    this.#idf = new Float64Array(vocab.size);
    for (let t = 0; t < vocab.size; t++) this.#idf[t] = bm25Idf(n, start[t + 1] - start[t]);
    const order = Array.from(ids.keys()).sort((x, y) =>
      ids[x] < ids[y] ? 1 : ids[x] > ids[y] ? -1 : 0
    );
    this.#tieRank = new Uint32Array(n);
    order.forEach((d, r) => this.#tieRank[d] = r);
    this.#maxWeight = new Float64Array(vocab.size);
    for (let t = 0; t < vocab.size; t++) {
      for (let p = start[t]; p < start[t + 1]; p++) {
        if (weight[p] > this.#maxWeight[t]) this.#maxWeight[t] = weight[p];
      }
    }
    this.#acc = new Float64Array(n);
    this.#touched = new Uint32Array(n);
    this.#scratch = new Float64Array(n);
  }

  /**
   * Indexes `docs`. Throws a `TypeError` on duplicate ids or bad parameters (a bug
   * in the caller: CLI options are validated before they get here).
   */
  static build(docs: Iterable<Bm25Doc>, opts: Bm25Options = {}): Bm25Index {
    const k1 = opts.k1 ?? DEFAULT_K1;
    const b = opts.b ?? DEFAULT_B;
    const lang = opts.lang ?? "und";
    if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
      throw new TypeError(`BM25: expected k1 >= 0 and b in [0, 1], got k1=${k1}, b=${b}`);
    }
    const ids: string[] = [];
    const seen = new Set<string>();
    const vocab = new Map<string, number>();
    const df: number[] = [];
    // Per document: its distinct terms and their frequencies, flattened.
    const docEnd: number[] = [];
    const docTerm: number[] = [];
    const docTf: number[] = [];
    const docLen: number[] = [];
    const local = new Map<number, number>();
    for (const { id, text, terms: given } of docs) {
      if (seen.has(id)) throw new TypeError(`BM25: duplicate document id ${JSON.stringify(id)}`);
      seen.add(id);
      ids.push(id);
      local.clear();
      const words = given ?? terms(text, lang);
      for (const w of words) {
        let t = vocab.get(w);
        if (t === undefined) {
          vocab.set(w, t = vocab.size);
          df.push(0);
        }
        local.set(t, (local.get(t) ?? 0) + 1);
      }
      for (const [t, tf] of local) {
        docTerm.push(t);
        docTf.push(tf);
        df[t]++;
      }
      docEnd.push(docTerm.length);
      docLen.push(words.length);
    }
    const n = ids.length;
    let total = 0;
    for (const l of docLen) total += l;
    const avgdl = n === 0 ? 0 : total / n;
    const start = new Uint32Array(vocab.size + 1);
    for (let t = 0; t < vocab.size; t++) start[t + 1] = start[t] + df[t];
    const fill = start.slice(0, vocab.size);
    const doc = new Uint32Array(docTerm.length);
    const weight = new Float64Array(docTerm.length);
    let p = 0;
    for (let d = 0; d < n; d++) {
      const norm = k1 * (1 - b + (avgdl === 0 ? 0 : b * docLen[d] / avgdl));
      for (; p < docEnd[d]; p++) {
        const slot = fill[docTerm[p]]++;
        doc[slot] = d;
        weight[slot] = docTf[p] / (docTf[p] + norm);
      }
    }
    return new Bm25Index(ids, vocab, start, doc, weight, avgdl, k1, b, lang);
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.#ids.length;
  }

  /** Number of distinct terms. */
  get vocabularySize(): number {
    return this.#vocab.size;
  }

  /** Document frequency of a (lower-cased) term; 0 if unknown. */
  df(term: string): number {
    const t = this.#vocab.get(term);
    return t === undefined ? 0 : this.#start[t + 1] - this.#start[t];
  }

  /**
   * The `k` best documents for `query`, by score descending, ties by docid
   * descending. Only documents sharing at least one term with the query are returned.
   *
   * Term-at-a-time with MaxScore-style pruning: terms go from the highest score
   * bound down; once the k-th best partial score exceeds what the remaining
   * terms can add, no new document can enter the top k, so the remaining
   * (frequent) terms only update the surviving candidates. The result is exact.
   */
  search(query: string, k: number): Bm25Hit[] {
    if (k <= 0) return [];
    const acc = this.#acc;
    const touched = this.#touched;
    const q = this.#queryTerms(query);
    // rest[i]: the most that terms i.. can add to any document's score.
    const rest = new Float64Array(q.length + 1);
    for (let i = q.length - 1; i >= 0; i--) {
      rest[i] = rest[i + 1] + q[i].w * this.#maxWeight[q[i].t];
    }
    let m = 0;
    let pruning = false;
    for (let i = 0; i < q.length; i++) {
      const { t, w } = q[i];
      const from = this.#start[t];
      const end = this.#start[t + 1];
      if (!pruning && m >= k && rest[i] * SLACK < this.#kth(m, k)) pruning = true;
      if (pruning) {
        m = this.#prune(m, k, rest[i]);
        if (m * (Math.log2(end - from) + 1) < end - from) {
          for (let j = 0; j < m; j++) {
            const d = touched[j];
            const p = this.#find(t, d);
            if (p >= 0) acc[d] += w * this.#weight[p];
          }
        } else {
          for (let p = from; p < end; p++) {
            const d = this.#doc[p];
            if (acc[d] !== 0) acc[d] += w * this.#weight[p];
          }
        }
      } else {
        for (let p = from; p < end; p++) {
          const d = this.#doc[p];
          if (acc[d] === 0) touched[m++] = d;
          acc[d] += w * this.#weight[p];
        }
      }
    }
    const top = this.#select(m, k);
    for (let i = 0; i < m; i++) acc[touched[i]] = 0;
    return top;
  }

  /**
   * BM25 scores of `query` for the given documents, in the order given.
   * Throws a `RangeError` for an id that is not in the index.
   */
  score(query: string, docIds: readonly string[]): Float64Array {
    const q = this.#queryTerms(query);
    const out = new Float64Array(docIds.length);
    docIds.forEach((id, i) => {
      const d = this.#byId.get(id);
      if (d === undefined) throw new RangeError(`BM25: unknown document id ${JSON.stringify(id)}`);
      let s = 0;
      for (const { t, w } of q) {
        const p = this.#find(t, d);
        if (p >= 0) s += w * this.#weight[p];
      }
      out[i] = s;
    });
    return out;
  }

  // Known query terms with weight idf * qtf, highest score bound first (ties by
  // term number): search() and score() add in this order, so they agree to the bit.
  #queryTerms(query: string): { t: number; w: number }[] {
    const qtf = new Map<number, number>();
    for (const word of terms(query, this.lang)) {
      const t = this.#vocab.get(word);
      if (t !== undefined) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    }
    const q = [...qtf].map(([t, n]) => ({ t, w: this.#idf[t] * n }));
    const bound = (x: { t: number; w: number }) => x.w * this.#maxWeight[x.t];
    return q.sort((x, y) => bound(y) - bound(x) || x.t - y.t);
  }

  // The k-th largest partial score among the m touched documents (k <= m).
  #kth(m: number, k: number): number {
    const v = this.#scratch;
    for (let i = 0; i < m; i++) v[i] = this.#acc[this.#touched[i]];
    // Quickselect for index k-1 of the descending order.
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const pivot = v[(lo + hi) >>> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (v[i] > pivot) i++;
        while (v[j] < pivot) j--;
        if (i <= j) {
          const x = v[i];
          v[i++] = v[j];
          v[j--] = x;
        }
      }
      if (k - 1 <= j) hi = j;
      else if (k - 1 >= i) lo = i;
      else break;
    }
    return v[k - 1];
  }

  // Drops touched documents that cannot reach the k-th best partial score even
  // with `bound` added; returns the new count.
  #prune(m: number, k: number, bound: number): number {
    const theta = this.#kth(m, k);
    const acc = this.#acc;
    const touched = this.#touched;
    let kept = 0;
    for (let i = 0; i < m; i++) {
      const d = touched[i];
      if ((acc[d] + bound) * SLACK < theta) acc[d] = 0;
      else touched[kept++] = d;
    }
    return kept;
  }

  // Binary search for document d in the postings of term t; -1 if absent.
  #find(t: number, d: number): number {
    let lo = this.#start[t];
    let hi = this.#start[t + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = this.#doc[mid];
      if (x === d) return mid;
      if (x < d) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  // Top k of the m touched documents with a bounded min-heap (worst at the root).
  #select(m: number, k: number): Bm25Hit[] {
    const acc = this.#acc;
    const rank = this.#tieRank;
    const touched = this.#touched;
    // a is worse than b: lower score, or equal score and later in tie order.
    const worse = (a: number, b: number) =>
      acc[a] < acc[b] || (acc[a] === acc[b] && rank[a] > rank[b]);
    const size = Math.min(k, m);
    const heap = new Uint32Array(size);
    let h = 0;
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h) return;
        const r = l + 1;
        const c = r < h && worse(heap[r], heap[l]) ? r : l;
        if (!worse(heap[c], heap[i])) return;
        [heap[c], heap[i]] = [heap[i], heap[c]];
        i = c;
      }
    };
    for (let i = 0; i < m; i++) {
      const d = touched[i];
      if (h < size) {
        let j = h++;
        heap[j] = d;
        while (j > 0) {
          const parent = (j - 1) >>> 1;
          if (!worse(heap[j], heap[parent])) break;
          [heap[j], heap[parent]] = [heap[parent], heap[j]];
          j = parent;
        }
      } else if (worse(heap[0], d)) {
        heap[0] = d;
        down(0);
      }
    }
    const out = new Array<Bm25Hit>(h);
    while (h > 0) {
      const d = heap[0];
      out[h - 1] = { id: this.#ids[d], score: acc[d] };
      heap[0] = heap[--h];
      down(0);
    }
    return out;
  }
}
