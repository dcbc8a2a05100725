import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError, OptionError } from "../util/mod.ts";
import {
  buildMsmarcoTrainingSet,
  buildTranslatedTrainingSet,
  fetchMmarcoEvalSets,
  fetchMsmarcoTrainingSet,
  loadMmarcoEvalSets,
} from "./mmarco_data.ts";
import {
  type HashLock,
  placeEvalFiles,
  placeTrainFiles,
  tarGz,
  tsv,
  writeEvalFiles,
  writeTrainFiles,
} from "../fixtures/mmarco_fixture.ts";
import { MMARCO } from "./mmarco.ts";
import { pairSet } from "./rerank_sets.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

/** Train fixture: 12 shuffled-looking triples over 6 queries, a collection of 40 passages. */
const TRIPLES = [
  [10, 1, 20],
  [11, 2, 21],
  [10, 1, 22],
  [12, 3, 23],
  [13, 4, 24],
  [11, 2, 25],
  [14, 5, 26],
  [15, 6, 27],
  [10, 1, 28],
  [12, 3, 29],
  [13, 4, 30],
  [14, 5, 31],
];

const trainFixture = (dir: string) =>
  writeTrainFiles(dir, {
    triples: TRIPLES,
    queries: Array.from({ length: 10 }, (_, i) => [10 + i, `query ${10 + i}`]),
    collection: Array.from({ length: 40 }, (_, i) => [i, `passage ${i}\twith a tab`]),
  });

const rec = (qid: number, pid: number, label: 0 | 1) =>
  JSON.stringify({
    qid: String(qid),
    query: `query ${qid}`,
    pid: String(pid),
    passage: `passage ${pid}\twith a tab`,
    label,
  }) + "\n";

Deno.test("MS MARCO training set: one record per triple, every 5th the positive", () =>
  withTempDir(async (dir) => {
    const files = await trainFixture(dir);
    const out = join(dir, "out", "train.jsonl");
    const counts = await buildMsmarcoTrainingSet(files, out, { maxTriples: 7 });
    assert.deepEqual(counts, {
      triples: 7,
      instances: 7,
      positives: 2,
      negatives: 5,
      queries: 5,
      passages: 7,
    });
    const text = await Deno.readTextFile(out);
    assert.equal(
      text,
      rec(10, 1, 1) + rec(11, 21, 0) + rec(10, 22, 0) + rec(12, 23, 0) + rec(13, 24, 0) +
        rec(11, 2, 1) + rec(14, 26, 0),
    );
    // Same inputs, same bytes.
    const again = join(dir, "again.jsonl");
    await buildMsmarcoTrainingSet(files, again, { maxTriples: 7 });
    assert.deepEqual(await Deno.readFile(again), await Deno.readFile(out));
    // A cap beyond the file takes every triple.
    const all = await buildMsmarcoTrainingSet(files, join(dir, "all.jsonl"), { maxTriples: 1e6 });
    assert.equal(all.triples, 12);
    assert.equal(all.positives, 3);
    assert.equal((await Deno.readTextFile(join(dir, "all.jsonl"))).split("\n").length, 13);
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(),
      ["again.jsonl", "all.jsonl", "collection.tsv", "out", "queries.train.tsv", "triples.tsv.gz"],
    );
    await assert.rejects(
      buildMsmarcoTrainingSet(files, join(dir, "x.jsonl"), { maxTriples: 0 }),
      (e) => e instanceof OptionError && /maxTriples/.test(e.message),
    );
  }));

