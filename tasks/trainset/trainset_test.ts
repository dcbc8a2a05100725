import assert from "node:assert/strict";
import { join } from "node:path";
import { OptionError, type TrainingInstance, writeTrainingInstances } from "../util/mod.ts";
import { fetchDataset, loadSquadExplorer } from "../../datasets/mod.ts";
import { buildTrainingSet, buildTrainingSetWithCounts, type TrainCorpus } from "./trainset.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

const TOPICS = ["river", "castle", "engine", "violin", "glacier", "harbor", "comet", "orchard"];

/** A corpus of 8 paragraphs (1-6 sentences) with 3 questions each, answer "answerN". */
function fixture(): TrainCorpus {
  const corpus: TrainCorpus = { paragraphs: [], questions: [] };
  TOPICS.forEach((topic, p) => {
    const n = 1 + (p % 6);
    const sentences = Array.from(
      { length: n },
      (_, j) => `The ${topic} sentence ${j} mentions ${topic} fact${p}x${j} and more words.`,
    );
    const id = `para.${p}`; // a dot in the id must not confuse pid handling
    corpus.paragraphs.push({ id, sentences });
    for (let k = 0; k < 3; k++) {
      const a = (p + k) % n;
      corpus.questions.push({
        qid: `q${p}-${k}`,
        text: `Which sentence mentions ${topic} fact${p}x${a}?`,
        paragraphId: id,
        answerSentence: a,
        answer: `fact${p}x${a}`,
      });
    }
  });
  return corpus;
}

function byQuestion(instances: TrainingInstance[]): Map<string, TrainingInstance[]> {
  const m = new Map<string, TrainingInstance[]>();
  for (const t of instances) m.set(t.qid, [...m.get(t.qid) ?? [], t]);
  return m;
}

Deno.test("trainset: 1 positive : 4 negatives, never the positive, paper's record shape", () => {
  const corpus = fixture();
  const { instances, counts } = buildTrainingSetWithCounts(corpus, { seed: 1 });
  assert.equal(counts.questions, 24);
  assert.equal(counts.instances, 120);
  assert.equal(counts.positives, 24);
  assert.equal(
    counts.paragraphNegatives + counts.bm25Negatives + counts.randomNegatives,
    96,
  );
  // Default mix: 1 random, BM25 tops the paragraph's up to 3.
  assert.equal(counts.randomNegatives, 24, JSON.stringify(counts));
  assert.equal(counts.paragraphNegatives + counts.bm25Negatives, 72, JSON.stringify(counts));
  assert.ok(counts.bm25Negatives > 0, JSON.stringify(counts));
  assert.deepEqual(Object.keys(instances[0]), ["qid", "query", "pid", "passage", "label"]);
  const paras = new Map(corpus.paragraphs.map((p) => [p.id, p]));
  for (const q of corpus.questions) {
    const group = byQuestion(instances).get(q.qid)!;
    assert.equal(group.length, 5);
    const pos = group.filter((t) => t.label === 1);
    assert.equal(pos.length, 1);
    assert.equal(pos[0].pid, `${q.paragraphId}.${q.answerSentence}`);
    assert.equal(pos[0].passage, paras.get(q.paragraphId)!.sentences[q.answerSentence]);
    const negs = group.filter((t) => t.label === 0);
    assert.equal(new Set(negs.map((t) => t.pid)).size, 4);
    for (const t of negs) {
      assert.notEqual(t.pid, pos[0].pid);
      assert.notEqual(t.passage, pos[0].passage);
      const own = t.pid.startsWith(`${q.paragraphId}.`);
      // Negatives from other paragraphs never contain the answer string.
      if (!own) assert.ok(!t.passage.includes(q.answer!), t.passage);
    }
    const own = negs.filter((t) => t.pid.startsWith(`${q.paragraphId}.`)).length;
    // Up to 2 from the paragraph (fewer when it is short), BM25 fills up to 3.
    assert.equal(own, Math.min(2, paras.get(q.paragraphId)!.sentences.length - 1));
  }
});

Deno.test("trainset: BM25 negatives come from the best hits of other paragraphs", () => {
  const corpus: TrainCorpus = {
    paragraphs: [
      { id: "a", sentences: ["Paris is the capital of France.", "It has many museums."] },
      { id: "b", sentences: ["France borders Spain.", "The capital city hosts parliament."] },
      { id: "c", sentences: ["Bananas are yellow.", "Oranges are round."] },
    ],
    questions: [{
      qid: "q",
      text: "What is the capital of France?",
      paragraphId: "a",
      answerSentence: 0,
      answer: "Paris",
    }],
  };
  const out = buildTrainingSet(corpus, {
    seed: 3,
    negatives: 2,
    fromParagraph: 0,
    pool: 2,
    random: 0,
  });
  assert.deepEqual(out.filter((t) => t.label === 0).map((t) => t.pid).sort(), ["b.0", "b.1"]);
  // No shared term with other paragraphs: the fallback draws random sentences elsewhere.
  const lonely = { ...corpus, questions: [{ ...corpus.questions[0], text: "Zzz?" }] };
  const { instances, counts } = buildTrainingSetWithCounts(lonely, {
    seed: 3,
    negatives: 3,
    fromParagraph: 1,
    random: 0,
  });
  assert.deepEqual([counts.paragraphNegatives, counts.bm25Negatives, counts.randomNegatives], [
    1,
    0,
    2,
  ]);
  assert.equal(instances.filter((t) => t.label === 0 && t.pid.startsWith("a.")).length, 1);
  assert.throws(() => buildTrainingSet(corpus, { seed: 1, negatives: 0 }), OptionError);
  assert.throws(() => buildTrainingSet(corpus, { seed: 1, maxQuestions: 1.5 }), OptionError);
});

