/**
 * Entity-title lexicons for Wiki-CS, from three sources of parallel names:
 *
 * - DBpedia alignments of SRPRS / DBP15K (`ent_ids_1`, `ent_ids_2`:
 *   `ID\tURI`; `ref_ent_ids`: `ID1\tID2`): titles are the URL-decoded last
 *   path segment of each URI with underscores as spaces; each side's language
 *   comes from the URI host (`de.dbpedia.org` is German, `dbpedia.org` English).
 * - mLAMA JSON lines (`sub_uri`/`sub_label`, `obj_uri`/`obj_label`): Wikidata
 *   (or Freebase) ids are shared across languages, so joining two languages'
 *   labels on the id gives name pairs.
 * - Parallel Wikipedia titles (`wikititles`): linguatools-style XML (gzip-aware;
 *   see {@linkcode readTitleXml}) or TSV as WMT's `wikititles-v1.de-en.tsv.gz`
 *   (one `title\ttitle` pair a line); {@linkcode readTitleFile} picks by name.
 *
 * Cleaning follows the paper: lower-case, drop a `Namespace:` prefix and a
 * `(...)` disambiguation; the source side is tokenised (`tasks/tokenize.ts`)
 * and kept when it has 1..maxNgram tokens; keys are tokens joined by single
 * spaces. Targets keep their cleaned surface form (no spaces are inserted into
 * Chinese or Thai titles).
 *
 * @module
 */

import { InputError, type Lang, openBytes, readLines, terms } from "../tasks/util/mod.ts";
import { SaxesParser } from "saxes";
import type { Lexicon } from "./lexicon.ts";
import { isStopwordTerm } from "./stopwords.ts";

/**
 * One pair of parallel names, source language first.
 *
 * @example
 * ```ts
 * declare const titlePair: TitlePair;
 * ```
 */
export type TitlePair = [source: string, target: string];

// A namespace is one word directly followed by ":" and a non-space
// ("Kategorie:Berlin"); "Star Wars: Episode IV" keeps its colon.
const NAMESPACE = /^[^\s:]+:(?=\S)/u;
const DISAMBIGUATION = /\s*[(（][^()（）]*[)）]/gu;

/**
 * Cleans a title as the paper does: lower-case, namespace prefix and
 * parenthesised disambiguation removed, whitespace collapsed.
 *
 * @example
 * ```ts
 * cleanTitle("Kategorie:Westbury (New York)"); // "westbury"
 * ```
 */
export function cleanTitle(title: string): string {
  return title.normalize("NFC").replace(NAMESPACE, "").replace(DISAMBIGUATION, "")
    .replace(/\s+/gu, " ").trim().toLowerCase();
}

/**
 * Options of {@linkcode buildTitleLexicon}.
 *
 * @example
 * ```ts
 * declare const titleLexiconOptions: TitleLexiconOptions;
 * titleLexiconOptions.maxNgram;
 * ```
 */
export interface TitleLexiconOptions {
  /** Longest source key, in tokens. */
  maxNgram?: number;
  /** Drop entries whose source tokens are all stopwords. */
  dropStopwordOnly?: boolean;
  /** Drop entries whose cleaned target equals the source (e.g. "berlin" -> "berlin"). */
  dropIdentical?: boolean;
}

/** Counts of a title lexicon build, by outcome. */
export interface TitleCounts {
  /** Pairs read from all sources. */
  pairs: number;
  /** Pairs kept (including repeats of an existing entry). */
  kept: number;
  /** Dropped: empty after cleaning. */
  empty: number;
  /** Dropped: source longer than maxNgram tokens. */
  tooLong: number;
  /** Dropped: source only stopwords. */
  stopwordOnly: number;
  /** Dropped: identical on both sides. */
  identical: number;
  /** Pairs whose translation was already listed for that key. */
  duplicates: number;
}

/**
 * Builds a title lexicon from pair sources (in order; earlier sources' and
 * earlier lines' translations come first, so the first translation of a key
 * is its first-seen title).
 *
 * @example
 * ```ts
 * const { lexicon } = await buildTitleLexicon("en", "de", [fromArray([["Berlin Wall", "Berliner Mauer"]])]);
 * lexicon.entries.get("berlin wall"); // ["berliner mauer"]
 * ```
 */
