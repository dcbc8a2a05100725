/**
 * The pipeline's commands: `reproduce` (run everything), `plan` (print the
 * stage graph and what is cached) and `stage <id>` (run one stage and what it
 * needs). All three take the same options and share one set of defaults.
 *
 * @module
 */

import { resolve } from "node:path";
import { parseWikititles } from "../profile_lexicons/mod.ts";
import { getProfile } from "../profiles/mod.ts";
import { OptionError, parseIntOption, parseNumberOption } from "../util/mod.ts";
import {
  reproduce,
  type ReproduceOptions,
  resolveConfig,
  RUN_DEFAULTS,
  type RunRequest,
} from "./reproduce.ts";
import { Runner } from "./runner.ts";
import type { Plan, RunConfig } from "./stage.ts";
import type { Correction } from "../stats/mod.ts";
import {
  checkBaseModel,
  checkTorch,
  parseTrainer,
  type TrainerCliOptions,
} from "../trainer/mod.ts";
import { planRun } from "./stages.ts";
import { runDev } from "./dev.ts";
import { join } from "node:path";

/**
 * Options of `reproduce`, `plan` and `stage`, as parsed.
 *
 * @example
 * ```ts
 * declare const runCliOptions: RunCliOptions;
 * runCliOptions.profile;
 * ```
 */
export interface RunCliOptions extends TrainerCliOptions {
  /** Profile name. */
  profile?: string;
  /** Run the profile's quick scale. */
  quick?: boolean;
  /** Number of seeds (1..N). */
  seeds?: string;
  /** Use the best seed per cell, as the paper's released script. */
  bestOfSeeds?: boolean;
  /** Code-switching ratio. */
  p?: string;
  /** `holm` or `bonferroni`. */
  correction?: string;
  /** Equivalence margin in points of the measure × 100. */
  margin?: string;
  /** True with `--bm25-feature`, false with `--no-bm25-feature`. */
  bm25Feature?: boolean;
  /** False with `--no-prior`. */
  prior?: boolean;
  /** Candidate depth per query, in the profile's unit (BM25 paragraphs, top1000 depth). */
  candidates?: string;
  /** Training set size in the profile's unit (SQuAD questions, MS MARCO triples). */
  trainSize?: string;
  /** Worker threads. */
  workers?: string;
  /** Result version directory. */
  resultsDir?: string;
  /** Mirror folder. */
  mirror?: string;
  /** Never use the network. */
  offline?: boolean;
  /** Cache directory. */
  cacheDir?: string;
  /** `lang=file` parallel-titles files. */
  wikititles?: string[];
}

/** Validates the options into a run request (one line naming the option on bad input). */
async function toRequest(o: RunCliOptions): Promise<RunRequest> {
  const profile = getProfile(o.profile ?? RUN_DEFAULTS.profile);
  const nSeeds = parseIntOption("--seeds", o.seeds, { min: 1, max: 100 });
  const marginPoints = parseNumberOption("--margin", o.margin, { above: 0, max: 100 });
  const scale = profile.scales[o.quick ? "quick" : "full"];
  const candidates = parseIntOption("--candidates", o.candidates, { min: 1, max: 10_000 });
  const trainSize = parseIntOption("--train-size", o.trainSize, { min: 1 });
  const trainer = parseTrainer(o, o.quick ?? false);
  if (trainer && o.bm25Feature === false) {
    throw new OptionError("--no-bm25-feature", "only with --trainer knrm", true);
  }
  // A missing torch or an unusable base model is reported before any work.
  if (trainer?.kind === "torch") await checkTorch(trainer.command[0]);
  if (trainer) await checkBaseModel(trainer);
  return {
    trainer,
    profile,
    scale: {
      ...scale,
      ...(candidates === undefined ? {} : { candidates }),
      ...(trainSize === undefined ? {} : { trainSize }),
    },
    seeds: nSeeds === undefined ? undefined : Array.from({ length: nSeeds }, (_, i) => i + 1),
    p: parseNumberOption("--p", o.p, { min: 0, max: 1 }),
    seedChoice: o.bestOfSeeds ? "best" : undefined,
    correction: parseCorrection(o.correction),
    margin: marginPoints === undefined ? undefined : marginPoints / 100,
    bm25Feature: o.bm25Feature,
    prior: o.prior,
    workers: parseIntOption("--workers", o.workers, { min: 1, max: 2 }),
    wikititles: await parseWikititles(o.wikititles ?? [], profile),
    resultsDir: o.resultsDir,
    mirror: o.mirror,
    offline: o.offline,
    cacheDir: o.cacheDir,
  };
}

