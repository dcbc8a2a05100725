/**
 * Artificial code-switching of English training data (Litschko et al., 2023):
 * BL-CS (one query and one document language), ML-CS (a language sampled per
 * token) and Wiki-CS (longest-first replacement of title n-grams). Text between
 * tokens is kept byte for byte, lookups are lower-cased, translations are
 * inserted as the lexicon gives them (its first translation). Every record gets
 * its own random stream from (seed, record index), so the output is the same
 * bytes whatever the number of worker threads.
 *
 * @module
 */

import {
  InputError,
  type Lang,
  openAtomic,
  OptionError,
  parseJsonObject,
  Progress,
  readLines,
  refuseInputAsOutput,
  Rng,
  type SwitchedInstance,
  type Token,
  tokenize,
  type TrainingInstance,
  writeFileAtomic,
} from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";

/** The code-switching variants of the paper. */
export type Variant = "bl-cs" | "ml-cs" | "wiki-cs";

/** The variants, for option checking and help text. */
export const VARIANTS: readonly Variant[] = ["bl-cs", "ml-cs", "wiki-cs"];

/** What to switch, into which languages, with which lexicons. */
export interface CodeSwitchOptions {
  /** `bl-cs`, `ml-cs` or `wiki-cs`. */
  variant: Variant;
  /**
   * Query language of BL-CS and of bilingual Wiki-CS (`en` keeps queries English).
   * Wiki-CS is bilingual when `queryLang` and `docLang` are set, multilingual otherwise.
   */
  queryLang?: Lang;
  /** Document language of BL-CS and of bilingual Wiki-CS (`en` keeps passages English). */
  docLang?: Lang;
  /**
   * Languages to sample from: per token for ML-CS (non-English only), per
   * instance and side for multilingual Wiki-CS (`en` allowed: that side stays English).
   * Usually the profile's seen languages without English.
   */
  languages?: Lang[];
  /** English-to-X lexicons for queries, keyed by target language. */
  queryLexicons: Map<Lang, Lexicon>;
  /** English-to-X lexicons for passages; default `queryLexicons`. */
  passageLexicons?: Map<Lang, Lexicon>;
  /** Switching probability per token (per matched n-gram for Wiki-CS). Default 0.5; Wiki-CS 1.0. */
  p?: number;
  /** Seed of the per-record random streams. Default 1. */
  seed?: number;
  /** Lower-cased English stopwords: never start a Wiki-CS match, excluded from switch rates. */
  stopwords?: ReadonlySet<string>;
}

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

/** The resolved settings of a run, shared by the worker config and the statistics. */
export interface SwitchSettings {
  /** Variant used. */
  variant: Variant;
  /** Switching probability. */
  p: number;
  /** Seed. */
  seed: number;
  /** Fixed query language (BL-CS, bilingual Wiki-CS). */
  queryLang?: Lang;
  /** Fixed document language (BL-CS, bilingual Wiki-CS). */
  docLang?: Lang;
  /** Sampled languages (ML-CS, multilingual Wiki-CS). */
  languages?: Lang[];
}

/** Statistics of one code-switching run, written as `<out>.stats.json`. */
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

/**
 * The structured-clone-safe form of {@linkcode CodeSwitchOptions} after
 * validation, shipped once to every worker.
 */
export interface SwitchConfig extends SwitchSettings {
  /** Query lexicons (entries and n-gram length) by language. */
  queryLexicons: Map<Lang, LexiconTable>;
  /** Passage lexicons by language. */
  passageLexicons: Map<Lang, LexiconTable>;
  /** Stopwords. */
  stopwords: ReadonlySet<string>;
}

/** The part of a lexicon the switcher needs: each key's first translation. */
export interface LexiconTable {
  /** Lower-cased key to its first (best) translation. */
  first: Map<string, string>;
  /** Longest key in tokens. */
  maxNgram: number;
}

const tables = new WeakMap<Lexicon, LexiconTable>();

/**
 * The first-translation table of a lexicon, memoised per lexicon object (a
 * lexicon must not be changed after its first use). Keys without translations
 * are left out.
 */
