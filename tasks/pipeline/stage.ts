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
import type { SeedChoice } from "../report/mod.ts";
import type { Correction } from "../stats/mod.ts";
import type { CrossEncoderTrainer } from "../trainer/mod.ts";

/**
 * Everything a run is configured by; stages declare which keys they read.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const config: RunConfig = {
 *   profile,
 *   scale: profile.scales.quick,
 *   seeds: [1],
 *   p: 0.5,
 *   workers: 2,
 *   seedChoice: "mean",
 *   correction: "holm",
 *   bm25Feature: true,
 *   prior: true,
 *   margin: 0.01,
 *   resultsDir: "/tmp/quick",
 *   fetch: { cacheDir: "/tmp/cache", mirror: "../shared/mirror", offline: true },
 * };
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
  /** Multiple-testing correction within each family of the report. */
  correction: Correction;
  /** Whether the rankers get the BM25 feature (the paper's cross-encoder has none). */
  bm25Feature: boolean;
  /** Whether every model starts from the cross-lingual prior (the `prior` stage). */
  prior: boolean;
  /** Equivalence margin of the report's TOST claims, on the measure's 0-1 scale. */
  margin: number;
  /** Result version directory. */
  resultsDir: string;
  /** How the configuration differs from its scale's default (`configTag`); "" or absent for the default. */
  configTag?: string;
  /** Parallel-titles files for the title lexicons, by language. */
  wikititles?: ReadonlyMap<Lang, string>;
  /** The transformer cross-encoder trainer; absent for the built-in KNRM. */
  trainer?: CrossEncoderTrainer;
  /** Download options; `cacheDir` is resolved. */
  fetch: FetchOptions & { cacheDir: string };
}

/**
 * A config key a stage reads.
 *
 * @example
 * ```ts
 * const reads: ConfigKey[] = ["profile", "scale", "fetch"];
 * ```
 */
export type ConfigKey = keyof RunConfig;

/**
 * What a stage produced.
 *
 * @example
 * ```ts
 * declare const inputs: StageInputs;
 * const train: StageOutput = await inputs.output("trainset");
 * if (train.cached) console.log(`${train.id} read from ${train.dir}`);
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
 * declare const inputs: StageInputs;
 * const trainKey = await inputs.key("trainset"); // keys a dependent stage without running it
 * inputs.log(`trainset key ${JSON.stringify(trainKey)}`);
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
  /** Wall-clock seconds spent so far (what `timings.json` holds). */
  timings(): RunTimings;
  /** Records where the time of stage `id` went, by phase (a model's training phases). */
  phases(id: string, seconds: Record<string, number>): void;
}

/**
 * Wall-clock seconds of the stages this run built or ran (0.1 s resolution;
 * phases 0.01 s). Stages read from the cache are absent (0 in no field); the
 * report stage, which writes these, is absent too. With a job pool
 * (`reproduce --jobs`) stages overlap, so kinds and stages add up to more than
 * `wall`.
 *
 * @example
 * ```ts
 * declare const runTimings: RunTimings;
 * runTimings.kinds.model; // all models trained in this run
 * runTimings.stages["model/zero-shot/seed1"];
 * ```
 */
export interface RunTimings {
  /** Seconds since the run's runner was made (the whole run up to the report). */
  wall: number;
  /** Seconds per stage kind (the id's first component), summed over its stages. */
  kinds: Record<string, number>;
  /**
   * Wall seconds per seed (`seed1`, …): from its first stage's start (or the
   * previous seed's end, when later) to its last stage's end.
   */
  seeds: Record<string, number>;
  /** Seconds per stage id. */
  stages: Record<string, number>;
  /** Seconds per phase of the stages that report them (e.g. a model's read, tokenise, bm25, train, save). */
  phases: Record<string, Record<string, number>>;
}

/**
 * One stage of the pipeline. A stage with a `cache` name is a cached stage: its
 * outputs live in `<cache>/stages/<cache>/<keyHash(key)>/` and it runs only when
 * that directory is missing. A stage without one holds its output in memory
 * (loaded data, the report) and runs once per process.
 *
 * @example
 * ```ts
 * import { join } from "node:path";
 * const stage: Stage<{ lines: number }> = {
 *   id: "wordcount",
 *   cache: "wordcount",
 *   deps: ["trainset"],
 *   config: [],
 *   key: async (inp) => ({ v: 1, train: await inp.key("trainset") }),
 *   async run(inp, dir) {
 *     const train = await inp.output("trainset");
 *     const text = await Deno.readTextFile(join(train.dir!, "train.jsonl"));
 *     await Deno.writeTextFile(join(dir, "count.txt"), `${text.split("\n").length}\n`);
 *     return { lines: text.split("\n").length };
 *   },
 * };
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
 * import { planRun } from "./stages.ts";
 * declare const config: RunConfig;
 * const plan: Plan = planRun(config);
 * [...plan.stages.keys()].at(-1); // "report": dependencies come first
 * ```
 */
export interface Plan {
  /** The run's config. */
  config: RunConfig;
  /** Stages by id, in execution order. */
  stages: ReadonlyMap<string, Stage>;
}
