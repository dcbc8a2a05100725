/**
 * The `lexicons` stage: builds a profile's bilingual lexicons (MUSE, entity
 * titles) with provenance, and induces lexicons from cross-lingual embeddings.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const set = await buildProfileLexicons(getProfile("xquad-r"), { mirror: "../shared/mirror", offline: true });
 * await set.lexicon("en", "de", "muse");
 * ```
 *
 * @module
 */

export {
  buildProfileLexicons,
  type InduceCliOptions,
  type LexiconsCliOptions,
  type LexiconSet,
  parseWikititles,
  runInduce,
  runLexicons,
} from "./lexicons.ts";
