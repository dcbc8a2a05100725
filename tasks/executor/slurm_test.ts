/**
 * The Slurm executor against a real cluster (`.ci/slurm.sh start`; CI starts
 * one), reached only through sbatch, squeue, sacct and scancel. With CI=true a
 * missing or unreachable cluster fails these tests; elsewhere they are
 * ignored with a message.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resultHashes } from "../fixtures/result_hashes.ts";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";
import { planFromOptions, Runner } from "../pipeline/mod.ts";
import {
  acquireLock,
  JOB_CHECK_MS,
  LOCK_STALE_MS,
  runCommand,
  slurmJobActive,
} from "../util/mod.ts";
import { type SlurmRun, slurmRuns } from "./slurm.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CI = Deno.env.get("CI") === "true";
const cluster = await runCommand("squeue", ["-h", "-o", "%i"]).catch(() => undefined);
const reachable = cluster?.code === 0;
const why = cluster === undefined
  ? "squeue/sbatch not found"
  : `squeue failed: ${cluster.stderr.trim().split("\n")[0]}`;
if (!reachable && !CI) {
  console.error(
    `slurm_test: no Slurm cluster reachable (${why}); ignored. Start one with ` +
      '`eval "$(.ci/slurm.sh start)"` (root).',
  );
}

/** A Slurm test: runs against the cluster; fails in CI when there is none. */
function slurmTest(name: string, fn: () => Promise<void>) {
  Deno.test({
    name,
    ignore: !reachable && !CI,
    // ONNX Runtime handles in the report's in-process reads are misreported by the sanitizers.
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      assert.ok(reachable, `CI=true but no Slurm cluster is reachable: ${why}`);
      await fn();
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 500 ms until it holds; fails after `seconds`. */
async function until(what: string, seconds: number, cond: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!await cond()) {
    if (Date.now() > end) assert.fail(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(500);
  }
}

async function slurm(tool: string, args: string[]): Promise<string> {
  const r = await runCommand(tool, args);
  assert.ok(r && r.code === 0, `${tool} ${args.join(" ")}: ${r?.stderr}`);
  return r.stdout.trim();
}

const taskState = (task: string) => slurm("squeue", ["-h", "-t", "all", "-j", task, "-o", "%T"]);

slurmTest(
  "a stage lock held by a Slurm job is kept while the job runs and taken over when it ends",
  async () => {
    await withTempDir(async (dir) => {
      const job = await slurm("sbatch", [
        "--parsable",
        "--job-name=csclir-locktest",
        `--output=${join(dir, "sleep.log")}`,
        "--wrap",
        "sleep 300",
      ]);
      try {
        await until("the sleeping job to run", 300, async () => await taskState(job) === "RUNNING");
        // Held on another node: no pid to check here, the heartbeat is fresh; only Slurm can tell.
        const path = join(dir, "stage.lock");
        const rec = { host: "node-elsewhere", pid: 1, started: new Date().toISOString(), job };
        await Deno.writeTextFile(path, JSON.stringify(rec));
        let got = false;
        const taking = acquireLock(path).then((l) => (got = true, l));
        await sleep(JOB_CHECK_MS + 1500);
        assert.equal(got, false, "the lock of a running job was taken");
        assert.equal(await slurmJobActive(job), true);
        const t0 = Date.now();
        await slurm("scancel", [job]);
        const lock = await taking;
        const waited = Date.now() - t0;
        assert.ok(waited < JOB_CHECK_MS + 10_000 && waited < LOCK_STALE_MS, `took ${waited} ms`);
        assert.equal(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
        await lock.release();
        assert.equal(await slurmJobActive(job), false);
      } finally {
        await runCommand("scancel", [job]);
      }
    }, { prefix: "csclir-slurm-lock-" });
  },
);

/** Runs the CLI (in the repository by default); returns exit code, output and wall seconds. */
async function cli(args: string[], cwd = REPO) {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", join(REPO, "deno.json"), join(REPO, "main.ts"), ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The newest complete run record of a cache for the Slurm results. */
async function latestRun(cacheDir: string, resultsDir: string): Promise<SlurmRun | undefined> {
  return (await slurmRuns(cacheDir, resultsDir)).at(-1);
}

/** The status row of a stage: state, task, detail, log. */
function row(status: string, id: string): string[] {
  const line = status.split("\n").find((l) => l.split(/\s+/)[1] === id);
  assert.ok(line, `no status row for ${id} in\n${status}`);
  return line.split(/\s{2,}/);
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

slurmTest(
  "reproduce --executor slurm: same bytes as a local run, status mid-run, a cancelled task resubmitted, a failing stage stops the report",
  async () => {
    const mirror = await mirrorDir();
    await withTempDir(async (root) => {
      const opts = (name: string) => [
        "--quick",
        "--mirror",
        mirror,
        "--offline",
        "--cache-dir",
        join(root, name === "local" ? "local-cache" : "shared-cache"),
        "--results-dir",
        join(root, `${name}-results`),
      ];
      // From another working directory: the results must not depend on it.
      const local = await cli(["reproduce", ...opts("local")], root);
      assert.equal(local.code, 0, local.stderr);

      // Submit and return: job ids printed, nothing written yet.
      const submitted = await cli(["reproduce", ...opts("slurm"), "--executor", "slurm"]);
      assert.equal(submitted.code, 0, submitted.stderr);
      assert.match(submitted.stdout, /wave 0: job \d+ \(2 tasks\)/);
      assert.match(submitted.stdout, /report: job \d+/);
      const cacheDir = join(root, "shared-cache");
      const slurmResults = join(root, "slurm-results");
      const first = (await latestRun(cacheDir, slurmResults))!;
      const wave = first.waves.findIndex((w) => w.stages.includes("model/ml-cs/seed1"));
      const task = `${first.waves[wave].job}_${
        first.waves[wave].stages.indexOf("model/ml-cs/seed1")
      }`;

      // Cancel the training task mid-run: the waves after it and the report never run.
      await until(`${task} to run`, 900, async () => await taskState(task) === "RUNNING");
      await sleep(2000);
      await slurm("scancel", [task]);
      await until(
        "the report job to end",
        900,
        async () => !await slurmJobActive(first.report.job),
      );
      const cancelled = await cli(["status", ...opts("slurm")]);
      console.error(`status after scancel ${task}:\n${cancelled.stdout}`);
      const [state, , , detail, log] = row(cancelled.stdout, "model/ml-cs/seed1");
      assert.deepEqual([state, detail], ["failed", "CANCELLED"]);
      assert.ok(await exists(log), log);
      assert.match(row(cancelled.stdout, "report")[3], /never started: CANCELLED/);
      assert.equal(await exists(slurmResults), false);

      // Resubmitted: only what is not in the cache runs.
      const resuming = cli(["reproduce", ...opts("slurm"), "--executor", "slurm", "--wait"]);
      let second = first;
      await until("the resubmission", 120, async () => {
        second = (await latestRun(cacheDir, slurmResults))!;
        return second.id !== first.id;
      });
      const stages = second.waves.flatMap((w) => w.stages);
      assert.ok(
        stages.includes("model/ml-cs/seed1") && !stages.includes("lexicons"),
        stages.join(" "),
      );
      const again = second.waves.find((w) => w.stages.includes("model/ml-cs/seed1"))!;
      const retask = `${again.job}_${again.stages.indexOf("model/ml-cs/seed1")}`;
      await until(`${retask} to run`, 900, async () => await taskState(retask) === "RUNNING");
      // Mid-run: the model trains again, earlier stages are done, the report waits.
      const mid = await cli(["status", ...opts("slurm")]);
      assert.equal(mid.code, 0, mid.stderr);
      console.error(`status mid-run:\n${mid.stdout}`);
      assert.equal(row(mid.stdout, "model/ml-cs/seed1")[0], "running");
      assert.equal(row(mid.stdout, "lexicons")[0], "done");
      assert.equal(row(mid.stdout, "report")[0], "pending");
      assert.match(mid.stdout, new RegExp(`slurm run ${second.id}`));
      const resumed = await resuming;
      assert.equal(resumed.code, 0, resumed.stderr);

      // The bytes equal the local run's.
      const want = await resultHashes(join(root, "local-results"));
      assert.ok(Object.keys(want).length > 10);
      assert.deepEqual(await resultHashes(slurmResults), want);
      console.error(
        `local ${local.seconds.toFixed(1)} s; slurm ${submitted.seconds.toFixed(1)} s to submit, ` +
          `resubmitted with --wait ${resumed.seconds.toFixed(1)} s; ${Object.keys(want).length} ` +
          "result files identical (sha256, timings.json aside)",
      );

      // A stage that fails: a file where its cache directory belongs (moved aside, restored after).
      const plan = await planFromOptions({
        quick: true,
        mirror,
        offline: true,
        cacheDir,
        resultsDir: join(root, "failing-results"),
      });
      const bad = "evaluate/bl-cs/clir/en-de/seed1";
      const dir = (await new Runner(plan, () => {}, { readOnly: true }).dir(bad))!;
      await Deno.rename(dir, `${dir}.aside`);
      await Deno.writeTextFile(dir, "not a directory\n");
      const failing = [...opts("slurm").slice(0, -1), join(root, "failing-results")];
      const failed = await cli(["reproduce", ...failing, "--executor", "slurm", "--wait"]);
      assert.equal(failed.code, 2, failed.stderr);
      assert.match(failed.stderr, new RegExp(`first ${bad} \\(log [^)]+\\.log\\)`));
      const after = await cli(["status", ...failing]);
      console.error(`status with a failing stage:\n${after.stdout}`);
      const [fstate, , fdetail, flog] = row(after.stdout, bad).filter((_, i) => i !== 2);
      assert.deepEqual([fstate, fdetail], ["failed", "FAILED"]);
      assert.match(await Deno.readTextFile(flog), /not a directory/i);
      assert.match(row(after.stdout, "report")[3], /never started: CANCELLED/);
      assert.equal(await exists(join(root, "failing-results")), false);
      await Deno.remove(dir);
      await Deno.rename(`${dir}.aside`, dir);
    }, { prefix: "csclir-slurm-run-" });
  },
);