export function lexiconTable(lex: Lexicon): LexiconTable {
  let t = tables.get(lex);
  if (t) return t;
  const first = new Map<string, string>();
  for (const [k, v] of lex.entries) if (v.length > 0) first.set(k, v[0]);
  tables.set(lex, t = { first, maxNgram: Math.max(1, lex.maxNgram) });
  return t;
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

// ---------------------------------------------------------------------------
// Options

/**
 * Validates options and builds the worker-shippable configuration.
 * Throws {@linkcode OptionError} naming the bad option.
 */
export function compileOptions(opts: CodeSwitchOptions): SwitchConfig {
  const { variant } = opts;
  if (!VARIANTS.includes(variant)) {
    throw new OptionError("--variant", `one of ${VARIANTS.join(", ")}`, variant);
  }
  const p = opts.p ?? (variant === "wiki-cs" ? 1 : 0.5);
  if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new OptionError("--p", "a number in [0, 1]", opts.p);
  }
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new OptionError("--seed", "a non-negative integer", opts.seed);
  }
  const queryLex = opts.queryLexicons;
  const passageLex = opts.passageLexicons ?? queryLex;
  const bilingual = variant === "bl-cs" ||
    (variant === "wiki-cs" && (opts.queryLang !== undefined || opts.docLang !== undefined));
  const config: SwitchConfig = {
    variant,
    p,
    seed,
    queryLexicons: new Map(),
    passageLexicons: new Map(),
    stopwords: opts.stopwords ?? new Set(),
  };
  const need = (lang: Lang, side: "query" | "passage") => {
    if (lang === "en") return;
    const from = side === "query" ? queryLex : passageLex;
    const lex = from.get(lang);
    const option = side === "query" ? "--lexicon (query side)" : "--lexicon (passage side)";
    if (!lex) throw new OptionError(option, `an English-to-${lang} lexicon`, "none");
    if (lex.source !== "en" || lex.target !== lang) {
      throw new OptionError(option, `an en-${lang} lexicon`, `${lex.source}-${lex.target}`);
    }
    const into = side === "query" ? config.queryLexicons : config.passageLexicons;
    into.set(lang, lexiconTable(lex));
  };
  if (bilingual) {
    if (opts.languages !== undefined) {
      throw new OptionError("--languages", `no languages for bilingual ${variant}`, opts.languages);
    }
    for (const [name, lang] of [["--query-lang", opts.queryLang], ["--doc-lang", opts.docLang]]) {
      if (typeof lang !== "string" || !/^[a-z]{2,3}$/.test(lang)) {
        throw new OptionError(name!, "an ISO 639-1 language code", lang);
      }
    }
    config.queryLang = opts.queryLang;
    config.docLang = opts.docLang;
    need(opts.queryLang!, "query");
    need(opts.docLang!, "passage");
  } else {
    const langs = opts.languages;
    if (!Array.isArray(langs) || langs.length === 0) {
      throw new OptionError("--languages", `a non-empty list of languages for ${variant}`, langs);
    }
    if (new Set(langs).size !== langs.length) {
      throw new OptionError("--languages", "distinct languages", langs);
    }
    if (variant === "ml-cs" && langs.includes("en")) {
      throw new OptionError("--languages", "non-English languages for ml-cs", langs);
    }
    config.languages = [...langs];
    for (const lang of langs) {
      need(lang, "query");
      need(lang, "passage");
    }
  }
  return config;
}

// ---------------------------------------------------------------------------
// Switching one record

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

/** Fresh zero counters. */
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

function langStats(c: Counters, lang: Lang): LangStats {
  return c.perLanguage[lang] ??= {
    queryTokens: 0,
    passageTokens: 0,
    contentLookups: 0,
    contentMisses: 0,
    queries: 0,
    passages: 0,
  };
}

const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

function isWordAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
  return WORD_CHAR.test(s[i]);
}

/** Appends `piece` to `out`, separating two word characters that would otherwise fuse. */
function glue(out: string, piece: string): string {
  if (out.length === 0 || piece.length === 0) return out + piece;
  return isWordAt(out, out.length - 1) && isWordAt(piece, 0) ? `${out} ${piece}` : out + piece;
}

/** One lexicon match: tokens [from, to) have translation `text`; `switched` if it replaces them. */
export interface Match {
  /** First token. */
  from: number;
  /** Token after the last. */
  to: number;
  /** Translation (the lexicon's first). */
  text: string;
  /** Whether the match is replaced (drawn with probability p). */
  switched: boolean;
}

