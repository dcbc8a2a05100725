/**
 * A stage as a value: its id, the stages and config keys it reads, its content
 * key and its run function. The planner builds a graph of these for a profile
 * and config; the runner executes any of them through the one stage cache.
 *
 * @module
 */

import type { FetchOptions } from "../../datasets/mod.ts";
import type { Lang } from "../util/mod.ts";
import type { Profile, Scale } from "../profiles/mod.ts";
import type { SeedChoice } from "../report.ts";

/**
 * Everything a run is configured by; stages declare which keys they read.
 *
 * @example
 * ```ts
 * declare const runConfig: RunConfig;
 * runConfig.profile;
 * ```
 */
export interface RunConfig {
  /** The experiment. */
  profile: Profile;
  /** The profile's scale to run. */
  scale: Scale;
  /** Training seeds. */
  seeds: number[];
  /** Code-switching ratio of BL-CS and ML-CS. */
  p: number;
  /** Worker threads for code-switching and training (outputs do not depend on it). */
  workers: number;
  /** Seed combination in the tables. */
  seedChoice: SeedChoice;
  /** Result version directory. */
  resultsDir: string;
  /** Parallel-titles files for the title lexicons, by language. */
  wikititles?: ReadonlyMap<Lang, string>;
  /** Download options; `cacheDir` is resolved. */
  fetch: FetchOptions & { cacheDir: string };
}

/**
 * A config key a stage reads.
 *
 * @example
 * ```ts
 * declare const configKey: ConfigKey;
 * ```
 */
export type ConfigKey = keyof RunConfig;

/**
 * What a stage produced.
 *
 * @example
 * ```ts
 * declare const stageOutput: StageOutput;
 * stageOutput.id;
 * ```
 */
export interface StageOutput<V = unknown> {
  /** The stage's id. */
  id: string;
  /** Its output directory; cached stages only. */
  dir?: string;
  /** Its content key; cached stages only. */
  key?: unknown;
  /** Its value: `stage.json`'s for cached stages, an in-memory value otherwise. */
  value: V;
  /** Whether the output came from the cache. */
  cached: boolean;
}

/**
 * How a stage reads its dependencies.
 *
 * @example
 * ```ts
 * declare const stageInputs: StageInputs;
 * stageInputs.config;
 * ```
 */
export interface StageInputs {
  /** The run's config. */
  config: RunConfig;
  /** The output of a dependency (runs it, or reads it from the cache, once per run). */
  output<V>(id: string): Promise<StageOutput<V>>;
  /** The content key of a cached dependency, without running it. */
  key(id: string): Promise<unknown>;
  /** Receives progress lines (stderr in the CLI). */
  log(line: string): void;
  /** Wall-clock seconds spent so far per stage kind (the id's first component). */
  timings(): Record<string, number>;
}

/**
 * One stage of the pipeline. A stage with a `cache` name is a cached stage: its
 * outputs live in `<cache>/stages/<cache>/<keyHash(key)>/` and it runs only when
 * that directory is missing. A stage without one holds its output in memory
 * (loaded data, the report) and runs once per process.
 *
 * @example
 * ```ts
 * declare const stage: Stage;
 * stage.id;
 * ```
 */
export interface Stage<V = unknown> {
  /** Readable, stable id, e.g. `model/bl-cs/en-de/seed1`. */
  id: string;
  /** Stage-cache namespace (`trainset`, `codeswitch`, `model`, …); none for in-memory stages. */
  cache?: string;
  /** Ids of the stages whose outputs it reads. */
  deps: readonly string[];
  /** Config keys it reads. */
  config: readonly ConfigKey[];
  /** Its content key (cached stages): everything its output depends on. */
  key?(inputs: StageInputs): Promise<unknown>;
  /** Runs it; `dir` is the (temporary) output directory of a cached stage. */
  run(inputs: StageInputs, dir: string): Promise<V>;
}

/**
 * The stage graph of one run, in execution order (dependencies first).
 *
 * @example
 * ```ts
 * declare const plan: Plan;
 * plan.config;
 * ```
 */
export interface Plan {
  /** The run's config. */
  config: RunConfig;
  /** Stages by id, in execution order. */
  stages: ReadonlyMap<string, Stage>;
}
