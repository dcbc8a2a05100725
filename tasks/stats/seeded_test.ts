import assert from "node:assert/strict";
import { confidenceInterval, pairedTTest, seededContrast, tQuantile } from "./mod.ts";
import { Rng } from "../util/mod.ts";
import { assertClose, significanceGolden } from "./test_golden.ts";

const golden = await significanceGolden();

Deno.test("with one seed per group the contrast is the paired t-test", () => {
  for (const c of golden.paired_tests) {
    const e = seededContrast([{ weight: -1, perSeed: [c.a] }, { weight: 1, perSeed: [c.b] }]);
    const t = pairedTTest(c.a, c.b);
    assert.equal(e.df, c.n - 1);
    assertClose(e.estimate / e.se, t.t, `t (n=${c.n})`, 1e-12);
    assertClose(e.p, t.p, `p (n=${c.n})`, 1e-9);
    assert.deepEqual(e.seedVariance, [0, 0]);
  }
});

Deno.test("t quantiles match tabulated values", () => {
  assertClose(tQuantile(0.975, 4), 2.7764451051977987, "t(0.975, 4)", 1e-12);
  assertClose(tQuantile(0.975, 1e7), 1.959963984540054, "z(0.975)", 1e-6);
  assertClose(tQuantile(0.025, 9.5), -tQuantile(0.975, 9.5), "symmetry", 1e-12);
  assert.throws(() => tQuantile(1, 3), RangeError);
});

Deno.test("seed disagreement widens the interval; misaligned seeds are rejected", () => {
  const base = Array.from({ length: 50 }, (_, i) => ((i * 37) % 11) / 10);
  const sys = base.map((x, i) => x + 0.05 + ((i % 5) - 2) / 50);
  const oneSeed = seededContrast([{ weight: 1, perSeed: [sys] }, { weight: -1, perSeed: [base] }]);
  const shifted = [sys.map((x) => x + 0.04), sys, sys.map((x) => x - 0.04)];
  const seeds = seededContrast([{ weight: 1, perSeed: shifted }, { weight: -1, perSeed: [base] }]);
  assertClose(seeds.estimate, oneSeed.estimate, "same mean", 1e-12);
  assert.ok(seeds.seedVariance[0] > 0 && seeds.seedVariance[1] === 0);
  assert.ok(seeds.df < 3, `df ${seeds.df}: dominated by 3 seeds`);
  const w1 = confidenceInterval(oneSeed);
  const w3 = confidenceInterval(seeds);
  assert.ok(w3.high - w3.low > 3 * (w1.high - w1.low));
  assert.throws(() => seededContrast([{ weight: 1, perSeed: [sys, sys.slice(1)] }]), /49 queries/);
});

/** One simulated experiment: system and baseline trained independently, shared queries. */
function simulate(
  rng: Rng,
  o: { n: number; sSys: number; sBase: number; seedSd: number; noiseSd: number; delta: number },
) {
  const hard = Array.from({ length: o.n }, () => 0.3 * rng.normal());
  const gain = hard.map(() => o.delta + 0.1 * rng.normal());
  const runs = (S: number, g: number[] | undefined) =>
    Array.from({ length: S }, () => {
      const u = S > 1 ? o.seedSd * rng.normal() : 0;
      return hard.map((h, q) => h + (g ? g[q] : 0) + u + (S > 1 ? o.noiseSd * rng.normal() : 0));
    });
  return seededContrast([
    { weight: 1, perSeed: runs(o.sSys, gain) },
    { weight: -1, perSeed: runs(o.sBase, undefined) },
  ]);
}

/** Share of 1,000 simulated runs whose 95% interval holds the true effect. */
function coverage(o: Parameters<typeof simulate>[1], seed: number): number {
  const rng = new Rng(seed);
  let hits = 0;
  for (let r = 0; r < 1000; r++) {
    const { low, high } = confidenceInterval(simulate(rng, o));
    if (low <= o.delta && o.delta <= high) hits++;
  }
  return hits / 1000;
}

// Variances as measured on the v0.2.0 CLIR cells: seed sd ≈ 1 point, per-query
// seed-to-seed sd ≈ 0.2, so the seed × query noise is a large part of the seed-mean variance.
const REGIMES = {
  "5 vs 5 seeds, seed effect dominates": { sSys: 5, sBase: 5, seedSd: 0.015, noiseSd: 0.2 },
  "5 vs 5 seeds, no seed effect": { sSys: 5, sBase: 5, seedSd: 0, noiseSd: 0.2 },
  "5 seeds vs a deterministic baseline (BM25)": { sSys: 5, sBase: 1, seedSd: 0.01, noiseSd: 0.2 },
  "3 vs 3 seeds": { sSys: 3, sBase: 3, seedSd: 0.01, noiseSd: 0.2 },
  "5 vs 5 seeds, strong seed effect, little noise": {
    sSys: 5,
    sBase: 5,
    seedSd: 0.03,
    noiseSd: 0.05,
  },
};

for (const [name, r] of Object.entries(REGIMES)) {
  Deno.test(`95% intervals cover the true effect in 93-97% of 1,000 runs: ${name}`, () => {
    const c = coverage({ n: 200, delta: 0.03, ...r }, 2023);
    assert.ok(c >= 0.93 && c <= 0.97, `coverage ${c}`);
  });
}