/**
 * Rebuilds `text` with the switched matches (sorted by `from`), keeping
 * everything else byte for byte.
 */
export function rebuild(text: string, toks: Token[], matches: Match[]): string {
  let out = "";
  let pos = 0;
  let any = false;
  for (const m of matches) {
    if (!m.switched) continue;
    out = glue(glue(out, text.slice(pos, toks[m.from].start)), m.text);
    pos = toks[m.to - 1].end;
    any = true;
  }
  return any ? glue(out, text.slice(pos)) : text;
}

/** A side's switching context for one record. */
interface SideCtx {
  stats: SideStats;
  counters: Counters;
  side: "query" | "passage";
  used: Lang[];
}

function noteSwitch(ctx: SideCtx, lang: Lang, tokens: number): void {
  const s = langStats(ctx.counters, lang);
  if (ctx.side === "query") s.queryTokens += tokens;
  else s.passageTokens += tokens;
  if (!ctx.used.includes(lang)) {
    ctx.used.push(lang);
    if (ctx.side === "query") s.queries++;
    else s.passages++;
  }
}

/**
 * Word-level switching (BL-CS with one language, ML-CS with several): each
 * token is drawn with probability p; a drawn token gets a uniformly chosen
 * language and is replaced if that lexicon has it (no retry).
 */
function switchWords(
  text: string,
  rng: Rng,
  p: number,
  langs: Lang[],
  tables: Map<string, string>[],
  stop: ReadonlySet<string>,
  ctx: SideCtx,
): string {
  const toks = tokenize(text, "en");
  const st = ctx.stats;
  const k = langs.length;
  const ls = langs.map((l) => langStats(ctx.counters, l));
  const reps: Match[] = [];
  let tokens = 0, content = 0, lookups = 0, misses = 0;
  for (let i = 0; i < toks.length; i++) {
    const lower = text.slice(toks[i].start, toks[i].end).toLowerCase();
    const isContent = !stop.has(lower);
    tokens++;
    if (isContent) content++;
    if (k === 0 || p === 0 || rng.next() >= p) continue;
    const li = k === 1 ? 0 : rng.int(k);
    const t = tables[li].get(lower);
    if (isContent) {
      lookups++;
      ls[li].contentLookups++;
    }
    if (t === undefined) {
      if (isContent) {
        misses++;
        ls[li].contentMisses++;
      }
      continue;
    }
    reps.push({ from: i, to: i + 1, text: t, switched: true });
    st.switchedTokens++;
    if (isContent) st.switchedContentTokens++;
    noteSwitch(ctx, langs[li], 1);
  }
  st.tokens += tokens;
  st.contentTokens += content;
  st.contentLookups += lookups;
  st.contentMisses += misses;
  return rebuild(text, toks, reps);
}

// Between tokens of one n-gram only spaces, hyphens and apostrophes may stand.
const NGRAM_GAP = /^[\s\-\u2010\u2011'\u2019]+$/u;

/**
 * Longest-first n-gram matching: all n-grams of the longest length are
 * matched left to right, then shorter ones among the tokens still free, so a
 * matched span is never matched (or switched) again. An n-gram made only of
 * stopwords is skipped. Each match is switched with probability p (drawn from
 * `rng` in text order of discovery); one that is not stays English and is not
 * split into shorter matches. Keys are the lower-cased tokens joined by single
 * spaces, as `lexicons/titles.ts` writes them (so "Spider-Man" finds "spider man").
 *
 * @returns every match, sorted by position
 */
export function matchNgrams(
  text: string,
  toks: Token[],
  table: LexiconTable,
  stop: ReadonlySet<string>,
  p = 1,
  rng?: Rng,
): Match[] {
  const n = toks.length;
  const lower = new Array<string>(n);
  const isStop = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = text.slice(toks[i].start, toks[i].end).toLowerCase();
    if (stop.has(lower[i])) isStop[i] = 1;
  }
  const taken = new Uint8Array(n);
  const matches: Match[] = [];
  for (let len = Math.min(table.maxNgram, n); len >= 1; len--) {
    outer: for (let i = 0; i + len <= n; i++) {
      let content = false;
      for (let j = i; j < i + len; j++) {
        if (taken[j]) continue outer;
        if (!isStop[j]) content = true;
      }
      if (!content) continue;
      let key = lower[i];
      for (let j = i + 1; j < i + len; j++) {
        if (!NGRAM_GAP.test(text.slice(toks[j - 1].end, toks[j].start))) continue outer;
        key += " " + lower[j];
      }
      const t = table.first.get(key);
      if (t === undefined) continue;
      taken.fill(1, i, i + len);
      const switched = p >= 1 || (p > 0 && rng !== undefined && rng.next() < p);
      matches.push({ from: i, to: i + len, text: t, switched });
      i += len - 1;
    }
  }
  return matches.sort((a, b) => a.from - b.from);
}

