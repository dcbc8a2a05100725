/**
 * The Slurm executor: hands a plan's stage graph to Slurm as job arrays, one
 * per wave of independent stages, chained with `--dependency=afterok`, and a
 * final job that runs the report. Every array task runs the single-stage
 * entry point (`main.ts stage <id>`) against the shared cache directory. The
 * scripts, the run record (`run.json`) and the task logs live in
 * `<cache>/slurm/<run id>/`. Slurm is reached only through sbatch, squeue,
 * sacct and scancel.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CommandResult,
  onPath,
  runCommand,
  slurmJobActive,
  UserError,
  writeFileAtomic,
} from "../util/mod.ts";
import { type Plan, stageIds } from "../pipeline/mod.ts";
import { planWaves } from "./waves.ts";

/** The repository the scripts run in: the one whose main.ts is running now. */
/** The repository root (where `main.ts` is), which job scripts and pool children run from. */
export const REPO: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/**
 * How runs are submitted.
 *
 * @example
 * ```ts
 * const slurmOptions: SlurmOptions = { partition: "cpu", sbatchArgs: ["--time=2:00:00"] };
 * ```
 */
export interface SlurmOptions {
  /** Partition of every job (sbatch `--partition`); default the cluster's. */
  partition?: string;
  /** Further sbatch arguments for every job, e.g. `--time=2:00:00` or `--cpus-per-task=2`. */
  sbatchArgs?: readonly string[];
  /** Stages finished in the cache: not submitted. */
  done?: ReadonlySet<string>;
}

/**
 * One submitted job: a wave's array (one task per stage) or the report job.
 *
 * @example
 * ```ts
 * const job: SlurmJob = { job: "12", stages: ["lexicons", "trainset"], log: "/c/slurm/r/logs/wave0-%a.log" };
 * ```
 */
export interface SlurmJob {
  /** Slurm job id (of the array, for a wave). */
  job: string;
  /** Stage ids; array task i runs `stages[i]`. */
  stages: string[];
  /** Log file; `%a` stands for the array task id. */
  log: string;
}

/**
 * The record of a submitted run (`<cache>/slurm/<id>/run.json`).
 *
 * @example
 * ```ts
 * declare const run: SlurmRun;
 * run.waves.map((w) => w.job); // job ids, in dependency order
 * ```
 */
export interface SlurmRun {
  /** Run id: submission time and process. */
  id: string;
  /** The run's folder (scripts, logs, run.json). */
  dir: string;
  /** Absolute result version directory the report job writes. */
  resultsDir: string;
  /** One job array per wave, each after the one before. */
  waves: SlurmJob[];
  /** The job that writes the result version, after the last wave. */
  report: SlurmJob;
}

/**
 * A Slurm tool failed or is missing.
 *
 * @example
 * ```ts
 * throw new SlurmError("sbatch: error: invalid partition specified: gpu");
 * ```
 */
export class SlurmError extends UserError {
  /** Creates an error with the tool's first line of complaint. */
  constructor(message: string) {
    super(message);
    this.name = "SlurmError";
  }
}

/** Runs a Slurm tool; a missing tool is a SlurmError naming it. */
async function slurmTool(tool: string, args: string[]) {
  const r = await runCommand(tool, args);
  if (r === undefined) {
    throw new SlurmError(
      `${tool} not found: the Slurm executor needs the Slurm client tools on PATH ` +
        "(e.g. `.ci/slurm.sh start` for a local test cluster)",
    );
  }
  return r;
}

/** A Slurm tool's complaint on one line: its fatal line if any, else its first line. */
function complaint(r: CommandResult): string {
  const lines = r.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.find((l) => l.includes("fatal:")) ?? lines[0] ?? `exit code ${r.code}`;
}

/**
 * Fails with a {@linkcode SlurmError} unless sbatch can be run: checked
 * before any planning work.
 *
 * @example
 * ```ts
 * await checkSlurm(); // e.g. "slurm-wlm 22.05.8"
 * ```
 */
