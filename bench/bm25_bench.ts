/**
 * BM25 and training-set throughput on real text from the mirror: index build
 * over all SQuAD v1.1 train sentences (94,189 docs) and XQuAD-R sentences,
 * top-k search with SQuAD questions, XQuAD-R paragraph candidates, and the
 * training-set build. Docs/s or queries/s = the count in the bench name / time per iteration.
 *
 * Mirror: `CSCLIR_MIRROR` (default `../shared/mirror`), read in place as a filled cache.
 */

import { fetchDataset, loadLareqa, loadSquadExplorer } from "../datasets/mod.ts";
import { Bm25Index, bm25Run, candidateDocs, paragraphCandidates } from "../tasks/bm25/mod.ts";
import { buildTrainingSet } from "../tasks/trainset/mod.ts";

const MIRROR = Deno.env.get("CSCLIR_MIRROR") ?? "../shared/mirror";
const squad = await loadSquadExplorer(
  await fetchDataset("squad/v1.1/train", { cacheDir: MIRROR, offline: true, progress: false }),
);
const en = await loadLareqa(
  (await fetchDataset("xquad-r/en", { cacheDir: MIRROR, offline: true, progress: false })).data,
  "en",
  "position",
);
const zh = await loadLareqa(
  (await fetchDataset("xquad-r/zh", { cacheDir: MIRROR, offline: true, progress: false })).data,
  "zh",
  "position",
);

const sentences = squad.paragraphs.flatMap((p) =>
  p.sentences.map((text, j) => ({ id: `${p.id}.${j}`, text }))
);
const squadIndex = Bm25Index.build(sentences, { lang: "en" });
const questions = squad.questions.slice(0, 1000).map((q) => q.text);

Deno.bench(`bm25 build: SQuAD train sentences (${sentences.length} docs)`, { n: 3 }, () => {
  Bm25Index.build(sentences, { lang: "en" });
});

Deno.bench(`bm25 build: XQuAD-R zh sentences (${zh.documents.length} docs, ICU)`, () => {
  Bm25Index.build(zh.documents.map((d) => ({ id: d.docid, text: d.text })), { lang: "zh" });
});

Deno.bench(`bm25 search: ${questions.length} SQuAD questions, top 45 of 94k sentences`, () => {
  for (const q of questions) squadIndex.search(q, 45);
});

Deno.bench(`candidates: XQuAD-R en top-10 paragraphs (${en.queries.length} queries)`, () => {
  paragraphCandidates(en, 10);
});

const paras = paragraphCandidates(en, 10);
const zhCands = candidateDocs(zh, paras);
Deno.bench(`bm25 baseline run: XQuAD-R zh over candidates (${zh.queries.length} queries)`, () => {
  bm25Run(zh.queries, zh, zhCands);
});

Deno.bench("trainset: build 2,000 questions (index over all 94k sentences)", { n: 3 }, () => {
  buildTrainingSet(squad, { seed: 1, maxQuestions: 2000 });
});
