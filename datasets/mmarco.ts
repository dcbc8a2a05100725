/**
 * Streaming loaders for the paper's data: mMARCO collections, queries and
 * qrels, MS MARCO's BM25 `top1000.dev` and the sentence-transformers qid-pid
 * training triples. Files are several gigabytes, so every loader is an async
 * generator over {@linkcode readLines}: memory stays constant whatever the
 * size. Each accepts a path (`.gz` is gunzipped, `.tar.gz` unpacked) or a byte
 * stream; a malformed line is an `InputError` naming file and line.
 *
 * @module
 */

import {
  type Document,
  InputError,
  type Lang,
  openBytes,
  type Qrel,
  type Query,
  readLines,
  TREC_WORD,
} from "../tasks/util/mod.ts";

/**
 * A file path, or a byte stream with a name for error messages.
 *
 * @example
 * ```ts
 * declare const tsvSource: TsvSource;
 * ```
 */
export type TsvSource = string | { stream: ReadableStream<Uint8Array>; name: string };

/** One BM25 candidate of `top1000.dev`. */
export interface RerankCandidate {
  /** Query id. */
  qid: string;
  /** Passage id. */
  pid: string;
  /** English query text. */
  query: string;
  /** English passage text. */
  passage: string;
}

/** One training triple of ids. */
export interface IdTriple {
  /** Query id. */
  qid: string;
  /** Relevant passage id. */
  pos: string;
  /** Non-relevant passage id. */
  neg: string;
}

const ID = /^\d+$/;

/**
 * The name a {@linkcode TsvSource} goes by in messages: its path, or its stream's name.
 *
 * @example
 * ```ts
 * tsvSourceName("collection.tsv"); // "collection.tsv"
 * ```
 */
export function tsvSourceName(src: TsvSource): string {
  return typeof src === "string" ? src : src.name;
}

async function open(src: TsvSource): Promise<ReadableStream<Uint8Array>> {
  if (typeof src !== "string") return src.stream;
  const bytes = await openBytes(src);
  return src.endsWith(".tar.gz") || src.endsWith(".tgz") ? untarFirstFile(bytes, src) : bytes;
}

/** Yields non-empty lines split at tabs; `fields` is the exact count, or the minimum with the rest joined into the last. */
async function* rows(
  src: TsvSource,
  fields: number,
  restJoined: boolean,
  shape: string,
  check: (cols: string[]) => boolean,
): AsyncGenerator<string[]> {
  const name = tsvSourceName(src);
  for await (const { text, n } of readLines(await open(src))) {
    if (text === "") continue;
    let cols = text.split("\t");
    if (restJoined && cols.length > fields) {
      cols = [...cols.slice(0, fields - 1), cols.slice(fields - 1).join("\t")];
    }
    if (cols.length !== fields || !check(cols)) {
      throw new InputError(name, n, `expected ${shape}, got ${JSON.stringify(text.slice(0, 80))}`);
    }
    yield cols;
  }
}

/**
 * Passages of a collection TSV (`pid<TAB>passage`).
 *
 * @example
 * ```ts
 * for await (const d of readCollection("german_collection.tsv", "de")) console.log(d.docid);
 * ```
 */
export async function* readCollection(src: TsvSource, lang: Lang): AsyncGenerator<Document> {
  for await (const [docid, text] of rows(src, 2, true, "pid<TAB>passage", (c) => ID.test(c[0]))) {
    yield { docid, text, lang };
  }
}

/**
 * Queries of a queries TSV (`qid<TAB>query`).
 *
 * @example
 * ```ts
 * for await (const q of readQueries("queries.dev.small.tsv", "de")) console.log(q.qid, q.text);
 * ```
 */
export async function* readQueries(src: TsvSource, lang: Lang): AsyncGenerator<Query> {
  for await (const [qid, text] of rows(src, 2, true, "qid<TAB>query", (c) => ID.test(c[0]))) {
    yield { qid, text, lang };
  }
}

