import assert from "node:assert/strict";
import { mean, sd } from "../stats/mod.ts";
import { METHODS } from "./methods.ts";
import { buildReport } from "./report.ts";
import { OPTIONS, smallFixture, synth } from "./test_fixture.ts";

Deno.test("tables: one per setting, ordered, per-seed means, a family each", () => {
  const results = smallFixture();
  const r = buildReport(results, OPTIONS);
  assert.deepEqual(r.tables.map((t) => t.setting), ["MoIR", "CLIR", "MLIR"]);
  const clir = r.tables[1];
  assert.deepEqual(clir.columns, ["en-de", "ar-ru", "en-el", "AVG"]);
  assert.deepEqual(
    clir.rows.map((x) => x.method),
    [METHODS.zeroShot, METHODS.blcs, METHODS.mlcs, METHODS.ttZeroShot],
  );
  // 3 systems × 4 columns, AVG included.
  assert.deepEqual(clir.family, { name: "CLIR table", size: 12, correction: "holm", alpha: 0.05 });
  const seedMeans = results.filter((x) => x.method === METHODS.mlcs && x.pair === "en-de")
    .map((x) => mean([...x.perQuery.values()]));
  const cell = clir.rows[2].cells[0]!;
  assert.deepEqual(cell.seeds, [1, 2, 3]);
  cell.seedMeans.forEach((m, i) => assert.ok(Math.abs(m - seedMeans[i]) < 1e-12));
  assert.ok(Math.abs(cell.sd - sd(seedMeans)) < 1e-12);
  assert.ok(cell.test!.significant && cell.test!.pCorrected >= cell.test!.p);
  assert.ok(cell.test!.low < 0.2 && 0.2 < cell.test!.high, "interval holds the true +0.2");
  assert.equal(clir.rows[0].cells[0]!.test, undefined, "no test for the baseline");
  assert.equal(clir.rows[1].cells[0]!.test!.significant, false, "+0.005 is within the noise");
  assert.equal(clir.rows[1].cells[3]!.test!.delta !== undefined, true);
  assert.match(clir.caption, /Holm-corrected within the family "CLIR table" \(12 tests\)/);
  assert.match(clir.caption, /AVG averages each query over the setting's pairs/);
});

Deno.test("AVG averages each query over the pairs before testing across queries", () => {
  const spec = { queries: 80, seeds: [1], seedSd: 0, noiseSd: 0.05 };
  // Opposite effects on two pairs: the per-query average cancels them.
  const results = [
    ...synth(METHODS.zeroShot, "CLIR", "en-de", 0, spec),
    ...synth(METHODS.zeroShot, "CLIR", "ar-ru", 0, spec),
    ...synth(METHODS.mlcs, "CLIR", "en-de", 0.1, spec),
    ...synth(METHODS.mlcs, "CLIR", "ar-ru", -0.1, spec),
  ];
  const avg = buildReport(results, OPTIONS).tables[0].rows[1].cells[2]!;
  assert.equal(avg.n, 80, "the unit is the query, not the pair × query");
  assert.ok(Math.abs(avg.test!.delta) < 0.02);
});

Deno.test("seed disagreement removes † that a query-only test would give", () => {
  const noisy = { queries: 300, seeds: [1, 2, 3, 4, 5], seedSd: 0.03, noiseSd: 0.02 };
  const results = [
    ...synth(METHODS.zeroShot, "CLIR", "en-de", 0, noisy),
    ...synth(METHODS.mlcs, "CLIR", "en-de", 0.02, noisy),
  ];
  const t = buildReport(results, OPTIONS).tables[0].rows[1].cells[0]!.test!;
  assert.ok(t.pTTest < 1e-6, `the query-only t-test is confident: ${t.pTTest}`);
  assert.equal(t.significant, false);
  assert.ok(t.df < 10, `df ${t.df} reflect 5 + 5 seeds`);
});

Deno.test("best-of-seeds keeps each cell's best seed and says so", () => {
  const results = smallFixture();
  const r = buildReport(results, { ...OPTIONS, seedChoice: "best", correction: "bonferroni" });
  const perSeed = results.filter((x) => x.method === METHODS.blcs && x.pair === "en-de")
    .map((x) => mean([...x.perQuery.values()]));
  const cell = r.tables[1].rows[1].cells[0]!;
  assert.equal(cell.mean, Math.max(...perSeed));
  assert.equal(cell.seeds.length, 1);
  assert.match(r.tables[1].caption, /best of seeds 1, 2, 3 per cell/);
  assert.match(r.tables[1].caption, /Bonferroni-corrected/);
  const claim = r.claims.rows.find((c) => c.estimate !== undefined)!;
  assert.equal(claim.verdict, "not measurable here");
  assert.match(claim.note, /^exploratory, no verdict/);
});

Deno.test("bad results are rejected", () => {
  const r = smallFixture();
  assert.throws(
    () => buildReport([...r, r[0]], OPTIONS),
    /duplicate result for Zero-shot MoIR en seed 1/,
  );
  const short = { ...r[1], perQuery: new Map([...r[1].perQuery].slice(1)) };
  assert.throws(() => buildReport([r[0], short, r[2]], OPTIONS), /different query sets/);
  assert.throws(() => buildReport(r, { ...OPTIONS, margin: 0 }), /margin must be positive/);
});