export async function buildTitleLexicon(
  source: Lang,
  target: Lang,
  pairSources: AsyncIterable<TitlePair>[],
  opts: TitleLexiconOptions = {},
): Promise<{ lexicon: Lexicon; counts: TitleCounts }> {
  const { maxNgram = 3, dropStopwordOnly = true, dropIdentical = true } = opts;
  const counts: TitleCounts = {
    pairs: 0,
    kept: 0,
    empty: 0,
    tooLong: 0,
    stopwordOnly: 0,
    identical: 0,
    duplicates: 0,
  };
  const entries = new Map<string, string[]>();
  let longest = 0;
  for (const pairs of pairSources) {
    for await (const [s, t] of pairs) {
      counts.pairs++;
      const toks = terms(cleanTitle(s), source);
      const tgt = cleanTitle(t);
      if (toks.length === 0 || tgt === "") {
        counts.empty++;
        continue;
      }
      if (toks.length > maxNgram) {
        counts.tooLong++;
        continue;
      }
      const key = toks.join(" ");
      if (dropStopwordOnly && isStopwordTerm(key, source)) {
        counts.stopwordOnly++;
        continue;
      }
      if (dropIdentical && (tgt === key || terms(tgt, target).join(" ") === key)) {
        counts.identical++;
        continue;
      }
      counts.kept++;
      const list = entries.get(key);
      if (!list) entries.set(key, [tgt]);
      else if (list.includes(tgt)) counts.duplicates++;
      else list.push(tgt);
      if (toks.length > longest) longest = toks.length;
    }
  }
  return { lexicon: { source, target, entries, maxNgram: longest || 1 }, counts };
}

/**
 * The title of a DBpedia resource URI: last path segment, URL-decoded,
 * underscores as spaces. A segment that is not valid percent-encoding is kept
 * as written.
 */
export function dbpediaTitle(uri: string): string {
  // Everything after "/resource/": titles may hold "/" ("AC/DC").
  const r = uri.indexOf("/resource/");
  const seg = r >= 0 ? uri.slice(r + 10) : uri.slice(uri.lastIndexOf("/") + 1);
  let decoded = seg;
  try {
    decoded = decodeURIComponent(seg);
  } catch {
    // Some DBpedia URIs hold a literal "%"; keep them as they are.
  }
  return decoded.replaceAll("_", " ");
}

/** Language of a DBpedia URI from its host (`xx.dbpedia.org`; bare `dbpedia.org` is English). */
export function dbpediaLang(uri: string): Lang | undefined {
  const m = /^https?:\/\/(?:([a-z-]+)\.)?dbpedia\.org\//.exec(uri);
  if (!m) return undefined;
  return m[1] ?? "en";
}

async function readEntIds(path: string): Promise<{ ids: Map<string, string>; lang: Lang }> {
  const ids = new Map<string, string>();
  let lang: Lang | undefined;
  for await (const { text, n } of readLines(path)) {
    if (text === "") continue;
    const cols = text.split("\t");
    if (cols.length !== 2 || cols[0] === "") {
      throw new InputError(path, n, "expected 'ID<TAB>DBpedia-URI'");
    }
    const l = dbpediaLang(cols[1]);
    if (!l) {
      throw new InputError(
        path,
        n,
        `expected a DBpedia resource URI, got ${JSON.stringify(cols[1])}`,
      );
    }
    if (lang && l !== lang) {
      throw new InputError(path, n, `mixed languages in one entity file: ${lang} and ${l}`);
    }
    lang = l;
    ids.set(cols[0], dbpediaTitle(cols[1]));
  }
  if (!lang) throw new InputError(path, undefined, "no entities");
  return { ids, lang };
}

/** Paths of a DBpedia alignment (SRPRS / DBP15K layout). */
export interface DbpAlignmentFiles {
  /** `ent_ids_1`. */
  ent1: string;
  /** `ent_ids_2`. */
  ent2: string;
  /** `ref_ent_ids`. */
  ref: string;
}

/**
 * Reads a DBpedia entity alignment into title pairs oriented `source -> target`
 * (the file's own order is detected from its URIs).
 *
 * @example
 * ```ts
 * const pairs = await readDbpAlignment({ ent1: "ent_ids_1", ent2: "ent_ids_2", ref: "ref_ent_ids" }, "en", "de");
 * pairs.length;
 * ```
 */
