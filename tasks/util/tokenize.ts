/**
 * Word tokenisation shared by code-switching, Translate Test, BM25 and the
 * ranker. Tokens carry their offsets into the original string so that callers
 * can rebuild the text with everything between tokens (spaces, punctuation)
 * untouched. Scripts written without spaces (Chinese, Japanese, Thai, ...) go
 * through ICU word segmentation (`Intl.Segmenter`); everything else through a
 * scan over a per-character class table, many times faster than ICU or a
 * Unicode regex on Latin, Cyrillic, Arabic or Devanagari text.
 *
 * @module
 */

/**
 * A word token: `text.slice(start, end)` of the original string.
 *
 * @example
 * ```ts
 * declare const token: Token;
 * token.start;
 * ```
 */
export interface Token {
  /** Offset of the first code unit. */
  start: number;
  /** Offset after the last code unit. */
  end: number;
}

// A word is a run of letters, marks and digits (code points in \p{L}, \p{M},
// \p{N}); inner hyphens/apostrophes split it as in the Penn Treebank (so
// "don't" -> "don", "t" stays lookup-friendly).
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
// Scripts that do not separate words with spaces: any such character sends
// the whole text through ICU.
const UNSPACED_CHAR =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;
const OTHER = 0, WORD = 1, UNSPACED = 2;
const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) segmenters.set(locale, s = new Intl.Segmenter(locale, { granularity: "word" }));
  return s;
}

function classify(ch: string): number {
  return UNSPACED_CHAR.test(ch) ? UNSPACED : WORD_CHAR.test(ch) ? WORD : OTHER;
}

// Character classes of the Basic Multilingual Plane, built on first use: a
// table lookup per code unit is several times faster than a Unicode regex.
let bmp: Uint8Array | undefined;
const astral = new Map<number, number>();

function bmpTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c < 0xd800 || c > 0xdfff) t[c] = classify(String.fromCharCode(c));
  }
  return bmp = t;
}

function segment(text: string, lang: string): Token[] {
  const out: Token[] = [];
  for (const s of segmenter(lang).segment(text)) {
    if (s.isWordLike) out.push({ start: s.index, end: s.index + s.segment.length });
  }
  return out;
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
  const table = bmp ?? bmpTable();
  const out: Token[] = [];
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        cls = astral.get(cp) ?? -1;
        if (cls < 0) astral.set(cp, cls = classify(String.fromCodePoint(cp)));
        if (cls === UNSPACED) return segment(text, lang);
        if (cls === WORD) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          out.push({ start, end: i });
          start = -1;
        }
        i++;
        continue;
      }
    }
    cls = table[c];
    if (cls === WORD) {
      if (start < 0) start = i;
    } else if (cls === UNSPACED) {
      return segment(text, lang);
    } else if (start >= 0) {
      out.push({ start, end: i });
      start = -1;
    }
  }
  if (start >= 0) out.push({ start, end: n });
  return out;
}

/**
 * Lower-cased word strings of `text`, for lookup and bag-of-words models.
 *
 * @example
 * ```ts
 * terms("The Cat's hat", "en"); // lower-cased words
 * ```
 */
export function terms(text: string, lang = "und"): string[] {
  return tokenize(text, lang).map((t) => text.slice(t.start, t.end).toLowerCase());
}
