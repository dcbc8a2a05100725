/**
 * TREC run and qrels files: reading (streamed, validated line by line) and
 * deterministic run writing, with trec_eval's ranking rule
 * ({@linkcode compareTrec}: score descending, ties by docno descending).
 *
 * Run files are written with scores at {@linkcode SCORE_DECIMALS} fixed
 * decimals, sorted by qid and then in trec_eval order of the *written* score, so
 * the file's rank column agrees with what trec_eval derives from it and the
 * same scores always give the same bytes.
 *
 * @module
 */

import { InputError, openAtomic, readLines } from "../util/mod.ts";

/** One retrieved document of a query with its score. */
export interface ScoredDoc {
  /** Document id. */
  docid: string;
  /** Retrieval score; higher is better. */
  score: number;
}

/** A run: query id -> retrieved documents (any order; see {@linkcode rankDocs}). */
export type Run = Map<string, ScoredDoc[]>;

/** Judgements: query id -> (document id -> relevance level). */
export type Qrels = Map<string, Map<string, number>>;

/** Decimal places of scores in written run files. */
export const SCORE_DECIMALS = 6;

/**
 * trec_eval's order: score descending, ties broken by docno descending
 * (string comparison; the same as strcmp for ASCII ids).
 */
export function compareTrec(a: ScoredDoc, b: ScoredDoc): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.docid < b.docid ? 1 : a.docid > b.docid ? -1 : 0;
}

/** Returns a copy of `docs` in trec_eval order; the run's rank column never matters. */
export function rankDocs(docs: readonly ScoredDoc[]): ScoredDoc[] {
  return [...docs].sort(compareTrec);
}

/**
 * Reads a TREC run file (`qid Q0 docid rank score tag`, whitespace-separated),
 * streaming. Malformed lines and duplicate (qid, docid) pairs raise an
 * {@linkcode InputError} naming file and line, as trec_eval refuses them too.
 *
 * @example
 * ```ts
 * const run = await readRun("runs/bl-cs.en-de.run");
 * run.get("q1"); // [{ docid: "d7", score: 3.2 }, ...]
 * ```
 */
export async function readRun(path: string): Promise<Run> {
  const run: Run = new Map();
  const seen = new Map<string, Set<string>>();
  for await (const { text, n } of readLines(path)) {
    if (text.trim() === "") continue;
    const f = text.trim().split(/\s+/);
    if (f.length !== 6) {
      throw new InputError(
        path,
        n,
        `expected 6 fields "qid Q0 docid rank score tag", got ${f.length}`,
      );
    }
    const score = Number(f[4]);
    if (f[4] === "" || !Number.isFinite(score)) {
      throw new InputError(path, n, `expected a finite number as score, got "${f[4]}"`);
    }
    const [qid, , docid] = f;
    let docs = run.get(qid);
    let ids = seen.get(qid);
    if (docs === undefined || ids === undefined) {
      docs = [];
      ids = new Set();
      run.set(qid, docs);
      seen.set(qid, ids);
    }
    if (ids.has(docid)) {
      throw new InputError(path, n, `duplicate document "${docid}" for query "${qid}"`);
    }
    ids.add(docid);
    docs.push({ docid, score });
  }
  return run;
}

/**
 * Reads a TREC qrels file (`qid iter docid rel`, whitespace-separated, integer
 * `rel`). Malformed lines and duplicate judgements raise an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * const qrels = await readQrels("data/dev.qrels");
 * qrels.get("q1")?.get("d7"); // 1
 * ```
 */
export async function readQrels(path: string): Promise<Qrels> {
  const qrels: Qrels = new Map();
  for await (const { text, n } of readLines(path)) {
    if (text.trim() === "") continue;
    const f = text.trim().split(/\s+/);
    if (f.length !== 4) {
      throw new InputError(path, n, `expected 4 fields "qid 0 docid rel", got ${f.length}`);
    }
    if (!/^-?\d+$/.test(f[3])) {
      throw new InputError(path, n, `expected an integer relevance level, got "${f[3]}"`);
    }
    const [qid, , docid] = f;
    let judged = qrels.get(qid);
    if (judged === undefined) qrels.set(qid, judged = new Map());
    if (judged.has(docid)) {
      throw new InputError(path, n, `duplicate judgement of "${docid}" for query "${qid}"`);
    }
    judged.set(docid, Number(f[3]));
  }
  return qrels;
}

/** Builds {@linkcode Qrels} from judgement records (e.g. a loader's `Qrel`s). */
export function qrelsFrom(
  records: Iterable<{ qid: string; docid: string; rel: number }>,
): Qrels {
  const qrels: Qrels = new Map();
  for (const { qid, docid, rel } of records) {
    let judged = qrels.get(qid);
    if (judged === undefined) qrels.set(qid, judged = new Map());
    judged.set(docid, rel);
  }
  return qrels;
}

/** Sorts qids the way written files list them: plain string order. */
function sortedKeys<T>(map: Map<string, T>): string[] {
  return [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Formats the lines of one query in trec_eval order of the rounded scores,
 * ranks from 1; `max` keeps only the top `max` documents.
 */
function formatQuery(qid: string, docs: readonly ScoredDoc[], tag: string, max: number): string {
  const rounded = docs.map((d) => ({
    docid: d.docid,
    score: Number(d.score.toFixed(SCORE_DECIMALS)),
  }));
  rounded.sort(compareTrec);
  const out: string[] = [];
  const k = Math.min(max, rounded.length);
  for (let i = 0; i < k; i++) {
    const d = rounded[i];
    // `+ 0` turns -0 into 0 so that "-0.000000" is never written.
    out.push(`${qid} Q0 ${d.docid} ${i + 1} ${(d.score + 0).toFixed(SCORE_DECIMALS)} ${tag}\n`);
  }
  return out.join("");
}

/**
 * Formats a run as TREC text: queries in string order, documents in trec_eval
 * order, scores with {@linkcode SCORE_DECIMALS} decimals.
 */
export function formatRun(run: Run, tag: string, max = Infinity): string {
  checkTag(tag);
  return sortedKeys(run).map((qid) => formatQuery(qid, run.get(qid)!, tag, max)).join("");
}

/**
 * Writes a run file atomically and deterministically (see the module notes),
 * streaming query by query.
 *
 * @example
 * ```ts
 * await writeRun("runs/zs.en-de.run", run, "zero-shot");
 * ```
 */
export async function writeRun(path: string, run: Run, tag: string, max = Infinity): Promise<void> {
  checkTag(tag);
  const w = await openAtomic(path);
  try {
    for (const qid of sortedKeys(run)) await w.write(formatQuery(qid, run.get(qid)!, tag, max));
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

function checkTag(tag: string): void {
  if (!/^\S+$/.test(tag)) throw new RangeError(`run tag must be one non-empty word, got "${tag}"`);
}
