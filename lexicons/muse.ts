/**
 * MUSE ground-truth bilingual dictionaries (Conneau et al., 2018; CC BY-NC 4.0),
 * in the original format (`SOURCE TARGET` per line, whitespace-separated) and
 * in the hunalign reformatting mirrored from `coezbek/hunalign-dict-muse`
 * (`TARGET @ SOURCE` per line). One-to-many entries keep every translation in
 * file order; code-switching uses the first one.
 *
 * The hunalign copy drops MUSE's train/test split files, so
 * {@linkcode heldOutSplit} defines a deterministic held-out test split for BLI
 * evaluation from the full dictionary.
 *
 * @module
 */

import { compareStrings, fnv1a, InputError, type Lang, readLines } from "../tasks/util/mod.ts";
import type { Lexicon } from "./lexicon.ts";

/** The two published MUSE dictionary layouts. */
export type MuseFormat = "muse" | "hunalign";

/**
 * Pinned commit of the hunalign-reformatted MUSE dictionaries.
 *
 * @example
 * ```ts
 * museUrl("de", "en", "hunalign").includes(HUNALIGN_MUSE_COMMIT); // true
 * ```
 */
export const HUNALIGN_MUSE_COMMIT = "0950a115b315cab94a16b65c4e80df630c7058b3";

/**
 * License of the MUSE dictionaries.
 *
 * @example
 * ```ts
 * const provenance = { kind: "muse", inputs: [], options: {}, license: MUSE_LICENSE };
 * ```
 */
export const MUSE_LICENSE = "CC BY-NC 4.0 (MUSE, Conneau et al. 2018)";

/** Split files of the original MUSE dictionaries. */
export type MuseSplit = "full" | "train" | "test";

/**
 * URL of a MUSE dictionary.
 *
 * @example
 * ```ts
 * museUrl("en", "de", "hunalign");
 * // "https://raw.githubusercontent.com/coezbek/hunalign-dict-muse/0950a11.../dict/en-de.dict"
 * museUrl("en", "de", "muse", "test");
 * // "https://dl.fbaipublicfiles.com/arrival/dictionaries/en-de.5000-6500.txt"
 * ```
 */
export function museUrl(source: Lang, target: Lang, format: MuseFormat, split: MuseSplit = "full") {
  if (format === "hunalign") {
    if (split !== "full") throw new Error("the hunalign MUSE copy has no train/test split files");
    return `https://raw.githubusercontent.com/coezbek/hunalign-dict-muse/${HUNALIGN_MUSE_COMMIT}/dict/${source}-${target}.dict`;
  }
  const suffix = split === "full" ? "" : split === "train" ? ".0-5000" : ".5000-6500";
  return `https://dl.fbaipublicfiles.com/arrival/dictionaries/${source}-${target}${suffix}.txt`;
}

/** Counts from parsing a dictionary file. */
export interface MuseCounts {
  /** Non-blank lines read. */
  lines: number;
  /** Distinct (source, target) pairs kept. */
  pairs: number;
  /** Repeated pairs dropped. */
  duplicates: number;
}

/**
 * Parses a MUSE dictionary file into a lexicon (keys and values lower-cased).
 * A line that does not hold exactly one source and one target word is an
 * {@linkcode InputError} naming file and line: the published files hold none.
 *
 * @example
 * ```ts
 * const { lexicon, counts } = await readMuseDictionary("de-en.txt", "de", "en", "hunalign");
 * lexicon.entries.size + counts.pairs;
 * ```
 */
export async function readMuseDictionary(
  path: string,
  source: Lang,
  target: Lang,
  format: MuseFormat,
): Promise<{ lexicon: Lexicon; counts: MuseCounts }> {
  const entries = new Map<string, string[]>();
  const counts: MuseCounts = { lines: 0, pairs: 0, duplicates: 0 };
  for await (const { text, n } of readLines(path)) {
    if (text.trim() === "") continue;
    counts.lines++;
    let src: string, tgt: string;
    if (format === "hunalign") {
      const parts = text.split(" @ ");
      if (
        parts.length !== 2 || /\s/.test(parts[0]) || /\s/.test(parts[1]) || !parts[0] || !parts[1]
      ) {
        throw new InputError(path, n, "expected 'TARGET @ SOURCE' (hunalign MUSE format)");
      }
      [tgt, src] = parts;
    } else {
      const parts = text.trim().split(/\s+/);
      if (parts.length !== 2) {
        throw new InputError(path, n, `expected 'SOURCE TARGET', got ${parts.length} fields`);
      }
      [src, tgt] = parts;
    }
    src = src.toLowerCase();
    tgt = tgt.toLowerCase();
    const list = entries.get(src);
    if (!list) entries.set(src, [tgt]);
    else if (list.includes(tgt)) {
      counts.duplicates++;
      continue;
    } else list.push(tgt);
    counts.pairs++;
  }
  return { lexicon: { source, target, entries, maxNgram: 1 }, counts };
}

