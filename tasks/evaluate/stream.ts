/**
 * `evaluate` on files, streamed: trec_eval's results for every input trec_eval
 * accepts, and a one-line `file:line` error for what it refuses.
 *
 * The run is parsed as bytes (see `trec_bytes.ts`) and never held whole: per
 * query only the documents that can still matter are kept, the top
 * `min(-M, deepest cutoff)` by (score desc, docid bytes desc), with a bounded
 * heap. Duplicate documents are refused where trec_eval refuses them: among the
 * top `-M` documents of a query that is evaluated. Queries whose lines are not
 * contiguous are evaluated in a second pass over the file.
 *
 * Differences from trec_eval, all refusals of input trec_eval accepts but
 * cannot evaluate consistently: a `NaN` score (its sort then depends on the
 * qsort implementation); a NUL byte (trec_eval cuts the id there); a query id
 * that is not UTF-8 (it is printed); a qrels file whose last line is a comment
 * (trec_eval reads past its buffer). Document ids may be any bytes.
 *
 * @module
 */

import { InputError } from "../util/mod.ts";
import { type EvaluateOptions, type Evaluation, judgmentsOf, type Measure } from "./metrics.ts";
import { compareCodePoints } from "./trec.ts";
import {
  atof,
  byteKey,
  compareBytes,
  fieldEnd,
  forEachBlock,
  forEachLine,
  splitFields,
  utf8Id,
} from "./trec_bytes.ts";

/** Judgements of one qrels query, keyed by {@linkcode byteKey} of the docid. */
interface QueryQrels {
  judged: Map<string, number>;
  /** First repeated judgement: trec_eval refuses it once the query is evaluated. */
  duplicate?: { line: number; docid: string };
}

/** C `atol` of a field: optional sign and digits, 0 when there are none. */
function atol(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  const neg = p < e && buf[p] === 45;
  if (p < e && (buf[p] === 45 || buf[p] === 43)) p++;
  let v = 0;
  while (p < e && buf[p] >= 48 && buf[p] <= 57) v = v * 10 + buf[p++] - 48;
  return neg ? -v : v;
}

const printable = (key: string) =>
  new TextDecoder().decode(Uint8Array.from(key, (c) => c.charCodeAt(0)));

/**
 * Reads qrels (`qid iter docid rel`) with trec_eval's rules: exactly 4 fields,
 * no blank lines, `rel` read by `atol`, a `#` in column 0 comments out its line
 * (but not the line after it), an empty file refused.
 */
async function readQrelsBytes(path: string): Promise<Map<string, QueryQrels>> {
  const qrels = new Map<string, QueryQrels>();
  const starts = new Int32Array(5);
  const ends = new Int32Array(5);
  let afterComment = false;
  const size = await forEachLine(path, (buf, s, e, line) => {
    if (!afterComment && s < e && buf[s] === 35) {
      afterComment = true;
      return;
    }
    afterComment = false;
    const n = splitFields(buf, s, e, starts, ends, 4, path, line);
    if (n !== 4) {
      const got = n === 0 ? "a blank line" : n > 4 ? "more" : `${n}`;
      throw new InputError(path, line, `expected 4 fields "qid iter docid rel", got ${got}`);
    }
    const qid = utf8Id(buf, starts[0], ends[0], path, line);
    const docid = byteKey(buf, starts[2], ends[2]);
    let q = qrels.get(qid);
    if (q === undefined) qrels.set(qid, q = { judged: new Map() });
    if (q.judged.has(docid)) q.duplicate ??= { line, docid };
    else q.judged.set(docid, atol(buf, starts[3], ends[3]));
  });
  if (size === 0) throw new InputError(path, undefined, "empty qrels file (trec_eval refuses it)");
  if (afterComment) {
    throw new InputError(path, undefined, "the last line is a comment (trec_eval crashes on it)");
  }
  return qrels;
}

/**
 * The documents of one query that can still matter: a bounded min-heap of the
 * best `cap` in trec_eval order (all of them when `cap` is infinite), their
 * docid bytes in an arena. With `hashAll`, every document is stored and hashed
 * so that any duplicate is found (trec_eval checks all documents when no `-M`).
 */