/** Wiki-CS on one side: n-gram replacement with one lexicon, with statistics. */
function switchNgrams(
  text: string,
  rng: Rng,
  p: number,
  lang: Lang,
  table: LexiconTable | undefined,
  stop: ReadonlySet<string>,
  ctx: SideCtx,
): string {
  const toks = tokenize(text, "en");
  const st = ctx.stats;
  const isContent = toks.map((t) => !stop.has(text.slice(t.start, t.end).toLowerCase()));
  let content = 0;
  for (const c of isContent) if (c) content++;
  st.tokens += toks.length;
  st.contentTokens += content;
  if (table === undefined) return text;
  const matches = matchNgrams(text, toks, table, stop, p, rng);
  // Every content token is looked up; a miss is one that no match covers, whatever p drew.
  let switched = 0, switchedContent = 0, hits = 0;
  for (const m of matches) {
    for (let i = m.from; i < m.to; i++) {
      if (isContent[i]) hits++;
      if (!m.switched) continue;
      switched++;
      if (isContent[i]) switchedContent++;
    }
  }
  st.switchedTokens += switched;
  st.switchedContentTokens += switchedContent;
  st.contentLookups += content;
  st.contentMisses += content - hits;
  const ls = langStats(ctx.counters, lang);
  ls.contentLookups += content;
  ls.contentMisses += content - hits;
  if (switched > 0) noteSwitch(ctx, lang, switched);
  return rebuild(text, toks, matches);
}

/**
 * Switches one record with its own random stream; adds to `counters`.
 *
 * @param index 0-based position of the record in the input (selects the random stream)
 */