/**
 * Judgements of a TREC qrels TSV (`qid<TAB>0<TAB>pid<TAB>rel`).
 *
 * @example
 * ```ts
 * for await (const r of readQrels("qrels.dev.small.tsv")) console.log(r.qid, r.docid, r.rel);
 * ```
 */
export async function* readQrels(src: TsvSource): AsyncGenerator<Qrel> {
  // Ids go into TREC runs: no spaces (tabs cannot occur after the split).
  const ok = (c: string[]) => TREC_WORD.test(c[0]) && TREC_WORD.test(c[2]) && /^-?\d+$/.test(c[3]);
  for await (const c of rows(src, 4, false, "qid<TAB>0<TAB>pid<TAB>rel", ok)) {
    yield { qid: c[0], docid: c[2], rel: Number(c[3]) };
  }
}

/**
 * Candidates of MS MARCO `top1000.dev` (`qid<TAB>pid<TAB>query<TAB>passage`; `.tar.gz` as published).
 *
 * @example
 * ```ts
 * for await (const c of readTop1000("top1000.dev.tar.gz")) console.log(c.qid, c.pid);
 * ```
 */
export async function* readTop1000(src: TsvSource): AsyncGenerator<RerankCandidate> {
  const ok = (c: string[]) => ID.test(c[0]) && ID.test(c[1]);
  for await (const c of rows(src, 4, true, "qid<TAB>pid<TAB>query<TAB>passage", ok)) {
    yield { qid: c[0], pid: c[1], query: c[2], passage: c[3] };
  }
}

/**
 * Id triples of `msmarco-qidpidtriples.rnd-shuf.train.tsv.gz` (`qid<TAB>pos_pid<TAB>neg_pid`).
 *
 * @example
 * ```ts
 * for await (const t of readTriples("qidpidtriples.train.tsv.gz")) console.log(t.qid, t.pos, t.neg);
 * ```
 */
export async function* readTriples(src: TsvSource): AsyncGenerator<IdTriple> {
  const ok = (c: string[]) => c.every((x) => ID.test(x));
  for await (const c of rows(src, 3, false, "qid<TAB>pos_pid<TAB>neg_pid (numeric)", ok)) {
    yield { qid: c[0], pos: c[1], neg: c[2] };
  }
}

/**
 * The bytes of the first regular file of a (ustar/GNU/pax) tar stream, as a
 * stream: MS MARCO ships `top1000.dev` inside a `.tar.gz`.
 */
export function untarFirstFile(
  src: ReadableStream<Uint8Array>,
  name: string,
): ReadableStream<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  let buf = new Uint8Array(0);
  const truncated = () => new InputError(name, undefined, "truncated tar archive");
  const more = async (): Promise<void> => {
    const r = await it.next();
    if (r.done) throw truncated();
    const merged = new Uint8Array(buf.length + r.value.length);
    merged.set(buf);
    merged.set(r.value, buf.length);
    buf = merged;
  };
  async function* body(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (buf.length < 512) await more();
      const header = buf.subarray(0, 512);
      buf = buf.subarray(512);
      if (header.every((b) => b === 0)) {
        throw new InputError(name, undefined, "expected a regular file in the tar archive");
      }
      const octal = new TextDecoder().decode(header.subarray(124, 136)).replace(/\0.*$/s, "");
      const size = parseInt(octal.trim(), 8);
      if (!(size >= 0)) throw new InputError(name, undefined, "expected a tar header");
      const regular = header[156] === 0x30 || header[156] === 0;
      // A regular file's bytes are yielded; other entries (pax headers, directories) skipped.
      let left = regular ? size : Math.ceil(size / 512) * 512;
      while (left > 0) {
        if (buf.length === 0) await more();
        const take = Math.min(left, buf.length);
        if (regular) yield buf.subarray(0, take);
        buf = buf.subarray(take);
        left -= take;
      }
      if (regular) {
        await it.return?.();
        return;
      }
    }
  }
  return ReadableStream.from(body());
}
