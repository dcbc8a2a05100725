import assert from "node:assert/strict";
import { join } from "node:path";
import { type Lexicon, priorSplit } from "../../lexicons/mod.ts";
import { DEFAULT_CONFIG, type RankerConfig, trainParams } from "../ranker/mod.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";
import type { TrainingInstance } from "../util/mod.ts";
import {
  alignEmbeddings,
  bliP1,
  buildPrior,
  loadPrior,
  PRIOR_DEFAULTS,
  PRIOR_FILE,
  priorPairs,
} from "./mod.ts";

const CFG: RankerConfig = { ...DEFAULT_CONFIG, dim: 16, buckets: 1 << 14 };

/** A made-up language: each English word w<i> translates to a word of another script. */
function toyLexicon(n: number): Lexicon {
  const entries = new Map<string, string[]>();
  for (let i = 0; i < n; i++) entries.set(`w${i}`, [`ж${(i * 7919) % 100003}ы`]);
  return { source: "en", target: "ru", maxNgram: 1, entries };
}

Deno.test("priorSplit keys both directions by the English word and loses no pair", () => {
  const en = toyLexicon(400);
  const inv: Lexicon = {
    source: "ru",
    target: "en",
    maxNgram: 1,
    entries: new Map([...en.entries].map(([e, [x]]) => [x, [e]])),
  };
  const a = priorSplit(en), b = priorSplit(inv);
  assert.equal(a.prior.entries.size + a.switching.entries.size, 400);
  // Roughly half each (a salted hash, not a fixed pattern).
  assert.ok(a.prior.entries.size > 150 && a.prior.entries.size < 250, `${a.prior.entries.size}`);
  // The same English words are prior in both directions.
  const priorEn = new Set(a.prior.entries.keys());
  const priorEnInv = new Set([...b.prior.entries.values()].flat());
  assert.deepEqual([...priorEnInv].sort(), [...priorEn].sort());
  // No English word is in both halves.
  for (const w of a.switching.entries.keys()) assert.ok(!priorEn.has(w));
  assert.throws(() => priorSplit({ ...en, source: "de", target: "ru" }), RangeError);
});

Deno.test("priorPairs holds out disjoint dev and test words and skips multi-token entries", () => {
  const lex = toyLexicon(300);
  lex.entries.set("new york", ["нью-йорк"]);
  const p = priorPairs([lex], 50);
  const test = p.test.get("ru")!, dev = p.dev.get("ru")!;
  assert.equal(test.size, 50);
  assert.equal(dev.size, 50);
  for (const w of test.keys()) assert.ok(!dev.has(w));
  const trained = new Set(p.train.map(([, x]) => x));
  for (const w of [...test.keys(), ...dev.keys()]) assert.ok(!trained.has(w));
  assert.equal(p.train.length, 200);
  assert.ok(!p.train.some(([e]) => e === "new york"));
  assert.equal(p.trainPairs.get("ru"), 200);
});

Deno.test("alignment lowers the loss, puts translations nearest, and is deterministic", async () => {
  const lex = toyLexicon(200);
  const pairs = [...lex.entries].map(([e, [x]]) => [e, x] as const);
  const opts = { ...PRIOR_DEFAULTS, epochs: 30, batchSize: 64, temperature: 0.1 };
  const a = await alignEmbeddings(CFG, pairs, opts);
  assert.ok(a.lossCurve.at(-1)! < a.lossCurve[0] / 4, `${a.lossCurve}`);
  const gold = new Map(pairs.map(([e, x]) => [x, new Set([e])]));
  const english = pairs.map(([e]) => e);
  const before = await alignEmbeddings(CFG, pairs, { ...opts, epochs: 0 });
  assert.ok(bliP1(CFG, before.embeddings, gold, english) < 0.1);
  assert.ok(bliP1(CFG, a.embeddings, gold, english) > 0.9);
  const again = await alignEmbeddings(CFG, pairs, opts);
  assert.deepEqual(again.embeddings, a.embeddings);
});

Deno.test("buildPrior writes a table the ranker starts from", async () => {
  await withTempDir(async (dir) => {
    const report = await buildPrior([toyLexicon(1200)], dir, {
      config: CFG,
      prior: { epochs: 2, batchSize: 64 },
    });
    assert.equal(report.trainPairs.ru, 200);
    assert.ok(report.bli.ru.test >= 0 && report.bli.ru.test <= 1);
    const table = await loadPrior(dir, CFG);
    assert.equal(table.length, CFG.buckets * CFG.dim);
    await assert.rejects(loadPrior(dir, { ...CFG, dim: 8 }), /expected/);
    const data: TrainingInstance[] = Array.from({ length: 8 }, (_, i) => ({
      qid: `q${i}`,
      query: "w1 w2",
      pid: `p${i}`,
      passage: i % 2 ? "w1 w2 w3" : "w9 w8",
      label: (i % 2) as 0 | 1,
    }));
    // One step moves only the rows its batch touches: every other row is the table's.
    const opts = { config: CFG, steps: 1, batchSize: 4, seed: 2 };
    const m = await trainParams(data, { ...opts, embeddings: table });
    const plain = await trainParams(data, opts);
    const same = (p: Float32Array) => table.filter((v, i) => p[i] === v).length;
    assert.ok(same(m.params) > table.length * 0.95, `${same(m.params)}`);
    assert.ok(same(plain.params) < table.length * 0.01, `${same(plain.params)}`);
    await assert.rejects(
      trainParams(data, { config: CFG, steps: 1, embeddings: table.subarray(1) }),
      RangeError,
    );
    assert.ok((await Deno.stat(join(dir, PRIOR_FILE))).size === table.length * 4);
  });
});
