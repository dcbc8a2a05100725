/**
 * The data side of the `mmarco` profile, the paper's own setup.
 *
 * Training: the sentence-transformers cross-encoder recipe
 * (`train_cross-encoder_scratch.py`) over the shuffled qid-pid triples. Every
 * triple gives exactly one record: triple `i` (0-based, file order) gives its
 * positive (label 1) when `i % 5 === 0` and its negative (label 0) otherwise,
 * so the first `maxTriples` triples give `maxTriples` records at 1 positive :
 * 4 negatives. The file is shuffled, so consecutive triples rarely share a
 * query; the ratio is global, as in the recipe.
 *
 * Evaluation: the paper re-ranks the official English BM25 `top1000.dev`
 * candidates of mMARCO dev.small with the passages (and queries) swapped for
 * each language's translation; pids and qids are shared by every language, so
 * each passage is its own candidate group (`groupId = docid = pid`).
 *
 * Files are gigabytes: every input is streamed and only the texts that are
 * needed are kept.
 *
 * @module
 */

import {
  checkNumberOption,
  type Document,
  formatInstance,
  InputError,
  type Lang,
  openAtomic,
  OptionError,
  type Qrel,
  type Query,
  readTrainingInstances,
  Rng,
} from "../util/mod.ts";
import * as datasets from "../../datasets/mod.ts";
import { fetchDataset, type FetchOptions, type TsvSource } from "../../datasets/mod.ts";
import { Bm25Index } from "../bm25/mod.ts";
import type { Profile } from "./profile.ts";
import type { GroupCandidates, ParallelSet } from "./rerank_sets.ts";

/**
 * Catalogue id of the official BM25 candidates of the dev queries.
 *
 * @example
 * ```ts
 * import { fetchDataset } from "../../datasets/mod.ts";
 * const files = await fetchDataset(TOP1000_DEV, { mirror: "../shared/mirror" });
 * ```
 */
export const TOP1000_DEV = "msmarco-passage/dev/small/top1000";

/** Negatives per positive of the sentence-transformers recipe. */
const NEGATIVES_PER_POSITIVE = 4;

/**
 * Input files of {@linkcode buildMsmarcoTrainingSet} (the `msmarco-passage/train/triples` dataset).
 *
 * @example
 * ```ts
 * declare const msmarcoTrainFiles: MsmarcoTrainFiles;
 * msmarcoTrainFiles.triples;
 * ```
 */
export interface MsmarcoTrainFiles {
  /** `qid<TAB>pos_pid<TAB>neg_pid` triples; a path, since it is read twice. */
  triples: string;
  /** English train queries, `qid<TAB>query`. */
  queries: TsvSource;
  /** English collection, `pid<TAB>passage`. */
  collection: TsvSource;
}

/** Options of {@linkcode buildMsmarcoTrainingSet}. */
export interface MsmarcoTrainOptions {
  /** Use the first this many triples (one record each); fewer if the file is shorter. */
  maxTriples: number;
}

/** Counts of a built MS MARCO training set. */
export interface MsmarcoTrainCounts {
  /** Triples read (= records written). */
  triples: number;
  /** Records written. */
  instances: number;
  /** Records with label 1. */
  positives: number;
  /** Records with label 0. */
  negatives: number;
  /** Distinct queries used. */
  queries: number;
  /** Distinct passages used. */
  passages: number;
}

/** Throws an InputError on `file` when some needed ids were not found in it. */
function checkFound(
  file: TsvSource,
  needed: Set<string>,
  found: Map<string, unknown>,
  what: string,
) {
  if (found.size === needed.size) return;
  const missing = [...needed].filter((id) => !found.has(id));
  throw new InputError(
    datasets.tsvSourceName(file),
    undefined,
    `expected ${what}; ${missing.length} missing, e.g. ${JSON.stringify(missing.slice(0, 3))}`,
  );
}

/** Texts of the needed ids, stopping as soon as all are found. */
async function neededTexts(
  rows: AsyncIterable<{ id: string; text: string }>,
  needed: Set<string>,
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (needed.size === 0) return texts;
  for await (const { id, text } of rows) {
    if (needed.has(id) && !texts.has(id)) {
      texts.set(id, text);
      if (texts.size === needed.size) break;
    }
  }
  return texts;
}

async function* queryRows(src: TsvSource, lang: Lang) {
  for await (const q of datasets.readQueries(src, lang)) yield { id: q.qid, text: q.text };
}

