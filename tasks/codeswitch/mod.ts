/**
 * The `codeswitch` stage: artificial code-switching of English training
 * records (BL-CS, ML-CS, Wiki-CS) with bilingual lexicons, and the Translate
 * Test baseline that reuses its lexicon matching.
 *
 * @example
 * ```ts
 * await runCodeSwitch("train.jsonl", "train.ml-cs.jsonl", {
 *   variant: "ml-cs",
 *   profile: "xquad-r",
 *   seed: "1",
 *   lexicon: ["de=en-de.tsv"],
 *   languages: "de",
 * });
 * ```
 *
 * @module
 */

export { codeSwitchFile, type CodeSwitchFileOptions } from "./file.ts";
export {
  type CodeSwitchOptions,
  compileOptions,
  SWITCH_DEFAULTS,
  type Variant,
  VARIANTS,
} from "./options.ts";
export { type CodeSwitchCliOptions, runCodeSwitch } from "./run.ts";
export { type CodeSwitchStats, emptyCounters } from "./stats.ts";
export { codeSwitchRecords, switchRecord } from "./switch.ts";
export { translateTest, type TranslateTestOptions } from "./translate.ts";