export async function checkSlurm(): Promise<string> {
  const r = await slurmTool("sbatch", ["--version"]);
  if (r.code !== 0) throw new SlurmError(`sbatch --version failed: ${complaint(r)}`);
  return r.stdout.trim();
}

/** A word as one shell word. */
const sq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The batch script of a job: array task `$SLURM_ARRAY_TASK_ID` runs that
 * stage of `stages` with this deno binary, in this repository.
 */
function script(title: string, stages: readonly string[], args: readonly string[]): string {
  const run = [Deno.execPath(), "run", "-A", join(REPO, "main.ts"), "stage"].map(sq).join(" ");
  return [
    "#!/bin/bash",
    `# csclir-bench: ${title}; array task i runs stage i of this list`,
    "stages=(",
    ...stages.map((s) => `  ${sq(s)}`),
    ")",
    `cd ${sq(REPO)} || exit 1`,
    `exec ${run} "\${stages[\${SLURM_ARRAY_TASK_ID:-0}]}" ${args.map(sq).join(" ")}`,
    "",
  ].join("\n");
}

/** A UTC time as a run id component: 20261129T235100Z. */
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");

/**
 * Submits a plan to Slurm and returns at once with the job ids: one job array
 * per wave ({@linkcode planWaves}) of the stages not `done`, each after the
 * one before (`afterok`; a failed task cancels the jobs after it), then the
 * report job (an array of one, so every log is `<job name>-<task>.log`).
 * `args` are the run options every task gets (`runArgs`). When a submission
 * fails, the jobs this call submitted are cancelled.
 *
 * @example
 * ```ts
 * import { planFromOptions, runArgs } from "../pipeline/mod.ts";
 * const o = { quick: true, mirror: "../shared/mirror", offline: true, cacheDir: "/tmp/c" };
 * const plan = await planFromOptions(o);
 * const run = await submitSlurm(plan, runArgs(o, plan.config), { partition: "debug" });
 * console.log(run.waves.map((w) => w.job), run.report.job);
 * ```
 */
export async function submitSlurm(
  plan: Plan,
  args: readonly string[],
  opts: SlurmOptions = {},
): Promise<SlurmRun> {
  const id = `${stamp(new Date())}-${Deno.pid}`;
  const dir = join(plan.config.fetch.cacheDir, "slurm", id);
  await onPath(dir, () => Deno.mkdir(join(dir, "logs"), { recursive: true }));
  const common = [
    `--chdir=${REPO}`,
    ...(opts.partition ? [`--partition=${opts.partition}`] : []),
    ...(opts.sbatchArgs ?? []),
  ];
  const submitted: string[] = [];
  const submit = async (name: string, stages: string[], after?: string): Promise<SlurmJob> => {
    const file = join(dir, `${name}.sh`);
    await writeFileAtomic(file, script(`run ${id}, ${name}`, stages, args));
    const log = join(dir, "logs", `${name}-%a.log`);
    const r = await slurmTool("sbatch", [
      "--parsable",
      `--job-name=csclir-${name}`,
      `--array=0-${stages.length - 1}`,
      `--output=${log}`,
      ...(after ? [`--dependency=afterok:${after}`, "--kill-on-invalid-dep=yes"] : []),
      ...common,
      file,
    ]);
    // --parsable prints "<job id>[;<cluster>]".
    const job = r.stdout.trim().split(";")[0];
    if (r.code !== 0 || !/^\d+$/.test(job)) {
      if (submitted.length > 0) await slurmTool("scancel", submitted);
      throw new SlurmError(`sbatch of ${name} failed: ${complaint(r)}`);
    }
    submitted.push(job);
    return { job, stages, log };
  };
  const waves: SlurmJob[] = [];
  for (const [k, stages] of planWaves(plan, opts.done).entries()) {
    waves.push(await submit(`wave${k}`, stages, waves.at(-1)?.job));
  }
  const report = await submit("report", [stageIds.report], waves.at(-1)?.job);
  const run: SlurmRun = { id, dir, resultsDir: resolve(plan.config.resultsDir), waves, report };
  await writeFileAtomic(join(dir, "run.json"), JSON.stringify(run, null, 2) + "\n");
  return run;
}

