import assert from "node:assert/strict";
import { RowGrads } from "./adam.ts";
import { newPairGrads, pairGradients, rawGradients, scatterSlots } from "./backward.ts";
import { validateConfig } from "./config.ts";
import { headParams, wordVectors } from "./forward.ts";
import { DEFAULT_CONFIG, forwardBatch, initParams, paramLayout, type RankerConfig } from "./mod.ts";
import { makeBatch, pairBm25, wordSlots, WordTable } from "./words.ts";
import { Rng } from "../util/mod.ts";

const TINY: RankerConfig = { ...DEFAULT_CONFIG, dim: 6, buckets: 97, maxSlots: 8 };

Deno.test("wordSlots: whole word then n-grams of <word>, capped, identical for identical strings", () => {
  const cat = wordSlots(DEFAULT_CONFIG, "cat");
  assert.equal(cat.length, 1 + 3 + 2 + 1); // <cat>: 3 trigrams, 2 four-grams, 1 five-gram
  assert.deepEqual(wordSlots(DEFAULT_CONFIG, "cat"), cat);
  assert.notDeepEqual(wordSlots(DEFAULT_CONFIG, "cats"), cat);
  // Cognates share n-grams: "nation" and "nación" share "<na", "nat"? no; "<na" yes.
  const shared = wordSlots(DEFAULT_CONFIG, "nation").filter((x) =>
    wordSlots(DEFAULT_CONFIG, "nationale").includes(x)
  );
  assert.ok(shared.length >= 5, `nation/nationale share ${shared.length} slots`);
  assert.equal(wordSlots(DEFAULT_CONFIG, "internationalization").length, DEFAULT_CONFIG.maxSlots);
  for (const id of wordSlots(TINY, "internationalization")) assert.ok(id >= 0 && id < TINY.buckets);
});

Deno.test("validateConfig rejects bad fields", () => {
  assert.throws(() => validateConfig({ ...TINY, dim: 0 }), /dim/);
  assert.throws(() => validateConfig({ ...TINY, maxN: 2 }), /maxN/);
  assert.throws(() => validateConfig({ ...TINY, sigmas: [0.1] }), /equal length/);
  assert.throws(() => validateConfig({ ...TINY, sigmas: TINY.sigmas.map(() => 0) }), /sigmas/);
  assert.throws(() => validateConfig({ ...TINY, bm25: "yes" as unknown as boolean }), /bm25/);
});

Deno.test("identical words land in the exact-match kernel; padding row is empty", () => {
  const table = new WordTable(TINY);
  const batch = makeBatch(table, [table.pair("red fox", "the red fox jumps")]);
  assert.equal(batch.words, 1 + 4);
  assert.deepEqual(Array.from(batch.pairs[0].q), [1, 2]);
  assert.deepEqual(Array.from(batch.pairs[0].d), [3, 1, 2, 4]);
  const wv = wordVectors(TINY, initParams(TINY, 3), batch);
  let dot = 0;
  for (let t = 0; t < TINY.dim; t++) dot += wv.unit[TINY.dim + t] ** 2;
  assert.ok(Math.abs(dot - 1) < 1e-9);
  for (let t = 0; t < TINY.dim; t++) assert.equal(wv.unit[t], 0);
});

Deno.test("length limits cut queries and documents", () => {
  const cfg = { ...TINY, maxQueryLen: 2, maxDocLen: 3 };
  const p = new WordTable(cfg).pair("a b c d", "e f g h i");
  assert.equal(p.q.length, 2);
  assert.equal(p.d.length, 3);
});

/** Loss (sum over pairs, scaled) and analytic gradient of a tiny batch. */
function lossAndGrad(
  cfg: RankerConfig,
  params: Float32Array,
  table: WordTable,
  texts: string[][],
  y: number[],
) {
  const bm = pairBm25(texts.map((t) => t[0]), texts.map((t) => t[1]));
  const batch = makeBatch(table, texts.map(([q, d], i) => ({ ...table.pair(q, d), bm25: bm[i] })));
  const wv = wordVectors(cfg, params, batch);
  const g = newPairGrads(cfg.dim, cfg.mus.length, batch.words);
  const scale = 1 / y.length;
  pairGradients(
    cfg.dim,
    wv.unit,
    wv.gate,
    headParams(cfg, params),
    batch.pairs,
    y,
    0,
    y.length,
    scale,
    g,
  );
  const lay = paramLayout(cfg);
  const dense = new Float64Array(lay.size - lay.gateW);
  const acc = new RowGrads(cfg.buckets, cfg.dim);
  const dv = new Float64Array(batch.words * cfg.dim);
  rawGradients(cfg, params, batch, wv, g, dv, dense);
  scatterSlots(cfg, batch, dv, acc, 0, cfg.buckets);
  const grad = new Float64Array(lay.size);
  acc.rows.forEach((row, i) =>
    grad.set(acc.grad.subarray(i * cfg.dim, (i + 1) * cfg.dim), row * cfg.dim)
  );
  grad.set(dense, lay.gateW);
  return { loss: g.loss * scale, grad, touched: [...acc.rows] };
}

