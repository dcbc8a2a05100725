/**
 * The prior's training pairs and its held-out BLI splits, from the prior half
 * of the MUSE dictionaries.
 *
 * @module
 */

import type { Lexicon } from "../../lexicons/mod.ts";
import { compareStrings, fnv1a, type Lang, terms } from "../util/mod.ts";

/** Foreign word to its English translations, for one language. */
export type Gold = Map<string, Set<string>>;

/**
 * Pairs and splits of {@linkcode priorPairs}.
 *
 * @example
 * ```ts
 * declare const p: PriorPairs;
 * p.train.length;
 * ```
 */
export interface PriorPairs {
  /** (English, foreign) training pairs, in a fixed order. */
  train: [string, string][];
  /** Per language: held-out words for choosing hyper-parameters. */
  dev: Map<Lang, Gold>;
  /** Per language: held-out words for the reported BLI P@1. */
  test: Map<Lang, Gold>;
  /** Per language: every English word of its pairs (the BLI search space). */
  english: Map<Lang, string[]>;
  /** Per language: training pairs. */
  trainPairs: Map<Lang, number>;
}

const HELD_OUT_SALT = "csclir-prior-heldout";
/** A dictionary word the ranker sees as one token, unchanged. */
const oneToken = (w: string) => {
  const t = terms(w);
  return t.length === 1 && t[0] === w;
};

/**
 * Collects (English, foreign) pairs of one-token words from dictionaries with
 * English on one side, and holds out, per language, the `heldOut` foreign
 * words with the smallest salted hash as the test split and the next
 * `heldOut` as the development split, with all their pairs.
 *
 * @example
 * ```ts
 * const lex = { source: "de", target: "en", maxNgram: 1, entries: new Map([["hund", ["dog"]], ["katze", ["cat"]]]) };
 * const p = priorPairs([lex], 1);
 * p.test.get("de")!.size + p.dev.get("de")!.size; // 2
 * ```
 */
export function priorPairs(lexicons: readonly Lexicon[], heldOut: number): PriorPairs {
  const byLang = new Map<Lang, Gold>();
  for (const lex of lexicons) {
    const lang = lex.source === "en" ? lex.target : lex.source;
    let gold = byLang.get(lang);
    if (!gold) byLang.set(lang, gold = new Map());
    for (const [src, tgts] of lex.entries) {
      for (const tgt of tgts) {
        const [en, x] = lex.source === "en" ? [src, tgt] : [tgt, src];
        if (!oneToken(en) || !oneToken(x)) continue;
        let set = gold.get(x);
        if (!set) gold.set(x, set = new Set());
        set.add(en);
      }
    }
  }
  const out: PriorPairs = {
    train: [],
    dev: new Map(),
    test: new Map(),
    english: new Map(),
    trainPairs: new Map(),
  };
  for (const lang of [...byLang.keys()].sort(compareStrings)) {
    const gold = byLang.get(lang)!;
    const ranked = [...gold.keys()].map((w) => ({ w, h: fnv1a(HELD_OUT_SALT + w) }))
      .sort((a, b) => a.h - b.h || compareStrings(a.w, b.w)).map((r) => r.w);
    const pick = (from: number) =>
      new Map(ranked.slice(from, from + heldOut).map((w) => [w, gold.get(w)!]));
    out.test.set(lang, pick(0));
    out.dev.set(lang, pick(heldOut));
    const english = new Set<string>();
    let n = 0;
    for (const x of [...gold.keys()].sort(compareStrings)) {
      const ens = [...gold.get(x)!].sort(compareStrings);
      for (const en of ens) english.add(en);
      if (out.test.get(lang)!.has(x) || out.dev.get(lang)!.has(x)) continue;
      for (const en of ens) out.train.push([en, x]), n++;
    }
    out.english.set(lang, [...english].sort(compareStrings));
    out.trainPairs.set(lang, n);
  }
  return out;
}