class QueryDocs {
  private arena = new Uint8Array(1 << 12);
  private used = 0;
  private start = new Int32Array(64);
  private len = new Int32Array(64);
  private score = new Float64Array(64);
  private line = new Int32Array(64);
  private n = 0;
  private heap: Int32Array;
  private size = 0;
  private table = new Int32Array(0);
  private hashes = new Int32Array(64);

  constructor(private readonly cap: number, private readonly hashAll: boolean) {
    // Grown on demand: `-M` may be far larger than any query.
    this.heap = new Int32Array(Number.isFinite(cap) ? Math.min(cap, 64) : 0);
  }

  reset(): void {
    this.used = this.n = this.size = 0;
    this.table.fill(0);
  }

  /** Adds a document; throws on a duplicate when every document is hashed. */
  add(buf: Uint8Array, s: number, e: number, score: number, line: number, file: string): void {
    if (this.hashAll) {
      let h = 0x811c9dc5;
      for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 16777619);
      this.checkNew(buf, s, e, h, line, file);
      this.heapAdd(this.store(buf, s, e, score, line, h));
      return;
    }
    if (this.size < this.cap) {
      this.heapAdd(this.store(buf, s, e, score, line, 0));
      return;
    }
    const top = this.heap[0];
    const t = this.score[top];
    if (score < t) return;
    const at = this.start[top];
    if (score === t && compareBytes(buf, s, e, this.arena, at, at + this.len[top]) <= 0) return;
    this.heap[0] = this.store(buf, s, e, score, line, 0);
    this.siftDown(0);
  }

  /**
   * The kept documents in trec_eval order, checked for duplicates (with `-M`);
   * returns `[order, duplicateLine]`, `duplicateLine` 0 when there is none.
   */
  finish(): [Int32Array, number] {
    const order = Number.isFinite(this.cap)
      ? this.heap.slice(0, this.size)
      : Int32Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0);
    let duplicateLine = 0;
    if (!this.hashAll) {
      const seen = new Set<string>();
      for (const i of order) {
        const key = this.key(i);
        if (seen.has(key)) duplicateLine = Math.max(duplicateLine, this.line[i]);
        seen.add(key);
      }
    }
    return [order, duplicateLine];
  }

  /** {@linkcode byteKey} of a stored document's id. */
  key(i: number): string {
    return byteKey(this.arena, this.start[i], this.start[i] + this.len[i]);
  }

  /** Whether stored document `a` ranks before `b` (score desc, docid bytes desc). */
  private better(a: number, b: number): boolean {
    if (this.score[a] !== this.score[b]) return this.score[a] > this.score[b];
    const as = this.start[a];
    const bs = this.start[b];
    return compareBytes(this.arena, as, as + this.len[a], this.arena, bs, bs + this.len[b]) > 0;
  }

  private store(buf: Uint8Array, s: number, e: number, score: number, line: number, h: number) {
    const len = e - s;
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(2 * this.arena.length, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    if (this.n === this.start.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const g = new (a.constructor as new (n: number) => T)(2 * a.length);
        g.set(a);
        return g;
      };
      this.start = grow(this.start);
      this.len = grow(this.len);
      this.score = grow(this.score);
      this.line = grow(this.line);
      this.hashes = grow(this.hashes);
    }
    this.arena.set(buf.subarray(s, e), this.used);
    const i = this.n++;
    this.start[i] = this.used;
    this.len[i] = len;
    this.score[i] = score;
    this.line[i] = line;
    this.hashes[i] = h;
    this.used += len;
    if (this.hashAll) this.insertHash(i);
    return i;
  }

  private checkNew(buf: Uint8Array, s: number, e: number, h: number, line: number, file: string) {
    const mask = this.table.length - 1;
    if (mask < 0) return;
    for (let slot = h & mask; this.table[slot] !== 0; slot = (slot + 1) & mask) {
      const j = this.table[slot] - 1;
      if (this.hashes[j] !== h) continue;
      const js = this.start[j];
      if (compareBytes(buf, s, e, this.arena, js, js + this.len[j]) === 0) {
        throw new InputError(file, line, `duplicate document "${printable(this.key(j))}"`);
      }
    }
  }

  private insertHash(i: number): void {
    if (2 * this.n > this.table.length) {
      this.table = new Int32Array(Math.max(256, 2 ** Math.ceil(Math.log2(4 * this.n))));
      for (let j = 0; j < i; j++) this.place(j);
    }
    this.place(i);
  }

  private place(i: number): void {
    const mask = this.table.length - 1;
    let slot = this.hashes[i] & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = i + 1;
  }

  private heapAdd(i: number): void {
    if (!Number.isFinite(this.cap)) return;
    if (this.size < this.cap) {
      if (this.size === this.heap.length) {
        const grown = new Int32Array(Math.min(this.cap, 2 * this.heap.length));
        grown.set(this.heap);
        this.heap = grown;
      }
      let c = this.size++;
      this.heap[c] = i;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!this.better(this.heap[parent], this.heap[c])) break;
        [this.heap[parent], this.heap[c]] = [this.heap[c], this.heap[parent]];
        c = parent;
      }
    } else if (this.better(i, this.heap[0])) {
      this.heap[0] = i;
      this.siftDown(0);
    }
  }

  /** Restores the heap (worst document at the root) below `c`. */
  private siftDown(c: number): void {
    const h = this.heap;
    while (true) {
      const l = 2 * c + 1;
      if (l >= this.size) return;
      const worse = l + 1 < this.size && this.better(h[l], h[l + 1]) ? l + 1 : l;
      if (!this.better(h[c], h[worse])) return;
      [h[c], h[worse]] = [h[worse], h[c]];
      c = worse;
    }
  }
}

