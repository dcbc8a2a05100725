/**
 * The executor commands: `reproduce` on the local machine or on Slurm,
 * `stage` for one stage or one shard of the graph, and `status`.
 *
 * @module
 */

import { join, resolve } from "node:path";
import {
  checkResultsWritable,
  type Plan,
  planFromOptions,
  runArgs,
  type RunCliOptions,
  Runner,
  runReproduce,
  runStage,
  stageIds,
} from "../pipeline/mod.ts";
import { OptionError, parseIntOption } from "../util/mod.ts";
import { runPool, serveStages } from "./pool.ts";
import { parseShard, shardStages } from "./waves.ts";
import { checkSlurm, jobStates, SlurmError, slurmRuns, submitSlurm, waitSlurm } from "./slurm.ts";
import { formatStatus, stageDone, stageStates } from "./status.ts";

/**
 * Options of `reproduce` with an executor.
 *
 * @example
 * ```ts
 * const o: ExecutorCliOptions = { quick: true, executor: "slurm", sbatchArg: ["--time=1:00:00"], wait: true };
 * ```
 */
export interface ExecutorCliOptions extends RunCliOptions {
  /** `local` (default) or `slurm`. */
  executor?: string;
  /** Slurm partition. */
  partition?: string;
  /** Extra sbatch arguments, each as one word. */
  sbatchArg?: string[];
  /** Block until the result version is written. */
  wait?: boolean;
  /** Local job processes (`--jobs`). */
  jobs?: string;
}

/**
 * Options of `stage`.
 *
 * @example
 * ```ts
 * const o: StageCliOptions = { quick: true, shard: "auto/4" };
 * ```
 */
export interface StageCliOptions extends RunCliOptions {
  /** `i/N`, `auto/N` or `auto` (see {@linkcode parseShard}). */
  shard?: string;
  /** Serve a local job pool: stage ids from stdin, one reply line each on stdout. */
  serve?: boolean;
}

const log = (line: string) => console.error(line);

/**
 * Job processes of a local run by default: one per core, at most 4 (each
 * holds the evaluation sets and a model in training, about 1 GB).
 *
 * @example
 * ```ts
 * defaultJobs(); // 2 on a 2-core machine
 * ```
 */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency ?? 1));
}

/**
 * The stages finished in the cache, so that a resubmission runs only the
 * rest. On a cache without the lexicons nothing that reads them can be
 * finished, and their keys would need them built: all are taken as pending,
 * so `runner` builds nothing (a job pool passes its own, whose keys the report
 * then reuses).
 */
async function doneStages(
  plan: Plan,
  runner = new Runner(plan, log, { readOnly: true }),
): Promise<Set<string>> {
  const done = new Set<string>();
  if (!await stageDone(runner, stageIds.lexicons)) return done;
  for (const [id, s] of plan.stages) {
    if (s.cache && await stageDone(runner, id)) done.add(id);
  }
  return done;
}

/**
 * The `reproduce` command on an executor: `local` runs the pipeline here;
 * `slurm` submits it as job arrays and returns the job ids, or with `wait`
 * blocks until the report job has written the result version.
 *
 * @example
 * ```ts
 * console.log(await runReproduceOn({ quick: true, executor: "slurm", wait: true, offline: true }));
 * ```
 */
