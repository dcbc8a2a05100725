/**
 * Lexicon quality measures: bilingual lexicon induction (BLI) precision@1
 * against a gold test dictionary, and coverage of a training vocabulary.
 *
 * @module
 */

import type { Lexicon } from "./lexicon.ts";

/**
 * BLI result of one lexicon against one gold dictionary.
 *
 * @example
 * ```ts
 * declare const bliResult: BliResult;
 * bliResult.testWords;
 * ```
 */
export interface BliResult {
  /** Source words in the gold test dictionary. */
  testWords: number;
  /** Test words the lexicon has an entry for. */
  covered: number;
  /** Test words whose first translation is one of the gold translations. */
  correct: number;
  /** Precision@1 over all test words (a missing word counts as wrong). */
  p1: number;
  /** Precision@1 over covered test words only. */
  p1Covered: number;
  /** Share of test words covered. */
  coverage: number;
}

/**
 * Precision@1 as in MUSE: a source word is correct if the lexicon's first
 * translation is any of its gold translations. Coverage is reported
 * separately so that small, precise lexicons are not confused with bad ones.
 *
 * @example
 * ```ts
 * import type { Lexicon } from "./lexicon.ts";
 * declare const induced: Lexicon, museTest: Lexicon;
 * const r = evaluateBli(induced, museTest);
 * console.log(r.p1, r.coverage);
 * ```
 */
export function evaluateBli(lex: Lexicon, gold: Lexicon): BliResult {
  let covered = 0;
  let correct = 0;
  for (const [word, goldTargets] of gold.entries) {
    const first = lex.entries.get(word)?.[0];
    if (first === undefined) continue;
    covered++;
    if (goldTargets.includes(first)) correct++;
  }
  const testWords = gold.entries.size;
  return {
    testWords,
    covered,
    correct,
    p1: testWords ? correct / testWords : 0,
    p1Covered: covered ? correct / covered : 0,
    coverage: testWords ? covered / testWords : 0,
  };
}

/**
 * Coverage of a vocabulary (term -> frequency) by a lexicon's single-word keys.
 *
 * @example
 * ```ts
 * declare const vocabularyCoverage: VocabularyCoverage;
 * vocabularyCoverage.types;
 * ```
 */
export interface VocabularyCoverage {
  /** Distinct vocabulary terms. */
  types: number;
  /** Vocabulary terms with a lexicon entry. */
  typesCovered: number;
  /** Total term frequency. */
  tokens: number;
  /** Frequency of the covered terms. */
  tokensCovered: number;
}

/**
 * How much of a training vocabulary a lexicon can translate, by types and by tokens.
 *
 * @example
 * ```ts
 * const lex = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["Katze"]]]) };
 * vocabularyCoverage(lex, new Map([["cat", 3], ["dog", 1]])).tokensCovered; // 3
 * ```
 */
export function vocabularyCoverage(lex: Lexicon, vocab: Map<string, number>): VocabularyCoverage {
  const c: VocabularyCoverage = { types: 0, typesCovered: 0, tokens: 0, tokensCovered: 0 };
  for (const [term, freq] of vocab) {
    c.types++;
    c.tokens += freq;
    if (lex.entries.has(term)) {
      c.typesCovered++;
      c.tokensCovered += freq;
    }
  }
  return c;
}