export async function readDbpAlignment(
  files: DbpAlignmentFiles,
  source: Lang,
  target: Lang,
): Promise<TitlePair[]> {
  const a = await readEntIds(files.ent1);
  const b = await readEntIds(files.ent2);
  let flip: boolean;
  if (a.lang === source && b.lang === target) flip = false;
  else if (a.lang === target && b.lang === source) flip = true;
  else {
    throw new InputError(
      files.ent1,
      undefined,
      `alignment is ${a.lang}-${b.lang}, expected ${source}-${target} or ${target}-${source}`,
    );
  }
  const pairs: TitlePair[] = [];
  for await (const { text, n } of readLines(files.ref)) {
    if (text === "") continue;
    const cols = text.split("\t");
    const x = a.ids.get(cols[0]);
    const y = b.ids.get(cols[1]);
    if (cols.length !== 2 || x === undefined || y === undefined) {
      throw new InputError(
        files.ref,
        n,
        "expected 'ID1<TAB>ID2' with ids from ent_ids_1 and ent_ids_2",
      );
    }
    pairs.push(flip ? [y, x] : [x, y]);
  }
  return pairs;
}

/**
 * Collects id -> label from mLAMA JSON-lines files (subjects and objects; the
 * first label seen for an id wins). Empty files are allowed (mLAMA ships some).
 *
 * @example
 * ```ts
 * const labels = await readMlamaLabels(["mlama1.1/de/P19/train.jsonl"]);
 * labels.get("Q64");
 * ```
 */
export async function readMlamaLabels(paths: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const path of paths) {
    for await (const { text, n } of readLines(path)) {
      if (text.trim() === "") continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(text);
      } catch (e) {
        throw new InputError(path, n, `expected a JSON object (${(e as Error).message})`);
      }
      for (const side of ["sub", "obj"]) {
        const uri = rec[`${side}_uri`], label = rec[`${side}_label`];
        if (typeof uri !== "string" || typeof label !== "string") {
          throw new InputError(path, n, `expected string fields ${side}_uri and ${side}_label`);
        }
        if (!labels.has(uri)) labels.set(uri, label);
      }
    }
  }
  return labels;
}

/**
 * Joins two languages' labels on their shared ids, in the source map's order.
 *
 * @example
 * ```ts
 * joinLabels(new Map([["Q64", "Berlin"]]), new Map([["Q64", "Берлин"]])); // [["Berlin", "Берлин"]]
 * ```
 */
export function joinLabels(source: Map<string, string>, target: Map<string, string>): TitlePair[] {
  const pairs: TitlePair[] = [];
  for (const [id, s] of source) {
    const t = target.get(id);
    if (t !== undefined) pairs.push([s, t]);
  }
  return pairs;
}

/**
 * Reads a parallel-titles TSV (`title_a\ttitle_b`, gzip-aware) as pairs
 * oriented source -> target; `sourceColumn` says which column holds the source.
 */
export async function* readTitleTsv(path: string, sourceColumn: 0 | 1): AsyncGenerator<TitlePair> {
  for await (const { text, n } of readLines(path)) {
    if (text === "") continue;
    const cols = text.split("\t");
    if (cols.length !== 2) {
      throw new InputError(path, n, `expected 2 tab-separated titles, got ${cols.length} fields`);
    }
    yield sourceColumn === 0 ? [cols[0], cols[1]] : [cols[1], cols[0]];
  }
}

/** One open element while reading titles XML. */
interface XmlFrame {
  /** Element name, for messages. */
  name: string;
  /** Line of its start tag. */
  line: number;
  /** Language of a title element (lower-cased `xml:lang` / `lang`). */
  lang?: string;
  /** Title given as a `name` or `title` attribute. */
  attr?: string;
  /** Text content of a title element. */
  text: string;
  /** Titles found directly inside this element, by language. */
  titles?: Map<string, string>;
}

/**
 * Reads parallel Wikipedia titles from XML (gzip-aware, streaming) as pairs
 * oriented source -> target. Every element with an `xml:lang` or `lang`
 * attribute, or named after the source or target language (`<de>...</de>`),
 * is a title: its `name` or `title` attribute when it has one (as linguatools'
 * `<article lang="de" name="...">`), else its text. The titles directly inside
 * one element make one entry, e.g.
 * `<entry><title lang="de">Katze</title><title lang="en">Cat</title></entry>`,
 * or a TMX translation unit as OPUS distributes `LinguaTools-WikiTitles`
 * (`<tu><tuv xml:lang="de"><seg>Katze</seg></tuv>...</tu>`); languages match on
 * their primary subtag (`zh-cn` is `zh`). XML that does not parse, or an entry
 * without both languages, is an {@linkcode InputError} naming the line.
 *
 * These layouts cover the linguatools `wikititles` corpora as far as they
 * could be established offline; no original file was available to check.
 *
 * @example
 * ```ts
 * for await (const [en, de] of readTitleXml("wikititles-de-en.xml.gz", "en", "de")) {
 *   console.log(en, "->", de);
 * }
 * ```
 */