/**
 * Options of {@linkcode heldOutSplit}.
 *
 * @example
 * ```ts
 * declare const heldOutOptions: HeldOutOptions;
 * heldOutOptions.size;
 * ```
 */
export interface HeldOutOptions {
  /** Number of source words in the test split (MUSE's test splits hold 1,500). */
  size?: number;
  /** Salt mixed into the hash, to draw a different split. */
  salt?: string;
}

/**
 * Deterministic held-out split of a dictionary by source word: the `size`
 * source words with the smallest FNV-1a hash of `salt + word` (ties by word)
 * form the test split, with all their translations; the rest is train. The
 * split depends only on the set of source words, not on file order.
 *
 * @example
 * ```ts
 * const lex = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["Katze"]], ["dog", ["Hund"]]]) };
 * const { train, test } = heldOutSplit(lex, { size: 1 });
 * train.entries.size + test.entries.size; // 2
 * ```
 */
export function heldOutSplit(
  lex: Lexicon,
  { size = 1500, salt = "csclir-bli" }: HeldOutOptions = {},
): { train: Lexicon; test: Lexicon } {
  const ranked = [...lex.entries.keys()]
    .map((w) => ({ w, h: fnv1a(salt + w) }))
    .sort((a, b) => a.h - b.h || compareStrings(a.w, b.w));
  const testWords = new Set(ranked.slice(0, size).map((r) => r.w));
  const train = new Map<string, string[]>();
  const test = new Map<string, string[]>();
  for (const [w, t] of lex.entries) (testWords.has(w) ? test : train).set(w, t);
  const base = { source: lex.source, target: lex.target, maxNgram: lex.maxNgram };
  return { train: { ...base, entries: train }, test: { ...base, entries: test } };
}

/**
 * Salt of {@linkcode priorSplit}'s hash: fixed, so that every run draws the same halves.
 *
 * @example
 * ```ts
 * PRIOR_SALT; // "csclir-prior"
 * ```
 */
export const PRIOR_SALT = "csclir-prior";

/**
 * Splits a dictionary with English on one side into a *prior* half and a
 * *switching* half by the English word of each pair: a pair goes to the prior
 * half when the FNV-1a hash of `salt + englishWord` is even. Keying both
 * directions (EN->X and X->EN) by the English word puts every English word in
 * one half only, so the pre-trained cross-lingual prior never sees a
 * translation of an English word that code-switching, Translate Test or BLI
 * uses.
 *
 * @example
 * ```ts
 * const lex = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["katze"]], ["dog", ["hund"]]]) };
 * const { prior, switching } = priorSplit(lex);
 * prior.entries.size + switching.entries.size; // 2
 * ```
 */
export function priorSplit(
  lex: Lexicon,
  salt: string = PRIOR_SALT,
): { prior: Lexicon; switching: Lexicon } {
  if (lex.source !== "en" && lex.target !== "en") {
    throw new RangeError(`priorSplit: ${lex.source}-${lex.target} has no English side`);
  }
  const inPrior = (en: string) => (fnv1a(salt + en) & 1) === 0;
  const prior = new Map<string, string[]>();
  const switching = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const [src, tgts] of lex.entries) {
    for (const tgt of tgts) {
      add(inPrior(lex.source === "en" ? src : tgt) ? prior : switching, src, tgt);
    }
  }
  const base = { source: lex.source, target: lex.target, maxNgram: lex.maxNgram };
  return { prior: { ...base, entries: prior }, switching: { ...base, entries: switching } };
}
