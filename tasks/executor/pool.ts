/**
 * The local job pool: `reproduce --jobs N` runs a plan's cached stages in N
 * child processes (`main.ts stage --serve`), each with one thread, while this
 * process hands out stages in plan order as their dependencies finish.
 * Training with one thread gives the same weights as with two, and scoring
 * the same scores, so the results are byte-identical for any N; N single
 * threads keep both cores busier than one process with two threads (a step's
 * phases wait on each other, and ONNX Runtime gains nothing from a second
 * thread on the ranker's small batches).
 *
 * A child loads the evaluation sets once and keeps its last model's scorer
 * open, so a model's evaluations go to the child that last touched the model
 * when it is free. The stage cache's locks make the pool safe beside other runs.
 *
 * @module
 */

import { join } from "node:path";
import type { Plan, Runner } from "../pipeline/mod.ts";
import { type Line, Progress, readLines, UserError } from "../util/mod.ts";
import { REPO } from "./slurm.ts";

/**
 * What a `stage --serve` child writes on stdout for each stage it was given:
 * one JSON line.
 *
 * @example
 * ```ts
 * const reply: ServeReply = { id: "trainset", seconds: 1.2 };
 * ```
 */
export interface ServeReply {
  /** The stage id. */
  id: string;
  /** Seconds the child spent on it (0 when it was cached). */
  seconds?: number;
  /** Where the stage's time went, when it reports phases (a model's training). */
  phases?: Record<string, number>;
  /** The one-line message of a failure. */
  error?: string;
  /** Whether the failure is the user's (bad input; exit 2) rather than a bug. */
  user?: boolean;
}

/**
 * Options of {@linkcode runPool}.
 *
 * @example
 * ```ts
 * const poolOptions: PoolOptions = { jobs: 2, args: ["--quick", "--cache-dir", "/tmp/c"] };
 * ```
 */
export interface PoolOptions {
  /** Child processes. */
  jobs: number;
  /** Run options every child gets (as `runArgs` gives them; `--workers 1` is added). */
  args: readonly string[];
}

/** One child process, its stdin and its reply lines. */
interface Job {
  child: Deno.ChildProcess;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  replies: AsyncIterator<Line>;
  /** The model whose stages it ran last (its scorer is still open there). */
  model?: string;
}

/**
 * The cached stages among `id`'s dependencies, looking through the in-memory
 * stages, which every child runs for itself.
 */
function cachedDeps(plan: Plan, id: string, memo: Map<string, Set<string>>): Set<string> {
  let out = memo.get(id);
  if (out) return out;
  out = new Set();
  for (const d of plan.stages.get(id)!.deps) {
    if (plan.stages.get(d)!.cache) out.add(d);
    else for (const x of cachedDeps(plan, d, memo)) out.add(x);
  }
  memo.set(id, out);
  return out;
}

/**
 * Runs every cached stage of `plan` not in `done`, in `jobs` child processes,
 * and records each one's time in `runner` (so `timings.json` has them). The
 * report is left to the caller. A failing stage stops the pool: the children
 * are ended and its message is thrown ({@linkcode UserError} for bad input).
 *
 * @example
 * ```ts
 * import { planFromOptions, Runner, runArgs } from "../pipeline/mod.ts";
 * const o = { quick: true, offline: true };
 * const plan = await planFromOptions(o);
 * const runner = new Runner(plan);
 * await runPool(plan, runner, new Set(), { jobs: 2, args: runArgs(o, plan.config) });
 * ```
 */
