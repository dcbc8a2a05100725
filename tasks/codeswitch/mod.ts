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

export {
  codeSwitchFile,
  type CodeSwitchOptions,
  compileOptions,
  emptyCounters,
  parseInstance,
  switchRecord,
} from "./codeswitch.ts";
export { type CodeSwitchCliOptions, runCodeSwitch } from "./run.ts";
export { translateTest } from "./translate.ts";
