/**
 * Candidate lists for XQuAD-R / MLQA-R re-ranking, the paper's scheme adapted:
 * English BM25 over whole English paragraphs, queried with the English
 * question, keeps the top-k paragraphs (default {@linkcode DEFAULT_PARAGRAPHS});
 * a query's candidates in language Y are all of Y's sentences of those
 * paragraphs. Paragraph ids are shared across languages, so the candidate set
 * does not depend on the language, as the paper reuses English BM25 top-1000
 * for every language. The gold paragraph is never forced in: when BM25 misses
 * it the query scores 0, as in the paper's re-ranking; {@linkcode candidateRecall}
 * measures how often that happens.
 *
 * Also the BM25 baseline over those candidates in any language pair.
 *
 * @module
 */

import type { LareqaSet } from "../../datasets/mod.ts";
import { checkNumberOption, type Document, type Qrel, type Query } from "../util/mod.ts";
import { Bm25Index, type Bm25Options } from "./bm25.ts";
import type { Run } from "../evaluate/mod.ts";

/** Paragraphs retrieved per query by default. */
export const DEFAULT_PARAGRAPHS = 10;

/** The parts of one language's LAReQA set that candidate lists need. */
export type ParagraphSet = Pick<LareqaSet, "lang" | "queries" | "documents" | "paragraphs">;

/**
 * Top-`k` paragraph ids per query by BM25 over whole paragraphs (sentences
 * joined by a space) of `en`, queried with `en`'s questions.
 *
 * @example
 * ```ts
 * declare const xquadEn: ParagraphSet, xquadDe: ParagraphSet;
 * const paras = paragraphCandidates(xquadEn, 10);
 * const de = candidateDocs(xquadDe, paras);
 * ```
 */
export function paragraphCandidates(
  en: ParagraphSet,
  k: number = DEFAULT_PARAGRAPHS,
  opts: Omit<Bm25Options, "lang"> = {},
): Map<string, string[]> {
  checkNumberOption("--paragraphs", k, { min: 1, integer: true });
  const text = new Map(en.documents.map((d) => [d.docid, d.text]));
  const index = Bm25Index.build(
    en.paragraphs.map((p) => ({
      id: p.id,
      text: p.docids.map((id) => text.get(id) ?? "").join(" "),
    })),
    { ...opts, lang: en.lang },
  );
  const out = new Map<string, string[]>();
  for (const q of en.queries) out.set(q.qid, index.search(q.text, k).map((h) => h.id));
  return out;
}

/**
 * Candidate sentences of `set` (any language) for each query of `paragraphs`:
 * the sentences of its candidate paragraphs, paragraph by paragraph in rank
 * order. A paragraph absent from `set` contributes nothing.
 *
 * @example
 * ```ts
 * declare const set: ParagraphSet;
 * const docs = candidateDocs(set, new Map([["q1", ["p1", "p2"]]]));
 * docs.get("q1")?.length;
 * ```
 */
export function candidateDocs(
  set: ParagraphSet,
  paragraphs: ReadonlyMap<string, readonly string[]>,
): Map<string, Document[]> {
  const doc = new Map(set.documents.map((d) => [d.docid, d]));
  const sentences = new Map(
    set.paragraphs.map((p) => [p.id, p.docids.flatMap((id) => doc.get(id) ?? [])]),
  );
  const out = new Map<string, Document[]>();
  for (const [qid, pids] of paragraphs) {
    out.set(qid, pids.flatMap((pid) => sentences.get(pid) ?? []));
  }
  return out;
}

/** Recall of candidate lists and their size. */
export interface CandidateStats {
  /** Queries with judgements. */
  queries: number;
  /** Fraction of judged queries with at least one relevant document among candidates. */
  recall: number;
  /** Mean number of candidates per judged query. */
  meanCandidates: number;
}

/**
 * How many judged queries keep a relevant document among their candidates
 * (queries without candidates count as misses, like trec_eval `-c`).
 */
export function candidateRecall(
  candidates: ReadonlyMap<string, readonly Pick<Document, "docid">[]>,
  qrels: readonly Qrel[],
): CandidateStats {
  const relevant = new Map<string, Set<string>>();
  for (const r of qrels) {
    if (!relevant.has(r.qid)) relevant.set(r.qid, new Set());
    if (r.rel > 0) relevant.get(r.qid)!.add(r.docid);
  }
  let hit = 0;
  let total = 0;
  let judged = 0;
  for (const [qid, rel] of relevant) {
    if (rel.size === 0) continue;
    judged++;
    const docs = candidates.get(qid) ?? [];
    total += docs.length;
    if (docs.some((d) => rel.has(d.docid))) hit++;
  }
  return {
    queries: judged,
    recall: judged === 0 ? 0 : hit / judged,
    meanCandidates: judged === 0 ? 0 : total / judged,
  };
}

/**
 * The BM25 baseline: each query's candidates scored by BM25 built over all of
 * `docs`'s sentences (its language's statistics); queries may be in another
 * language (CLIR), matched lexically. Every candidate is in the run, score 0
 * when no term matches, so it re-ranks exactly what the neural rankers re-rank.
 *
 * @example
 * ```ts
 * import type { Query } from "../util/mod.ts";
 * declare const queries: Query[], docs: ParagraphSet;
 * const run = bm25Run(queries, docs, new Map([["q1", [{ docid: "d1" }, { docid: "d2" }]]]));
 * run.get("q1")?.[0].docid;
 * ```
 */
export function bm25Run(
  queries: readonly Query[],
  docs: ParagraphSet,
  candidates: ReadonlyMap<string, readonly Pick<Document, "docid">[]>,
  opts: Omit<Bm25Options, "lang"> = {},
): Run {
  const index = Bm25Index.build(
    docs.documents.map((d) => ({ id: d.docid, text: d.text })),
    { ...opts, lang: docs.lang },
  );
  const run: Run = new Map();
  for (const q of queries) {
    const ids = (candidates.get(q.qid) ?? []).map((d) => d.docid);
    const scores = index.score(q.text, ids);
    run.set(q.qid, ids.map((docid, i) => ({ docid, score: scores[i] })));
  }
  return run;
}
