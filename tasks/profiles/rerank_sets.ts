/**
 * Retrieval settings of the paper: monolingual (MoIR), cross-lingual (CLIR)
 * and multilingual (MLIR) rerank sets built from parallel evaluation
 * sets. Candidates follow the paper's scheme: one language-independent list of
 * candidate groups per query (English BM25 over paragraphs), whose documents
 * are taken in the document language of the set, so every language and
 * every method re-ranks the same candidates.
 *
 * @module
 */

import {
  type Document,
  fnv1a,
  type Lang,
  type Qrel,
  type Query,
  Rng,
  UserError,
} from "../util/mod.ts";
import type { LangPair, Profile } from "./profile.ts";

/**
 * One language of a parallel evaluation set (queries, grouped documents, qrels).
 *
 * @example
 * ```ts
 * declare const parallelSet: ParallelSet;
 * parallelSet.lang;
 * ```
 */
export interface ParallelSet {
  /** Language of every text in the set. */
  lang: Lang;
  /** Queries; ids are shared across the languages of the set. */
  queries: Query[];
  /** Documents with `groupId` (paragraph id, shared across languages). */
  documents: Document[];
  /** Relevance judgements over `documents`. */
  qrels: Qrel[];
}

/**
 * Which kind of retrieval a rerank set measures.
 *
 * @example
 * ```ts
 * const settingKind: SettingKind = "MoIR";
 * ```
 */
export type SettingKind = "MoIR" | "CLIR" | "MLIR";

/**
 * A rerank set: queries, their candidate documents and the judgements, in one
 * setting and language combination (called a "task" in the paper).
 *
 * @example
 * ```ts
 * declare const rerankSet: RerankSet;
 * rerankSet.id;
 * ```
 */
export interface RerankSet {
  /** Stable id used in tables and file names, e.g. `moir/de`, `clir/en-de`, `mlir/seen`. */
  id: string;
  /** Kind of setting. */
  setting: SettingKind;
  /** Column label: `de`, `en-de`, `seen` or `all`. */
  label: string;
  /** Whether every language involved is a seen (code-switching) language. */
  seen: boolean;
  /** Queries to re-rank (only those with at least one judged relevant document). */
  queries: Query[];
  /** Candidate documents per query id, in a fixed order. */
  candidates: Map<string, Document[]>;
  /** Judgements (all qrels of the set's queries). */
  qrels: Qrel[];
}

/**
 * Candidate group (paragraph) ids per query id, shared by every language.
 *
 * @example
 * ```ts
 * declare const groupCandidates: GroupCandidates;
 * ```
 */
export type GroupCandidates = Map<string, string[]>;

/** Per-language lookups built once per set. */
interface LangIndex {
  groups: Map<string, Document[]>;
  groupOfDoc: Map<string, string>;
  qrels: Map<string, Qrel[]>;
  queries: Map<string, Query>;
}

function indexSet(set: ParallelSet): LangIndex {
  const groups = new Map<string, Document[]>();
  const groupOfDoc = new Map<string, string>();
  for (const d of set.documents) {
    if (d.groupId === undefined) {
      throw new UserError(`evaluation set ${set.lang}: document ${d.docid} has no group id`);
    }
    groupOfDoc.set(d.docid, d.groupId);
    const g = groups.get(d.groupId);
    if (g) g.push(d);
    else groups.set(d.groupId, [d]);
  }
  const qrels = new Map<string, Qrel[]>();
  for (const q of set.qrels) {
    const list = qrels.get(q.qid);
    if (list) list.push(q);
    else qrels.set(q.qid, [q]);
  }
  return { groups, groupOfDoc, qrels, queries: new Map(set.queries.map((q) => [q.qid, q])) };
}

/** The language a key (query or group id) takes in an MLIR collection: uniform, seeded, order-free. */
export function sampleLanguage(key: string, langs: Lang[], seed: number): Lang {
  return langs[new Rng(seed, fnv1a(key)).int(langs.length)];
}

/**
 * Builds a rerank set. Each query takes its text from `queryLang(qid)`
 * and each candidate group its documents from `groupLang(groupId)`; the
 * relevant documents are those of the gold group in the language it took.
 */
function buildSet(
  meta: Omit<RerankSet, "queries" | "candidates" | "qrels">,
  sets: ParallelSet[],
  langs: Lang[],
  cands: GroupCandidates,
  queryLang: (qid: string) => Lang,
  groupLang: (groupId: string) => Lang,
): RerankSet {
  const index = new Map<Lang, LangIndex>();
  for (const lang of langs) {
    const set = sets.find((s) => s.lang === lang);
    if (!set) throw new UserError(`no evaluation set loaded for language "${lang}"`);
    index.set(lang, indexSet(set));
  }
  const queries: Query[] = [];
  const candidates = new Map<string, Document[]>();
  const qrels: Qrel[] = [];
  for (const [qid, groupIds] of cands) {
    const q = index.get(queryLang(qid))!.queries.get(qid);
    if (!q) continue;
    const judged: Qrel[] = [];
    for (const [lang, ix] of index) {
      for (const r of ix.qrels.get(qid) ?? []) {
        const g = ix.groupOfDoc.get(r.docid);
        if (g !== undefined && groupLang(g) === lang) judged.push(r);
      }
    }
    if (!judged.some((r) => r.rel > 0)) continue;
    queries.push(q);
    candidates.set(qid, groupIds.flatMap((g) => index.get(groupLang(g))!.groups.get(g) ?? []));
    qrels.push(...judged);
  }
  return { ...meta, queries, candidates, qrels };
}

