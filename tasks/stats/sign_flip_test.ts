import assert from "node:assert/strict";
import { signFlipTest } from "./mod.ts";
import { assertClose, significanceGolden } from "./test_golden.ts";

const golden = await significanceGolden();

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

Deno.test("sign-flip without any difference gives p = 1", () => {
  assert.equal(signFlipTest([0.1, 0.5], [0.1, 0.5]).p, 1);
  assert.equal(signFlipTest([], []).p, 1);
  // One non-zero difference: half the flips reach it, two-sided.
  assert.equal(signFlipTest([0, 0.5, 1], [1, 0.5, 1]).p, 1);
});
