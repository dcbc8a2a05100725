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

import { dirname, join, resolve } from "node:path";
import { type FetchOptions, resolveCacheDir } from "../../datasets/mod.ts";
import { DEFAULT_PROFILE, type Profile, type Scale } from "../profiles/mod.ts";
import { TRAIN_DEFAULTS } from "../ranker/mod.ts";
import { keyHash, type Lang, onPath, tempName } from "../util/mod.ts";
import { REPORT_DEFAULTS, type SeedChoice } from "../report/mod.ts";
import type { Correction } from "../stats/mod.ts";
import { type CrossEncoderTrainer, trainerKey } from "../trainer/mod.ts";
import { Runner } from "./runner.ts";
import type { Plan, RunConfig } from "./stage.ts";
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
  seedChoice: REPORT_DEFAULTS.seedChoice,
  /** Multiple-testing correction within each family. */
  correction: REPORT_DEFAULTS.correction,
  /** Equivalence margin (0-1 scale). */
  margin: REPORT_DEFAULTS.margin,
  /**
   * The rankers' BM25 feature: off, decided on MLQA-R dev (`deno task dev`: Zero-shot with the
   * prior and without it beats BM25 on English MoIR). The `train` command's own default
   * (`DEFAULT_CONFIG.bm25`) stays on, so the keys of models trained with it stay valid.
   */
  bm25Feature: false,
  /** Models start from the cross-lingual prior. */
  prior: true,
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
  /**
   * Result version directory (default `results/<profile>/v<version>[-quick][+<tag>]`,
   * see {@linkcode configTag}).
   */
  resultsDir?: string;
  /** Seed combination in the tables (default the mean over seeds). */
  seedChoice?: SeedChoice;
  /** Correction within each family of the report (default {@linkcode RUN_DEFAULTS}.correction). */
  correction?: Correction;
  /** Equivalence margin on the measure's 0-1 scale (default {@linkcode RUN_DEFAULTS}.margin). */
  margin?: number;
  /** Whether the rankers get the BM25 feature (default {@linkcode RUN_DEFAULTS}.bm25Feature). */
  bm25Feature?: boolean;
  /** Whether models start from the cross-lingual prior (default {@linkcode RUN_DEFAULTS}.prior). */
  prior?: boolean;
  /** Code-switching ratio (default the profile's). */
  p?: number;
  /** Worker threads for code-switching and training (default {@linkcode RUN_DEFAULTS}.workers). */
  workers?: number;
  /** Parallel-titles files for the title lexicons, by language. */
  wikititles?: ReadonlyMap<Lang, string>;
  /** A transformer cross-encoder trainer (default: the built-in KNRM). */
  trainer?: CrossEncoderTrainer;
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
  const seeds = req.seeds ?? defaultSeeds(profile, scale);
  const p = req.p ?? profile.p;
  const seedChoice = req.seedChoice ?? RUN_DEFAULTS.seedChoice;
  const correction = req.correction ?? RUN_DEFAULTS.correction;
  const margin = req.margin ?? RUN_DEFAULTS.margin;
  const bm25Feature = req.bm25Feature ?? RUN_DEFAULTS.bm25Feature;
  const prior = req.prior ?? RUN_DEFAULTS.prior;
  const tag = configTag({
    profile,
    scale,
    seeds,
    p,
    seedChoice,
    correction,
    margin,
    bm25Feature,
    prior,
    wikititles: req.wikititles,
    trainer: req.trainer &&
      { kind: req.trainer.kind, hash: keyHash(await trainerKey(req.trainer)) },
  });
  return {
    profile,
    scale,
    seeds,
    p,
    workers: req.workers ?? RUN_DEFAULTS.workers,
    seedChoice,
    correction,
    margin,
    bm25Feature,
    prior,
    resultsDir: req.resultsDir ??
      join(
        "results",
        profile.name,
        `v${version}${scale.name === "full" ? "" : "-quick"}${tag ? `+${tag}` : ""}`,
      ),
    configTag: tag,
    wikititles: req.wikititles,
    ...(req.trainer ? { trainer: req.trainer } : {}),
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

function defaultSeeds(profile: Profile, scale: Scale): number[] {
  return scale.name === "quick" ? [...RUN_DEFAULTS.quickSeeds] : profile.seeds;
}

/**
 * What tells a run's configuration from its scale's default: every option
 * that changes results (not `workers`, not where files are read from).
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const tagged: TaggedConfig = { profile, scale: profile.scales.full, seeds: [1], p: profile.p, seedChoice: "mean" };
 * ```
 */
export type TaggedConfig =
  & Pick<RunConfig, "profile" | "scale" | "seeds" | "p" | "seedChoice">
  & Partial<Pick<RunConfig, "correction" | "margin" | "bm25Feature" | "prior">>
  & {
    /** Parallel-titles files for the title lexicons, by language. */
    wikititles?: ReadonlyMap<Lang, string>;
    /** A transformer trainer's kind and the hash of its key (`trainerKey`). */
    trainer?: { kind: CrossEncoderTrainer["kind"]; hash: string };
  };

/**
 * A short readable tag of how a configuration differs from its scale's
 * default, "" for the default: `cands<N>` (candidate depth), `train<N>` (training set size), `seeds<N>` (seeds 1..N) or `seeds<a_b>`,
 * `p<ratio>`, `best` (best-of-seeds tables), `bonferroni`, `margin<points>`
 * (the TOST margin × 100), `nobm25` (rankers without the BM25 feature), `noprior` (rankers
 * without the cross-lingual prior), `titles<6 hex>` (a hash of the wikititles files, by language
 * and path), `torch<6 hex>` or `cmd<6 hex>` (a transformer trainer: a hash of its key, which holds
 * the base model and hyper-parameters), joined by `-`. The result version
 * of a tagged run is `v<version>[-quick]+<tag>`, so it never replaces the
 * default's.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const base = { profile, scale: profile.scales.full, seeds: profile.seeds, p: profile.p };
 * configTag({ ...base, seedChoice: "mean" }); // ""
 * configTag({ ...base, seeds: [1], seedChoice: "best" }); // "seeds1-best"
 * ```
 */
export function configTag(c: TaggedConfig): string {
  const parts: string[] = [];
  // Scales are the profile's; candidate depth and training set size are the scale options.
  if (c.scale.candidates !== c.profile.scales[c.scale.name].candidates) {
    parts.push(`cands${c.scale.candidates}`);
  }
  if (c.scale.trainSize !== c.profile.scales[c.scale.name].trainSize) {
    parts.push(`train${c.scale.trainSize}`);
  }
  const seeds = defaultSeeds(c.profile, c.scale);
  if (c.seeds.join(",") !== seeds.join(",")) {
    const oneToN = c.seeds.every((s, i) => s === i + 1);
    parts.push(`seeds${oneToN ? c.seeds.length : c.seeds.join("_")}`);
  }
  if (c.p !== c.profile.p) parts.push(`p${c.p}`);
  if (c.seedChoice !== RUN_DEFAULTS.seedChoice) parts.push(c.seedChoice);
  if ((c.correction ?? RUN_DEFAULTS.correction) !== RUN_DEFAULTS.correction) {
    parts.push(c.correction!);
  }
  if ((c.bm25Feature ?? RUN_DEFAULTS.bm25Feature) !== RUN_DEFAULTS.bm25Feature) {
    parts.push(c.bm25Feature ? "bm25" : "nobm25");
  }
  if ((c.prior ?? RUN_DEFAULTS.prior) !== RUN_DEFAULTS.prior) {
    parts.push(c.prior ? "prior" : "noprior");
  }
  if ((c.margin ?? RUN_DEFAULTS.margin) !== RUN_DEFAULTS.margin) {
    parts.push(`margin${Number((c.margin! * 100).toFixed(6))}`);
  }
  if (c.wikititles && c.wikititles.size > 0) {
    parts.push(`titles${keyHash([...c.wikititles].sort()).slice(0, 6)}`);
  }
  if (c.trainer) {
    parts.push(`${c.trainer.kind === "torch" ? "torch" : "cmd"}${c.trainer.hash.slice(0, 6)}`);
  }
  return parts.join("-");
}

/**
 * Fails with one line, before any work, when `resultsDir` could not be
 * written: creates and removes a probe file in its parent (created if missing).
 *
 * @example
 * ```ts
 * await checkResultsWritable("results/xquad-r/v0.3.0-quick");
 * ```
 */
export async function checkResultsWritable(resultsDir: string): Promise<void> {
  const parent = dirname(resolve(resultsDir));
  await onPath(parent, async () => {
    await Deno.mkdir(parent, { recursive: true });
    const probe = tempName(join(parent, ".write-probe"));
    (await Deno.open(probe, { createNew: true, write: true })).close();
    await Deno.remove(probe);
  });
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
  /**
   * Runs the plan's stages before the report, recording their times in
   * `runner` (e.g. a local job pool); by default the report pulls every stage
   * through `runner` in this process.
   */
  execute?: (plan: Plan, runner: Runner) => Promise<void>;
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
  await checkResultsWritable(config.resultsDir);
  const plan = planRun(config);
  const runner = new Runner(plan, opts.log);
  await opts.execute?.(plan, runner);
  await runner.output(stageIds.report);
  runner.finish();
  return {
    dir: config.resultsDir,
    mainTable: await Deno.readTextFile(join(config.resultsDir, "main.md")),
  };
}
