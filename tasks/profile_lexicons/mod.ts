/**
 * TODO
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
