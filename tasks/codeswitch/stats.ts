/**
 * Code-switching statistics: raw counters a run (or a worker's share of it)
 * adds up order-independently, and the final per-side, per-language figures.
 *
 * @module
 */

import type { Lang } from "../util/mod.ts";
import type { SwitchConfig, SwitchSettings } from "./options.ts";

/** Counts for one side (queries or passages). */
export interface SideStats {
  /** Word tokens seen. */
  tokens: number;
  /** Tokens that are not stopwords. */
  contentTokens: number;
  /** Tokens replaced by a translation (stopwords included). */
  switchedTokens: number;
  /** Content tokens replaced by a translation. */
  switchedContentTokens: number;
  /** Content tokens looked up in a lexicon (drawn with probability p; every one for Wiki-CS). */
  contentLookups: number;
  /** Content-token lookups the lexicon did not have (Wiki-CS: not covered by any match). */
  contentMisses: number;
}

/** Counts for one target language. */
export interface LangStats {
  /** Tokens of queries replaced with this language. */
  queryTokens: number;
  /** Tokens of passages replaced with this language. */
  passageTokens: number;
  /** Content tokens looked up in this language's lexicons. */
  contentLookups: number;
  /** Of those, the ones the lexicon did not have. */
  contentMisses: number;
  /** Queries with at least one token in this language. */
  queries: number;
  /** Passages with at least one token in this language. */
  passages: number;
}

/**
 * Statistics of one code-switching run, written as `<out>.stats.json`.
 *
 * @example
 * ```ts
 * declare const codeSwitchStats: CodeSwitchStats;
 * codeSwitchStats.records;
 * ```
 */
export interface CodeSwitchStats extends SwitchSettings {
  /** Records processed. */
  records: number;
  /** Switched content tokens / content tokens, both sides (the paper's switch rate). */
  switchRate: number;
  /** Content lookups the lexicons missed / content lookups. */
  outOfLexiconRate: number;
  /** Query-side counts. */
  query: SideStats;
  /** Passage-side counts. */
  passage: SideStats;
  /** Counts per target language, keys sorted. */
  perLanguage: Record<Lang, LangStats>;
}

/** Raw counters of a (partial) run; summing them is order-independent. */
export interface Counters {
  /** Records. */
  records: number;
  /** Query side. */
  query: SideStats;
  /** Passage side. */
  passage: SideStats;
  /** Per language. */
  perLanguage: Record<Lang, LangStats>;
}

function emptySide(): SideStats {
  return {
    tokens: 0,
    contentTokens: 0,
    switchedTokens: 0,
    switchedContentTokens: 0,
    contentLookups: 0,
    contentMisses: 0,
  };
}

/**
 * Fresh zero counters.
 *
 * @example
 * ```ts
 * const c = emptyCounters();
 * c.records; // 0
 * ```
 */
export function emptyCounters(): Counters {
  return { records: 0, query: emptySide(), passage: emptySide(), perLanguage: {} };
}

/** Adds `b` into `a`. */
export function mergeCounters(a: Counters, b: Counters): void {
  a.records += b.records;
  for (const side of ["query", "passage"] as const) {
    for (const k of Object.keys(a[side]) as (keyof SideStats)[]) a[side][k] += b[side][k];
  }
  for (const [lang, s] of Object.entries(b.perLanguage)) {
    const t = langStats(a, lang);
    for (const k of Object.keys(s) as (keyof LangStats)[]) t[k] += s[k];
  }
}

/** The counters of one target language, created on first use. */
export function langStats(c: Counters, lang: Lang): LangStats {
  return c.perLanguage[lang] ??= {
    queryTokens: 0,
    passageTokens: 0,
    contentLookups: 0,
    contentMisses: 0,
    queries: 0,
    passages: 0,
  };
}

/** Final statistics from raw counters. */
export function finishStats(config: SwitchConfig, c: Counters): CodeSwitchStats {
  const content = c.query.contentTokens + c.passage.contentTokens;
  const switched = c.query.switchedContentTokens + c.passage.switchedContentTokens;
  const lookups = c.query.contentLookups + c.passage.contentLookups;
  const misses = c.query.contentMisses + c.passage.contentMisses;
  const perLanguage: Record<Lang, LangStats> = {};
  for (const lang of Object.keys(c.perLanguage).sort()) perLanguage[lang] = c.perLanguage[lang];
  return {
    variant: config.variant,
    p: config.p,
    seed: config.seed,
    ...(config.queryLang !== undefined ? { queryLang: config.queryLang } : {}),
    ...(config.docLang !== undefined ? { docLang: config.docLang } : {}),
    ...(config.languages !== undefined ? { languages: config.languages } : {}),
    records: c.records,
    switchRate: content === 0 ? 0 : switched / content,
    outOfLexiconRate: lookups === 0 ? 0 : misses / lookups,
    query: c.query,
    passage: c.passage,
    perLanguage,
  };
}