Deno.test("Fine-tuning set: each record's query and passage from a drawn language's translation", () =>
  withTempDir(async (dir) => {
    const files = await trainFixture(dir);
    const english = join(dir, "train.jsonl");
    await buildMsmarcoTrainingSet(files, english, { maxTriples: 12 });
    const translated: Record<string, { queries: string; collection: string }> = {};
    for (const lang of ["de", "ru"]) {
      translated[lang] = {
        queries: join(dir, `${lang}_q.tsv`),
        collection: join(dir, `${lang}_c.tsv`),
      };
      // Only the ids the records use, in another order, and some never needed.
      await Deno.writeTextFile(
        translated[lang].queries,
        tsv([15, 14, 13, 12, 11, 10, 99].map((q) => [q, `${lang} query ${q}`])),
      );
      await Deno.writeTextFile(
        translated[lang].collection,
        tsv(Array.from({ length: 40 }, (_, i) => [39 - i, `${lang} passage ${39 - i}`])),
      );
    }
    const out = join(dir, "ft.jsonl");
    const langs = ["en", "de", "ru"];
    const counts = await buildTranslatedTrainingSet(english, translated, out, { langs, seed: 3 });
    assert.equal(counts.records, 12);
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    assert.equal(sum(counts.queryLangs), 12);
    assert.equal(sum(counts.passageLangs), 12);
    const en = (await Deno.readTextFile(english)).trim().split("\n").map((l) => JSON.parse(l));
    const ft = (await Deno.readTextFile(out)).trim().split("\n").map((l) => JSON.parse(l));
    const seen = { query: new Set<string>(), passage: new Set<string>() };
    ft.forEach((r, i) => {
      // Ids and labels stay; texts are the English ones or a translation of the same ids.
      assert.deepEqual([r.qid, r.pid, r.label], [en[i].qid, en[i].pid, en[i].label]);
      const q = /^(de|ru) query (\d+)$/.exec(r.query);
      assert.ok(q ? q[2] === r.qid : r.query === en[i].query, r.query);
      const p = /^(de|ru) passage (\d+)$/.exec(r.passage);
      assert.ok(p ? p[2] === r.pid : r.passage === en[i].passage, r.passage);
      seen.query.add(q?.[1] ?? "en");
      seen.passage.add(p?.[1] ?? "en");
    });
    assert.equal(seen.query.size + seen.passage.size, 6, "every language on both sides");
    assert.equal(counts.queryLangs.de, ft.filter((r) => r.query.startsWith("de ")).length);
    // Same input and seed, same bytes; another seed, other draws.
    await buildTranslatedTrainingSet(english, translated, join(dir, "again.jsonl"), {
      langs,
      seed: 3,
    });
    assert.deepEqual(await Deno.readFile(join(dir, "again.jsonl")), await Deno.readFile(out));
    await buildTranslatedTrainingSet(english, translated, join(dir, "s4.jsonl"), {
      langs,
      seed: 4,
    });
    assert.notDeepEqual(await Deno.readFile(join(dir, "s4.jsonl")), await Deno.readFile(out));
    // A translation missing a needed id names its file; no output is left.
    await Deno.writeTextFile(translated.ru.collection, tsv([[0, "ru passage 0"]]));
    await assert.rejects(
      buildTranslatedTrainingSet(english, translated, join(dir, "bad.jsonl"), { langs, seed: 3 }),
      (e) => e instanceof InputError && e.message.includes("ru_c.tsv"),
    );
    await assert.rejects(Deno.stat(join(dir, "bad.jsonl")), Deno.errors.NotFound);
  }));

Deno.test("MS MARCO training set: bad or incomplete inputs name the file, leave no output", () =>
  withTempDir(async (dir) => {
    const files = await trainFixture(dir);
    const out = join(dir, "train.jsonl");
    await Deno.writeTextFile(files.collection, tsv([[1, "only one"], [21, "and two"]]));
    await assert.rejects(
      buildMsmarcoTrainingSet(files, out, { maxTriples: 3 }),
      (e) =>
        e instanceof InputError && e.file === files.collection &&
        /a passage for every id of the first 3 triples.*1 missing, e\.g\. \["22"\]/.test(e.message),
    );
    await Deno.writeTextFile(files.queries, tsv([[10, "q"]]));
    await assert.rejects(
      buildMsmarcoTrainingSet(files, out, { maxTriples: 3 }),
      (e) => e instanceof InputError && e.file === files.queries && /\["11"\]/.test(e.message),
    );
    const bad = join(dir, "bad.tsv");
    await Deno.writeTextFile(bad, "10\t1\t20\n11\t2\n");
    await assert.rejects(
      buildMsmarcoTrainingSet({ ...files, triples: bad }, out, { maxTriples: 5 }),
      (e) => e instanceof InputError && e.file === bad && e.line === 2,
    );
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(),
      ["bad.tsv", "collection.tsv", "queries.train.tsv", "triples.tsv.gz"],
    );
  }));

/** Eval fixture: 30 passages and 6 dev queries per language; qrels and top1000 shared. */
const QRELS = [[100, 0, 3, 1], [101, 0, 7, 1], [101, 0, 8, 1], [102, 0, 15, 1], [104, 0, 4, 1]];
// Not grouped by query, like the real file; 104 has no candidates, 999 is not in dev.small.
const TOP1000 = [
  [100, 3],
  [101, 5],
  [999, 11],
  [100, 1],
  [102, 1],
  [101, 7],
  [100, 2],
  [101, 9],
  [102, 2],
];

