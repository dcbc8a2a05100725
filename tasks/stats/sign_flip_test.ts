import assert from "node:assert/strict";
import { signFlipTest } from "./mod.ts";
import { assertClose, significanceGolden } from "./test_golden.ts";
import { Rng } from "../util/mod.ts";

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

Deno.test("Monte Carlo sign-flip draws the same patterns as a bit-by-bit reference", () => {
  // The reference: bit i of the stream negates d[i], 32 bits per draw.
  const reference = (d: Float64Array, samples: number, seed: number) => {
    const rng = new Rng(seed);
    let absSum = 0;
    let obs = 0;
    for (const x of d) [absSum, obs] = [absSum + Math.abs(x), obs + x];
    const threshold = Math.abs(obs) - 1e-10 * absSum;
    let hits = 0;
    for (let s = 0; s < samples; s++) {
      let sum = 0;
      let bits = 0;
      for (let i = 0; i < d.length; i++) {
        if ((i & 31) === 0) bits = rng.nextUint32();
        sum += bits & 1 ? -d[i] : d[i];
        bits >>>= 1;
      }
      if (Math.abs(sum) >= threshold) hits++;
    }
    return (hits + 1) / (samples + 1);
  };
  const rng = new Rng(5);
  for (const n of [21, 37, 64, 333, 1190]) {
    const a = Float64Array.from({ length: n }, () => rng.next());
    // A small shift keeps the p-value away from 0 and 1, so hits are counted in earnest.
    const b = Float64Array.from(a, (x) => x + 0.02 + 0.3 * rng.normal());
    const p = signFlipTest(a, b, { samples: 2_000, seed: n }).p;
    assert.equal(p, reference(Float64Array.from(b, (x, i) => x - a[i]), 2_000, n), `n = ${n}`);
    assert.ok(p > 0.001 && p < 0.999, `n = ${n}: p = ${p}`);
  }
});
