/**
 * Bilingual lexicons: the TSV + sidecar format, MUSE dictionaries and their
 * held-out split, title lexicons, embedding induction, stopwords, BLI.
 *
 * @example
 * ```ts
 * const lex = await readLexicon("en-de.tsv");
 * lex.entries.get("house"); // ["haus", ...]
 * ```
 *
 * @module
 */

export {
  type BliResult,
  evaluateBli,
  type VocabularyCoverage,
  vocabularyCoverage,
} from "./evaluate.ts";
export {
  isLexiconFile,
  readLexicon,
  readLexiconFile,
  readSidecar,
  writeLexicon,
} from "./format.ts";
export { type Embeddings, induceLexicon, readVec } from "./induce.ts";
export { type Lexicon, lexiconHash } from "./lexicon.ts";
export {
  type HeldOutOptions,
  heldOutSplit,
  HUNALIGN_MUSE_COMMIT,
  MUSE_LICENSE,
  museUrl,
  PRIOR_SALT,
  priorSplit,
  readMuseDictionary,
} from "./muse.ts";
export { stopwords } from "./stopwords.ts";
export {
  buildTitleLexicon,
  fromArray,
  joinLabels,
  readDbpAlignment,
  readMlamaLabels,
  readTitleFile,
  readTitleXml,
  type TitleLexiconOptions,
  type TitlePair,
} from "./titles.ts";
