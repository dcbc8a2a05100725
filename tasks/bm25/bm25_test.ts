import assert from "node:assert/strict";
import { bm25Idf, Bm25Index } from "./bm25.ts";
import { Rng } from "../util/mod.ts";

const CORPUS = [
  { id: "d1", text: "The cat sat on the mat." },
  { id: "d2", text: "the dog sat" },
  { id: "d3", text: "Cats and dogs" },
];

function close(actual: number, expected: number, msg?: string, tol = 1e-9) {
  assert.ok(Math.abs(actual - expected) < tol, `${msg ?? ""} ${actual} != ${expected}`);
}

Deno.test("bm25: scores match hand-computed Lucene BM25 (k1=0.9, b=0.4)", () => {
  const index = Bm25Index.build(CORPUS);
  // N = 3, lengths 6, 3, 3, avgdl = 4.
  assert.equal(index.avgdl, 4);
  // cat: df 1, idf = ln(1 + 2.5/1.5) = ln(8/3); d1: tf 1, norm = 0.9 * (0.6 + 0.4 * 6/4) = 1.08.
  const cat = index.search("cat", 10);
  assert.deepEqual(cat.map((h) => h.id), ["d1"]);
  close(cat[0].score, Math.log(8 / 3) * (1 / 2.08));
  close(cat[0].score, 0.4715525, "literal", 1e-7);
  // the, sat: df 2, idf = ln(1.6). d1: the tf 2 -> 2/3.08, sat 1/2.08; d2: norm 0.81, 1/1.81 each.
  const hits = index.search("the sat", 10);
  assert.deepEqual(hits.map((h) => h.id), ["d1", "d2"]);
  close(hits[0].score, Math.log(1.6) * (2 / 3.08 + 1 / 2.08));
  close(hits[1].score, Math.log(1.6) * (2 / 1.81));
  close(hits[0].score, 0.5311604, "literal", 1e-7);
  close(hits[1].score, 0.5193410, "literal", 1e-7);
  assert.equal(bm25Idf(3, 2), Math.log(1.6));
});

Deno.test("bm25: k1 and b are configurable; b = 0 ignores length", () => {
  const index = Bm25Index.build(CORPUS, { k1: 1.2, b: 0 });
  const hits = index.search("sat", 10);
  // Both contain "sat" once: equal scores, ties by docid descending.
  assert.deepEqual(hits.map((h) => h.id), ["d2", "d1"]);
  close(hits[0].score, Math.log(1.6) * (1 / 2.2));
  assert.equal(hits[0].score, hits[1].score);
  assert.throws(() => Bm25Index.build(CORPUS, { b: 2 }), TypeError);
});

Deno.test("bm25: repeated query terms count per occurrence; unknown terms are ignored", () => {
  const index = Bm25Index.build(CORPUS);
  const once = index.search("cat", 1)[0].score;
  close(index.search("cat cat zebra", 1)[0].score, 2 * once);
  assert.deepEqual(index.search("zebra", 5), []);
  assert.deepEqual(index.search("cat", 0), []);
});

Deno.test("bm25: ties broken by docid descending, also at the top-k cut", () => {
  const index = Bm25Index.build([
    { id: "a", text: "same words" },
    { id: "c", text: "same words" },
    { id: "b", text: "same words" },
    { id: "z", text: "other" },
  ]);
  assert.deepEqual(index.search("same", 10).map((h) => h.id), ["c", "b", "a"]);
  assert.deepEqual(index.search("same", 2).map((h) => h.id), ["c", "b"]);
  assert.throws(() => Bm25Index.build([{ id: "a", text: "x" }, { id: "a", text: "y" }]), TypeError);
});

Deno.test("bm25: CJK and Thai are segmented into words", () => {
  const zh = Bm25Index.build([
    { id: "z1", text: "我喜欢北京的天安门。" },
    { id: "z2", text: "他在上海工作。" },
    { id: "z3", text: "北京和上海都是大城市。" },
  ], { lang: "zh" });
  assert.equal(zh.df("北京"), 2);
  assert.equal(zh.df("上海"), 2);
  assert.deepEqual(zh.search("北京在哪里？", 10).map((h) => h.id).sort(), ["z1", "z3"]);
  assert.deepEqual(zh.search("天安门", 10).map((h) => h.id), ["z1"]);
  const th = Bm25Index.build([
    { id: "t1", text: "ฉันชอบกินข้าว" },
    { id: "t2", text: "แมวนอนบนโต๊ะ" },
  ], { lang: "th" });
  assert.ok(th.vocabularySize > 4, `Thai vocabulary ${th.vocabularySize}`);
  assert.deepEqual(th.search("แมว", 10).map((h) => h.id), ["t2"]);
});

Deno.test("bm25: score() equals search() and rejects unknown ids", () => {
  const index = Bm25Index.build(CORPUS);
  const s = index.score("the sat cat", ["d3", "d1", "d2"]);
  const byId = new Map(index.search("the sat cat", 10).map((h) => [h.id, h.score]));
  assert.equal(s[0], 0);
  assert.equal(s[1], byId.get("d1"));
  assert.equal(s[2], byId.get("d2"));
  assert.throws(() => index.score("cat", ["nope"]), RangeError);
});

Deno.test("bm25: top-k search equals exhaustive scoring on real XQuAD-R sentences", async () => {
  const path = new URL(
    "../../../shared/mirror/raw.githubusercontent.com/google-research-datasets/lareqa/" +
      "9bc8c7fb6dd8d01d72a05a93c2cb96882b0d299c/xquad-r/en.json",
    import.meta.url,
  );
  const data = JSON.parse(await Deno.readTextFile(path));
  const docs: { id: string; text: string }[] = [];
  const questions: string[] = [];
  for (const article of data.data) {
    for (const para of article.paragraphs) {
      for (const s of para.sentences) docs.push({ id: `s${docs.length}`, text: s });
      for (const qa of para.qas) questions.push(qa.question);
    }
  }
  const index = Bm25Index.build(docs, { lang: "en" });
  const ids = docs.map((d) => d.id);
  const rng = new Rng(7);
  for (let i = 0; i < 60; i++) {
    const q = questions[rng.int(questions.length)];
    const all = index.score(q, ids);
    const ranked = ids.map((id, j) => ({ id, score: all[j] })).filter((h) => h.score > 0)
      .sort((x, y) => y.score - x.score || (x.id < y.id ? 1 : -1));
    for (const k of [1, 7, 45]) assert.deepEqual(index.search(q, k), ranked.slice(0, k), q);
  }
});
