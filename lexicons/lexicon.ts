/**
 * The bilingual lexicon type shared by code-switching, Translate Test and BLI
 * evaluation. Keys are lower-cased source terms (one word, or a space-joined
 * n-gram for title lexicons); values list translations best first. Which
 * translation is used is the consumer's choice (code-switching uses the first).
 *
 * @module
 */

import { compareStrings, type Lang, sha256Hex } from "../tasks/util/mod.ts";

/** Where a lexicon came from, for provenance in manifests. */
export interface LexiconProvenance {
  /** Source kind, e.g. `muse`, `muse-hunalign`, `induced-dot`, `induced-csls`, `wikititles`. */
  kind: string;
  /** Input files with their sha256. */
  inputs: { path: string; sha256: string }[];
  /** Options used to build it. */
  options: Record<string, unknown>;
  /** License of the source data. */
  license: string;
}

/**
 * A bilingual lexicon from `source` to `target` language.
 *
 * @example
 * ```ts
 * declare const lexicon: Lexicon;
 * lexicon.source;
 * ```
 */
export interface Lexicon {
  /** Source language. */
  source: Lang;
  /** Target language. */
  target: Lang;
  /** Lower-cased source term to its translations, best first. */
  entries: Map<string, string[]>;
  /** Longest key length in tokens (1 for word lexicons, up to 3 for title lexicons). */
  maxNgram: number;
  /** Provenance, when built by the harness. */
  provenance?: LexiconProvenance;
}

/**
 * Content hash of a lexicon: 16 hex digits of the sha256 of its languages,
 * n-gram length and entries in key order. Code-switching and Translate Test
 * stages are keyed by it, so a rebuilt but equal lexicon keeps their caches.
 *
 * @example
 * ```ts
 * const lex: Lexicon = { source: "en", target: "de", maxNgram: 1, entries: new Map([["house", ["haus"]]]) };
 * lexiconHash(lex).length; // 16
 * ```
 */
export function lexiconHash(lex: Lexicon): string {
  const parts = [`${lex.source}\t${lex.target}\t${lex.maxNgram}`];
  for (const [k, v] of [...lex.entries].sort(([a], [b]) => compareStrings(a, b))) {
    parts.push(`${k}\t${v.join("\t")}`);
  }
  return sha256Hex(parts.join("\n")).slice(0, 16);
}
