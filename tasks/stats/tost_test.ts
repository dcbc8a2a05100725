import assert from "node:assert/strict";
import { pairedTost, seededContrast, tost } from "./mod.ts";
import { equivalenceGolden } from "./test_golden.ts";

const cases = await equivalenceGolden();

/** Largest absolute error against SciPy over every number of every case. */
function maxError(): number {
  let worst = 0;
  for (const c of cases) {
    const r = pairedTost(c.a, c.b, c.margin);
    const pairs: [number, number][] = [
      [r.lower.t, c.lower_test.statistic],
      [r.lower.p, c.lower_test.pvalue],
      [r.upper.t, c.upper_test.statistic],
      [r.upper.p, c.upper_test.pvalue],
      [r.p, c.tost_pvalue],
      [
        seededContrast([{ weight: -1, perSeed: [c.a] }, { weight: 1, perSeed: [c.b] }]).estimate,
        c.mean_diff_b_minus_a,
      ],
    ];
    for (const [x, y] of pairs) worst = Math.max(worst, Math.abs(x - y));
  }
  return worst;
}

Deno.test("paired TOST matches SciPy's on every golden case to 1e-9", () => {
  assert.deepEqual(cases.map((c) => c.n), [12, 50, 200, 1190]);
  const err = maxError();
  assert.ok(err <= 1e-9, `max error ${err}`);
});

Deno.test("TOST rejects only when the interval of the effect sits inside the margin", () => {
  // Identical tiny differences: clearly equivalent at 0.05, not at 0.0001.
  const a = Array.from({ length: 40 }, (_, i) => (i % 7) / 10);
  const b = a.map((x, i) => x + (i % 2 ? 0.002 : -0.001));
  assert.ok(pairedTost(a, b, 0.05).p < 1e-10);
  assert.ok(pairedTost(a, b, 0.0001).p > 0.5);
  // A seed-aware TOST is never more confident than the query-only one when seeds disagree.
  const e = seededContrast([
    { weight: 1, perSeed: [b, b.map((x) => x + 0.03), b.map((x) => x - 0.03)] },
    { weight: -1, perSeed: [a] },
  ]);
  assert.ok(tost(e, 0.05).p > pairedTost(a, b, 0.05).p);
  assert.throws(() => tost(e, 0), RangeError);
});