export async function runReproduceOn(o: ExecutorCliOptions): Promise<string> {
  const executor = o.executor ?? "local";
  if (executor !== "local" && executor !== "slurm") {
    throw new OptionError("--executor", "local or slurm", executor);
  }
  if (executor === "local") {
    const slurmOnly: [string, boolean][] = [
      ["--partition", o.partition !== undefined],
      ["--sbatch-arg", (o.sbatchArg ?? []).length > 0],
      ["--wait", o.wait === true],
    ];
    for (const [flag, given] of slurmOnly) {
      if (given) throw new OptionError(flag, "--executor slurm alongside it", "local");
    }
    const jobs = parseIntOption("--jobs", o.jobs, { min: 1, max: 64 }) ?? defaultJobs();
    if (jobs === 1) return await runReproduce(o);
    return await runReproduce(o, async (plan, runner) => {
      const done = await doneStages(plan, runner);
      await runPool(plan, runner, done, { jobs, args: runArgs(o, plan.config) });
    });
  }
  if (o.jobs !== undefined) {
    throw new OptionError("--jobs", "--executor local alongside it", "slurm");
  }
  await checkSlurm();
  const plan = await planFromOptions(o);
  await checkResultsWritable(plan.config.resultsDir);
  const run = await submitSlurm(plan, runArgs(o, plan.config), {
    partition: o.partition,
    sbatchArgs: o.sbatchArg,
    done: await doneStages(plan),
  });
  const lines = [
    `slurm run ${run.id}: ${
      run.waves.reduce((n, w) => n + w.stages.length, 0)
    } stage(s) to run in ${run.waves.length} job array(s)`,
    ...run.waves.map((w, k) => `  wave ${k}: job ${w.job} (${w.stages.length} tasks)`),
    `  report: job ${run.report.job} -> ${run.resultsDir}`,
    `scripts and logs in ${run.dir}`,
  ];
  if (!o.wait) return lines.join("\n") + "\n";
  console.error(lines.join("\n"));
  // Progress from Slurm's task states alone (cheap, no cache reads here), when they change.
  let shown = "";
  const progress = Deno.stderr.isTerminal()
    ? async () => {
      const counts = new Map<string, number>();
      for (const job of [...run.waves, run.report]) {
        for (const { state } of (await jobStates(job.job)).values()) {
          counts.set(state, (counts.get(state) ?? 0) + 1);
        }
      }
      const line = `slurm tasks: ${
        [...counts].sort().map(([s, n]) => `${n} ${s.toLowerCase()}`).join(", ")
      }`;
      if (line !== shown) log(shown = line);
    }
    : undefined;
  if (!await waitSlurm(run, progress)) {
    const rows = await stageStates(plan, new Runner(plan, () => {}, { readOnly: true }), run);
    const failed = rows.filter((r) => r.state === "failed");
    throw new SlurmError(
      `slurm run ${run.id} did not write ${run.resultsDir}: ` +
        (failed.length > 0
          ? `${failed.length} failed stage(s), first ${failed[0].id} (log ${failed[0].log})`
          : "its report job ended without completing") +
        "; `deno task status` with the same options shows every stage",
    );
  }
  const mainTable = await Deno.readTextFile(join(run.resultsDir, "main.md"));
  return `${mainTable}\nresults written to ${run.resultsDir}\n`;
}

/**
 * The `stage` command: one stage by id, or with `shard` the i-th of N
 * deterministic slices of the graph ({@linkcode shardStages}).
 *
 * @example
 * ```ts
 * console.log(await runStageOrShard(undefined, { quick: true, shard: "0/2", offline: true }));
 * ```
 */
export async function runStageOrShard(
  id: string | undefined,
  o: StageCliOptions,
): Promise<string> {
  if (o.serve) {
    if (id !== undefined || o.shard !== undefined) {
      throw new OptionError("--serve", "neither a stage id nor --shard alongside", id ?? o.shard);
    }
    await serveStages(new Runner(await planFromOptions(o), log));
    return "";
  }
  if (o.shard === undefined) {
    if (id === undefined) throw new OptionError("<id>", "a stage id, or --shard i/N", "");
    return await runStage(id, o);
  }
  if (id !== undefined) throw new OptionError("--shard", "no stage id alongside", id);
  const shard = parseShard(o.shard);
  const plan = await planFromOptions(o);
  const runner = new Runner(plan, log);
  const ids = shardStages(plan, shard);
  let built = 0;
  for (const s of ids) {
    if (!(await runner.output(s)).cached) built++;
  }
  runner.finish();
  return `shard ${shard.index}/${shard.count}: ${ids.length} stages, ${built} run, ` +
    `${ids.length - built} cached\n`;
}

/**
 * The `status` command: every stage of a run as done, running, failed or
 * pending, from the cache, the stage locks and the latest Slurm run writing
 * the same result version.
 *
 * @example
 * ```ts
 * console.log(await runStatus({ quick: true, offline: true }));
 * ```
 */
export async function runStatus(o: RunCliOptions): Promise<string> {
  const plan = await planFromOptions(o);
  const { config } = plan;
  const run = (await slurmRuns(config.fetch.cacheDir, resolve(config.resultsDir))).at(-1);
  const rows = await stageStates(plan, new Runner(plan, log, { readOnly: true }), run);
  const header =
    `status: profile ${config.profile.name}, scale ${config.scale.name}, seeds ${
      config.seeds.join(",")
    }, cache ${config.fetch.cacheDir}` +
    (run
      ? `\nslurm run ${run.id}: jobs ${
        run.waves.map((w) => w.job).join(" ")
      }, report ${run.report.job}, logs ${run.dir}/logs`
      : "\nno slurm run writes this result version");
  return formatStatus(rows, header);
}