// English texts of top1000.dev: BM25 orders 100 as 3, 2, 1 and 101 as 7, 9, 5.
const QUERY_EN: Record<number, string> = {
  100: "red apple",
  101: "green tea",
  102: "blue sky",
  999: "none",
};
const PASSAGE_EN: Record<number, string> = {
  1: "blue sky",
  2: "apple tree",
  3: "red apple pie",
  5: "coffee",
  7: "green tea leaves",
  9: "green grass",
  11: "other",
};

const evalFixture = (dir: string, langs: string[]) =>
  writeEvalFiles(dir, {
    collections: Object.fromEntries(
      langs.map((l) => [l, Array.from({ length: 30 }, (_, i) => [i, `${l} passage ${i}`])]),
    ),
    queries: Object.fromEntries(
      langs.map((
        l,
      ) => [l, Array.from({ length: 6 }, (_, i) => [100 + i, `${l} query ${100 + i}`])]),
    ),
    qrels: QRELS,
    top1000: TOP1000.map(([q, p]) => [q, p, QUERY_EN[q], PASSAGE_EN[p]]),
  });

Deno.test("mMARCO eval sets: top1000 candidates in file order, translated passages", () =>
  withTempDir(async (dir) => {
    const { files, top1000 } = await evalFixture(dir, ["de", "en"]);
    const { sets, candidates } = await loadMmarcoEvalSets(MMARCO, files, top1000);
    assert.deepEqual([...candidates], [
      ["100", ["3", "1", "2"]],
      ["101", ["5", "7", "9"]],
      ["102", ["1", "2"]],
    ]);
    assert.deepEqual(sets.map((s) => s.lang), ["en", "de"]);
    const de = sets[1];
    assert.deepEqual(de.queries, [
      { qid: "100", text: "de query 100", lang: "de" },
      { qid: "101", text: "de query 101", lang: "de" },
      { qid: "102", text: "de query 102", lang: "de" },
    ]);
    // Candidates plus relevant passages (8 and 15 are judged but not candidates), collection order.
    assert.deepEqual(de.documents.map((d) => d.docid), ["1", "2", "3", "5", "7", "8", "9", "15"]);
    assert.deepEqual(de.documents[0], {
      docid: "1",
      text: "de passage 1",
      lang: "de",
      groupId: "1",
    });
    assert.ok(
      de.documents.every((d) => d.groupId === d.docid && d.text === `de passage ${d.docid}`),
    );
    assert.deepEqual(de.qrels, [
      { qid: "100", docid: "3", rel: 1 },
      { qid: "101", docid: "7", rel: 1 },
      { qid: "101", docid: "8", rel: 1 },
      { qid: "102", docid: "15", rel: 1 },
    ]);
    assert.deepEqual(
      sets[0].documents.map((d) => d.text),
      de.documents.map((d) => `en passage ${d.docid}`),
    );

    // Through settings.ts: 102 stays (its relevant passage is missing from the candidates).
    const task = pairSet(sets, candidates, { query: "en", doc: "de" }, true);
    assert.deepEqual(task.queries.map((q) => q.text), [
      "en query 100",
      "en query 101",
      "en query 102",
    ]);
    assert.deepEqual(task.candidates.get("102")!.map((d) => d.text), [
      "de passage 1",
      "de passage 2",
    ]);
    assert.deepEqual(task.qrels.filter((r) => r.qid === "102"), [{
      qid: "102",
      docid: "15",
      rel: 1,
    }]);

    const cut = await loadMmarcoEvalSets(MMARCO, files, top1000, { maxQueries: 2, depth: 2 });
    assert.deepEqual([...cut.candidates], [["100", ["3", "1"]], ["101", ["5", "7"]]]);
    assert.deepEqual(cut.sets[1].documents.map((d) => d.docid), ["1", "3", "5", "7", "8"]);
    assert.deepEqual(cut.sets[1].qrels.map((r) => r.qid), ["100", "101", "101"]);

    const bm25 = await loadMmarcoEvalSets(MMARCO, files, top1000, { depth: 2, order: "bm25" });
    assert.deepEqual([...bm25.candidates], [["100", ["3", "2"]], ["101", ["7", "9"]], [
      "102",
      ["1", "2"],
    ]]);
    const full = await loadMmarcoEvalSets(MMARCO, files, top1000, { order: "bm25" });
    assert.deepEqual(full.candidates.get("101"), ["7", "9", "5"]);
  }));

