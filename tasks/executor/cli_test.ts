/** The executor options as a user meets them: bad values exit 2 with one line naming the option. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../fixtures/temp_dir.ts";

const MAIN = join(import.meta.dirname!, "..", "..", "main.ts");

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

function assertOneLine(r: { code: number; stderr: string }, what: RegExp): void {
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(r.code, 2, r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], what);
}

Deno.test("executor options: unknown executor, Slurm options without it, bad shards, no stage id", async () => {
  assertOneLine(
    await cli(["reproduce", "--executor", "kubernetes"]),
    /^error: --executor: expected local or slurm, got "kubernetes"$/,
  );
  assertOneLine(
    await cli(["reproduce", "--wait"]),
    /^error: --wait: expected --executor slurm alongside it/,
  );
  assertOneLine(
    await cli(["reproduce", "--sbatch-arg=--time=1:00"]),
    /^error: --sbatch-arg: expected --executor slurm alongside it/,
  );
  assertOneLine(await cli(["stage", "--shard", "3/3"]), /^error: --shard: expected i\/N.*"3\/3"$/);
  assertOneLine(
    await cli(["stage", "--shard", "auto"]),
    /^error: --shard: expected SLURM_ARRAY_TASK_ID/,
  );
  assertOneLine(
    await cli(["stage", "trainset", "--shard", "0/2"]),
    /^error: --shard: expected no stage id/,
  );
  assertOneLine(await cli(["stage"]), /^error: <id>: expected a stage id, or --shard i\/N/);
});

Deno.test("--executor slurm without the Slurm tools says so in one line", async () => {
  await withTempDir(async (dir) => {
    const r = await cli(
      [
        "reproduce",
        "--quick",
        "--executor",
        "slurm",
        "--cache-dir",
        join(dir, "c"),
        "--results-dir",
        join(dir, "r"),
      ],
      { PATH: join(dir, "no-bin") },
    );
    assertOneLine(
      r,
      /^error: sbatch not found: the Slurm executor needs the Slurm client tools on PATH/,
    );
  });
});
