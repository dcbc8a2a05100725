import assert from "node:assert/strict";
import { parseMeasure } from "../evaluate/mod.ts";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { XQUAD_R } from "../profiles/mod.ts";
import { devMarkdown, type DevReport } from "./dev.ts";
import { poolOf } from "./evalsets.ts";

const RR10 = parseMeasure("RR@10");

Deno.test("MLQA-R dev: per-language pools, queries in the query language, deeper pools are harder", async () => {
  const fetch = { mirror: await mirrorDir(), offline: true, cacheDir: await Deno.makeTempDir() };
  try {
    const shallow = await XQUAD_R.loadDevelopment!(5, fetch);
    const deep = await XQUAD_R.loadDevelopment!(15, fetch);
    assert.equal(deep.name, "MLQA-R dev");
    const ids = deep.sets.map((s) => s.id);
    assert.ok(ids.includes("moir/en") && ids.includes("clir/en-hi") && ids.includes("clir/ar-hi"));
    const enDe = deep.sets.find((s) => s.id === "clir/en-de")!;
    // English questions (the qids German MLQA shares), German candidates, German judgements.
    assert.ok(enDe.queries.length > 400 && enDe.queries.length <= 512, `${enDe.queries.length}`);
    assert.match(enDe.queries[0].text, /^[A-Z][\w\s,'’"()-]+\?$/);
    const judged = new Set(enDe.qrels.map((q) => q.docid));
    const cands = new Set([...enDe.candidates.values()].flat().map((d) => d.docid));
    for (const d of judged) assert.ok(d.startsWith("q:"), d);
    assert.ok([...judged].some((d) => cands.has(d)));
    for (const [i, set] of deep.sets.entries()) {
      const d = poolOf(set, RR10), s = poolOf(shallow.sets[i], RR10);
      const mean = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;
      assert.ok(d.stats.meanSize > 2 * s.stats.meanSize, set.id);
      assert.ok(mean(d.random) <= 0.05 && mean(d.random) < mean(s.random), set.id);
      assert.ok(d.stats.recall >= s.stats.recall, set.id);
    }
  } finally {
    await Deno.remove(fetch.cacheDir, { recursive: true });
  }
});

Deno.test("the development report names the chosen depth and the BM25-feature decision", () => {
  const report: DevReport = {
    data: "MLQA-R dev",
    tasks: ["moir/en", "clir/en-ar", "clir/en-de"],
    pools: [
      { depth: 5, size: [40, 40, 40], recall: [0.7, 0.6, 0.7], random: [0.1, 0.11, 0.1] },
      { depth: 15, size: [130, 130, 130], recall: [0.75, 0.7, 0.74], random: [0.03, 0.032, 0.03] },
    ],
    depth: 15,
    rows: [{ name: "BM25", values: [0.64, 0.095, 0.229] }],
    seeds: [1, 2],
    bm25Test: { estimate: 0.005, se: 0.01, df: 1500, pOneSided: 0.31 },
    bm25Feature: true,
  };
  const md = devMarkdown(report, RR10);
  assert.match(md, /Chosen depth: \*\*15\*\*/);
  assert.match(md, /\| 15 \| 130\.0 \| 0\.700 \| 3\.2 \|/);
  // Means: MoIR 64.0, CLIR (9.5 + 22.9) / 2, across scripts en-ar only.
  assert.match(md, /\| BM25 \| 64\.0 \| 9\.5 \| 22\.9 \| 64\.0 \| 16\.2 \| 9\.5 \|/);
  assert.match(md, /BM25 feature: \*\*on\*\* by default .* does not beat .* p 0\.31/);
});