export async function runPool(
  plan: Plan,
  runner: Runner,
  done: ReadonlySet<string>,
  opts: PoolOptions,
): Promise<void> {
  const memo = new Map<string, Set<string>>();
  const pending = [...plan.stages].filter(([id, s]) => s.cache && !done.has(id)).map(([id]) => id);
  if (pending.length === 0) return;
  const finished = new Set(done);
  const ready = (id: string) => {
    for (const d of cachedDeps(plan, id, memo)) if (!finished.has(d)) return false;
    return true;
  };
  const modelOf = (id: string) =>
    id.startsWith("model/")
      ? id
      : [...cachedDeps(plan, id, memo)].find((d) => d.startsWith("model/"));

  const jobs: Job[] = Array.from({ length: Math.min(opts.jobs, pending.length) }, () => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        join(REPO, "deno.json"),
        join(REPO, "main.ts"),
        "stage",
        "--serve",
        ...opts.args,
        "--workers",
        "1",
      ],
      env: { CSCLIR_PROGRESS: "0" },
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    return { child, writer: child.stdin.getWriter(), replies: readLines(child.stdout) };
  });
  const encoder = new TextEncoder();
  const progress = new Progress({ label: `stages (${jobs.length} jobs)`, total: pending.length });
  const running = new Map<Job, Promise<{ job: Job; id: string; reply?: ServeReply }>>();
  const start = async (job: Job, id: string) => {
    const t0 = performance.now();
    await job.writer.write(encoder.encode(id + "\n"));
    const line = await job.replies.next();
    const reply = line.done ? undefined : JSON.parse(line.value.text) as ServeReply;
    if (reply && !reply.error) {
      runner.record(id, reply.seconds ?? 0, [t0, performance.now()], reply.phases);
    }
    return { job, id, reply };
  };
  try {
    const idle = [...jobs];
    while (pending.length > 0 || running.size > 0) {
      while (idle.length > 0) {
        const job = idle[0];
        const candidates = pending.filter(ready);
        if (candidates.length === 0) break;
        // A model's evaluations go where its scorer is open; otherwise plan order.
        const id = candidates.find((c) => job.model && modelOf(c) === job.model) ?? candidates[0];
        pending.splice(pending.indexOf(id), 1);
        idle.shift();
        job.model = modelOf(id) ?? job.model;
        running.set(job, start(job, id));
      }
      if (running.size === 0) {
        throw new Error(`job pool: no stage can start; waiting: ${pending.join(", ")}`);
      }
      const { job, id, reply } = await Promise.race(running.values());
      running.delete(job);
      if (!reply) {
        const { code } = await job.child.status;
        throw new Error(`stage ${id}: job process ended (exit code ${code}); see its output above`);
      }
      if (reply.error) throw reply.user ? new UserError(reply.error) : new Error(reply.error);
      finished.add(id);
      idle.push(job);
      progress.add(1);
    }
  } finally {
    progress.done();
    for (const job of jobs) {
      await job.writer.close().catch(() => {});
      // A child still on a stage after a failure elsewhere is stopped, not waited for.
      if (running.has(job)) job.child.kill("SIGTERM");
      await job.child.status;
      await job.child.stdout.cancel().catch(() => {});
    }
  }
}

/**
 * The child side of the pool: reads stage ids from stdin, one per line, runs
 * each (and what it needs) with `runner`, and answers each with one
 * {@linkcode ServeReply} line on stdout, until stdin ends or a stage fails.
 *
 * @example
 * ```ts
 * import { planFromOptions, Runner } from "../pipeline/mod.ts";
 * const plan = await planFromOptions({ quick: true, offline: true });
 * await serveStages(new Runner(plan, (l) => console.error(l)));
 * ```
 */
export async function serveStages(runner: Runner): Promise<void> {
  const encoder = new TextEncoder();
  const reply = (r: ServeReply) => Deno.stdout.writeSync(encoder.encode(JSON.stringify(r) + "\n"));
  for await (const line of readLines(Deno.stdin.readable)) {
    const id = line.text.trim();
    if (id === "") continue;
    try {
      await runner.output(id);
    } catch (e) {
      const user = e instanceof UserError;
      // A bug's stack goes to stderr as it would in one process.
      if (!user) console.error(e);
      reply({ id, error: (e as Error).message, user });
      return;
    }
    const t = runner.timings();
    reply({ id, seconds: t.stages[id] ?? 0, phases: t.phases[id] });
  }
  runner.finish();
}
