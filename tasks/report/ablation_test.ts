import assert from "node:assert/strict";
import { ablationCsv, ablationMarkdown } from "./ablation.ts";
import type { CellResult } from "./cells.ts";
import { ablationMethod, METHODS, RANKER_VARIANTS, type Setting } from "./methods.ts";
import { parsePerQueryCsv, perQueryCsv, roundAsWritten } from "./per_query.ts";
import { buildReport } from "./report.ts";
import { OPTIONS, synth } from "./test_fixture.ts";

const SPEC = { queries: 80, seeds: [1, 2], seedSd: 0.002, noiseSd: 0.03 };
const CELLS: [Setting, string][] = [
  ["MoIR", "en"],
  ["CLIR", "en-de"],
  ["CLIR", "ar-ru"],
  ["CLIR", "en-th"],
];

/** The run's own configuration is prior on, BM25 feature off; the prior adds 0.1 on CLIR. */
function ablationResults(): CellResult[] {
  const out: CellResult[] = [];
  for (const [setting, pair] of CELLS) {
    out.push(...synth(METHODS.bm25, setting, pair, 0, SPEC));
    for (const method of [METHODS.zeroShot, METHODS.mlcs]) {
      for (const v of RANKER_VARIANTS) {
        const own = v.prior && !v.bm25Feature;
        const effect = setting === "CLIR" && v.prior ? 0.1 : 0;
        out.push(...synth(own ? method : ablationMethod(method, v), setting, pair, effect, SPEC));
      }
    }
  }
  return out;
}

Deno.test("the ablation table tests each variant against the run's own configuration", () => {
  const r = buildReport(ablationResults(), OPTIONS);
  // Ablation models stay out of the main tables.
  for (const t of r.tables) {
    for (const row of t.rows) assert.ok(!row.method.includes("["), row.method);
  }
  const a = r.ablation!;
  assert.deepEqual(a.columns.map((c) => c.pairs), [["en-de", "ar-ru"], ["ar-ru", "en-th"], [
    "en",
  ]]);
  assert.equal(a.rows.length, 9);
  const own = a.rows.filter((x) => x.reference);
  assert.deepEqual(own.map((x) => x.variant), [
    { prior: true, bm25Feature: false },
    { prior: true, bm25Feature: false },
  ]);
  // 2 methods x 3 variants x 3 columns.
  assert.equal(a.family.size, 18);
  const noPrior = a.rows.find((x) =>
    x.method === METHODS.zeroShot && !x.variant!.prior && !x.variant!.bm25Feature
  )!;
  const clir = noPrior.cells[0]!.test!;
  assert.ok(Math.abs(clir.delta + 0.1) < 0.02, `${clir.delta}`);
  assert.ok(clir.significant && clir.high < 0);
  // English MoIR: no effect, so the interval covers 0.
  const en = noPrior.cells[2]!.test!;
  assert.ok(en.low < 0 && en.high > 0, `${en.low} ${en.high}`);
  const md = ablationMarkdown(a);
  assert.match(md, /Zero-shot, prior on, BM25 feature off \*/);
  assert.match(md, /†/);
  assert.equal(ablationCsv(a).trim().split("\n").length, 1 + 9 * 3);
  // The per-query file round-trips the ablation's method names.
  const written = roundAsWritten(ablationResults());
  const { results } = parsePerQueryCsv(perQueryCsv(written, OPTIONS.measure), "pq");
  assert.equal(
    ablationMarkdown(buildReport(results, OPTIONS).ablation!),
    ablationMarkdown(buildReport(written, OPTIONS).ablation!),
  );
});

Deno.test("results without ablation models have no ablation table", () => {
  const results = ablationResults().filter((c) => !c.method.includes("["));
  assert.equal(buildReport(results, OPTIONS).ablation, undefined);
});
