import assert from "node:assert/strict";
import { evaluateRun, parseMeasure } from "./metrics.ts";
import { expectedRandom, poolStats } from "./pools.ts";

/** Every order of `xs`. */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])
  );
}

Deno.test("expectedRandom equals the mean over every order of the pool, for every family", () => {
  const judged = new Map([["a", 2], ["b", 1], ["c", 3], ["out", 1], ["z", 0]]);
  const pools = [["a", "x", "y", "b", "z", "w"], ["x", "y", "z"], ["c"], ["a", "b", "c", "x"]];
  const names = ["RR@10", "RR@2", "RR(rel=2)@10", "P@3", "P(rel=2)@5", "R@2", "AP", "AP(rel=3)"];
  for (const name of [...names, "nDCG@3", "nDCG@10"]) {
    const m = parseMeasure(name);
    for (const pool of pools) {
      const orders = permutations(pool);
      let sum = 0;
      for (const order of orders) {
        const run = new Map([["q", order.map((docid, i) => ({ docid, score: order.length - i }))]]);
        sum += evaluateRun(new Map([["q", judged]]), run, [m]).mean.get(m.name)!;
      }
      const exact = expectedRandom(m, pool, judged);
      assert.ok(Math.abs(exact - sum / orders.length) < 1e-12, `${name} ${pool}: ${exact}`);
    }
  }
});

Deno.test("expectedRandom of RR@10 with one relevant among N is H(10)/N", () => {
  const pool = Array.from({ length: 100 }, (_, i) => `d${i}`);
  let h = 0;
  for (let i = 1; i <= 10; i++) h += 1 / i;
  const e = expectedRandom(parseMeasure("RR@10"), pool, new Map([["d7", 1]]));
  assert.ok(Math.abs(e - h / 100) < 1e-15);
  assert.equal(expectedRandom(parseMeasure("RR@10"), [], new Map([["d7", 1]])), 0);
});

Deno.test("poolStats: sizes and recall over every judged query", () => {
  const qrels = new Map([
    ["q1", new Map([["d1", 1]])],
    ["q2", new Map([["d2", 2]])],
    ["q3", new Map([["d3", 1]])],
  ]);
  const pools = new Map([["q1", ["d1", "x"]], ["q2", ["d2", "x", "y", "z"]], ["q9", ["d9"]]]);
  assert.deepEqual(poolStats(qrels, pools, 1), {
    queries: 3,
    meanSize: 2,
    minSize: 0,
    medianSize: 2,
    maxSize: 4,
    recall: 2 / 3,
  });
  assert.equal(poolStats(qrels, pools, 2).recall, 1 / 3);
});
