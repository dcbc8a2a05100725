/**
 * The bilingual lexicon type shared by code-switching, Translate Test and BLI
 * evaluation. Keys are lower-cased source terms (one word, or a space-joined
 * n-gram for title lexicons); values list translations best first. Which
 * translation is used is the consumer's choice (code-switching uses the first).
 *
 * @module
 */

import type { Lang } from "../tasks/util/mod.ts";

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

/** A bilingual lexicon from `source` to `target` language. */
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
