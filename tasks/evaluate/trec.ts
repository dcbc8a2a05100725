/**
 * TREC runs and qrels in memory and deterministic run writing, with
 * trec_eval's ranking rule ({@linkcode compareTrec}: score descending, ties by
 * docno descending in byte order). Files are read by `evaluate_stream.ts`.
 *
 * Run files are written with scores at {@linkcode SCORE_DECIMALS} fixed
 * decimals, sorted by qid and then in trec_eval order of the *written* score, so
 * the file's rank column agrees with what trec_eval derives from it and the
 * same scores always give the same bytes.
 *
 * @module
 */

import { firstLineIs, openAtomic, TREC_WORD } from "../util/mod.ts";

/** One retrieved document of a query with its score. */
export interface ScoredDoc {
  /** Document id. */
  docid: string;
  /** Retrieval score; higher is better. */
  score: number;
}

/**
 * A run: query id -> retrieved documents (any order; see {@linkcode rankDocs}).
 *
 * @example
 * ```ts
 * const run: Run = new Map([["q1", [{ docid: "d1", score: 2.5 }]]]);
 * ```
 */
export type Run = Map<string, ScoredDoc[]>;

/**
 * Judgements: query id -> (document id -> relevance level).
 *
 * @example
 * ```ts
 * const qrels: Qrels = new Map([["q1", new Map([["d1", 1]])]]);
 * ```
 */
export type Qrels = Map<string, Map<string, number>>;

/** Decimal places of scores in written run files. */
export const SCORE_DECIMALS = 6;

/**
 * Compares strings by code point, which is the byte order (`strcmp`) of their
 * UTF-8 forms; JavaScript's `<` compares UTF-16 code units, which puts
 * characters beyond U+FFFF before U+E000..U+FFFF.
 *
 * @example
 * ```ts
 * compareCodePoints("\u{10000}", "\uE000"); // 1, although "\u{10000}" < "\uE000"
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  // Lift surrogates (0xD800-0xDFFF) above 0xE000-0xFFFF: code point order.
  const lift = (c: number) => (c >= 0xd800 ? (c >= 0xe000 ? c - 0x800 : c + 0x2000) : c);
  return lift(a.charCodeAt(i)) - lift(b.charCodeAt(i));
}

/**
 * trec_eval's order: score descending, ties broken by docno descending in
 * byte order (`strcmp` of the UTF-8 bytes).
 *
 * @example
 * ```ts
 * [{ docid: "a", score: 1 }, { docid: "b", score: 1 }].sort(compareTrec); // b, a
 * ```
 */
export function compareTrec(a: ScoredDoc, b: ScoredDoc): number {
  if (a.score !== b.score) return b.score - a.score;
  return compareCodePoints(b.docid, a.docid);
}

/** Returns a copy of `docs` in trec_eval order; the run's rank column never matters. */
export function rankDocs(docs: readonly ScoredDoc[]): ScoredDoc[] {
  return [...docs].sort(compareTrec);
}

/**
 * Builds {@linkcode Qrels} from judgement records (e.g. a loader's `Qrel`s).
 *
 * @example
 * ```ts
 * qrelsFrom([{ qid: "q1", docid: "d1", rel: 1 }]).get("q1")?.get("d1"); // 1
 * ```
 */
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

/** Sorts qids the way written files list them: byte order, as trec_eval sorts them. */
function sortedKeys<T>(map: Map<string, T>): string[] {
  return [...map.keys()].sort(compareCodePoints);
}

/**
 * Formats the lines of one query in trec_eval order of the rounded scores,
 * ranks from 1; `max` keeps only the top `max` documents.
 */
function formatQuery(qid: string, docs: readonly ScoredDoc[], tag: string, max: number): string {
  checkWord("query id", qid);
  const rounded = docs.map((d) => {
    // Ids and scores are validated where they enter; a bad one here is a bug.
    checkWord("document id", d.docid);
    if (!Number.isFinite(d.score)) {
      throw new RangeError(`score of "${d.docid}" for query "${qid}" is ${d.score}`);
    }
    return { docid: d.docid, score: Number(d.score.toFixed(SCORE_DECIMALS)) };
  });
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
 *
 * @example
 * ```ts
 * formatRun(new Map([["q1", [{ docid: "d1", score: 0.5 }]]]), "bm25");
 * // "q1 Q0 d1 1 0.500000 bm25\n"
 * ```
 */
export function formatRun(run: Run, tag: string, max = Infinity): string {
  checkWord("run tag", tag);
  return sortedKeys(run).map((qid) => formatQuery(qid, run.get(qid)!, tag, max)).join("");
}

/**
 * The lines of a formatted run with their tag (last field) replaced: a
 * cached run is shared by every method name that scores the same model on the
 * same set, so its copy in a result version takes the method's tag there.
 *
 * @example
 * ```ts
 * retagRun("q1 Q0 d1 1 0.500000 old\n", "Zero-shot"); // "q1 Q0 d1 1 0.500000 Zero-shot\n"
 * ```
 */
export function retagRun(text: string, tag: string): string {
  checkWord("run tag", tag);
  return text.replace(/ [^ \n]+$/gm, ` ${tag}`);
}

/**
 * Writes a run file atomically and deterministically (see the module notes),
 * streaming query by query.
 *
 * @example
 * ```ts
 * const run = new Map([["q1", [{ docid: "d1", score: 0.5 }]]]);
 * await writeRun("runs/zs.en-de.run", run, "zero-shot");
 * ```
 */
export async function writeRun(path: string, run: Run, tag: string, max = Infinity): Promise<void> {
  checkWord("run tag", tag);
  const w = await openAtomic(path);
  try {
    for (const qid of sortedKeys(run)) await w.write(formatQuery(qid, run.get(qid)!, tag, max));
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** Refuses a TREC field that is empty or would split its line (a bug: inputs are checked on entry). */
function checkWord(what: string, word: string): void {
  if (!TREC_WORD.test(word)) {
    throw new RangeError(`${what} must be one non-empty word, got ${JSON.stringify(word)}`);
  }
}

/**
 * Whether `path` is a TREC run file (its first line is `qid Q0 docid rank
 * score tag`): what `score --out` may replace without `--force`.
 *
 * @example
 * ```ts
 * if (await isRunFile("runs/zs.run")) console.log("a run");
 * ```
 */
export function isRunFile(path: string): Promise<boolean> {
  return firstLineIs(path, (line) => {
    const f = line.trim().split(/\s+/);
    return f.length === 6 && Number.isFinite(Number(f[4]));
  });
}
