/**
 * The whole experiment as one resumable pipeline: {@linkcode reproduce} plans
 * the stage graph of a profile and config ({@linkcode planRun}) and runs its
 * `report` stage, which pulls every other stage through the stage cache, so a
 * rerun after an interruption starts at the first unfinished stage and a
 * finished run is reproduced from the cache. {@linkcode resolveConfig} holds
 * every default, shared by `reproduce`, `plan` and `stage`.
 *
 * @module
 */

import { join } from "node:path";
import { type FetchOptions, resolveCacheDir } from "../../datasets/mod.ts";
import { DEFAULT_PROFILE, type Profile, type Scale } from "../profiles/mod.ts";
import { TRAIN_DEFAULTS } from "../ranker/mod.ts";
import type { Lang } from "../util/mod.ts";
import type { SeedChoice } from "../report/mod.ts";
import { Runner } from "./runner.ts";
import type { RunConfig } from "./stage.ts";
import { harnessVersion } from "./report_stage.ts";
import { planRun, stageIds } from "./stages.ts";

/**
 * Defaults of a run, defined once for `reproduce`, `plan` and `stage`.
 *
 * @example
 * ```ts
 * RUN_DEFAULTS.profile;
 * ```
 */
export const RUN_DEFAULTS = {
  /** Profile name. */
  profile: DEFAULT_PROFILE,
  /** Worker threads for code-switching and training (outputs do not depend on it). */
  workers: TRAIN_DEFAULTS.workers,
  /** Seeds of a `--quick` run. */
  quickSeeds: [1],
  /** Seed combination in the tables. */
  seedChoice: "mean" as SeedChoice,
} as const;

/**
 * What a run is asked for; everything but the profile has a default.
 *
 * @example
 * ```ts
 * declare const runRequest: RunRequest;
 * runRequest.profile;
 * ```
 */
export interface RunRequest extends FetchOptions {
  /** The experiment. */
  profile: Profile;
  /** Scale (default the profile's `full`). */
  scale?: Scale;
  /** Training seeds (default the profile's; {@linkcode RUN_DEFAULTS}.quickSeeds at the quick scale). */
  seeds?: number[];
  /** Result version directory (default `results/<profile>/v<version>[-quick]`). */
  resultsDir?: string;
  /** Seed combination in the tables (default the mean over seeds). */
  seedChoice?: SeedChoice;
  /** Code-switching ratio (default the profile's). */
  p?: number;
  /** Worker threads for code-switching and training (default {@linkcode RUN_DEFAULTS}.workers). */
  workers?: number;
  /** Parallel-titles files for the title lexicons, by language. */
  wikititles?: ReadonlyMap<Lang, string>;
}

/**
 * Fills in every default of a run.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const config = await resolveConfig({ profile, scale: profile.scales.quick, cacheDir: "/tmp/c" });
 * config.seeds; // [1]
 * ```
 */
export async function resolveConfig(req: RunRequest): Promise<RunConfig> {
  const { profile } = req;
  const scale = req.scale ?? profile.scales.full;
  const version = await harnessVersion();
  return {
    profile,
    scale,
    seeds: req.seeds ?? (scale.name === "quick" ? [...RUN_DEFAULTS.quickSeeds] : profile.seeds),
    p: req.p ?? profile.p,
    workers: req.workers ?? RUN_DEFAULTS.workers,
    seedChoice: req.seedChoice ?? RUN_DEFAULTS.seedChoice,
    resultsDir: req.resultsDir ??
      join("results", profile.name, scale.name === "full" ? `v${version}` : `v${version}-quick`),
    wikititles: req.wikititles,
    fetch: {
      mirror: req.mirror,
      offline: req.offline,
      lockFile: req.lockFile,
      progress: req.progress,
      retries: req.retries,
      cacheDir: resolveCacheDir(req.cacheDir),
    },
  };
}

/**
 * Options of {@linkcode reproduce}.
 *
 * @example
 * ```ts
 * declare const reproduceOptions: ReproduceOptions;
 * reproduceOptions.log;
 * ```
 */
export interface ReproduceOptions extends RunRequest {
  /** Receives one line per stage. */
  log?: (line: string) => void;
}

/**
 * What {@linkcode reproduce} produced.
 *
 * @example
 * ```ts
 * declare const reproduceResult: ReproduceResult;
 * reproduceResult.dir;
 * ```
 */
export interface ReproduceResult {
  /** The result version directory. */
  dir: string;
  /** The main table as Markdown. */
  mainTable: string;
}

/**
 * Runs the experiment of a profile end to end and writes a result version.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const { dir, mainTable } = await reproduce({
 *   profile,
 *   scale: profile.scales.quick,
 *   mirror: "../shared/mirror",
 *   offline: true,
 * });
 * console.log(dir, mainTable);
 * ```
 */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceResult> {
  const config = await resolveConfig(opts);
  await new Runner(planRun(config), opts.log).output(stageIds.report);
  return {
    dir: config.resultsDir,
    mainTable: await Deno.readTextFile(join(config.resultsDir, "main.md")),
  };
}
