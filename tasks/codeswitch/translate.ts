/**
 * The Translate Test baseline of the paper: queries and documents in language
 * X are translated term by term into English with the X-to-English lexicon
 * (its first translation; no MT system), then scored by an English-trained
 * ranker. Unknown tokens are kept as they are; the text between tokens is kept
 * byte for byte.
 *
 * @module
 */

import { type Document, type Lang, OptionError, type Query, tokenize } from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";
import { type LexiconTable, lexiconTable, matchNgrams, rebuild } from "./matching.ts";

/**
 * Options of {@linkcode translateTest}.
 *
 * @example
 * ```ts
 * declare const translateTestOptions: TranslateTestOptions;
 * translateTestOptions.lexicons;
 * ```
 */
export interface TranslateTestOptions {
  /** X-to-English lexicons keyed by source language X. */
  lexicons: Map<Lang, Lexicon>;
}

const NO_STOPWORDS: ReadonlySet<string> = new Set();

/**
 * Translates one text term by term with an X-to-English table: the longest
 * lexicon match first (single words for word lexicons), lower-cased lookup,
 * the first translation inserted as given; unknown tokens stay.
 *
 * @example
 * ```ts
 * const table = { maxNgram: 1, first: new Map([["haus", "house"], ["das", "the"]]) };
 * translateText("Das Haus, blau.", "de", table); // "the house, blau."
 * ```
 */
export function translateText(text: string, lang: Lang, table: LexiconTable): string {
  const toks = tokenize(text, lang);
  return rebuild(text, toks, matchNgrams(text, toks, table, NO_STOPWORDS));
}

function checkLexicons(records: (Query | Document)[], lexicons: Map<Lang, Lexicon>) {
  const tables = new Map<Lang, LexiconTable>();
  for (const r of records) {
    if (r.lang === "en" || tables.has(r.lang)) continue;
    const lex = lexicons.get(r.lang);
    if (!lex) {
      throw new OptionError("--lexicon", `a ${r.lang}-en lexicon for Translate Test`, "none");
    }
    if (lex.source !== r.lang || lex.target !== "en") {
      throw new OptionError("--lexicon", `a ${r.lang}-en lexicon`, `${lex.source}-${lex.target}`);
    }
    tables.set(r.lang, lexiconTable(lex));
  }
  return tables;
}

/**
 * Translates queries or documents into English for the Translate Test
 * baseline. Returned records keep their ids (and `groupId`) and get the
 * English text with `lang: "en"`; English records are returned unchanged.
 * The pipeline caches the translations as a stage.
 *
 * @example
 * ```ts
 * import type { Lexicon } from "../../lexicons/mod.ts";
 * const de: Lexicon = { source: "de", target: "en", maxNgram: 1, entries: new Map([["haus", ["house"]]]) };
 * translateTest([{ qid: "1", text: "Das Haus", lang: "de" }], { lexicons: new Map([["de", de]]) });
 * // [{ qid: "1", text: "Das house", lang: "en" }]
 * ```
 */
export function translateTest<T extends Query | Document>(
  records: T[],
  opts: TranslateTestOptions,
): T[] {
  const tables = checkLexicons(records, opts.lexicons);
  return records.map((r) =>
    r.lang === "en"
      ? r
      : { ...r, text: translateText(r.text, r.lang, tables.get(r.lang)!), lang: "en" }
  );
}
