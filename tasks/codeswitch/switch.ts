/**
 * Switching records: BL-CS and ML-CS word by word, Wiki-CS by title n-grams.
 * Every record gets its own random stream from (seed, record index), so the
 * output is the same bytes whatever the number of worker threads.
 *
 * @module
 */

import {
  asInstance,
  formatInstance,
  type Lang,
  parseInstance,
  Rng,
  type SwitchedInstance,
  tokenize,
  type TrainingInstance,
} from "../util/mod.ts";
import { type LexiconTable, type Match, matchNgrams, rebuild } from "./matching.ts";
import { type CodeSwitchOptions, compileOptions, type SwitchConfig } from "./options.ts";
import { type Counters, emptyCounters, langStats, type SideStats } from "./stats.ts";

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
 *
 * @example
 * ```ts
 * import { compileOptions } from "./options.ts";
 * import { emptyCounters } from "./stats.ts";
 * const de = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["Katze"]]]) };
 * const config = compileOptions({ variant: "bl-cs", queryLang: "en", docLang: "de", p: 1, queryLexicons: new Map([["de", de]]) });
 * const rec = { qid: "1", query: "a cat", pid: "2", passage: "the cat", label: 1 as const };
 * switchRecord(config, rec, 0, emptyCounters()).passage; // "the Katze"
 * ```
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
