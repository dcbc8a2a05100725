/**
 * Where each stage of a run stands: done (finished in the cache), running (its
 * lock is held, or its Slurm task runs), failed (its Slurm task ended and the
 * stage is not in the cache; with the task's log) or pending. Reads the cache,
 * the stage locks and, for the latest Slurm run writing the same result
 * version, squeue (sacct once the controller has forgotten a job).
 *
 * @module
 */

import { join } from "node:path";
import { LOCK_STALE_MS, ownerAlive, UserError } from "../util/mod.ts";
import { type Plan, type Runner, stageIds } from "../pipeline/mod.ts";
import {
  jobStates,
  SlurmError,
  type SlurmJob,
  type SlurmRun,
  taskLog,
  type TaskState,
} from "./slurm.ts";

/**
 * A stage's state in {@linkcode stageStates}.
 *
 * @example
 * ```ts
 * const state: StageState = "failed";
 * ```
 */
export type StageState = "done" | "running" | "failed" | "pending";

/**
 * One row of the status table.
 *
 * @example
 * ```ts
 * const row: StageRow = { id: "model/zero-shot/seed1", state: "failed", task: "14_0", log: "/c/slurm/r/logs/wave1-0.log" };
 * ```
 */
export interface StageRow {
  /** Stage id. */
  id: string;
  /** Where it stands. */
  state: StageState;
  /** Its Slurm task (`<job>_<i>`), when the run was submitted to Slurm. */
  task?: string;
  /** Slurm's state of that task, or the lock holder of a running stage. */
  detail?: string;
  /** The task's log, for a failed stage. */
  log?: string;
}

const RUNNING = new Set(["RUNNING", "COMPLETING", "CONFIGURING", "SIGNALING", "STAGE_OUT"]);
const FAILED = new Set([
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "BOOT_FAIL",
  "DEADLINE",
  "PREEMPTED",
]);

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/**
 * Whether a cached stage is finished in the cache. A stage whose cache entry
 * cannot be read (say a file where its directory should be) is not: its task
 * runs and fails with that error in its log, where `status` points.
 */
export async function stageDone(runner: Runner, id: string): Promise<boolean> {
  try {
    return await runner.status(id) === "cached";
  } catch (e) {
    if (e instanceof UserError) return false;
    throw e;
  }
}

/** The holder of a live lock file, or undefined when there is none. */
async function lockHolder(path: string): Promise<string | undefined> {
  try {
    const st = await Deno.stat(path);
    if (Date.now() - (st.mtime?.getTime() ?? 0) > LOCK_STALE_MS) return undefined;
    const rec = JSON.parse(await Deno.readTextFile(path));
    if (!ownerAlive(rec)) return undefined;
    return `pid ${rec.pid} on ${rec.host}${rec.job ? `, job ${rec.job}` : ""}`;
  } catch {
    return undefined; // no lock, or one being written
  }
}

/**
 * The state of every cached stage of a plan and of its report, in plan order.
 * `run` is the Slurm run to read task states and logs from (the latest one
 * writing this result version), if any.
 *
 * @example
 * ```ts
 * import { Runner } from "../pipeline/mod.ts";
 * import type { Plan } from "../pipeline/mod.ts";
 * declare const plan: Plan;
 * const rows = await stageStates(plan, new Runner(plan, () => {}, { readOnly: true }));
 * rows.filter((r) => r.state === "failed").map((r) => r.log);
 * ```
 */
export async function stageStates(plan: Plan, runner: Runner, run?: SlurmRun): Promise<StageRow[]> {
  // Task of each stage in the run, and Slurm's states of the run's jobs.
  const tasks = new Map<string, { job: SlurmJob; i: number }>();
  const states = new Map<string, TaskState>();
  for (const job of run ? [...run.waves, run.report] : []) {
    job.stages.forEach((id, i) => tasks.set(id, { job, i }));
    // Without the Slurm tools here, the cache, locks and logs still tell.
    const known = await jobStates(job.job).catch((e) => {
      if (e instanceof SlurmError) return new Map<string, TaskState>();
      throw e;
    });
    for (const [t, s] of known) states.set(t, s);
  }
  const rows: StageRow[] = [];
  for (const [id, s] of plan.stages) {
    if (!s.cache && id !== stageIds.report) continue;
    const t = tasks.get(id);
    const task = t ? `${t.job.job}_${t.i}` : undefined;
    const slurmState = task ? states.get(task) : undefined;
    const slurm = slurmState?.state;
    const described = slurmState &&
      (slurmState.reason ? `${slurmState.state} (${slurmState.reason})` : slurmState.state);
    const log = t ? taskLog(t.job, t.i) : undefined;
    const row = (state: StageState, detail?: string): StageRow => ({
      id,
      state,
      ...(task ? { task } : {}),
      ...(detail ? { detail } : {}),
      ...(state === "failed" && log ? { log } : {}),
    });
    const done = s.cache ? await stageDone(runner, id) : slurm === "COMPLETED" ||
      (slurm === undefined && await exists(join(plan.config.resultsDir, "manifest.json")));
    const dir = s.cache ? await runner.dir(id).catch(() => undefined) : undefined;
    const holder = !done && dir ? await lockHolder(`${dir}.lock`) : undefined;
    const started = log !== undefined && await exists(log);
    // A task cancelled before it started (a stage before it failed) has no log; a task
    // Slurm has forgotten that started and left no stage has failed.
    if (done) rows.push(row("done"));
    else if (holder) rows.push(row("running", holder));
    else if (slurm && RUNNING.has(slurm)) rows.push(row("running", described));
    else if (slurm && FAILED.has(slurm) && started) rows.push(row("failed", slurm));
    else if (slurm && FAILED.has(slurm)) rows.push(row("pending", `never started: ${described}`));
    else if (!slurm && started) rows.push(row("failed", "ended"));
    else rows.push(row("pending", described));
  }
  return rows;
}

/**
 * The status table: a header, counts per state, one line per stage (state,
 * id, Slurm task, detail, log of a failed task).
 *
 * @example
 * ```ts
 * console.log(formatStatus([{ id: "trainset", state: "done", task: "12_1" }], "slurm run r1"));
 * ```
 */
export function formatStatus(rows: readonly StageRow[], header: string): string {
  const counts: Record<StageState, number> = { done: 0, running: 0, failed: 0, pending: 0 };
  for (const r of rows) counts[r.state]++;
  const head = ["state", "stage", "task", "detail", "log"];
  const cells = rows.map((r) => [r.state, r.id, r.task ?? "-", r.detail ?? "", r.log ?? ""]);
  const w = [0, 1, 2, 3].map((i) => Math.max(...[head, ...cells].map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => i < 4 ? x.padEnd(w[i]) : x).join("  ").trimEnd();
  return [
    header,
    `${rows.length} stages: ${counts.done} done, ${counts.running} running, ${counts.failed} failed, ` +
    `${counts.pending} pending`,
    "",
    line(head),
    ...cells.map(line),
  ].join("\n") + "\n";
}
