/**
 * The local job pool against the real quick pipeline: the same bytes as one
 * process, timings from the children, the `stage --serve` protocol, and a
 * failing stage ending the run with its one-line message.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { planFromOptions, reproduce, Runner } from "../pipeline/mod.ts";
import { XQUAD_R } from "../profiles/mod.ts";
import { resultHashes } from "../fixtures/result_hashes.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** The CLI as a child process: exit code and output. */
async function cli(args: string[], stdin?: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", join(REPO, "deno.json"), join(REPO, "main.ts"), ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

Deno.test({
  name:
    "reproduce --jobs 2: same bytes as one process, children's timings, a failing stage exits 2",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const mirror = await mirrorDir();
    const root = await Deno.makeTempDir({ prefix: "csclir-pool-" });
    const cacheDir = join(root, "cache");
    const opts = ["--quick", "--mirror", mirror, "--offline", "--cache-dir", cacheDir];
    try {
      const pooled = await cli([
        "reproduce",
        ...opts,
        "--jobs",
        "2",
        "--results-dir",
        join(root, "pool"),
      ]);
      assert.equal(pooled.code, 0, pooled.stderr);
      const timings = JSON.parse(await Deno.readTextFile(join(root, "pool", "timings.json")));
      assert.ok(timings.stages["model/zero-shot/seed1"] > 0, JSON.stringify(timings.stages));
      assert.deepEqual(
        Object.keys(timings.phases["model/ml-cs/seed1"]),
        ["read", "tokenise", "bm25", "train", "save"],
      );
      assert.ok(timings.seeds.seed1 > 0 && timings.seeds.seed1 <= timings.wall, timings.wall);
      // Stages overlap in a pool: their seconds add up to more than the wall time.
      const busy = Object.values(timings.kinds as Record<string, number>).reduce((a, b) => a + b);
      assert.ok(busy > timings.wall, `${busy} <= ${timings.wall}`);

      // One process from scratch (models and evaluations dropped): the same result bytes.
      for (const kind of ["model", "evaluate"]) {
        await Deno.remove(join(cacheDir, "stages", kind), { recursive: true });
      }
      const single = await reproduce({
        profile: XQUAD_R,
        scale: XQUAD_R.scales.quick,
        mirror,
        offline: true,
        cacheDir,
        resultsDir: join(root, "single"),
      });
      assert.deepEqual(await resultHashes(join(root, "pool")), await resultHashes(single.dir));

      // The children's protocol: one JSON line per stage id, an unknown id ends it as the user's error.
      const served = await cli(
        ["stage", "--serve", ...opts],
        "trainset\n\nno/such/stage\ntrainset\n",
      );
      assert.equal(served.code, 0, served.stderr);
      const replies = served.stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(replies[0], { id: "trainset", seconds: 0 });
      assert.equal(replies[1].id, "no/such/stage");
      assert.equal(replies[1].user, true);
      assert.match(replies[1].error, /^unknown stage "no\/such\/stage"/);
      assert.equal(replies.length, 2, served.stdout);

      // A stage that fails in a child (a file where its cache directory belongs): exit 2, one line.
      const plan = await planFromOptions({ quick: true, mirror, offline: true, cacheDir });
      const bad = "evaluate/bl-cs/clir/en-de/seed1";
      const dir = (await new Runner(plan, () => {}, { readOnly: true }).dir(bad))!;
      await Deno.remove(dir, { recursive: true });
      await Deno.writeTextFile(dir, "not a directory\n");
      const failed = await cli([
        "reproduce",
        ...opts,
        "--jobs",
        "2",
        "--results-dir",
        join(root, "failing"),
      ]);
      assert.equal(failed.code, 2, failed.stderr);
      const last = failed.stderr.trim().split("\n").at(-1)!;
      assert.match(last, new RegExp(dir.replaceAll("/", "\\/")), failed.stderr);
      assert.doesNotMatch(failed.stderr, /^\s+at /m);
      await assert.rejects(Deno.stat(join(root, "failing")), Deno.errors.NotFound);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
