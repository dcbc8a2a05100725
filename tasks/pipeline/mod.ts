/**
 * The declared pipeline: stages as values ({@linkcode Stage}), the planner
 * ({@linkcode planRun}), the runner over the one stage cache
 * ({@linkcode Runner}, {@linkcode cachedStage}), and the `reproduce`, `plan`
 * and `stage` commands.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * import { planRun, resolveConfig, Runner } from "./mod.ts";
 * const profile = getProfile("xquad-r");
 * const plan = planRun(await resolveConfig({ profile, scale: profile.scales.quick }));
 * const runner = new Runner(plan);
 * await runner.status("trainset"); // "cached" or "pending"
 * ```
 *
 * @module
 */

export { cachedStage, readCachedStage, type StageResult } from "../util/mod.ts";
export {
  formatPlan,
  planFromOptions,
  runArgs,
  type RunCliOptions,
  runDevCommand,
  runPlan,
  runReproduce,
  runStage,
} from "./commands.ts";
export { DEV_DEPTHS, DEV_RANDOM_TARGET, devMarkdown, type DevReport, runDev } from "./dev.ts";
export {
  checkResultsWritable,
  configTag,
  reproduce,
  type ReproduceOptions,
  type ReproduceResult,
  resolveConfig,
  RUN_DEFAULTS,
  type RunRequest,
  type TaggedConfig,
} from "./reproduce.ts";
export { Runner, type RunnerOptions, type StageStatus } from "./runner.ts";
export type {
  ConfigKey,
  Plan,
  RunConfig,
  RunTimings,
  Stage,
  StageInputs,
  StageOutput,
} from "./stage.ts";
export { type ModelSpec, modelSpecs, planRun, stageIds } from "./stages.ts";
