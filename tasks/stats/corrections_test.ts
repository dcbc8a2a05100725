import assert from "node:assert/strict";
import { bonferroni, correct, holm } from "./mod.ts";
import { Rng } from "../util/mod.ts";
import { assertClose, significanceGolden } from "./test_golden.ts";

const golden = await significanceGolden();

Deno.test("Bonferroni and Holm match the golden corrections", () => {
  const { pvalues, bonferroni: bon, holm: hol } = golden.corrections;
  bonferroni(pvalues).forEach((p, i) => assertClose(p, bon[i], `bonferroni[${i}]`));
  holm(pvalues).forEach((p, i) => assertClose(p, hol[i], `holm[${i}]`));
  assert.deepEqual(correct(pvalues, "holm"), holm(pvalues));
  assert.deepEqual(correct(pvalues, "bonferroni"), bonferroni(pvalues));
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