export function switchRecord(
  config: SwitchConfig,
  rec: TrainingInstance,
  index: number,
  counters: Counters,
): SwitchedInstance {
  const rng = Rng.forRecord(config.seed, index);
  const { p, stopwords } = config;
  const q: SideCtx = { stats: counters.query, counters, side: "query", used: [] };
  const d: SideCtx = { stats: counters.passage, counters, side: "passage", used: [] };
  let query: string, passage: string;
  counters.records++;
  if (config.variant === "wiki-cs") {
    let ql: Lang, dl: Lang;
    if (config.languages) {
      ql = config.languages[rng.int(config.languages.length)];
      dl = config.languages[rng.int(config.languages.length)];
    } else {
      ql = config.queryLang!;
      dl = config.docLang!;
    }
    query = switchNgrams(rec.query, rng, p, ql, config.queryLexicons.get(ql), stopwords, q);
    passage = switchNgrams(rec.passage, rng, p, dl, config.passageLexicons.get(dl), stopwords, d);
  } else {
    const ql = config.languages ?? (config.queryLang === "en" ? [] : [config.queryLang!]);
    const dl = config.languages ?? (config.docLang === "en" ? [] : [config.docLang!]);
    const qt = ql.map((l) => config.queryLexicons.get(l)!.first);
    const dt = dl.map((l) => config.passageLexicons.get(l)!.first);
    query = switchWords(rec.query, rng, p, ql, qt, stopwords, q);
    passage = switchWords(rec.passage, rng, p, dl, dt, stopwords, d);
  }
  return {
    qid: rec.qid,
    query,
    pid: rec.pid,
    passage,
    label: rec.label,
    queryLangs: q.used,
    passageLangs: d.used,
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

// ---------------------------------------------------------------------------
// Input records

/** Checks that `value` is a training record; throws {@linkcode InputError} naming file and line. */
export function asInstance(value: unknown, file: string, line: number): TrainingInstance {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(file, line, "expected a JSON object {qid, query, pid, passage, label}");
  }
  const r = value as Record<string, unknown>;
  for (const f of ["qid", "pid"]) {
    if (typeof r[f] !== "string" && typeof r[f] !== "number") {
      throw new InputError(file, line, `expected field "${f}" (a string id)`);
    }
  }
  for (const f of ["query", "passage"]) {
    if (typeof r[f] !== "string") {
      throw new InputError(file, line, `expected field "${f}" (a string)`);
    }
  }
  if (r.label !== 0 && r.label !== 1) {
    throw new InputError(
      file,
      line,
      `expected field "label" (0 or 1), got ${JSON.stringify(r.label)}`,
    );
  }
  return {
    qid: String(r.qid),
    query: r.query as string,
    pid: String(r.pid),
    passage: r.passage as string,
    label: r.label,
  };
}

/** Parses one JSON line into a training record; throws {@linkcode InputError} naming file and line. */
export function parseInstance(text: string, file: string, line: number): TrainingInstance {
  return asInstance(parseJsonObject(text, file, line), file, line);
}

/** Serialises a switched record as one JSON line (fixed field order). */
export function formatInstance(r: SwitchedInstance): string {
  return JSON.stringify({
    qid: r.qid,
    query: r.query,
    pid: r.pid,
    passage: r.passage,
    label: r.label,
    queryLangs: r.queryLangs,
    passageLangs: r.passageLangs,
  }) + "\n";
}

/** A batch of input lines for a worker. */
export interface Batch {
  /** Input file name, for error messages. */
  file: string;
  /** Index of the batch's first record in the input. */
  firstIndex: number;
  /** Raw JSON lines (no blank ones). */
  lines: string[];
  /** 1-based line numbers of `lines`. */
  lineNumbers: number[];
}

/** Switches a batch of JSON lines; returns JSON-lines output. */
export function switchBatch(config: SwitchConfig, batch: Batch, counters: Counters): string {
  let out = "";
  for (let i = 0; i < batch.lines.length; i++) {
    const rec = parseInstance(batch.lines[i], batch.file, batch.lineNumbers[i]);
    out += formatInstance(switchRecord(config, rec, batch.firstIndex + i, counters));
  }
  return out;
}

/**
 * Switches records in process, in order (for in-memory data and small runs).
 * Statistics are added to `counters` when given.
 *
 * @example
 * ```ts
 * const lex = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["Katze"]]]) };
 * const opts = { variant: "bl-cs", queryLang: "en", docLang: "de", p: 1,
 *   queryLexicons: new Map([["de", lex]]) } as const;
 * for await (const r of codeSwitchRecords([{ qid: "1", query: "a cat", pid: "2",
 *   passage: "the cat", label: 1 }], opts)) console.log(r.passage); // "the Katze"
 * ```
 */
export async function* codeSwitchRecords(
  records: Iterable<TrainingInstance> | AsyncIterable<TrainingInstance>,
  opts: CodeSwitchOptions,
  counters: Counters = emptyCounters(),
): AsyncGenerator<SwitchedInstance> {
  const config = compileOptions(opts);
  let index = 0;
  for await (const r of records) {
    const rec = asInstance(r, "<records>", index + 1);
    yield switchRecord(config, rec, index++, counters);
  }
}

// ---------------------------------------------------------------------------
// Files, in parallel

/** Options of {@linkcode codeSwitchFile}. */
export interface CodeSwitchFileOptions extends CodeSwitchOptions {
  /** Input JSON lines of training records (may be gzipped). */
  input: string;
  /** Output JSON lines; statistics go to `<output>.stats.json`. */
  output: string;
  /** Worker threads; 0 runs in process. Default: the number of cores. */
  workers?: number;
  /** Records per batch sent to a worker. Default 2,000. */
  batchSize?: number;
  /** Show a progress line (default: when stderr is a terminal). */
  progress?: boolean;
}

/** Messages to the worker. */
export type WorkerRequest =
  | { type: "init"; config: SwitchConfig }
  | { type: "batch"; id: number; batch: Batch };

/** Messages from the worker. */
export type WorkerReply =
  | { type: "done"; id: number; output: string; counters: Counters }
  | { type: "error"; id: number; file?: string; line?: number; message: string; input: boolean };

/** A pool of switching workers that answer batches in submission order. */
class WorkerPool {
  #workers: Worker[] = [];
  #pending = new Map<
    number,
    { resolve: (r: { output: string; counters: Counters }) => void; reject: (e: Error) => void }
  >();
  #next = 0;

  constructor(n: number, config: SwitchConfig) {
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL("./worker.ts", import.meta.url).href, {
        type: "module",
      });
      w.onmessage = (e: MessageEvent<WorkerReply>) => this.#settle(e.data);
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.#failAll(new Error(`code-switching worker failed: ${e.message}`));
      };
      w.postMessage({ type: "init", config } satisfies WorkerRequest);
      this.#workers.push(w);
    }
  }

  run(batch: Batch): Promise<{ output: string; counters: Counters }> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#workers[id % this.#workers.length].postMessage(
        { type: "batch", id, batch } satisfies WorkerRequest,
      );
    });
  }

  close(): void {
    for (const w of this.#workers) w.terminate();
  }

  #settle(m: WorkerReply): void {
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (m.type === "done") p.resolve(m);
    else if (m.input) p.reject(new InputError(m.file!, m.line, m.message));
    else p.reject(new Error(m.message));
  }

  #failAll(e: Error): void {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}

