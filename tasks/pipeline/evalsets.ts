/**
 * What the pipeline does with rerank sets: their content hashes (evaluation
 * keys), their non-English languages, Translate Test over a whole set, and
 * scoring a set with a model.
 *
 * @module
 */

import type { Lexicon } from "../../lexicons/mod.ts";
import { translateTest } from "../codeswitch/mod.ts";
import { bm25Run } from "../bm25/mod.ts";
import {
  evaluateRun,
  expectedRandom,
  type Measure,
  type PoolStats,
  poolStats,
  qrelsFrom,
  type Run,
} from "../evaluate/mod.ts";
import type { RerankSet } from "../profiles/mod.ts";
import type { Candidate, CandidateScorer } from "../score/mod.ts";
import { type Lang, sha256Hex } from "../util/mod.ts";

/** The loaded evaluation: rerank sets by id (in run order) and their content hashes. */
export interface EvalSets {
  /** Rerank sets by id. */
  sets: Map<string, RerankSet>;
  /** Content hash of each set. */
  hashes: Map<string, string>;
}

/** A method's run on a rerank set and its measure per query. */
export interface Scored {
  /** The run. */
  run: Run;
  /** Measure value per query id. */
  perQuery: Map<string, number>;
}

/**
 * What a rerank set's pools offer: the exact expected measure of a random
 * order per query (the Random row) and their size and recall.
 *
 * @example
 * ```ts
 * declare const pool: Pool;
 * pool.stats.recall; // share of queries with a relevant candidate
 * ```
 */
export interface Pool {
  /** Expected measure value of a uniformly random order, per query id. */
  random: Map<string, number>;
  /** Pool sizes and recall. */
  stats: PoolStats;
}

/** The English texts of a translated set: its queries', then its distinct documents'. */
export interface Translation {
  /** Query texts, in the set's order. */
  queries: string[];
  /** Document texts, in the order of {@linkcode distinctDocs}. */
  documents: string[];
}

/** Content hash of a rerank set (queries, candidates, qrels). */
export function setHash(t: RerankSet): string {
  const parts: string[] = [t.id];
  for (const q of t.queries) {
    parts.push(`q\t${q.qid}\t${q.lang}\t${q.text}`);
    for (const d of t.candidates.get(q.qid) ?? []) {
      parts.push(`d\t${d.docid}\t${d.lang}\t${d.text}`);
    }
  }
  for (const r of t.qrels) parts.push(`r\t${r.qid}\t${r.docid}\t${r.rel}`);
  return sha256Hex(parts.join("\n")).slice(0, 16);
}

/** Languages other than English among a set's queries and candidates, sorted. */
export function foreignLangs(set: RerankSet): Lang[] {
  const langs = new Set<Lang>([
    ...set.queries.map((q) => q.lang),
    ...[...set.candidates.values()].flat().map((d) => d.lang),
  ]);
  langs.delete("en");
  return [...langs].sort();
}

const docKey = (d: { lang: Lang; docid: string }) => `${d.lang}\t${d.docid}`;

/** A set's candidates without repeats (by language and id), in first-seen order. */
function distinctDocs(set: RerankSet) {
  return [...new Map([...set.candidates.values()].flat().map((d) => [docKey(d), d])).values()];
}

/** Translates a set's non-English queries and candidates into English (Translate Test). */
export function translateSet(set: RerankSet, lexicons: Map<Lang, Lexicon>): Translation {
  return {
    queries: translateTest(set.queries, { lexicons }).map((q) => q.text),
    documents: translateTest(distinctDocs(set), { lexicons }).map((d) => d.text),
  };
}

/** The set with its texts replaced by a translation of it (every record then English). */
export function applyTranslation(set: RerankSet, t: Translation): RerankSet {
  const en = <R extends { lang: Lang; text: string }>(r: R, text: string): R =>
    r.lang === "en" ? r : { ...r, text, lang: "en" };
  const byKey = new Map(distinctDocs(set).map((d, i) => [docKey(d), en(d, t.documents[i])]));
  return {
    ...set,
    queries: set.queries.map((q, i) => en(q, t.queries[i])),
    candidates: new Map(
      [...set.candidates].map(([qid, ds]) => [qid, ds.map((d) => byKey.get(docKey(d))!)]),
    ),
  };
}

/**
 * The content hashes of the MUSE X->EN lexicons a set's translation reads, by
 * language X, from the hashes of a lexicon set (`muse/<x>-en` -> hash).
 */
export function translationKey(
  set: RerankSet,
  hashes: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    foreignLangs(set).map((l) => {
      const hash = hashes[`muse/${l}-en`];
      if (hash === undefined) throw new Error(`set ${set.id} needs a muse ${l}-en lexicon`);
      return [l, hash];
    }),
  );
}

/** The BM25 baseline of a rerank set: BM25 over its pools, statistics from its distinct candidates. */
export function bm25Scored(set: RerankSet, measure: Measure): Scored {
  const docs = [...new Map([...set.candidates.values()].flat().map((d) => [d.docid, d])).values()];
  const run = bm25Run(
    set.queries,
    { lang: "und", queries: [], documents: docs, paragraphs: [] },
    set.candidates,
  );
  const perQuery = evaluateRun(qrelsFrom(set.qrels), run, [measure]).perQuery.get(measure.name)!;
  return { run, perQuery };
}

/** A rerank set's pools: the exact expected measure of a random order per query, sizes, recall. */
export function poolOf(set: RerankSet, measure: Measure): Pool {
  const qrels = qrelsFrom(set.qrels);
  const pools = new Map([...set.candidates].map(([q, ds]) => [q, ds.map((d) => d.docid)]));
  const random = new Map(
    [...qrels].map(([q, judged]) => [q, expectedRandom(measure, pools.get(q) ?? [], judged)]),
  );
  return { random, stats: poolStats(qrels, pools, measure.params.rel) };
}

/** Scores a rerank set with a model: the run and the measure per query. */
export async function scoreSet(
  scorer: CandidateScorer,
  set: RerankSet,
  measure: Measure,
): Promise<Scored> {
  const items: Candidate[] = [];
  for (const q of set.queries) {
    for (const d of set.candidates.get(q.qid) ?? []) {
      items.push({ qid: q.qid, query: q.text, docid: d.docid, doc: d.text });
    }
  }
  const scores = await scorer.score(items);
  const run: Run = new Map();
  items.forEach((c, i) => {
    const list = run.get(c.qid);
    // Rounded as in the run file, so the file and the metrics agree exactly.
    const score = Number(scores[i].toFixed(6));
    if (list) list.push({ docid: c.docid, score });
    else run.set(c.qid, [{ docid: c.docid, score }]);
  });
  const ev = evaluateRun(qrelsFrom(set.qrels), run, [measure]);
  return { run, perQuery: ev.perQuery.get(measure.name)! };
}
