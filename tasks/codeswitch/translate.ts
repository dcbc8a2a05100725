/**
 * The Translate Test baseline of the paper: queries and documents in language
 * X are translated term by term into English with the X-to-English lexicon
 * (its first translation; no MT system), then scored by an English-trained
 * ranker. Unknown tokens are kept as they are; the text between tokens is kept
 * byte for byte. Results are cached on disk under a key that hashes the
 * lexicons' and the collection's content.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { join } from "node:path";
import {
  type Document,
  type Lang,
  openAtomic,
  OptionError,
  type Query,
  readLines,
  tokenize,
} from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";
import { type LexiconTable, lexiconTable, matchNgrams, rebuild } from "./codeswitch.ts";

/** Options of {@linkcode translateTest}. */
export interface TranslateTestOptions {
  /** X-to-English lexicons keyed by source language X. */
  lexicons: Map<Lang, Lexicon>;
  /** Cache directory (files go to `<cacheDir>/translate-test/`); no caching when omitted. */
  cacheDir?: string;
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

const lexiconHashes = new WeakMap<Lexicon, string>();

/** sha256 of a lexicon's languages and entries (sorted), memoised per object. */
export function lexiconHash(lex: Lexicon): string {
  let h = lexiconHashes.get(lex);
  if (h !== undefined) return h;
  const hash = createHash("sha256").update(`${lex.source}\t${lex.target}\t${lex.maxNgram}\n`);
  for (const key of [...lex.entries.keys()].sort()) {
    hash.update(`${key}\t${lex.entries.get(key)!.join("\t")}\n`);
  }
  h = hash.digest("hex");
  lexiconHashes.set(lex, h);
  return h;
}

function idOf(r: Query | Document): string {
  return "qid" in r ? `q\t${r.qid}` : `d\t${r.docid}`;
}

function updateRecords(hash: Hash, records: (Query | Document)[]): void {
  for (const r of records) hash.update(`${idOf(r)}\t${r.lang}\t${r.text}\n`);
}

/**
 * The cache key of a Translate Test run: sha256 over the hashes of the
 * lexicons the records need and over every record's id, language and text.
 */
export function translateCacheKey(records: (Query | Document)[], lexicons: Map<Lang, Lexicon>) {
  const hash = createHash("sha256").update("translate-test v1\n");
  const langs = [...new Set(records.map((r) => r.lang))].filter((l) => l !== "en").sort();
  for (const l of langs) hash.update(`${l}\t${lexiconHash(lexicons.get(l)!)}\n`);
  updateRecords(hash, records);
  return hash.digest("hex");
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

async function readCache(path: string, count: number): Promise<string[] | undefined> {
  const texts: string[] = [];
  try {
    for await (const { text } of readLines(path)) texts.push(JSON.parse(text));
  } catch {
    return undefined; // missing or unreadable: translate again
  }
  return texts.length === count && texts.every((t) => typeof t === "string") ? texts : undefined;
}

/**
 * Translates queries or documents into English for the Translate Test
 * baseline. Returned records keep their ids (and `groupId`) and get the
 * English text with `lang: "en"`; English records are returned unchanged.
 * With `cacheDir`, the translations are stored in
 * `<cacheDir>/translate-test/<key>.jsonl` and reused when the lexicons and the
 * records are the same.
 *
 * @example
 * ```ts
 * const de = await readLexicon("cache/lexicons/muse/de-en.tsv");
 * const english = await translateTest(queries, { lexicons: new Map([["de", de]]), cacheDir });
 * ```
 */
export async function translateTest<T extends Query | Document>(
  records: T[],
  opts: TranslateTestOptions,
): Promise<T[]> {
  const tables = checkLexicons(records, opts.lexicons);
  const path = opts.cacheDir === undefined ? undefined : join(
    opts.cacheDir,
    "translate-test",
    `${translateCacheKey(records, opts.lexicons)}.jsonl`,
  );
  let texts = path === undefined ? undefined : await readCache(path, records.length);
  if (texts === undefined) {
    texts = records.map((r) =>
      r.lang === "en" ? r.text : translateText(r.text, r.lang, tables.get(r.lang)!)
    );
    if (path !== undefined) {
      const w = await openAtomic(path);
      try {
        for (const t of texts) await w.write(JSON.stringify(t) + "\n");
        await w.commit();
      } catch (e) {
        await w.abort();
        throw e;
      }
    }
  }
  return records.map((r, i) => r.lang === "en" ? r : { ...r, text: texts[i], lang: "en" });
}
