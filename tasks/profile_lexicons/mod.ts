/**
 * The `lexicons` stage: builds a profile's bilingual lexicons (MUSE, entity
 * titles) with provenance through the stage cache, and induces lexicons from
 * cross-lingual embeddings.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const { set } = await profileLexicons(getProfile("xquad-r"), { mirror: "../shared/mirror", offline: true });
 * await set.lexicon("en", "de", "muse");
 * ```
 *
 * @module
 */

export {
  LEXICONS_CACHE,
  type LexiconSet,
  type LexiconsJob,
  lexiconsJob,
  type LexiconsOptions,
  type LexiconSummary,
  type LexiconsValue,
  openLexiconSet,
  profileLexicons,
} from "./build.ts";
export {
  type InduceCliOptions,
  type LexiconsCliOptions,
  parseWikititles,
  runInduce,
  runLexicons,
} from "./commands.ts";
export { isSwitchLexicon, lexiconId, type LexiconKind, type LexiconSpec } from "./specs.ts";