Deno.test("gradients agree with central finite differences", () => {
  // Wider kernels than the default keep the loss smooth at the step size used.
  const cfg: RankerConfig = {
    ...TINY,
    mus: [1, 0.6, 0.2, -0.2, -0.6],
    sigmas: [0.05, 0.2, 0.2, 0.2, 0.2],
  };
  const params = initParams(cfg, 7);
  const lay = paramLayout(cfg);
  const rng = new Rng(11);
  for (let i = lay.gateW; i < lay.size; i++) params[i] += 0.3 * rng.normal();
  const texts = [
    ["where is the red fox", "the red fox lives in the forest"],
    ["where is the red fox", "a blue whale swims"],
    ["capital of france", "paris is the capital of france"],
    ["capital of france", ""],
  ];
  const y = [1, 0, 1, 0];
  const table = new WordTable(cfg);
  const { grad, touched } = lossAndGrad(cfg, params, table, texts, y);
  const check = [
    ...touched.slice(0, 12).flatMap((r) => [r * cfg.dim, r * cfg.dim + cfg.dim - 1]),
    ...Array.from({ length: lay.size - lay.gateW }, (_, j) => lay.gateW + j),
  ];
  let worst = 0;
  for (const i of check) {
    const p0 = params[i];
    params[i] = p0 + 1e-3;
    const hp = params[i] - p0;
    const lp = lossAndGrad(cfg, params, table, texts, y).loss;
    params[i] = p0 - 1e-3;
    const hm = p0 - params[i];
    const lm = lossAndGrad(cfg, params, table, texts, y).loss;
    params[i] = p0;
    const fd = (lp - lm) / (hp + hm);
    const err = Math.abs(fd - grad[i]) / Math.max(1e-3, Math.abs(fd) + Math.abs(grad[i]));
    worst = Math.max(worst, err);
    assert.ok(err < 1e-3, `param ${i}: finite difference ${fd}, analytic ${grad[i]}`);
  }
  assert.ok(check.length > 20 && worst < 1e-3);
  assert.equal(lay.size - lay.bm25W, 2, "BM25 weights are checked too");
});

Deno.test("pairBm25 uses the pairs' distinct documents as the collection", () => {
  const q = ["red fox", "red fox", "red fox", "blue whale"];
  const d = ["the red fox", "a red car", "the red fox", "the red fox"];
  const s = pairBm25(q, d);
  assert.ok(s[0] > s[1] && s[1] > 0, `scores ${s}`);
  assert.equal(s[0], s[2]);
  assert.equal(s[3], 0);
  // Statistics depend on the collection: alone, "a red car" sees other idfs.
  assert.notEqual(pairBm25(["red fox"], ["a red car"])[0], s[1]);
  assert.throws(() => pairBm25(["a"], []), RangeError);
});

Deno.test("the BM25 feature adds w0 * bm25 + w1 * log(1 + bm25); off, it has no weights", () => {
  const table = new WordTable(TINY);
  const params = initParams(TINY, 2);
  const lay = paramLayout(TINY);
  const p = { ...table.pair("who wrote hamlet", "shakespeare wrote hamlet"), bm25: 1.5 };
  const base = forwardBatch(TINY, params, makeBatch(table, [p]))[0];
  params[lay.bm25W] = 0.5;
  params[lay.bm25W + 1] = -2;
  const z = forwardBatch(TINY, params, makeBatch(table, [p]))[0];
  assert.ok(Math.abs(z - base - (0.5 * 1.5 - 2 * Math.log1p(1.5))) < 1e-5);
  const off = { ...TINY, bm25: false };
  assert.equal(paramLayout(off).size, lay.size - 2);
  const z0 = forwardBatch(off, initParams(off, 2), makeBatch(table, [p]))[0];
  assert.equal(z0, base);
});

Deno.test("forwardBatch: a pair logit does not depend on the longer pairs padded beside it", () => {
  const params = initParams(TINY, 5);
  const table = new WordTable(TINY);
  const p1 = table.pair("who wrote hamlet", "shakespeare wrote hamlet");
  const p2 = table.pair("who wrote hamlet", "shakespeare wrote hamlet in london around 1600");
  const alone = forwardBatch(TINY, params, makeBatch(table, [p1]));
  const both = forwardBatch(TINY, params, makeBatch(table, [p2, p1]));
  assert.equal(alone[0], both[1]);
  assert.notEqual(both[0], both[1]);
});
