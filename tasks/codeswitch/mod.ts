/**
 * TODO
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
