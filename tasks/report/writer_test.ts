import assert from "node:assert/strict";
import { hostname } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parseMeasure } from "../evaluate/mod.ts";
import { parsePerQueryCsv, perQueryCsv, roundAsWritten } from "./per_query.ts";
import { OPTIONS, smallFixture } from "./test_fixture.ts";
import { rebuildReport, RESULT_FILES, writeResultVersion } from "./writer.ts";

Deno.test("per-query CSV: header from the measure, values round-trip at 4 decimals", () => {
  const results = smallFixture();
  const csv = perQueryCsv(results, parseMeasure("nDCG@10"));
  assert.ok(csv.startsWith("method,setting,pair,seed,qid,ndcg10\n"));
  const back = parsePerQueryCsv(csv, "pq.csv");
  assert.equal(back.measure.name, "nDCG@10");
  assert.equal(back.results.length, results.length);
  const v = results[5].perQuery.get("q0007")!;
  assert.equal(back.results[5].perQuery.get("q0007"), Number(v.toFixed(4)));
  assert.throws(() => parsePerQueryCsv("a,b\n", "pq.csv"), /pq\.csv:1/);
  assert.throws(() => parsePerQueryCsv(csv.replace(",CLIR,", ",XLIR,"), "pq.csv"), /pq\.csv:\d+/);
});

Deno.test("writeResultVersion writes every file; rebuildReport recomputes them byte for byte from per_query", async () => {
  const root = await Deno.makeTempDir({ prefix: "report_writer_test_" });
  try {
    const results = smallFixture();
    const dir = join(root, "xquad-r", "v1");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "stale.txt"), "old");
    const perQuery = gzipSync(new TextEncoder().encode(perQueryCsv(results, OPTIONS.measure)));
    // As the report stage does: the report reads the values the file holds.
    await writeResultVersion(dir, roundAsWritten(results), OPTIONS, {
      "per_query.csv.gz": perQuery,
    });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [...RESULT_FILES, "per_query.csv.gz"].sort());
    const out = join(root, "rebuilt");
    const { profile, signFlipSamples } = OPTIONS;
    await rebuildReport(join(dir, "per_query.csv.gz"), out, { profile, signFlipSamples });
    // The fixture's values have more than 4 decimals; rounding them is what the file does.
    assert.deepEqual(
      roundAsWritten(results),
      parsePerQueryCsv(perQueryCsv(results, OPTIONS.measure), "x").results,
    );
    for (const name of RESULT_FILES) {
      assert.deepEqual(
        await Deno.readFile(join(out, name)),
        await Deno.readFile(join(dir, name)),
        name,
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeResultVersion swaps versions atomically and clears what killed runs left", async () => {
  const root = await Deno.makeTempDir({ prefix: "report_writer_swap_" });
  try {
    const results = smallFixture();
    const dir = join(root, "v1");
    await writeResultVersion(dir, results, OPTIONS, { "manifest.json": "{}\n" });
    const before = await Deno.readTextFile(join(dir, "main.md"));
    // A failure after the old version is complete leaves it whole: "main.md/x" cannot be written.
    await assert.rejects(writeResultVersion(dir, results, OPTIONS, { "main.md/x": "y" }));
    assert.equal(await Deno.readTextFile(join(dir, "main.md")), before);
    assert.equal(await Deno.readTextFile(join(dir, "manifest.json")), "{}\n");
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["v1"]);
    // Leftovers: a killed run's temporary version (old and new name forms), a live one's, and
    // a version moved aside by a run killed between its two renames.
    const deadPid = 2 ** 22 + 17;
    const dead = [`v1.tmp-${deadPid}`, `v1.tmp-${hostname()}-${deadPid}-1`];
    const live = `v1.tmp-${hostname()}-${Deno.pid}-999`;
    for (const d of [...dead, live]) await Deno.mkdir(join(root, d));
    await writeResultVersion(dir, results, OPTIONS, { "manifest.json": "{}\n" });
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name).sort(), ["v1", live]);
    await Deno.remove(join(root, live));
    await Deno.rename(dir, join(root, `v1.old-${deadPid}`));
    await assert.rejects(writeResultVersion(dir, results, OPTIONS, { "main.md/x": "y" }));
    assert.equal(await Deno.readTextFile(join(dir, "main.md")), before);
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["v1"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
