import assert from "node:assert/strict";
import { loadLareqa } from "../../datasets/mod.ts";
import { type Document, OptionError, type Qrel, type Query } from "../util/mod.ts";
import { Bm25Index } from "./bm25.ts";
import {
  bm25Run,
  candidateDocs,
  candidateRecall,
  paragraphCandidates,
  type ParagraphSet,
} from "./candidates.ts";

/** A parallel set: paragraphs p0..p2 with the given sentences, questions with gold sentences. */
function set(
  lang: string,
  paragraphs: string[][],
  questions: [string, string][],
): ParagraphSet & { qrels: Qrel[] } {
  const documents: Document[] = [];
  const paras = paragraphs.map((sentences, p) => {
    const docids = sentences.map((_, s) => `p${p}.${s}`);
    sentences.forEach((text, s) =>
      documents.push({ docid: docids[s], text, lang, groupId: `p${p}` })
    );
    return { id: `p${p}`, title: "", docids };
  });
  const queries: Query[] = questions.map(([text], i) => ({ qid: `q${i}`, text, lang }));
  const qrels = questions.map(([, docid], i) => ({ qid: `q${i}`, docid, rel: 1 }));
  return { lang, queries, documents, paragraphs: paras, qrels };
}

const EN = set("en", [
  ["Paris is the capital of France.", "The Seine flows through Paris."],
  ["Berlin is the capital of Germany.", "The Spree flows through Berlin.", "It is large."],
  ["Whales are mammals.", "They live in oceans."],
], [
  ["Which river flows through Paris?", "p0.1"],
  ["Where do whales live?", "p2.1"],
  // The gold paragraph (p2) shares no term: BM25 misses it and it is not forced in.
  ["What is the capital of Germany?", "p2.0"],
]);
const DE = set("de", [
  ["Paris ist die Hauptstadt Frankreichs.", "Die Seine fließt durch Paris."],
  ["Berlin ist die Hauptstadt Deutschlands.", "Die Spree fließt durch Berlin.", "Es ist groß."],
  ["Wale sind Säugetiere.", "Sie leben in Ozeanen."],
], [
  ["Welcher Fluss fließt durch Paris?", "p0.1"],
  ["Wo leben Wale?", "p2.1"],
  ["Was ist die Hauptstadt Deutschlands?", "p2.0"],
]);

Deno.test("candidates: English paragraph BM25 picks the same paragraphs for every language", () => {
  const paras = paragraphCandidates(EN, 1);
  assert.deepEqual([...paras], [["q0", ["p0"]], ["q1", ["p2"]], ["q2", ["p1"]]]);
  const de = candidateDocs(DE, paras);
  assert.deepEqual(de.get("q0")!.map((d) => d.text), [
    "Paris ist die Hauptstadt Frankreichs.",
    "Die Seine fließt durch Paris.",
  ]);
  assert.deepEqual(de.get("q2")!.map((d) => d.docid), ["p1.0", "p1.1", "p1.2"]);
  // q2's gold sentence is in p2, which BM25 did not retrieve: recall 2/3.
  const stats = candidateRecall(de, DE.qrels);
  assert.equal(stats.queries, 3);
  assert.equal(stats.recall, 2 / 3);
  assert.equal(stats.meanCandidates, 7 / 3);
  // With k = 3 every paragraph that shares a term is kept, in score order.
  const all = paragraphCandidates(EN, 3);
  assert.equal(all.get("q0")![0], "p0");
  assert.throws(() => paragraphCandidates(EN, 0), OptionError);
});

Deno.test("candidates: a paragraph missing in a language contributes nothing", () => {
  const partial = { ...DE, paragraphs: DE.paragraphs.slice(1) };
  const docs = candidateDocs(partial, new Map([["q0", ["p0", "p1"]]]));
  assert.deepEqual(docs.get("q0")!.map((d) => d.docid), ["p1.0", "p1.1", "p1.2"]);
});

Deno.test("candidates: BM25 baseline scores every candidate with the document language's index", () => {
  const cands = candidateDocs(DE, paragraphCandidates(EN, 2));
  const run = bm25Run(DE.queries, DE, cands);
  const index = Bm25Index.build(DE.documents.map((d) => ({ id: d.docid, text: d.text })));
  for (const q of DE.queries) {
    const ids = cands.get(q.qid)!.map((d) => d.docid);
    assert.deepEqual(run.get(q.qid)!.map((d) => d.docid), ids);
    assert.deepEqual(run.get(q.qid)!.map((d) => d.score), [...index.score(q.text, ids)]);
  }
  const q0 = run.get("q0")!;
  const best = q0.reduce((a, b) => (b.score > a.score ? b : a));
  assert.equal(best.docid, "p0.1");
  // CLIR: English queries on German documents still get every candidate (score 0 allowed).
  assert.equal(bm25Run(EN.queries, DE, cands).get("q1")!.length, cands.get("q1")!.length);
});

Deno.test("candidates: recall on the real XQuAD-R files (en, zh) stays high", async () => {
  const dir = new URL(
    "../../../shared/mirror/raw.githubusercontent.com/google-research-datasets/lareqa/" +
      "9bc8c7fb6dd8d01d72a05a93c2cb96882b0d299c/xquad-r/",
    import.meta.url,
  );
  const en = await loadLareqa(new URL("en.json", dir).pathname, "en", "position");
  const zh = await loadLareqa(new URL("zh.json", dir).pathname, "zh", "position");
  const paras = paragraphCandidates(en, 10);
  assert.equal(paras.size, 1190);
  const enStats = candidateRecall(candidateDocs(en, paras), en.qrels);
  const zhStats = candidateRecall(candidateDocs(zh, paras), zh.qrels);
  // Measured: recall@10 paragraphs 0.991 for both, 54.1 (en) / 55.0 (zh) sentences per query.
  assert.ok(enStats.recall > 0.95, `en recall ${enStats.recall}`);
  assert.ok(zhStats.recall > 0.95, `zh recall ${zhStats.recall}`);
  assert.ok(
    enStats.meanCandidates > 30 && enStats.meanCandidates < 80,
    `${enStats.meanCandidates}`,
  );
  // Fewer paragraphs => lower recall (measured 0.917 at k = 1).
  const one = candidateRecall(candidateDocs(en, paragraphCandidates(en, 1)), en.qrels);
  assert.ok(one.recall < enStats.recall && one.recall > 0.8, `k=1 recall ${one.recall}`);
});
