import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { syntheticMmarco, writeMmarcoMirror } from "../fixtures/mmarco_fixture.ts";
import { MMARCO, setLanguages } from "../profiles/mod.ts";
import { RESULT_FILES } from "../report/mod.ts";
import { reproduce } from "./reproduce.ts";

const QUICK = MMARCO.scales.quick;

/** The text of one cell of main.md: section `## setting`, row `method`, column `pair`. */
function cell(mainTable: string, setting: string, method: string, pair: string): string {
  const section = mainTable.split("\n## ").find((s) => s.startsWith(`${setting}\n`));
  assert.ok(section, `no ${setting} table in\n${mainTable}`);
  const rows = section.split("\n").filter((l) => l.startsWith("|"))
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
  const column = rows[0].indexOf(pair);
  const row = rows.find((r) => r[0] === method);
  assert.ok(column > 0 && row, `no ${method} / ${pair} in the ${setting} table:\n${section}`);
  return row[column];
}

Deno.test({
  name: "reproduce runs the mmarco profile offline on synthetic MS MARCO / mMARCO files",
  // ONNX Runtime and the training workers keep native handles that the sanitizers misreport.
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "csclir-reproduce-mmarco-" });
    const committedLock = new URL("../../datasets/sha256.lock.json", import.meta.url);
    const lockBefore = await Deno.readFile(committedLock);
    try {
      const langs = setLanguages(MMARCO, QUICK.sets!);
      assert.deepEqual(langs, MMARCO.seen); // mlir/seen needs every seen language
      const data = syntheticMmarco({ langs, devQueries: 12 });
      const { mirror, lockFile } = await writeMmarcoMirror(root, data, await mirrorDir());
      const logs: string[] = [];
      const { dir, mainTable } = await reproduce({
        profile: MMARCO,
        scale: { ...QUICK, trainSize: 200, evalQueries: 10 },
        seeds: [1],
        mirror,
        offline: true,
        cacheDir: join(root, "cache"),
        lockFile,
        resultsDir: join(root, "results"),
        progress: false,
        log: (l) => logs.push(l),
      });

      for (const f of [...RESULT_FILES, "manifest.json", "per_query.csv.gz", "timings.json"]) {
        await Deno.stat(join(dir, f)); // throws when missing
      }
      const manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
      assert.equal(manifest.profile, "mmarco");
      // The recipe's 1 positive : 4 negatives over the first trainSize triples.
      const { instances, positives, negatives } = manifest.trainingSet;
      assert.deepEqual({ instances, positives, negatives }, {
        instances: 200,
        positives: 40,
        negatives: 160,
      });
      assert.deepEqual(Object.keys(manifest.tasks), [...QUICK.sets!].sort()); // canonical JSON
      for (const t of Object.values(manifest.tasks) as { queries: number }[]) {
        assert.equal(t.queries, 10);
      }
      // Code-switching found MUSE and title translations of the synthetic English words.
      for (const [name, s] of Object.entries(manifest.codeSwitching)) {
        assert.ok((s as { switchRate: number }).switchRate > 0, name);
      }

      // Main table: every method has a number in the moir/en, clir/en-de and mlir-seen columns.
      const methods = ["Zero-shot", "ML-CS", "Wiki-CS", "TT (Zero-shot)", "TT (ML-CS)"];
      for (const m of [...methods, "Fine-tuning"]) {
        assert.match(cell(mainTable, "MoIR", m, "en"), /^\d/, `${m} / moir en`);
        assert.match(cell(mainTable, "CLIR", m, "en-de"), /^\d/, `${m} / en-de`);
        assert.match(cell(mainTable, "MLIR", m, "mlir-seen"), /^\d/, `${m} / mlir-seen`);
      }
      assert.match(cell(mainTable, "CLIR", "BL-CS", "en-de"), /^\d/);

      // Per-query RR@10 in [0, 1], for every model and task.
      const rows = new TextDecoder().decode(
        gunzipSync(await Deno.readFile(join(dir, "per_query.csv.gz"))),
      ).trim().split("\n").slice(1);
      // 10 queries x 4 tasks for Random, BM25, Zero-shot, ML-CS, Wiki-CS, both TT and
      // Fine-tuning; the BL-CS en-de model on clir/en-de and moir/de; the ablation's three
      // variants of Zero-shot and ML-CS on moir/en and clir/en-de.
      assert.equal(rows.length, 8 * 40 + 2 * 10 + 3 * 2 * 2 * 10);
      const cells = new Set(rows.map((r) => r.split(",").slice(0, 3).join(",")));
      assert.ok(cells.has("TT (ML-CS),MLIR,mlir-seen"), [...cells].join(" "));
      assert.ok(cells.has("BL-CS,CLIR,en-de"), [...cells].join(" "));
      assert.ok(cells.has("Fine-tuning,CLIR,en-de"), [...cells].join(" "));
      assert.ok(cells.has("BL-CS,MoIR,de"), [...cells].join(" "));
      assert.ok(cells.has("Random,MoIR,en"), [...cells].join(" "));
      for (const r of rows) {
        const v = Number(r.split(",").at(-1));
        assert.ok(v >= 0 && v <= 1, r);
      }
      assert.ok(logs.some((l) => l === "model/zero-shot/seed1: built"), logs.join("\n"));
      // Fine-tuning trained on the translated records, one query and passage language each.
      assert.ok(logs.some((l) => l === "translated/seed1: built"), logs.join("\n"));
      // The synthetic files' hashes went to the temporary lock file only.
      assert.deepEqual(await Deno.readFile(committedLock), lockBefore);
      assert.ok(
        JSON.parse(await Deno.readTextFile(lockFile))[
          "https://sbert.net/datasets/msmarco-qidpidtriples.rnd-shuf.train.tsv.gz"
        ],
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