Deno.test("trainset: `random` negatives replace BM25 ones, drawn from other paragraphs", () => {
  const corpus = fixture();
  const paras = new Map(corpus.paragraphs.map((p) => [p.id, p]));
  const { instances, counts } = buildTrainingSetWithCounts(corpus, { seed: 1, random: 1 });
  assert.equal(counts.instances, 120);
  assert.equal(counts.randomNegatives, 24); // the fixture's BM25 pools never run dry
  const base = buildTrainingSetWithCounts(corpus, { seed: 1, random: 0 }).counts;
  assert.equal(counts.paragraphNegatives, base.paragraphNegatives);
  assert.equal(counts.bm25Negatives, base.bm25Negatives - 24);
  for (const q of corpus.questions) {
    const negs = byQuestion(instances).get(q.qid)!.filter((t) => t.label === 0);
    assert.equal(new Set(negs.map((t) => t.passage)).size, 4);
    const own = negs.filter((t) => t.pid.startsWith(`${q.paragraphId}.`)).length;
    assert.equal(own, Math.min(2, paras.get(q.paragraphId)!.sentences.length - 1));
    for (const t of negs) {
      if (!t.pid.startsWith(`${q.paragraphId}.`)) assert.ok(!t.passage.includes(q.answer!));
    }
  }
  // All non-paragraph negatives random: no BM25 draws at all.
  const all = buildTrainingSetWithCounts(corpus, { seed: 1, random: 4 }).counts;
  assert.equal(all.bm25Negatives, 0);
  assert.equal(all.randomNegatives, 96 - all.paragraphNegatives);
  assert.throws(() => buildTrainingSet(corpus, { seed: 1, random: -1 }), OptionError);
});

Deno.test("trainset: same seed => same bytes; another seed => other bytes", () =>
  withTempDir(async (dir) => {
    const corpus = fixture();
    const paths = [1, 1, 2].map((_, i) => join(dir, `t${i}.jsonl`));
    await writeTrainingInstances(paths[0], buildTrainingSet(corpus, { seed: 1 }));
    await writeTrainingInstances(paths[1], buildTrainingSet(fixture(), { seed: 1 }));
    await writeTrainingInstances(paths[2], buildTrainingSet(corpus, { seed: 2 }));
    const [a, b, c] = await Promise.all(paths.map((p) => Deno.readFile(p)));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const lines = new TextDecoder().decode(a).trimEnd().split("\n");
    assert.equal(lines.length, 120);
    assert.deepEqual(Object.keys(JSON.parse(lines[0])), [
      "qid",
      "query",
      "pid",
      "passage",
      "label",
    ]);
    // Shuffled: the first five lines are not one question's group.
    assert.ok(new Set(lines.slice(0, 5).map((l) => JSON.parse(l).qid)).size > 1);
    // No temporary file is left beside the output.
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).length, 3);
  }));

Deno.test("trainset: maxQuestions samples questions without changing their negatives", () => {
  const corpus = fixture();
  const full = byQuestion(buildTrainingSet(corpus, { seed: 5 }));
  const { instances, counts } = buildTrainingSetWithCounts(corpus, { seed: 5, maxQuestions: 7 });
  assert.equal(counts.questions, 7);
  assert.equal(instances.length, 35);
  const sort = (xs: TrainingInstance[]) => [...xs].sort((x, y) => x.pid < y.pid ? -1 : 1);
  for (const [qid, group] of byQuestion(instances)) {
    assert.deepEqual(sort(group), sort(full.get(qid)!));
  }
});

Deno.test("trainset: real SQuAD v1.1 train sample keeps every invariant", async () => {
  const mirror = new URL("../../../shared/mirror", import.meta.url).pathname;
  // The mirror has the cache's layout, so it is read in place (nothing is copied).
  const files = await fetchDataset("squad/v1.1/train", {
    cacheDir: mirror,
    offline: true,
    progress: false,
  });
  const squad = await loadSquadExplorer(files);
  const { instances, counts } = buildTrainingSetWithCounts(squad, {
    seed: 1,
    maxQuestions: 300,
    random: 0,
  });
  assert.equal(counts.questions, 300);
  assert.equal(instances.length, 1500);
  assert.equal(counts.randomNegatives, 0);
  assert.ok(counts.bm25Negatives >= 600, JSON.stringify(counts));
  const questions = new Map(squad.questions.map((q) => [q.qid, q]));
  for (const [qid, group] of byQuestion(instances)) {
    const q = questions.get(qid)!;
    const pos = group.find((t) => t.label === 1)!;
    assert.equal(pos.pid, `${q.paragraphId}.${q.answerSentence}`);
    assert.ok(pos.passage.includes(q.answer), `${qid}: positive lacks the answer`);
    for (const t of group.filter((t) => t.label === 0)) {
      assert.notEqual(t.passage, pos.passage);
      if (!t.pid.startsWith(`${q.paragraphId}.`)) {
        assert.ok(!t.passage.toLowerCase().includes(q.answer.toLowerCase()), t.passage);
      }
    }
  }
});