/**
 * Code-switches a JSON-lines file of training records into `output`
 * (atomically) and writes `<output>.stats.json`. Streams in constant memory
 * apart from the lexicons; batches run on `workers` threads and are written
 * back in input order, so the bytes do not depend on the worker count.
 *
 * @example
 * ```ts
 * const stats = await codeSwitchFile({
 *   variant: "ml-cs", languages: ["de", "ru", "ar", "es", "zh"], p: 0.5, seed: 1,
 *   queryLexicons: lexicons, stopwords, input: "train.jsonl", output: "train.ml-cs.jsonl",
 * });
 * console.log(stats.switchRate);
 * ```
 */
export async function codeSwitchFile(opts: CodeSwitchFileOptions): Promise<CodeSwitchStats> {
  const config = compileOptions(opts);
  const workers = opts.workers ?? navigator.hardwareConcurrency ?? 1;
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) {
    throw new OptionError("--workers", "an integer in [0, 256]", opts.workers);
  }
  const batchSize = opts.batchSize ?? 2000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new OptionError("batchSize", "a positive integer", opts.batchSize);
  }
  const input = [{ option: "IN", path: opts.input }];
  await refuseInputAsOutput(opts.output, input);
  await refuseInputAsOutput(`${opts.output}.stats.json`, input);
  const counters = emptyCounters();
  const pool = workers > 0 ? new WorkerPool(workers, config) : undefined;
  const run = (b: Batch): Promise<{ output: string; counters: Counters }> => {
    if (pool) {
      const p = pool.run(b);
      // Marked as handled: a failure surfaces when the batch's turn to be written comes.
      p.catch(() => {});
      return p;
    }
    const c = emptyCounters();
    return Promise.resolve({ output: switchBatch(config, b, c), counters: c });
  };
  const progress = new Progress({ label: `${config.variant} records`, enabled: opts.progress });
  const writer = await openAtomic(opts.output);
  // Bounded in-flight queue: memory stays constant, order is kept.
  const queue: Promise<{ output: string; counters: Counters }>[] = [];
  const maxInFlight = Math.max(2, 2 * workers);
  const drainOne = async () => {
    const r = await queue.shift()!;
    mergeCounters(counters, r.counters);
    progress.add(r.counters.records);
    await writer.write(r.output);
  };
  try {
    let batch: Batch = { file: opts.input, firstIndex: 0, lines: [], lineNumbers: [] };
    let index = 0;
    for await (const { text, n } of readLines(opts.input)) {
      if (text.trim() === "") continue;
      batch.lines.push(text);
      batch.lineNumbers.push(n);
      index++;
      if (batch.lines.length >= batchSize) {
        queue.push(run(batch));
        batch = { file: opts.input, firstIndex: index, lines: [], lineNumbers: [] };
        if (queue.length >= maxInFlight) await drainOne();
      }
    }
    if (batch.lines.length > 0) queue.push(run(batch));
    while (queue.length > 0) await drainOne();
    await writer.commit();
  } catch (e) {
    // Settle the rest so no rejection goes unhandled, then clean up.
    await Promise.allSettled(queue);
    await writer.abort();
    throw e;
  } finally {
    pool?.close();
    progress.done();
  }
  const stats = finishStats(config, counters);
  await writeFileAtomic(`${opts.output}.stats.json`, JSON.stringify(stats, null, 2) + "\n");
  return stats;
}
