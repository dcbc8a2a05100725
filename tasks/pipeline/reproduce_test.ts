import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { XQUAD_R } from "../profiles/mod.ts";
import { reproduce, resolveConfig } from "./reproduce.ts";
import { Runner } from "./runner.ts";
import { planRun } from "./stages.ts";
import { RESULT_FILES } from "../report/mod.ts";
import { canonicalJson, PathError } from "../util/mod.ts";

async function filesOf(dir: string, prefix = ""): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) { for (const [k, v] of await filesOf(dir, rel)) out.set(k, v); }
    else out.set(rel, await Deno.readFile(join(dir, rel)));
  }
  return out;
}

Deno.test({
  name: "reproduce --quick runs every stage offline and a rerun from scratch gives the same bytes",
  // ONNX Runtime and the training workers keep native handles that the sanitizers misreport.
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const mirror = await mirrorDir();
    const root = await Deno.makeTempDir({ prefix: "csclir-reproduce-" });
    const cacheDir = join(root, "cache");
    const logs: string[] = [];
    const run = (resultsDir: string) =>
      reproduce({
        profile: XQUAD_R,
        scale: XQUAD_R.scales.quick,
        seeds: [1],
        mirror,
        offline: true,
        cacheDir,
        resultsDir,
        log: (l) => logs.push(l),
      });
    try {
      const first = await run(join(root, "a"));
      const files = await filesOf(first.dir);
      for (const f of [...RESULT_FILES, "manifest.json", "per_query.csv.gz", "timings.json"]) {
        assert.ok(files.has(f), `missing ${f}`);
      }
      assert.match(first.mainTable, /\| Zero-shot \|/);
      for (const m of ["BL-CS", "ML-CS", "Wiki-CS", "TT (Zero-shot)", "TT (ML-CS)"]) {
        assert.match(first.mainTable, new RegExp(`\\| ${m.replace(/[()]/g, "\\$&")} \\| \\d`));
      }
      // Per-query values: 200 queries at most per task, RR@10 in [0, 1].
      const rows = new TextDecoder().decode(gunzipSync(files.get("per_query.csv.gz")!))
        .trim().split("\n").slice(1);
      assert.ok(rows.length > 500);
      for (const r of rows) {
        const v = Number(r.split(",").at(-1));
        assert.ok(v >= 0 && v <= 1, r);
      }
      // The ablation: Zero-shot and ML-CS under the other three ranker configurations.
      const ablation = new TextDecoder().decode(files.get("ablation.md")!);
      assert.match(ablation, /\| Zero-shot, prior on, BM25 feature off \* \| \d/);
      assert.match(ablation, /\| ML-CS, prior off, BM25 feature off \| \d+\.\d \(Δ /);
      assert.ok(logs.includes("model/zero-shot/noprior-nobm25/seed1: built"), logs.join("\n"));
      const manifest = JSON.parse(new TextDecoder().decode(files.get("manifest.json")!));
      assert.equal(manifest.ranker.prior, true);
      assert.ok(manifest.prior.trainPairs.de > 10_000, JSON.stringify(manifest.prior));
      assert.equal(manifest.prior.options.epochs, 0.1);
      const runs = [...files.keys()].filter((k) => k.startsWith("runs/"));
      assert.ok(runs.includes("runs/Zero-shot/clir_en-de.seed1.run.gz"), runs.join(" "));

      // Seconds per kind, per stage built and per training phase of each model trained.
      const timings = JSON.parse(new TextDecoder().decode(files.get("timings.json")!));
      assert.equal(typeof timings.kinds.model, "number");
      assert.equal(typeof timings.stages["model/zero-shot/seed1"], "number");
      assert.deepEqual(
        Object.keys(timings.phases["model/zero-shot/seed1"]),
        ["read", "tokenise", "bm25", "train", "save"],
      );

      // Drop the trained models and evaluations: the rerun retrains and rescores.
      await Deno.remove(join(cacheDir, "stages", "model"), { recursive: true });
      await Deno.remove(join(cacheDir, "stages", "evaluate"), { recursive: true });
      logs.length = 0;
      const second = await run(join(root, "b"));
      // Upstream stages come from the cache; the dropped ones are built again.
      for (const line of ["trainset: cached", "codeswitch/ml-cs/seed1: cached"]) {
        assert.ok(logs.includes(line), `no "${line}" in\n${logs.join("\n")}`);
      }
      for (
        const line of ["model/zero-shot/seed1: built", "evaluate/zero-shot/clir/en-de/seed1: built"]
      ) {
        assert.ok(logs.includes(line), `no "${line}" in\n${logs.join("\n")}`);
      }
      // After a finished run the plan has nothing pending.
      const plan = planRun(
        await resolveConfig({
          profile: XQUAD_R,
          scale: XQUAD_R.scales.quick,
          mirror,
          offline: true,
          cacheDir,
        }),
      );
      const runner = new Runner(plan);
      for (const id of plan.stages.keys()) assert.notEqual(await runner.status(id), "pending", id);
      const again = await filesOf(second.dir);
      assert.deepEqual([...again.keys()].sort(), [...files.keys()].sort());
      const assertSameResults = async (dir: string) => {
        const got = await filesOf(dir);
        assert.deepEqual([...got.keys()].sort(), [...files.keys()].sort());
        for (const [name, bytes] of files) {
          if (name === "timings.json") continue;
          assert.deepEqual(got.get(name), bytes, `${name} differs between runs`);
        }
      };
      await assertSameResults(second.dir);
      // Cached stages take no time in this run: they are absent.
      const retimed = JSON.parse(await Deno.readTextFile(join(second.dir, "timings.json")));
      assert.equal(retimed.stages.trainset, undefined);
      assert.equal(typeof retimed.stages["model/zero-shot/seed1"], "number");

      // A cached output cut in half: one notice naming it, the stage rebuilt, the same results.
      const evalDir = (await runner.dir("evaluate/zero-shot/clir/en-de/seed1"))!;
      const runTxt = join(evalDir, "run.txt");
      await Deno.truncate(runTxt, (await Deno.stat(runTxt)).size >> 1);
      logs.length = 0;
      await run(join(root, "c"));
      const notices = logs.filter((l) => l.includes("rebuilding"));
      assert.equal(notices.length, 1, logs.join("\n"));
      assert.match(notices[0], new RegExp(`^${runTxt} has \\d+ bytes, recorded \\d+; rebuilding`));
      assert.ok(logs.includes("evaluate/zero-shot/clir/en-de/seed1: built"), logs.join("\n"));
      await assertSameResults(join(root, "c"));

      // Stages written before output records: adopted with one line, not rebuilt, then verified.
      for await (const kind of Deno.readDir(join(cacheDir, "stages"))) {
        for await (const st of Deno.readDir(join(cacheDir, "stages", kind.name))) {
          const record = join(cacheDir, "stages", kind.name, st.name, "stage.json");
          if (!st.isDirectory) continue;
          const { key, value } = JSON.parse(await Deno.readTextFile(record));
          await Deno.writeTextFile(record, canonicalJson({ key, value }) + "\n");
        }
      }
      await Deno.remove(join(cacheDir, "stages", "evaluate"), { recursive: true });
      logs.length = 0;
      await run(join(root, "d"));
      assert.deepEqual(
        logs.filter((l) => l.includes(": built")).every((l) => l.startsWith("evaluate/")),
        true,
      );
      const adopted = logs.filter((l) => l.startsWith("adopted "));
      assert.equal(adopted.length, 1, logs.join("\n"));
      assert.match(adopted[0], /^adopted \d+ cached stage\(s\) written before output verification/);
      await assertSameResults(join(root, "d"));
      logs.length = 0;
      await run(join(root, "e"));
      assert.equal(logs.filter((l) => l.startsWith("adopted ")).length, 0, logs.join("\n"));

      // An unwritable results folder is reported before any stage runs.
      const blocker = join(root, "file");
      await Deno.writeTextFile(blocker, "");
      logs.length = 0;
      await assert.rejects(run(join(blocker, "v1")), (e) => e instanceof PathError);
      assert.deepEqual(logs, []);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