/**
 * The log file of array task `task` of a job.
 *
 * @example
 * ```ts
 * declare const run: SlurmRun;
 * taskLog(run.waves[0], 1); // ".../logs/wave0-1.log"
 * ```
 */
export function taskLog(job: SlurmJob, task: number): string {
  return job.log.replace("%a", String(task));
}

/**
 * Slurm's state of a task, and why it waits (squeue's reason: `Dependency`,
 * `Resources`, `DependencyNeverSatisfied`…) when squeue gives one.
 *
 * @example
 * ```ts
 * const pending: TaskState = { state: "PENDING", reason: "Dependency" };
 * ```
 */
export interface TaskState {
  /** COMPLETED, RUNNING, PENDING, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, … */
  state: string;
  /** Slurm's reason, when not "None". */
  reason?: string;
}

/**
 * Slurm's state of each task of a job, by task (`<job>_<i>`, or `<job>` for
 * a job that is no array): from squeue while the controller holds the job,
 * else from sacct when accounting is on; empty when neither knows it.
 *
 * @example
 * ```ts
 * const states = await jobStates("12");
 * states.get("12_0")?.state; // "COMPLETED", "RUNNING", "PENDING", "FAILED", "CANCELLED", …
 * ```
 */
export async function jobStates(job: string): Promise<Map<string, TaskState>> {
  const out = new Map<string, TaskState>();
  const rows = (r: { stdout: string }) =>
    r.stdout.split("\n").filter((l) => l.includes("|")).map((l) =>
      l.split("|").map((c) => c.trim())
    );
  const q = await slurmTool("squeue", ["-h", "-r", "-t", "all", "-j", job, "-o", "%i|%T|%r"]);
  if (q.code === 0) {
    for (const [task, state, reason] of rows(q)) {
      out.set(task, reason && reason !== "None" ? { state, reason } : { state });
    }
  }
  if (out.size > 0) return out;
  const a = await runCommand("sacct", ["-n", "-P", "-X", "-j", job, "-o", "JobID,State"]);
  // "CANCELLED by 0" -> "CANCELLED".
  if (a?.code === 0) {
    for (const [task, state] of rows(a)) out.set(task, { state: state.split(" ")[0] });
  }
  return out;
}

/**
 * The recorded runs of a cache directory that write `resultsDir`, oldest first.
 *
 * @example
 * ```ts
 * const runs = await slurmRuns("/tmp/c", "/work/results/xquad-r/v0.3.0-quick");
 * runs.at(-1)?.report.job;
 * ```
 */
export async function slurmRuns(cacheDir: string, resultsDir: string): Promise<SlurmRun[]> {
  const root = join(cacheDir, "slurm");
  const runs: SlurmRun[] = [];
  try {
    for await (const e of Deno.readDir(root)) {
      if (!e.isDirectory) continue;
      let run: SlurmRun;
      try {
        run = JSON.parse(await Deno.readTextFile(join(root, e.name, "run.json")));
      } catch {
        continue; // a submission that failed, or in progress
      }
      if (run.resultsDir === resultsDir) runs.push(run);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  // Ids start with the UTC submission time.
  return runs.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Waits until the report job of a run has ended; true when it completed.
 * `onPoll` is called between polls (progress).
 *
 * @example
 * ```ts
 * declare const run: SlurmRun;
 * if (!await waitSlurm(run)) console.error("the run failed; see `deno task status`");
 * ```
 */
export async function waitSlurm(
  run: SlurmRun,
  onPoll: () => Promise<void> = async () => {},
  pollMs = 2000,
): Promise<boolean> {
  while (await slurmJobActive(run.report.job) !== false) {
    await onPoll();
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const state = (await jobStates(run.report.job)).get(`${run.report.job}_0`)?.state;
  if (state !== undefined) return state === "COMPLETED";
  // Purged without accounting: the result version tells.
  return await Deno.stat(join(run.resultsDir, "manifest.json")).then(() => true, () => false);
}
