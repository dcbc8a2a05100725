/**
 * Executors of the stage graph beyond this machine: the Slurm executor (one
 * job array per wave of independent stages, chained with `afterok`, and a
 * report job; {@linkcode submitSlurm}), deterministic shards for any engine
 * that starts N workers by index (Slurm arrays, Kubernetes Indexed Jobs;
 * {@linkcode shardStages}), and the status of a run ({@linkcode stageStates}).
 * Every worker runs the single-stage entry point against one shared cache;
 * the stage locks keep two workers from computing the same stage.
 *
 * @example
 * ```ts
 * import { planFromOptions } from "../pipeline/mod.ts";
 * import { planWaves, shardStages } from "./mod.ts";
 * const plan = await planFromOptions({ quick: true, mirror: "../shared/mirror", offline: true });
 * planWaves(plan).map((w) => w.length); // stages per job array
 * shardStages(plan, { index: 1, count: 4 }); // what worker 1 of 4 runs
 * ```
 *
 * @module
 */

export {
  defaultJobs,
  type ExecutorCliOptions,
  runReproduceOn,
  runStageOrShard,
  runStatus,
  type StageCliOptions,
} from "./commands.ts";
export {
  checkSlurm,
  jobStates,
  SlurmError,
  type SlurmJob,
  type SlurmOptions,
  type SlurmRun,
  slurmRuns,
  submitSlurm,
  taskLog,
  type TaskState,
  waitSlurm,
} from "./slurm.ts";
export { formatStatus, type StageRow, type StageState, stageStates } from "./status.ts";
export { type PoolOptions, runPool, type ServeReply, serveStages } from "./pool.ts";
export { parseShard, planWaves, type Shard, shardStages } from "./waves.ts";