/**
 * Evaluates a run file against a qrels file (plain or `.gz`) exactly as
 * `trec_eval [-c] [-M n]` does, streaming the run. Without `complete` (no
 * `-c`), a qrels query missing from the run is refused, as trec_eval 10 does.
 *
 * @example
 * ```ts
 * import { parseMeasure } from "./metrics.ts";
 * const ev = await evaluateFiles("dev.qrels", "zs.run", [parseMeasure("RR@10")], { maxDocs: 10 });
 * ev.mean.get("RR@10"); // = trec_eval -c -M 10 -m recip_rank
 * ```
 */
export async function evaluateFiles(
  qrelsPath: string,
  runPath: string,
  measures: readonly Measure[],
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const qrels = await readQrelsBytes(qrelsPath);
  const maxDocs = options.maxDocs ?? Infinity;
  const deepest = Math.max(...measures.map((m) => m.params.cutoff));
  const keep = Math.min(maxDocs, deepest);
  const hashAll = !Number.isFinite(maxDocs);
  const newDocs = () => new QueryDocs(hashAll ? deepest : maxDocs, hashAll);
  const values = new Map<string, Float64Array>();
  const duplicates = new Map<string, number>();

  const finish = (qid: string, docs: QueryDocs) => {
    const [order, duplicateLine] = docs.finish();
    if (duplicateLine > 0) duplicates.set(qid, duplicateLine);
    const judged = qrels.get(qid)!.judged;
    const ranked = new Int32Array(Math.min(keep, order.length));
    for (let r = 0; r < ranked.length; r++) {
      ranked[r] = Math.max(0, judged.get(docs.key(order[r])) ?? 0);
    }
    const prepared = judgmentsOf(judged);
    values.set(qid, Float64Array.from(measures, (m) => m.compute(ranked, prepared)));
  };

  // Pass 1: contiguous queries, one at a time; a query met again is left to pass 2.
  const seen = new Set<string>();
  const split = new Set<string>();
  const docs = newDocs();
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  let qidBytes = new Uint8Array(0);
  /**
   * Parses a block of run lines (see `forEachBlock`); per document line calls
   * `onQuery` when the qid changes, then `onDoc`. One pass over the bytes.
   */
  const scan = (
    buf: Uint8Array,
    s: number,
    e: number,
    line: number,
    onQuery: (qid: string) => void,
    onDoc: (buf: Uint8Array, s: number, e: number, score: number, line: number) => void,
  ): number => {
    const first = line;
    let p = s;
    while (p < e) {
      let b = buf[p];
      while (b !== 10 && (b === 32 || (b >= 9 && b <= 13))) b = buf[++p];
      if (b === 10 || b === 35) { // blank line or comment, as trec_eval
        p = buf.indexOf(10, p) + 1;
        line++;
        continue;
      }
      for (let f = 0; f < 6; f++) {
        if (f > 0) {
          while (b !== 10 && (b === 32 || (b >= 9 && b <= 13))) b = buf[++p];
          if (b === 10) {
            throw new InputError(runPath, line, `expected 6 fields "qid Q0 docid rank score tag"`);
          }
        }
        starts[f] = p;
        p = fieldEnd(buf, p, runPath, line);
        ends[f] = p;
        b = buf[p];
      }
      const score = atof(buf, starts[4], ends[4]);
      if (Number.isNaN(score)) {
        throw new InputError(runPath, line, "score is NaN (trec_eval's ranking is then undefined)");
      }
      const qs = starts[0];
      const ql = ends[0] - qs;
      let same = ql === qidBytes.length;
      for (let i = 0; same && i < ql; i++) same = buf[qs + i] === qidBytes[i];
      if (!same) {
        qidBytes = buf.slice(qs, qs + ql);
        onQuery(utf8Id(buf, qs, qs + ql, runPath, line));
      }
      onDoc(buf, starts[2], ends[2], score, line);
      p = b === 10 ? p + 1 : buf.indexOf(10, p) + 1; // fields after the tag are ignored
      line++;
    }
    return line - first;
  };

  let current: string | undefined; // the query being accumulated in `docs`
  const size = await forEachBlock(runPath, (buf, s, e, line) =>
    scan(buf, s, e, line, (qid) => {
      if (current !== undefined) finish(current, docs);
      current = undefined;
      if (seen.has(qid) && qrels.has(qid)) {
        split.add(qid);
        values.delete(qid);
        duplicates.delete(qid);
      }
      seen.add(qid);
      if (qrels.has(qid) && !split.has(qid)) current = qid;
      docs.reset();
    }, (b, ds, de, score, l) => {
      if (current !== undefined) docs.add(b, ds, de, score, l, runPath);
    }));
  if (current !== undefined) finish(current, docs);
  if (size === 0) throw new InputError(runPath, undefined, "empty run file (trec_eval refuses it)");

  if (split.size > 0) {
    // Pass 2: the queries whose lines are spread over the file, each with its own documents.
    const spread = new Map([...split].map((q) => [q, newDocs()]));
    let into: QueryDocs | undefined;
    qidBytes = new Uint8Array(0);
    await forEachLine(
      runPath,
      (buf, s, e, line) =>
        scan(buf, s, e, line, (qid) => into = spread.get(qid), (b, ds, de, score, l) => {
          into?.add(b, ds, de, score, l, runPath);
        }),
    );
    for (const [q, d] of spread) finish(q, d);
  }

  const complete = options.complete ?? true;
  const qids = [...qrels.keys()].sort(compareCodePoints);
  const perQuery = new Map(measures.map((m) => [m.name, new Map<string, number>()]));
  const sums = measures.map(() => 0);
  const empty = new QueryDocs(0, false);
  for (const q of qids) {
    const dup = qrels.get(q)!.duplicate;
    if (dup) {
      throw new InputError(
        qrelsPath,
        dup.line,
        `duplicate judgement of "${printable(dup.docid)}" for query "${q}"`,
      );
    }
    const dupLine = duplicates.get(q);
    if (dupLine !== undefined) {
      throw new InputError(runPath, dupLine, `duplicate document for query "${q}"`);
    }
    if (!values.has(q)) {
      if (!complete) {
        throw new InputError(
          runPath,
          undefined,
          `query "${q}" of the qrels is not in the run (trec_eval without -c refuses this); ` +
            "drop --no-complete to score it 0",
        );
      }
      finish(q, empty);
    }
    const v = values.get(q)!;
    measures.forEach((m, i) => {
      perQuery.get(m.name)!.set(q, v[i]);
      sums[i] += v[i];
    });
  }
  const mean = new Map(measures.map((m, i) => [m.name, sums[i] / qids.length]));
  return { measures: [...measures], qids, perQuery, mean };
}
