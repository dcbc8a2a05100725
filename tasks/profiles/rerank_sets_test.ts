import assert from "node:assert/strict";
import type { Document, Qrel, Query } from "../util/mod.ts";
import { XQUAD_R } from "./xquad_r.ts";
import {
  mlirSet,
  pairSet,
  type ParallelSet,
  profileRerankSets,
  profileSetIds,
  sampleLanguage,
  setLanguages,
} from "./rerank_sets.ts";

function set(lang: string, sentencesPerGroup: number): ParallelSet {
  const documents: Document[] = [];
  for (const g of ["p0", "p1", "p2"]) {
    for (let i = 0; i < sentencesPerGroup; i++) {
      documents.push({ docid: `${g}.${i}`, text: `${lang} ${g} ${i}`, lang, groupId: g });
    }
  }
  const queries: Query[] = [
    { qid: "q1", text: `${lang} q1`, lang },
    { qid: "q2", text: `${lang} q2`, lang },
    { qid: "q3", text: `${lang} q3`, lang },
  ];
  // q1's answer is in p1, q2's in p2; q3 has no relevant document.
  const qrels: Qrel[] = [
    { qid: "q1", docid: `p1.${sentencesPerGroup - 1}`, rel: 1 },
    { qid: "q2", docid: "p2.0", rel: 1 },
  ];
  return { lang, queries, documents, qrels };
}

const sets = [set("en", 2), set("de", 3)];
const cands = new Map([["q1", ["p0", "p1"]], ["q2", ["p2"]], ["q3", ["p0"]]]);

Deno.test("pairSet takes queries in one language and candidates in the other", () => {
  const t = pairSet(sets, cands, { query: "en", doc: "de" }, true);
  assert.equal(t.id, "clir/en-de");
  assert.equal(t.setting, "CLIR");
  assert.deepEqual(t.queries.map((q) => q.text), ["en q1", "en q2"]);
  assert.deepEqual(t.candidates.get("q1")!.map((d) => d.text), [
    "de p0 0",
    "de p0 1",
    "de p0 2",
    "de p1 0",
    "de p1 1",
    "de p1 2",
  ]);
  assert.deepEqual(t.qrels, [{ qid: "q1", docid: "p1.2", rel: 1 }, {
    qid: "q2",
    docid: "p2.0",
    rel: 1,
  }]);
  const mono = pairSet(sets, cands, { query: "de", doc: "de" }, true);
  assert.equal(mono.id, "moir/de");
  assert.equal(mono.setting, "MoIR");
});

Deno.test("mlirSet mixes languages per query and per group, with matching qrels", () => {
  const t = mlirSet(sets, cands, ["en", "de"], "seen", 42, true);
  for (const q of t.queries) {
    assert.equal(q.lang, sampleLanguage(`q:${q.qid}`, ["en", "de"], 42));
    for (const d of t.candidates.get(q.qid)!) {
      assert.equal(d.lang, sampleLanguage(`g:${d.groupId}`, ["en", "de"], 42));
    }
  }
  // The relevant docid of q1 depends on the language p1 took (2 vs 3 sentences).
  const p1 = sampleLanguage("g:p1", ["en", "de"], 42);
  assert.ok(t.qrels.some((r) => r.qid === "q1" && r.docid === (p1 === "en" ? "p1.1" : "p1.2")));
});

Deno.test("sampleLanguage is close to uniform and seed-dependent", () => {
  const langs = ["en", "de", "ru", "ar", "es", "zh"];
  const counts = new Map<string, number>();
  for (let i = 0; i < 60000; i++) {
    const l = sampleLanguage(`g:${i}`, langs, 7);
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  for (const l of langs) {
    assert.ok(Math.abs(counts.get(l)! - 10000) < 400, `${l}: ${counts.get(l)}`);
  }
  let differ = 0;
  for (let i = 0; i < 100; i++) {
    if (sampleLanguage(`${i}`, langs, 1) !== sampleLanguage(`${i}`, langs, 2)) differ++;
  }
  assert.ok(differ > 50);
});

Deno.test("profileRerankSets builds rerank sets by id and names the languages they need", () => {
  const profile = { ...XQUAD_R, seen: ["en", "de"], unseen: [], clirSeen: [], clirUnseen: [] };
  assert.deepEqual(profileSetIds(profile), ["moir/en", "moir/de", "mlir/seen", "mlir/all"]);
  assert.deepEqual(setLanguages(XQUAD_R, ["clir/de-ru", "moir/zh"]), ["de", "ru", "zh"]);
  const tasks = profileRerankSets(profile, sets, cands, ["clir/en-de", "mlir/seen"]);
  assert.deepEqual(tasks.map((t) => t.id), ["clir/en-de", "mlir/seen"]);
  assert.throws(
    () => profileRerankSets(profile, sets, cands, ["clir/en"]),
    /unknown rerank set "clir\/en"/,
  );
});