function parseCorrection(value: string | undefined): Correction | undefined {
  if (value === undefined || value === "holm" || value === "bonferroni") return value;
  throw new OptionError("--correction", "holm or bonferroni", value);
}

const log = (line: string) => console.error(line);

/**
 * The run options as command-line arguments that plan the same run from any
 * working directory: paths absolute, the cache and result directories
 * explicit (as `config` resolved them). Other hosts and processes, e.g. the
 * array tasks of a Slurm run, get these.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./reproduce.ts";
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const config = await resolveConfig({ profile, scale: profile.scales.quick, cacheDir: "/tmp/c" });
 * runArgs({ quick: true, seeds: "1" }, config);
 * // ["--quick", "--seeds", "1", "--cache-dir", "/tmp/c", "--results-dir", "<abs>/results/..."]
 * ```
 */
export function runArgs(o: RunCliOptions, config: RunConfig): string[] {
  const args: string[] = [];
  const value = (flag: string, v: string | undefined) => {
    if (v !== undefined) args.push(flag, v);
  };
  value("--profile", o.profile);
  if (o.quick) args.push("--quick");
  value("--seeds", o.seeds);
  if (o.bestOfSeeds) args.push("--best-of-seeds");
  value("--p", o.p);
  value("--correction", o.correction);
  value("--margin", o.margin);
  if (o.bm25Feature !== undefined) {
    args.push(o.bm25Feature ? "--bm25-feature" : "--no-bm25-feature");
  }
  if (o.prior === false) args.push("--no-prior");
  value("--candidates", o.candidates);
  value("--train-size", o.trainSize);
  value("--trainer", o.trainer);
  value("--base-model", o.baseModel === undefined ? undefined : resolve(o.baseModel));
  value("--python", o.python);
  value("--device", o.device);
  value("--steps", o.steps);
  value("--warmup", o.warmup);
  value("--trainer-batch", o.trainerBatch);
  value("--trainer-lr", o.trainerLr);
  value("--max-length", o.maxLength);
  value("--trainer-threads", o.trainerThreads);
  value("--workers", o.workers);
  value("--mirror", o.mirror === undefined ? undefined : resolve(o.mirror));
  if (o.offline) args.push("--offline");
  if (o.wikititles && o.wikititles.length > 0) {
    args.push(
      "--wikititles",
      ...o.wikititles.map((w) => {
        const eq = w.indexOf("=");
        return `${w.slice(0, eq)}=${resolve(w.slice(eq + 1))}`;
      }),
    );
  }
  args.push("--cache-dir", config.fetch.cacheDir, "--results-dir", resolve(config.resultsDir));
  return args;
}

/**
 * The plan of a run given by its command-line options.
 *
 * @example
 * ```ts
 * const plan = await planFromOptions({ quick: true, mirror: "../shared/mirror", offline: true });
 * plan.stages.size;
 * ```
 */
export async function planFromOptions(o: RunCliOptions): Promise<Plan> {
  return planRun(await resolveConfig(await toRequest(o)));
}

/**
 * The `reproduce` command: runs the pipeline, returns the main table.
 *
 * @example
 * ```ts
 * console.log(await runReproduce({ quick: true, mirror: "../shared/mirror", offline: true }));
 * ```
 */
export async function runReproduce(
  o: RunCliOptions,
  execute?: ReproduceOptions["execute"],
): Promise<string> {
  const { dir, mainTable } = await reproduce({ ...await toRequest(o), log, execute });
  return `${mainTable}\nresults written to ${dir}\n`;
}