Deno.test("mMARCO eval sets: bad inputs are clear errors", () =>
  withTempDir(async (dir) => {
    const { files, top1000 } = await evalFixture(dir, ["en"]);
    await assert.rejects(
      loadMmarcoEvalSets(MMARCO, { ...files, xx: files.en }, top1000),
      (e) => e instanceof OptionError && /language.*"xx"/.test(e.message),
    );
    await assert.rejects(
      loadMmarcoEvalSets(MMARCO, files, top1000, { depth: 0 }),
      (e) => e instanceof OptionError && /depth/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: an unknown order, as an untyped caller could pass
      loadMmarcoEvalSets(MMARCO, files, top1000, { order: "rank" }),
      (e) =>
        e instanceof OptionError && /order: expected "file" or "bm25", got "rank"/.test(e.message),
    );
    const short = join(dir, "short.tsv");
    await Deno.writeTextFile(short, tsv(Array.from({ length: 10 }, (_, i) => [i, `p ${i}`])));
    await assert.rejects(
      loadMmarcoEvalSets(MMARCO, { en: { ...files.en, collection: short } }, top1000),
      (e) =>
        e instanceof InputError && e.file === short &&
        /every candidate and relevant passage; 1 missing, e\.g\. \["15"\]/.test(e.message),
    );
    const q = join(dir, "q.tsv");
    await Deno.writeTextFile(q, "100\tok\n101 no tab\n");
    await assert.rejects(
      loadMmarcoEvalSets(MMARCO, { en: { ...files.en, queries: q } }, top1000),
      (e) => e instanceof InputError && e.file === q && e.line === 2,
    );
    const badTop = join(dir, "bad.tar.gz");
    await Deno.writeFile(badTop, await tarGz("top1000.dev", "100\t3\tq\tp\n100\tx\tq\tp\n"));
    await assert.rejects(
      loadMmarcoEvalSets(MMARCO, files, badTop),
      (e) => e instanceof InputError && e.file === badTop && e.line === 2,
    );
  }));

Deno.test("fetch wrappers read the catalogue's files from a mirror", () =>
  withTempDir(async (root) => {
    const src = join(root, "src");
    await Deno.mkdir(src);
    const train = await trainFixture(src);
    const evalFiles = await evalFixture(src, ["en", "de"]);
    const { files, top1000 } = evalFiles;
    const mirror = join(root, "mirror");
    const lock: HashLock = {};
    // Hashes pinned up front: fetchDataset pins a dataset's files concurrently, and concurrent
    // pinHash calls on one lock file race (same temporary name in writeFileAtomic).
    const opts = async (name: string) => {
      const lockFile = join(root, `lock-${name}.json`);
      await Deno.writeTextFile(lockFile, JSON.stringify(lock));
      return {
        mirror,
        offline: true,
        cacheDir: join(root, `cache-${name}`),
        lockFile,
        progress: false,
      };
    };
    // The train collection and the English eval collection share a URL: one phase at a time.
    await placeTrainFiles(mirror, train, lock);
    const out = join(root, "train.jsonl");
    const counts = await fetchMsmarcoTrainingSet(MMARCO, out, await opts("train"), {
      maxTriples: 7,
    });
    assert.equal(counts.instances, 7);
    const direct = join(root, "direct.jsonl");
    await buildMsmarcoTrainingSet(train, direct, { maxTriples: 7 });
    assert.deepEqual(await Deno.readFile(out), await Deno.readFile(direct));

    await placeEvalFiles(mirror, evalFiles, lock);
    const evalOpts = await opts("eval");
    const fetched = await fetchMmarcoEvalSets(MMARCO, evalOpts, {
      langs: ["de", "en"],
      depth: 2,
    });
    assert.deepEqual(fetched, await loadMmarcoEvalSets(MMARCO, files, top1000, { depth: 2 }));
    assert.equal(fetched.sets[1].documents[0].text, "de passage 1");
    await assert.rejects(
      fetchMmarcoEvalSets(MMARCO, evalOpts, { langs: ["xx"] }),
      (e) => e instanceof OptionError && /"xx"/.test(e.message),
    );
  }));
