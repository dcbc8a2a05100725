/**
 * `reproduce --quick --trainer torch` end to end on CPU with a tiny random
 * BERT: every method of the grid is a transformer cross-encoder trained by the
 * reference PyTorch trainer and scored through ONNX Runtime.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PYTHON, torchTest, writeHfBase } from "../fixtures/hf_base_fixture.ts";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

import { cli } from "../fixtures/cli.ts";

torchTest(
  "reproduce --quick --trainer torch: the grid with transformer cross-encoders",
  () =>
    withTempDir(async (root) => {
      const base = join(root, "base");
      await writeHfBase(base, PYTHON, 1);
      const results = join(root, "results");
      const options = [
        "--quick",
        "--mirror",
        await mirrorDir(),
        "--offline",
        "--cache-dir",
        join(root, "cache"),
        "--trainer",
        "torch",
        "--base-model",
        base,
        // Seconds, not hours: a few steps of small batches of short pairs, 2 candidate paragraphs.
        ...["--steps", "40", "--warmup", "4", "--trainer-batch", "8", "--trainer-lr", "5e-4"],
        ...["--max-length", "64", "--candidates", "2"],
      ];
      const t0 = performance.now();
      const r = await cli("reproduce", ...options, "--results-dir", results);
      assert.equal(r.code, 0, r.stderr);
      console.log(
        `reproduce --quick --trainer torch: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      for (const m of ["Zero-shot", "BL-CS", "ML-CS", "Wiki-CS", "TT (Zero-shot)", "TT (ML-CS)"]) {
        assert.match(r.stdout, new RegExp(`\\| ${m.replace(/[()]/g, "\\$&")} \\| \\d`));
      }
      const manifest = JSON.parse(await Deno.readTextFile(join(results, "manifest.json")));
      assert.equal(manifest.ranker.trainer.kind, "torch");
      assert.equal(manifest.ranker.trainer.steps, 40);
      const timings = JSON.parse(await Deno.readTextFile(join(results, "timings.json")));
      assert.deepEqual(
        Object.keys(timings.phases["model/zero-shot/seed1"]),
        ["tokenise", "train", "check"],
      );
      // Every model is a checked Hugging Face directory.
      const models = join(root, "cache", "stages", "model");
      let count = 0;
      for await (const e of Deno.readDir(models)) {
        const record = JSON.parse(
          await Deno.readTextFile(join(models, e.name, "model", "trainer.json")),
        );
        assert.ok(record.check.parityMaxAbsDiff <= 1e-4);
        count++;
      }
      assert.equal(count, 4); // Zero-shot, ML-CS, Wiki-CS, BL-CS en-de
      // The run is resumable: everything is cached now.
      const plan = await cli("plan", ...options);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, / 0 pending/);
    }),
);
