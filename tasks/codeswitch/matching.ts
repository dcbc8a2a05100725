/**
 * Lexicon matching over token streams, shared by code-switching and Translate
 * Test: each key's first translation, longest-first n-gram matches, and the
 * rebuild that keeps the text between tokens byte for byte.
 *
 * @module
 */

import type { Rng, Token } from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";

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
