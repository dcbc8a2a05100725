import assert from "node:assert/strict";
import { pairedTTest, twoSidedP } from "./mod.ts";
import { assertClose, significanceGolden } from "./test_golden.ts";

const golden = await significanceGolden();

Deno.test("paired t-test matches scipy.stats.ttest_rel on every golden case", () => {
  assert.equal(golden.paired_tests.length, 4);
  for (const c of golden.paired_tests) {
    const r = pairedTTest(c.a, c.b);
    assert.equal(r.n, c.n);
    assert.equal(r.degenerate, undefined);
    assertClose(r.t, c.ttest_rel_b_vs_a.statistic, `t (n=${c.n})`);
    // Within 1e-9 relative even for p = 1.6e-54.
    assertClose(r.p, c.ttest_rel_b_vs_a.pvalue_two_sided, `p (n=${c.n})`, 1e-9);
  }
});

Deno.test("degenerate t-tests are handled explicitly", () => {
  const zero = pairedTTest([0.1, 0.5, 0.2], [0.1, 0.5, 0.2]);
  assert.equal(zero.p, 1);
  assert.equal(zero.degenerate, "all differences zero");
  const one = pairedTTest([0.1], [0.9]);
  assert.equal(one.p, 1);
  assert.equal(one.degenerate, "fewer than 2 pairs");
  // Exact binary fractions, so every difference is exactly 0.25.
  const exact = pairedTTest([0, 0.5, 1], [0.25, 0.75, 1.25]);
  assert.equal(exact.degenerate, "constant difference");
  assert.equal(exact.p, 0);
  assert.equal(exact.t, Infinity);
  assert.throws(() => pairedTTest([1, 2], [1]), RangeError);
  assert.equal(twoSidedP(0, 5), 1);
});