async function* passageRows(src: TsvSource, lang: Lang) {
  for await (const d of datasets.readCollection(src, lang)) yield { id: d.docid, text: d.text };
}

/** The used pid and label of triple `i` under the recipe. */
function pick(i: number, t: { pos: string; neg: string }): { pid: string; label: 0 | 1 } {
  return i % (NEGATIVES_PER_POSITIVE + 1) === 0
    ? { pid: t.pos, label: 1 }
    : { pid: t.neg, label: 0 };
}

/**
 * Builds the English MS MARCO training set of the paper (see the module doc
 * for the rule) and writes it to `out` as JSON lines `{qid, query, pid,
 * passage, label}` in triple order, atomically. Memory: the needed ids and
 * their texts only (at most `maxTriples` queries and passages).
 *
 * @example
 * ```ts
 * import { fetchDataset } from "../../datasets/mod.ts";
 * const files = await fetchDataset("msmarco-passage/train/triples", { mirror: "../shared/mirror" });
 * const counts = await buildMsmarcoTrainingSet(
 *   { triples: files.triples, queries: files.queries, collection: files.collection },
 *   "out/train.jsonl",
 *   { maxTriples: 100_000 },
 * );
 * ```
 */
export async function buildMsmarcoTrainingSet(
  files: MsmarcoTrainFiles,
  out: string,
  opts: MsmarcoTrainOptions,
): Promise<MsmarcoTrainCounts> {
  if (opts.maxTriples !== undefined) {
    checkNumberOption("maxTriples", opts.maxTriples, { min: 1, integer: true });
  }
  const qids = new Set<string>();
  const pids = new Set<string>();
  let n = 0;
  for await (const t of datasets.readTriples(files.triples)) {
    qids.add(t.qid);
    pids.add(pick(n, t).pid);
    if (++n >= opts.maxTriples) break;
  }
  const within = `every id of the first ${n} triples of ${files.triples}`;
  const queries = await neededTexts(queryRows(files.queries, "en"), qids);
  checkFound(files.queries, qids, queries, `a query for ${within}`);
  const passages = await neededTexts(passageRows(files.collection, "en"), pids);
  checkFound(files.collection, pids, passages, `a passage for ${within}`);

  const counts: MsmarcoTrainCounts = {
    triples: n,
    instances: 0,
    positives: 0,
    negatives: 0,
    queries: qids.size,
    passages: pids.size,
  };
  const w = await openAtomic(out);
  try {
    let i = 0;
    for await (const t of datasets.readTriples(files.triples)) {
      const { pid, label } = pick(i, t);
      const query = queries.get(t.qid)!;
      await w.write(formatInstance({ qid: t.qid, query, pid, passage: passages.get(pid)!, label }));
      if (label === 1) counts.positives++;
      else counts.negatives++;
      if (++i >= n) break;
    }
    // The file changed between the passes: the records would not match the ids read.
    if (i !== n) throw new InputError(files.triples, undefined, `expected ${n} triples, got ${i}`);
    counts.instances = i;
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
  return counts;
}

/**
 * Counts of a translated training set: records, and per language how many
 * records took their query and their passage from it.
 *
 * @example
 * ```ts
 * declare const counts: TranslatedTrainCounts;
 * counts.queryLangs.de;
 * ```
 */
export interface TranslatedTrainCounts {
  /** Records written. */
  records: number;
  /** Records per query language. */
  queryLangs: Record<Lang, number>;
  /** Records per passage language. */
  passageLangs: Record<Lang, number>;
}

/** The query and passage language of record `i`: its own random stream from (seed, i). */
function recordLangs(seed: number, i: number, langs: readonly Lang[]): [Lang, Lang] {
  const rng = new Rng(seed, i);
  return [langs[rng.int(langs.length)], langs[rng.int(langs.length)]];
}

/**
 * The paper's Fine-tuning data: the English training set `input` (JSON lines,
 * ids from MS MARCO) with each record's query and passage replaced by their
 * mMARCO translations, in a query language and a passage language drawn per
 * record from `langs` (English keeps its text), so the set covers monolingual
 * and cross-lingual pairs as the multilingual Wiki-CS set does. `files` gives
 * the translated training queries and collection of every non-English
 * language. Streams; keeps only the needed texts. Same input and seed, same bytes.
 *
 * @example
 * ```ts
 * const counts = await buildTranslatedTrainingSet("train.jsonl", {
 *   de: { queries: "german_queries.train.tsv", collection: "german_collection.tsv" },
 * }, "train.ft.jsonl", { langs: ["en", "de"], seed: 1 });
 * counts.records;
 * ```
 */
export async function buildTranslatedTrainingSet(
  input: string,
  files: Record<Lang, { queries: TsvSource; collection: TsvSource }>,
  out: string,
  opts: { langs: readonly Lang[]; seed: number },
): Promise<TranslatedTrainCounts> {
  const { langs, seed } = opts;
  const foreign = langs.filter((l) => l !== "en");
  for (const l of foreign) {
    if (!files[l]) throw new OptionError("language", `one with translated files`, l);
  }
  const qids = new Map(foreign.map((l) => [l, new Set<string>()]));
  const pids = new Map(foreign.map((l) => [l, new Set<string>()]));
  let n = 0;
  for await (const r of readTrainingInstances(input)) {
    const [ql, pl] = recordLangs(seed, n++, langs);
    qids.get(ql)?.add(r.qid);
    pids.get(pl)?.add(r.pid);
  }
  const queries = new Map<Lang, Map<string, string>>();
  const passages = new Map<Lang, Map<string, string>>();
  for (const l of foreign) {
    const within = `every ${l} id drawn from ${input}`;
    const q = await neededTexts(queryRows(files[l].queries, l), qids.get(l)!);
    checkFound(files[l].queries, qids.get(l)!, q, `a query for ${within}`);
    queries.set(l, q);
    const p = await neededTexts(passageRows(files[l].collection, l), pids.get(l)!);
    checkFound(files[l].collection, pids.get(l)!, p, `a passage for ${within}`);
    passages.set(l, p);
  }
  const zero = () => Object.fromEntries(langs.map((l) => [l, 0]));
  const counts: TranslatedTrainCounts = { records: 0, queryLangs: zero(), passageLangs: zero() };
  const w = await openAtomic(out);
  try {
    for await (const r of readTrainingInstances(input)) {
      const [ql, pl] = recordLangs(seed, counts.records++, langs);
      counts.queryLangs[ql]++;
      counts.passageLangs[pl]++;
      await w.write(formatInstance({
        ...r,
        query: queries.get(ql)?.get(r.qid) ?? r.query,
        passage: passages.get(pl)?.get(r.pid) ?? r.passage,
      }));
    }
    if (counts.records !== n) {
      throw new InputError(input, undefined, `expected ${n} records, got ${counts.records}`);
    }
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
  return counts;
}

/**
 * Fetches the translated training data of `langs` (`mmarco/v2/<lang>/train`)
 * and writes the Fine-tuning set ({@linkcode buildTranslatedTrainingSet}).
 *
 * @example
 * ```ts
 * await fetchTranslatedTrainingSet("train.jsonl", "train.ft.jsonl", {
 *   langs: ["en", "de"],
 *   seed: 1,
 * }, { mirror: "../shared/mirror" });
 * ```
 */
export async function fetchTranslatedTrainingSet(
  input: string,
  out: string,
  opts: { langs: readonly Lang[]; seed: number },
  fetchOpts: FetchOptions,
): Promise<TranslatedTrainCounts> {
  const files: Record<Lang, { queries: TsvSource; collection: TsvSource }> = {};
  for (const l of opts.langs.filter((l) => l !== "en")) {
    const f = await fetchDataset(translatedTrainDataset(l), fetchOpts);
    files[l] = { queries: f.queries, collection: f.collection };
  }
  return await buildTranslatedTrainingSet(input, files, out, opts);
}

/**
 * Catalogue id of a language's mMARCO translated training data.
 *
 * @example
 * ```ts
 * translatedTrainDataset("de"); // "mmarco/v2/de/train"
 * ```
 */
export function translatedTrainDataset(lang: Lang): string {
  return `mmarco/v2/${lang}/train`;
}

/**
 * Input files of one language of mMARCO dev.small (the `mmarco/v2/<lang>/dev/small` dataset).
 *
 * @example
 * ```ts
 * declare const mmarcoLangFiles: MmarcoLangFiles;
 * mmarcoLangFiles.collection;
 * ```
 */
export interface MmarcoLangFiles {
  /** The language's collection, `pid<TAB>passage`. */
  collection: TsvSource;
  /** The language's dev.small queries, `qid<TAB>query`. */
  queries: TsvSource;
  /** `qrels.dev.small.tsv` (the same for every language). */
  qrels: TsvSource;
}

/** Options of {@linkcode loadMmarcoEvalSets}. */
export interface MmarcoEvalOptions {
  /** Keep the first this many judged queries of the qrels file (file order). Default all. */
  maxQueries?: number;
  /** Keep this many candidates per query (the first in `order`). Default all. */
  depth?: number;
  /**
   * Candidate order before the `depth` cut. `file` (default): `top1000.dev`
   * file order, which is random. `bm25`: English BM25 over the candidates'
   * own texts (statistics of the pooled candidates of the kept queries, not
   * of the whole collection), ties in file order; use it whenever `depth` < 1000.
   */
  order?: "file" | "bm25";
}

/** Evaluation data of the `mmarco` profile, ready for `profileRerankSets`. */
export interface MmarcoEvalData {
  /** One parallel set per language, in profile order. */
  sets: ParallelSet[];
  /** Candidate pids per qid (in `order`, cut at `depth`), for every kept query that has any. */
  candidates: GroupCandidates;
}

/**
 * Loads mMARCO dev.small for the languages of `files` as parallel sets, with
 * the `top1000.dev` candidates shared by every language.
 *
 * Queries: the first `maxQueries` distinct qids of the first language's qrels
 * (judgements with rel > 0, file order); one without any candidate is dropped
 * (none should be: `top1000.dev` covers the 6980 dev.small queries).
 * Candidates: each query's `top1000.dev` pids, cut at `depth`. The file's
 * order is random, not a BM25 ranking (MS MARCO published no scores), so with
 * `order: "file"` a `depth` cut takes a random subset of the BM25 top-1000 and
 * loses the relevant passage of most queries; `order: "bm25"` ranks them first.
 * Documents: every candidate passage plus every relevant passage of a kept
 * query, in the language's translation. A relevant passage outside the
 * candidates is not re-ranked, so its query scores 0 (as in the official
 * evaluation) instead of being dropped by `profileRerankSets`.
 *
 * Memory is the kept texts: about (queries x depth + relevant) passages per
 * language, plus the English candidate texts (queries x 1000) while ranking
 * with `bm25`.
 *
 * @example
 * ```ts
 * import { MMARCO } from "./mmarco.ts";
 * declare const enFiles: MmarcoLangFiles, deFiles: MmarcoLangFiles;
 * const { sets, candidates } = await loadMmarcoEvalSets(MMARCO, { en: enFiles, de: deFiles },
 *   "top1000.dev.tar.gz", { maxQueries: 500, depth: 100, order: "bm25" });
 * ```
 */
export async function loadMmarcoEvalSets(
  profile: Profile,
  files: Readonly<Record<Lang, MmarcoLangFiles>>,
  top1000: TsvSource,
  opts: MmarcoEvalOptions = {},
): Promise<MmarcoEvalData> {
  if (opts.maxQueries !== undefined) {
    checkNumberOption("maxQueries", opts.maxQueries, { min: 1, integer: true });
  }
  if (opts.depth !== undefined) checkNumberOption("depth", opts.depth, { min: 1, integer: true });
  const ranked = opts.order === "bm25";
  if (opts.order !== undefined && !ranked && opts.order !== "file") {
    throw new OptionError("order", `"file" or "bm25"`, opts.order);
  }
  const order = [...profile.seen, ...profile.unseen];
  for (const lang of Object.keys(files)) {
    if (!order.includes(lang)) {
      throw new OptionError("language", `one of the ${profile.name} profile's`, lang);
    }
  }
  const langs = order.filter((l) => files[l] !== undefined);
  if (langs.length === 0) throw new OptionError("language", "at least one language", langs);

  const qrelsOf = new Map<Lang, Qrel[]>();
  for (const lang of langs) {
    const list: Qrel[] = [];
    for await (const r of datasets.readQrels(files[lang].qrels)) list.push(r);
    qrelsOf.set(lang, list);
  }
  const judged = [...new Set(qrelsOf.get(langs[0])!.filter((r) => r.rel > 0).map((r) => r.qid))];

  // The file is not grouped by query: one pass collects the candidates of every wanted query.
  const wanted = new Set(judged.slice(0, opts.maxQueries));
  const pidsOf = new Map<string, string[]>();
  const depth = opts.depth ?? Infinity;
  const english = new Map<string, string>(); // query and passage texts, keyed "q:qid" / pid
  for await (const c of datasets.readTop1000(top1000)) {
    if (!wanted.has(c.qid)) continue;
    const list = pidsOf.get(c.qid);
    if (!list) pidsOf.set(c.qid, [c.pid]);
    else if (ranked || list.length < depth) list.push(c.pid);
    if (ranked) {
      english.set(`q:${c.qid}`, c.query);
      english.set(c.pid, c.passage);
    }
  }
  if (ranked) rankByBm25(pidsOf, english, depth);
  const kept = [...wanted].filter((q) => pidsOf.has(q));
  const candidates: GroupCandidates = new Map(kept.map((q) => [q, pidsOf.get(q)!]));

  const keptSet = new Set(kept);
  const pids = new Set([...candidates.values()].flat());
  for (const r of qrelsOf.get(langs[0])!) if (r.rel > 0 && keptSet.has(r.qid)) pids.add(r.docid);

  const sets: ParallelSet[] = [];
  for (const lang of langs) {
    const f = files[lang];
    const queryText = await neededTexts(queryRows(f.queries, lang), keptSet);
    checkFound(f.queries, keptSet, queryText, "every kept dev.small query");
    const queries: Query[] = kept.map((qid) => ({ qid, text: queryText.get(qid)!, lang }));
    const found = new Map<string, Document>();
    if (pids.size > 0) {
      for await (const d of datasets.readCollection(f.collection, lang)) {
        if (!pids.has(d.docid) || found.has(d.docid)) continue;
        found.set(d.docid, { ...d, groupId: d.docid });
        if (found.size === pids.size) break;
      }
    }
    checkFound(f.collection, pids, found, "every candidate and relevant passage");
    const documents = [...found.values()];
    const qrels = qrelsOf.get(lang)!.filter((r) => keptSet.has(r.qid));
    sets.push({ lang, queries, documents, qrels });
  }
  return { sets, candidates };
}

/** Sorts each query's pids by English BM25 (stable: ties keep file order) and cuts at `depth`. */
function rankByBm25(pidsOf: Map<string, string[]>, english: Map<string, string>, depth: number) {
  const docs = [...english].filter(([k]) => !k.startsWith("q:")).map(([id, text]) => ({
    id,
    text,
  }));
  const index = Bm25Index.build(docs, { lang: "en" });
  for (const [qid, pids] of pidsOf) {
    const scores = index.score(english.get(`q:${qid}`)!, pids);
    const order = Array.from(pids.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    pidsOf.set(qid, order.slice(0, depth).map((i) => pids[i]));
  }
}

/**
 * Fetches (cache, mirror or network) and builds the training set of a
 * profile whose `datasets.train` is `msmarco-passage/train/triples`.
 *
 * @example
 * ```ts
 * import { getProfile } from "./registry.ts";
 * const counts = await fetchMsmarcoTrainingSet(getProfile("mmarco"), "train.jsonl", { mirror: "../shared/mirror" }, {
 *   maxTriples: 1000,
 * });
 * counts.positives;
 * ```
 */
export async function fetchMsmarcoTrainingSet(
  profile: Profile,
  out: string,
  fetchOpts: FetchOptions,
  opts: MsmarcoTrainOptions,
): Promise<MsmarcoTrainCounts> {
  const f = await fetchDataset(profile.datasets.train, fetchOpts);
  return await buildMsmarcoTrainingSet(
    { triples: f.triples, queries: f.queries, collection: f.collection },
    out,
    opts,
  );
}

/**
 * Fetches and loads the evaluation data of a profile whose `datasets.eval`
 * ids are `mmarco/v2/<lang>/dev/small`, for `langs` (default all of them),
 * with the candidates of {@linkcode TOP1000_DEV}.
 *
 * @example
 * ```ts
 * import { getProfile } from "./registry.ts";
 * const data = await fetchMmarcoEvalSets(getProfile("mmarco"), { mirror: "../shared/mirror" }, { langs: ["en", "de"] });
 * data.sets.length;
 * ```
 */
export async function fetchMmarcoEvalSets(
  profile: Profile,
  fetchOpts: FetchOptions,
  opts: MmarcoEvalOptions & { langs?: Lang[] } = {},
): Promise<MmarcoEvalData> {
  const ids = new Map(profile.datasets.eval.map((id) => [id.split("/")[2], id]));
  const files: Record<Lang, MmarcoLangFiles> = {};
  for (const lang of opts.langs ?? ids.keys()) {
    const id = ids.get(lang);
    if (!id) throw new OptionError("language", `one of ${[...ids.keys()].join(", ")}`, lang);
    const f = await fetchDataset(id, fetchOpts);
    files[lang] = { collection: f.collection, queries: f.queries, qrels: f.qrels };
  }
  const top = await fetchDataset(TOP1000_DEV, fetchOpts);
  return await loadMmarcoEvalSets(profile, files, top.top1000, opts);
}