/**
 * Formats a plan: one line per stage in execution order with its status
 * (`cached`, `pending`, or `memory` for stages that hold data in memory and
 * run in every process), its cache directory and what it reads.
 *
 * @example
 * ```ts
 * import { Runner } from "./runner.ts";
 * import { planRun } from "./stages.ts";
 * declare const plan: ReturnType<typeof planRun>;
 * console.log(await formatPlan(new Runner(plan), plan));
 * ```
 */
export async function formatPlan(runner: Runner, plan: Plan): Promise<string> {
  const { config } = plan;
  const rows: string[][] = [];
  const counts = { cached: 0, pending: 0, memory: 0 };
  for (const [id, s] of plan.stages) {
    const status = await runner.status(id);
    counts[status]++;
    const dir = await runner.dir(id);
    const deps = s.deps.length > 4 ? `${s.deps.length} stages` : s.deps.join(" ") || "-";
    rows.push([
      status,
      id,
      dir ? `${s.cache}/${dir.split("/").at(-1)}` : "-",
      `${deps}; config: ${s.config.join(" ")}`,
    ]);
  }
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return [
    `plan: profile ${config.profile.name}, scale ${config.scale.name}, seeds ${
      config.seeds.join(",")
    }, cache ${config.fetch.cacheDir}`,
    `${plan.stages.size} stages: ${counts.cached} cached, ${counts.pending} pending, ` +
    `${counts.memory} in memory (run in every process)`,
    "",
    ["status".padEnd(w[0]), "stage".padEnd(w[1]), "cache".padEnd(w[2]), "reads"].join("  "),
    ...rows.map((r) => r.map((c, i) => i < 3 ? c.padEnd(w[i]) : c).join("  ")),
  ].join("\n") + "\n";
}

/**
 * The `plan` command: the stage graph of a run and which stages are cached.
 * Computing content keys loads the evaluation sets and lexicons (cheap once
 * their downloads are cached); no cached stage is run.
 *
 * @example
 * ```ts
 * console.log(await runPlan({ quick: true, mirror: "../shared/mirror", offline: true }));
 * ```
 */
export async function runPlan(o: RunCliOptions): Promise<string> {
  const plan = await planFromOptions(o);
  return await formatPlan(new Runner(plan, log, { readOnly: true }), plan);
}

/**
 * The `stage` command: runs one stage of the planned run and the stages it
 * needs (each read from the cache when there). Returns its id, status,
 * directory and summary value.
 *
 * @example
 * ```ts
 * console.log(await runStage("model/zero-shot/seed1", { quick: true, mirror: "../shared/mirror" }));
 * ```
 */
export async function runStage(id: string, o: RunCliOptions): Promise<string> {
  if (id.trim() === "") throw new OptionError("<id>", "a stage id such as trainset", id);
  const plan = await planFromOptions(o);
  const runner = new Runner(plan, log);
  const stage = runner.stage(id);
  const out = await runner.output(id);
  runner.finish();
  const value = stage.cache ? JSON.stringify(out.value) : "(held in memory)";
  return [
    `stage ${id}: ${out.cached ? "cached" : "ran"}`,
    ...(out.dir ? [`output ${out.dir}`] : []),
    `value ${value.length > 400 ? value.slice(0, 400) + "…" : value}`,
  ].join("\n") + "\n";
}

/**
 * The `dev` command: the development study (see `dev.ts`); returns its Markdown.
 *
 * @example
 * ```ts
 * console.log(await runDevCommand({ seeds: "1", mirror: "../shared/mirror", offline: true }));
 * ```
 */
export async function runDevCommand(o: RunCliOptions & { depths?: string }): Promise<string> {
  const depths = o.depths?.split(",").map((d) =>
    parseIntOption("--depths", d.trim(), { min: 1, max: 10_000 })!
  );
  const req = await toRequest(o);
  const report = await runDev({ ...req, depths, outDir: o.resultsDir, log });
  return `${await Deno.readTextFile(join(report.dir, "dev.md"))}\nwritten to ${report.dir}\n`;
}