/** MoIR or CLIR rerank set for one (query language, document language) pair. */
export function pairSet(
  sets: ParallelSet[],
  cands: GroupCandidates,
  pair: LangPair,
  seen: boolean,
): RerankSet {
  const mono = pair.query === pair.doc;
  const label = mono ? pair.query : `${pair.query}-${pair.doc}`;
  return buildSet(
    { id: `${mono ? "moir" : "clir"}/${label}`, setting: mono ? "MoIR" : "CLIR", label, seen },
    sets,
    [...new Set([pair.query, pair.doc])],
    cands,
    () => pair.query,
    () => pair.doc,
  );
}

/** MLIR rerank set: every query and every candidate group takes a language sampled with `seed`. */
export function mlirSet(
  sets: ParallelSet[],
  cands: GroupCandidates,
  langs: Lang[],
  label: string,
  seed: number,
  seen: boolean,
): RerankSet {
  return buildSet(
    { id: `mlir/${label}`, setting: "MLIR", label, seen },
    sets,
    langs,
    cands,
    (qid) => sampleLanguage(`q:${qid}`, langs, seed),
    (groupId) => sampleLanguage(`g:${groupId}`, langs, seed),
  );
}

/**
 * Ids of every rerank set of a profile: MoIR per language, CLIR seen and unseen pairs, MLIR seen and all.
 *
 * @example
 * ```ts
 * import { getProfile } from "./registry.ts";
 * profileSetIds(getProfile("xquad-r")).includes("clir/en-de"); // true
 * ```
 */
export function profileSetIds(profile: Profile): string[] {
  const pairs = [
    ...[...profile.seen, ...profile.unseen].map((l) => ({ query: l, doc: l })),
    ...profile.clirSeen,
    ...profile.clirUnseen,
  ];
  return [
    ...pairs.map((p) => p.query === p.doc ? `moir/${p.query}` : `clir/${p.query}-${p.doc}`),
    "mlir/seen",
    "mlir/all",
  ];
}

/**
 * Languages the rerank sets with these ids need.
 *
 * @example
 * ```ts
 * import { getProfile } from "./registry.ts";
 * setLanguages(getProfile("xquad-r"), ["clir/en-de"]); // ["de", "en"]
 * ```
 */
export function setLanguages(profile: Profile, ids: readonly string[]): Lang[] {
  const langs = new Set<Lang>();
  for (const id of ids) {
    const [kind, label] = id.split("/");
    if (kind === "mlir") {
      for (const l of label === "seen" ? profile.seen : [...profile.seen, ...profile.unseen]) {
        langs.add(l);
      }
    } else for (const l of label.split("-")) langs.add(l);
  }
  return [...profile.seen, ...profile.unseen].filter((l) => langs.has(l));
}

/**
 * Builds rerank sets by id (`moir/de`, `clir/en-de`, `mlir/seen`, `mlir/all`); every
 * set of the profile when `ids` is omitted.
 *
 * @example
 * ```ts
 * import { getProfile } from "./registry.ts";
 * declare const sets: ParallelSet[], cands: GroupCandidates;
 * const profile = getProfile("xquad-r");
 * profileRerankSets(profile, sets, cands, ["clir/en-de"])[0].setting; // "CLIR"
 * ```
 */
export function profileRerankSets(
  profile: Profile,
  sets: ParallelSet[],
  cands: GroupCandidates,
  ids: readonly string[] = profileSetIds(profile),
): RerankSet[] {
  const seen = new Set(profile.seen);
  return ids.map((id) => {
    const [kind, label] = id.split("/");
    if (kind === "mlir" && (label === "seen" || label === "all")) {
      const langs = label === "seen" ? profile.seen : [...profile.seen, ...profile.unseen];
      return mlirSet(sets, cands, langs, label, profile.mlirSeed, label === "seen");
    }
    const [query, doc = query] = (label ?? "").split("-");
    if ((kind === "moir" && query === doc) || (kind === "clir" && query !== doc)) {
      return pairSet(sets, cands, { query, doc }, seen.has(query) && seen.has(doc));
    }
    throw new UserError(
      `unknown rerank set "${id}": expected moir/<l>, clir/<q>-<d>, mlir/seen or mlir/all`,
    );
  });
}
