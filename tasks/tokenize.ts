/**
 * Word tokenisation shared by code-switching, Translate Test, BM25 and the
 * ranker. Tokens carry their offsets into the original string so that callers
 * can rebuild the text with everything between tokens (spaces, punctuation)
 * untouched. Scripts written without spaces (Chinese, Japanese, Thai, ...) go
 * through ICU word segmentation (`Intl.Segmenter`); everything else through a
 * fast Unicode regex, which is several times faster than ICU on Latin text.
 *
 * @module
 */

/** A word token: `text.slice(start, end)` of the original string. */
export interface Token {
  /** Offset of the first code unit. */
  start: number;
  /** Offset after the last code unit. */
  end: number;
}

// A word is a run of letters, marks and digits, with inner hyphens/apostrophes
// split off as in the Penn Treebank (so "don't" -> "don", "t" stays lookup-friendly).
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// Scripts that do not separate words with spaces.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) segmenters.set(locale, s = new Intl.Segmenter(locale, { granularity: "word" }));
  return s;
}

/**
 * Splits text into word tokens with offsets.
 *
 * @param lang optional ISO 639-1 hint for ICU segmentation of unspaced scripts
 * @example
 * ```ts
 * const text = "Hello, world!";
 * tokenize(text).map((t) => text.slice(t.start, t.end)); // ["Hello", "world"]
 * ```
 */
export function tokenize(text: string, lang = "und"): Token[] {
  const out: Token[] = [];
  if (UNSPACED.test(text)) {
    for (const s of segmenter(lang).segment(text)) {
      if (s.isWordLike) out.push({ start: s.index, end: s.index + s.segment.length });
    }
    return out;
  }
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** Lower-cased word strings of `text`, for lookup and bag-of-words models. */
export function terms(text: string, lang = "und"): string[] {
  return tokenize(text, lang).map((t) => text.slice(t.start, t.end).toLowerCase());
}
