import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../tasks/util/mod.ts";
import { XQUAD_R_LANGS } from "./catalogue.ts";
import { fetchDataset } from "./download.ts";
import { loadLareqa, parseLareqa, parseLareqaReadmeTable } from "./lareqa.ts";
import { mirrorDir } from "../tasks/fixtures/test_mirror.ts";

async function fromMirror(id: string) {
  const cacheDir = await Deno.makeTempDir({ prefix: "csclir-lareqa-" });
  const files = await fetchDataset(id, { cacheDir, mirror: await mirrorDir(), offline: true });
  return { files, cleanup: () => Deno.remove(cacheDir, { recursive: true }) };
}

Deno.test("XQuAD-R on the mirror: 11 x 1,190 questions, candidates as in the LAReQA README", async () => {
  const { files: en, cleanup } = await fromMirror("xquad-r/en");
  const table = parseLareqaReadmeTable(await Deno.readTextFile(en.readme));
  assert.equal(table.size, 11);
  const english = await loadLareqa(en.data, "en", "position");
  const docGroup = new Map(english.documents.map((d) => [d.docid, d.groupId]));
  try {
    for (const lang of XQUAD_R_LANGS) {
      const { files, cleanup: done } = await fromMirror(`xquad-r/${lang}`);
      const set = await loadLareqa(files.data, lang, "position");
      await done();
      assert.equal(set.queries.length, 1190, lang);
      assert.equal(set.documents.length, table.get(lang)!.candidates, lang);
      assert.equal(set.qrels.length, 1190);
      assert.equal(set.paragraphs.length, 240);
      // Questions and paragraphs are shared across languages: the relevant
      // sentence lies in the paragraph with the same id as in English.
      assert.deepEqual(set.queries.map((q) => q.qid), english.queries.map((q) => q.qid));
      const group = new Map(set.documents.map((d) => [d.docid, d.groupId]));
      set.qrels.forEach((r, i) => {
        assert.equal(group.get(r.docid), docGroup.get(english.qrels[i].docid), `${lang} ${r.qid}`);
      });
      assert.ok(set.documents.every((d) => d.lang === lang && d.docid.startsWith(`${d.groupId}.`)));
    }
  } finally {
    await cleanup();
  }
});

Deno.test("the relevant sentence is the one whose span holds the answer start", async () => {
  const { files, cleanup } = await fromMirror("xquad-r/en");
  try {
    const raw = JSON.parse(await Deno.readTextFile(files.data));
    const set = await loadLareqa(files.data, "en", "position");
    const text = new Map(set.documents.map((d) => [d.docid, d.text]));
    const p = raw.data[0].paragraphs[0];
    for (const [i, qa] of p.qas.entries()) {
      const answer = qa.answers[0];
      const sentence = text.get(set.qrels[i].docid)!;
      assert.ok(sentence.includes(answer.text), `${answer.text} not in ${sentence}`);
    }
  } finally {
    await cleanup();
  }
});

Deno.test("MLQA-R on the mirror: 7 languages, paragraph ids named after their lowest question id", async () => {
  const want: Record<string, [number, number]> = {
    ar: [517, 2545],
    de: [512, 2362],
    en: [1148, 6264],
    es: [500, 1787],
    hi: [507, 2426],
    vi: [511, 2828],
    zh: [504, 2322],
  };
  for (const [lang, [questions, candidates]] of Object.entries(want)) {
    const { files, cleanup } = await fromMirror(`mlqa-r/dev/${lang}`);
    const set = await loadLareqa(files.data, lang, "first-question");
    await cleanup();
    assert.equal(set.queries.length, questions, lang);
    assert.equal(set.documents.length, candidates, lang);
    assert.ok(set.paragraphs.every((p) => /^q:[0-9a-f]{40}$/.test(p.id)));
  }
});

Deno.test("malformed LAReQA JSON names file and line", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "bad.json");
  await Deno.writeTextFile(path, '{\n  "data": [\n    {"title": "x",,}\n  ]\n}\n');
  try {
    await assert.rejects(
      loadLareqa(path, "en", "position"),
      (e) => e instanceof InputError && e.file === path && e.line === 3,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(
    () =>
      parseLareqa(
        { data: [{ paragraphs: [{ sentences: ["a"], sentence_breaks: [], qas: [] }] }] },
        "f.json",
        "en",
        "position",
      ),
    /f\.json: data\[0\]\.paragraphs\[0\]: expected sentences and sentence_breaks/,
  );
});
