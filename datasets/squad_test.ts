import assert from "node:assert/strict";
import { InputError } from "../tasks/util/mod.ts";
import { fetchDataset } from "./download.ts";
import { answerSentence, loadSquadExplorer, parseExplorerPage, splitSentences } from "./squad.ts";
import { mirrorDir } from "../tasks/fixtures/test_mirror.ts";
import { withTempDir } from "../tasks/fixtures/temp_dir.ts";

Deno.test("SQuAD v1.1 train from the mirrored explorer pages: 442 / 18,896 / 87,599", () =>
  withTempDir(async (cacheDir) => {
    const files = await fetchDataset("squad/v1.1/train", {
      cacheDir,
      mirror: await mirrorDir(),
      offline: true,
    });
    const set = await loadSquadExplorer(files);
    assert.equal(set.articles, 442);
    assert.equal(set.paragraphs.length, 18896);
    assert.equal(set.total, 87599);
    assert.equal(set.questions.length + set.dropped.ambiguous + set.dropped.notFound, 87599);
    // The README: about 11% of answers occur more than once in their paragraph,
    // so several thousand are ambiguous, and most questions are kept.
    assert.ok(set.dropped.ambiguous > 4000 && set.dropped.ambiguous < 11000);
    assert.ok(set.questions.length > 75000);
    const paras = new Map(set.paragraphs.map((p) => [p.id, p]));
    for (const q of set.questions.slice(0, 2000)) {
      const p = paras.get(q.paragraphId)!;
      assert.ok(p.sentences[q.answerSentence].includes(q.answer.trim()), q.qid);
    }
    assert.ok(!set.paragraphs.some((p) => /&(amp|quot|#\d+);/.test(p.text)), "HTML unescaped");
    assert.equal(set.paragraphs[0].title, "University_of_Notre_Dame");
  }, { prefix: "csclir-squad-" }));

Deno.test("answer sentences: one sentence kept, two ambiguous, none not found", () => {
  const text = "Paris is big. Lyon is smaller than Paris. It rains in Lyon, Lyon!";
  const spans = splitSentences(text);
  assert.deepEqual(spans.map((s) => s.text), [
    "Paris is big.",
    "Lyon is smaller than Paris.",
    "It rains in Lyon, Lyon!",
  ]);
  assert.equal(answerSentence(text, spans, "big"), 0);
  assert.equal(answerSentence(text, spans, "Paris"), "ambiguous");
  assert.equal(answerSentence(text, spans, "It rains"), 2);
  assert.equal(answerSentence(text, spans, "big. Lyon"), "not-found");
  assert.equal(answerSentence(text, spans, "Marseille"), "not-found");
});

Deno.test("explorer pages: entities unescaped, malformed pages name file and line", () => {
  const page = parseExplorerPage(
    '<h1 id="title">A &amp; B</h1><pre>Tom &quot;T&quot; Smith.</pre>' +
      '<strong class="question">Who?</strong><span class="answer">Tom &quot;T&quot;</span>',
    "a.html",
  );
  assert.deepEqual(page, {
    title: "A & B",
    paragraphs: [{ text: 'Tom "T" Smith.', qas: [{ question: "Who?", answers: ['Tom "T"'] }] }],
  });
  assert.throws(
    () =>
      parseExplorerPage('<h1 id="title">x</h1>\n\n<strong class="question">Q</strong>', "b.html"),
    (e) => e instanceof InputError && e.file === "b.html" && e.line === 3,
  );
});
