import assert from "node:assert/strict";
import {
  alignPaired,
  bonferroni,
  bootstrapCI,
  comparePaired,
  correct,
  holm,
  pairedTTest,
  signFlipTest,
} from "./significance.ts";
import { Rng } from "./rng.ts";

interface Golden {
  paired_tests: {
    n: number;
    a: number[];
    b: number[];
    ttest_rel_b_vs_a: { statistic: number; pvalue_two_sided: number };
    exact_sign_flip_mean_diff?: { pvalue_two_sided: number };
  }[];
  corrections: { pvalues: number[]; bonferroni: number[]; holm: number[] };
}

const GOLDEN = Deno.env.get("CSCLIR_GOLDEN") ?? "/work/shared/golden";
const golden: Golden = JSON.parse(await Deno.readTextFile(`${GOLDEN}/significance.json`));

/** |x - y| within 1e-12 relative (or 1e-300 absolute for tiny p-values). */
function assertClose(x: number, y: number, label: string, rel = 1e-12): void {
  assert.ok(
    Math.abs(x - y) <= rel * Math.max(Math.abs(y), 1e-300),
    `${label}: got ${x}, expected ${y}`,
  );
}

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

Deno.test("exact sign-flip test matches scipy.stats.permutation_test", () => {
  const cases = golden.paired_tests.filter((c) => c.exact_sign_flip_mean_diff);
  assert.ok(cases.length >= 1);
  for (const c of cases) {
    const r = signFlipTest(c.a, c.b);
    assert.equal(r.exact, true);
    assert.equal(r.samples, 2 ** c.n);
    assertClose(r.p, c.exact_sign_flip_mean_diff!.pvalue_two_sided, "sign-flip p", 1e-15);
  }
});

Deno.test("Monte Carlo sign-flip is seeded and close to the exact value", () => {
  const c = golden.paired_tests.find((x) => x.exact_sign_flip_mean_diff)!;
  const opts = { exactMaxN: 0, samples: 20_000, seed: 5 };
  const r1 = signFlipTest(c.a, c.b, opts);
  const r2 = signFlipTest(c.a, c.b, opts);
  assert.equal(r1.exact, false);
  assert.equal(r1.p, r2.p);
  assert.notEqual(signFlipTest(c.a, c.b, { ...opts, seed: 6 }).p, r1.p);
  // Standard error at p = 0.35 and 20k samples is about 0.0034.
  assert.ok(Math.abs(r1.p - c.exact_sign_flip_mean_diff!.pvalue_two_sided) < 0.015, `${r1.p}`);
});

Deno.test("sign-flip on a large sample separates a real shift from noise", () => {
  const big = golden.paired_tests.find((c) => c.n === 6980)!;
  assert.ok(signFlipTest(big.a, big.b, { samples: 2000, seed: 1 }).p <= 1 / 2001 + 1e-15);
  const none = golden.paired_tests.find((c) => c.n === 50)!;
  assert.ok(signFlipTest(none.a, none.b, { samples: 2000, seed: 1 }).p > 0.5);
});

Deno.test("degenerate inputs are handled explicitly", () => {
  const zero = pairedTTest([0.1, 0.5, 0.2], [0.1, 0.5, 0.2]);
  assert.equal(zero.p, 1);
  assert.equal(zero.degenerate, "all differences zero");
  assert.equal(signFlipTest([0.1, 0.5], [0.1, 0.5]).p, 1);
  const one = pairedTTest([0.1], [0.9]);
  assert.equal(one.p, 1);
  assert.equal(one.degenerate, "fewer than 2 pairs");
  // Exact binary fractions, so every difference is exactly 0.25.
  const exact = pairedTTest([0, 0.5, 1], [0.25, 0.75, 1.25]);
  assert.equal(exact.degenerate, "constant difference");
  assert.equal(exact.p, 0);
  assert.equal(exact.t, Infinity);
  assert.equal(signFlipTest([], []).p, 1);
  assert.throws(() => pairedTTest([1, 2], [1]), RangeError);
});

Deno.test("Bonferroni and Holm match the golden corrections", () => {
  const { pvalues, bonferroni: bon, holm: hol } = golden.corrections;
  bonferroni(pvalues).forEach((p, i) => assertClose(p, bon[i], `bonferroni[${i}]`));
  holm(pvalues).forEach((p, i) => assertClose(p, hol[i], `holm[${i}]`));
  assert.deepEqual(correct(pvalues, "none"), pvalues);
  assert.deepEqual(correct(pvalues, "holm"), holm(pvalues));
});

Deno.test("Holm is monotone in the raw p-values and never below them", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 200; trial++) {
    const p = Array.from({ length: 1 + rng.int(15) }, () => rng.next() ** 3);
    const adj = holm(p);
    const bon = bonferroni(p);
    const order = p.map((_, i) => i).sort((i, j) => p[i] - p[j]);
    for (let k = 0; k < p.length; k++) {
      assert.ok(adj[k] >= p[k] && adj[k] <= 1 && adj[k] <= bon[k] + 1e-15);
      if (k > 0) assert.ok(adj[order[k]] >= adj[order[k - 1]]);
    }
  }
});

Deno.test("bootstrap CI is deterministic per seed and brackets the mean difference", () => {
  const c = golden.paired_tests.find((x) => x.n === 200)!;
  const ci = bootstrapCI(c.a, c.b, { seed: 3 });
  assert.deepEqual(bootstrapCI(c.a, c.b, { seed: 3 }), ci);
  assert.notDeepEqual(bootstrapCI(c.a, c.b, { seed: 4 }), ci);
  const diff = c.b.reduce((s, x, i) => s + x - c.a[i], 0) / c.n;
  assert.ok(ci.low < diff && diff < ci.high, `${ci.low} < ${diff} < ${ci.high}`);
  assert.ok(ci.low > 0, "a significant shift (p = 5e-6) has a CI above 0");
  const wide = bootstrapCI(c.a, c.b, { seed: 3, level: 0.99 });
  assert.ok(wide.low < ci.low && wide.high > ci.high);
  assert.deepEqual(bootstrapCI([], []), { low: NaN, high: NaN });
});

Deno.test("comparePaired aligns per-query maps by qid", () => {
  const a = new Map([["q2", 0.5], ["q1", 0], ["q3", 1]]);
  const b = new Map([["q1", 1], ["q3", 1], ["q2", 0.5]]);
  const [x, y] = alignPaired(a, b);
  assert.deepEqual([...x], [0, 0.5, 1]);
  assert.deepEqual([...y], [1, 0.5, 1]);
  const r = comparePaired(a, b, { seed: 1 });
  assert.equal(r.n, 3);
  assertClose(r.meanDiff, 1 / 3, "meanDiff");
  assert.equal(r.signFlip.p, 1); // one non-zero difference: half the flips reach it, two-sided
  assert.throws(() => alignPaired(a, new Map([["q1", 1], ["q2", 1], ["q9", 1]])), /q9/);
  assert.throws(() => alignPaired(a, new Map([["q1", 1]])), /one sample only/);
});