export async function* readTitleXml(
  path: string,
  source: Lang,
  target: Lang,
): AsyncGenerator<TitlePair> {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlFrame[] = [];
  let ready: TitlePair[] = [];
  let failure: InputError | undefined;
  const primary = (lang: string) => lang.toLowerCase().split(/[-_]/)[0];
  parser.on("error", (e) => {
    failure ??= new InputError(path, parser.line, `expected well-formed XML (${e.message})`);
  });
  parser.on("opentag", (tag) => {
    const a = tag.attributes as Record<string, string>;
    const named = primary(tag.name);
    const lang = a["xml:lang"] ?? a.lang ??
      (named === source || named === target ? named : undefined);
    stack.push({
      name: tag.name,
      line: parser.line,
      lang: lang === undefined ? undefined : primary(lang),
      attr: a.name ?? a.title,
      text: "",
    });
  });
  const addText = (t: string) => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].lang !== undefined) {
        stack[i].text += t;
        break;
      }
    }
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", () => {
    const f = stack.pop()!;
    const parent = stack.at(-1);
    if (f.lang !== undefined && parent) {
      parent.titles ??= new Map();
      if (!parent.titles.has(f.lang)) parent.titles.set(f.lang, (f.attr ?? f.text).trim());
    }
    if (f.titles) {
      const s = f.titles.get(source), t = f.titles.get(target);
      if (s === undefined || t === undefined) {
        failure ??= new InputError(
          path,
          f.line,
          `expected <${f.name}> to hold titles in ${source} and ${target}, got ${
            [...f.titles.keys()].join(", ")
          }`,
        );
      } else {
        ready.push([s, t]);
      }
    }
  });
  const drain = function* () {
    if (failure) throw failure;
    yield* ready;
    ready = [];
  };
  const text = (await openBytes(path)).pipeThrough(new TextDecoderStream());
  for await (const chunk of text) {
    parser.write(chunk);
    yield* drain();
  }
  parser.close();
  yield* drain();
}

/**
 * Reads a parallel-titles file by its name: `.xml`, `.tmx` (either gzipped or
 * not) with {@linkcode readTitleXml}; `.tsv` / `.tsv.gz` with {@linkcode readTitleTsv},
 * the column languages taken from a WMT-style `.<a>-<b>.tsv` suffix.
 *
 * @example
 * ```ts
 * for await (const [en, de] of readTitleFile("wikititles-de-en.xml.gz", "en", "de")) console.log(en, de);
 * ```
 */
export function readTitleFile(
  path: string,
  source: Lang,
  target: Lang,
): AsyncGenerator<TitlePair> {
  if (/\.(xml|tmx)(\.gz)?$/i.test(path)) return readTitleXml(path, source, target);
  const tsv = /\.([a-z]{2,3})-([a-z]{2,3})\.tsv(\.gz)?$/i.exec(path);
  if (!tsv) {
    throw new InputError(
      path,
      undefined,
      "expected a titles file named *.xml[.gz], *.tmx[.gz] or *.<a>-<b>.tsv[.gz] (a, b: languages)",
    );
  }
  const cols = [tsv[1].toLowerCase(), tsv[2].toLowerCase()];
  const col = cols.indexOf(source);
  if (col < 0 || cols[1 - col] !== target) {
    throw new InputError(
      path,
      undefined,
      `expected titles in ${source} and ${target}, got ${cols}`,
    );
  }
  return readTitleTsv(path, col as 0 | 1);
}

/**
 * Turns an array into an async iterable, so in-memory pairs can feed {@linkcode buildTitleLexicon}.
 *
 * @example
 * ```ts
 * for await (const [en, de] of fromArray([["Berlin", "Berlin"]])) console.log(en, de);
 * ```
 */
export async function* fromArray(pairs: TitlePair[]): AsyncGenerator<TitlePair> {
  yield* pairs;
}
