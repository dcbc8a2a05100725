/**
 * The stage graph cut for schedulers: waves of stages that do not depend on
 * each other (one Slurm job array each), and deterministic shards (the i-th of
 * N slices, for any engine that starts N workers by index).
 *
 * @module
 */

import { OptionError } from "../util/mod.ts";
import { type Plan, stageIds } from "../pipeline/mod.ts";

/**
 * The cached stages of a plan in waves: wave k holds the stages whose longest
 * chain of cached dependencies still to run has k links, in plan order. A
 * wave's stages depend only on earlier waves; in-memory stages (loaded data,
 * the report) are in no wave, as every process computes the ones it reads,
 * and neither are the stages in `done` (finished in the cache).
 *
 * @example
 * ```ts
 * import type { Plan } from "../pipeline/mod.ts";
 * declare const plan: Plan;
 * planWaves(plan)[0]; // ["lexicons", "trainset"]
 * planWaves(plan, new Set(["lexicons", "trainset"]))[0]; // codeswitch, translate, zero-shot model
 * ```
 */
export function planWaves(plan: Plan, done: ReadonlySet<string> = new Set()): string[][] {
  // Depth of the deepest stage to run that a stage reads (itself included), -1 for none.
  const depth = new Map<string, number>();
  const waves: string[][] = [];
  for (const [id, s] of plan.stages) {
    if (done.has(id)) continue;
    const below = Math.max(-1, ...s.deps.map((d) => depth.get(d) ?? -1));
    if (!s.cache) {
      depth.set(id, below);
      continue;
    }
    depth.set(id, below + 1);
    (waves[below + 1] ??= []).push(id);
  }
  return waves;
}

/**
 * Which of N slices to run: 0-based `index` and `count`.
 *
 * @example
 * ```ts
 * const shard: Shard = { index: 0, count: 4 };
 * ```
 */
export interface Shard {
  /** 0-based slice index, below `count`. */
  index: number;
  /** Number of slices. */
  count: number;
}

/**
 * Parses `--shard`: `i/N` (0-based), `auto/N` (i from SLURM_ARRAY_TASK_ID
 * or Kubernetes' JOB_COMPLETION_INDEX) or `auto` (i and N from
 * SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT).
 *
 * @example
 * ```ts
 * parseShard("2/8"); // { index: 2, count: 8 }
 * parseShard("auto/4", { JOB_COMPLETION_INDEX: "3" }); // { index: 3, count: 4 }
 * parseShard("auto", { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" }); // { index: 1, count: 2 }
 * ```
 */
export function parseShard(
  spec: string,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Shard {
  const expected = "i/N with 0 <= i < N, auto/N or auto";
  const m = /^(\d+|auto)(?:\/(\d+))?$/.exec(spec);
  if (!m || (m[1] !== "auto" && m[2] === undefined)) {
    throw new OptionError("--shard", expected, spec);
  }
  const fromEnv = env.SLURM_ARRAY_TASK_ID ?? env.JOB_COMPLETION_INDEX;
  const indexText = m[1] === "auto" ? fromEnv : m[1];
  const countText = m[2] ?? env.SLURM_ARRAY_TASK_COUNT;
  if (indexText === undefined || countText === undefined) {
    throw new OptionError(
      "--shard",
      m[2] === undefined
        ? "SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT set for auto (else give auto/N)"
        : "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX set for auto/N",
      spec,
    );
  }
  const index = Number(indexText);
  const count = Number(countText);
  if (!/^\d+$/.test(indexText) || !/^\d+$/.test(countText) || count < 1 || index >= count) {
    throw new OptionError("--shard", expected, `${indexText}/${countText}`);
  }
  return { index, count };
}

/**
 * The stages of one shard: the cached stages in wave order dealt round-robin
 * to the N shards (so each wave is spread over all of them), and the report
 * last in shard 0. A shard runs its stages in order; the stages they read come
 * from the cache, are waited for while another shard holds their lock, or are
 * built by this shard, so N shards started together finish the whole run.
 *
 * @example
 * ```ts
 * import type { Plan } from "../pipeline/mod.ts";
 * declare const plan: Plan;
 * shardStages(plan, { index: 0, count: 2 }).at(-1); // "report"
 * ```
 */
export function shardStages(plan: Plan, shard: Shard): string[] {
  const mine = planWaves(plan).flat().filter((_, j) => j % shard.count === shard.index);
  return shard.index === 0 ? [...mine, stageIds.report] : mine;
}
