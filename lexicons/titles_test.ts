import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError, terms } from "../tasks/util/mod.ts";
import { isStopwordTerm, STOPWORD_LANGS, stopwords } from "./stopwords.ts";
import {
  buildTitleLexicon,
  cleanTitle,
  dbpediaLang,
  dbpediaTitle,
  fromArray,
  joinLabels,
  readDbpAlignment,
  readMlamaLabels,
  readTitleFile,
  readTitleTsv,
  readTitleXml,
} from "./titles.ts";
import { withTempDir } from "../tasks/fixtures/temp_dir.ts";

const GH = new URL("../../shared/mirror/raw.githubusercontent.com/", import.meta.url).pathname;
const SRPRS = join(GH, "DexterZeng/CEA/dfdc53e2c4073fbcb9d23bad3dde7a798fe0d81a/data/en_de_15k_V1");
const DBP15K = join(GH, "1049451037/GCN-Align/4fc90c438e5a609b96df03daff170fbcf03fde94/data/zh_en");
const MLAMA = join(GH, "GpNico/prompts/042c6c8d0fd629983e31790f6b963ef0191ba68d/data/mlama1.1");
const files = (dir: string) => ({
  ent1: join(dir, "ent_ids_1"),
  ent2: join(dir, "ent_ids_2"),
  ref: join(dir, "ref_ent_ids"),
});

Deno.test("title cleaning: lower-case, namespace, disambiguation", () => {
  assert.equal(cleanTitle("Westbury (New York)"), "westbury");
  assert.equal(cleanTitle("Kategorie:Berlin"), "berlin");
  assert.equal(cleanTitle("Star Wars: Episode IV"), "star wars: episode iv");
  assert.equal(cleanTitle("民族陣線 (法國)"), "民族陣線");
  assert.equal(cleanTitle("Ångström  (unit)  x"), "ångström x");
});

Deno.test("DBpedia URIs: decoded titles and languages from the host", () => {
  assert.equal(dbpediaTitle("http://dbpedia.org/resource/Caf%C3%A9_de_Flore"), "Café de Flore");
  assert.equal(dbpediaTitle("http://dbpedia.org/resource/AC/DC"), "AC/DC");
  assert.equal(dbpediaTitle("http://dbpedia.org/resource/100%_Pure"), "100% Pure");
  assert.equal(dbpediaLang("http://de.dbpedia.org/resource/X"), "de");
  assert.equal(dbpediaLang("http://dbpedia.org/resource/X"), "en");
  assert.equal(dbpediaLang("http://example.org/X"), undefined);
});

Deno.test("real SRPRS en-de and DBP15K zh-en alignments, oriented en -> x", async () => {
  const de = await readDbpAlignment(files(SRPRS), "en", "de");
  assert.equal(de.length, 15000);
  assert.deepEqual(de[0], ["Westbury, New York", "Westbury (New York)"]);
  const zh = await readDbpAlignment(files(DBP15K), "en", "zh");
  assert.equal(zh.length, 15000);
  assert.deepEqual(zh[0], ["Abdullah Gül", "阿卜杜拉·居尔"]);
  await assert.rejects(
    readDbpAlignment(files(SRPRS), "en", "fr"),
    /alignment is en-de, expected en-fr/,
  );
});

Deno.test("real mLAMA files: labels joined on Wikidata ids", async () => {
  const rel = (l: string) => ["train", "dev"].map((s) => join(MLAMA, `${l}/P101/${s}.jsonl`));
  const en = await readMlamaLabels(rel("en"));
  const de = await readMlamaLabels(rel("de"));
  assert.ok(en.size > 100);
  assert.match([...en.keys()][0], /^Q\d+$/);
  const pairs = joinLabels(en, de);
  assert.ok(pairs.length > 100);
  // Q23498 is archaeology in every language.
  assert.deepEqual(pairs.find(([s]) => s === "archaeology"), ["archaeology", "Archäologie"]);
});

Deno.test("malformed alignment and mLAMA lines name file and line", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "ent_ids_1"), "0\thttp://dbpedia.org/resource/A\n");
  await Deno.writeTextFile(join(dir, "ent_ids_2"), "9\thttp://de.dbpedia.org/resource/B\n");
  await Deno.writeTextFile(join(dir, "ref_ent_ids"), "0\t9\n0\t7\n");
  await assert.rejects(readDbpAlignment(files(dir), "en", "de"), (e) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.line, 2);
    return true;
  });
  const ml = join(dir, "train.jsonl");
  await Deno.writeTextFile(
    ml,
    '{"sub_uri":"Q1","sub_label":"a","obj_uri":"Q2","obj_label":"b"}\n{"sub_uri":"Q3"}\n',
  );
  await assert.rejects(
    readMlamaLabels([ml]),
    /train\.jsonl:2: expected string fields sub_uri and sub_label/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("wikititles TSV (gzip) and title lexicon cleaning counts", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "wikititles-v1.de-en.tsv.gz");
  const rows = [
    "Berlin\tBerlin",
    "Vereinigte Staaten\tUnited States",
    "Liste der Städte in Deutschland nach Einwohnerzahl\tList of cities in Germany by population",
    "Kategorie:Physik\tCategory:Physics",
    "Die Welt (Zeitung)\tDie Welt",
    "Über\tAbout",
    "Haus\tHouse (TV series)",
    "Wohnhaus\tHouse",
  ];
  await Deno.writeFile(path, gzipSync(new TextEncoder().encode(rows.join("\n") + "\n")));
  const { lexicon, counts } = await buildTitleLexicon("en", "de", [readTitleTsv(path, 1)]);
  assert.deepEqual([...lexicon.entries], [
    ["united states", ["vereinigte staaten"]],
    ["physics", ["physik"]],
    ["house", ["haus", "wohnhaus"]],
  ]);
  assert.deepEqual(counts, {
    pairs: 8,
    kept: 4,
    empty: 0,
    tooLong: 1,
    stopwordOnly: 1,
    identical: 2,
    duplicates: 0,
  });
  assert.equal(lexicon.maxNgram, 2);
  const loose = await buildTitleLexicon("en", "de", [fromArray([["About", "Über"]])], {
    dropStopwordOnly: false,
  });
  assert.deepEqual(loose.lexicon.entries.get("about"), ["über"]);
  await Deno.writeTextFile(join(dir, "bad.tsv"), "a\tb\tc\n");
  await assert.rejects(
    buildTitleLexicon("en", "de", [readTitleTsv(join(dir, "bad.tsv"), 0)]),
    /bad\.tsv:1: expected 2 tab-separated titles, got 3/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("wikititles XML (gzip): title elements, name attributes, entities, orientation", () =>
  withTempDir(async (dir) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<wikititles lang1="de" lang2="en">
  <entry id="1"><title lang="de">Vereinigte Staaten</title><title lang="en">United States</title></entry>
  <entry id="2">
    <title xml:lang="EN">Johnson &amp; Johnson</title>
    <title xml:lang="de-DE"><![CDATA[Johnson & Johnson (Unternehmen)]]></title>
  </entry>
  <articlePair id="3">
    <article lang="de" name="Kategorie:Physik"><content>Text, not the title.</content></article>
    <article lang="en" name="Category:Physics"><content>Other text.</content></article>
  </articlePair>
  <pair><de>Nordsee</de><en>North Sea</en></pair>
</wikititles>
`;
    const tmx = `<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.0"><header srclang="de" adminlang="en" o-tmf="unknown"/><body>
<tu><tuv xml:lang="de"><seg>Schwarzwald</seg></tuv><tuv xml:lang="en"><seg>Black Forest</seg></tuv></tu>
</body></tmx>
`;
    const path = join(dir, "wikititles-de-en.xml.gz");
    await Deno.writeFile(path, gzipSync(new TextEncoder().encode(xml)));
    const pairs = [
      ["United States", "Vereinigte Staaten"],
      ["Johnson & Johnson", "Johnson & Johnson (Unternehmen)"],
      ["Category:Physics", "Kategorie:Physik"],
      ["North Sea", "Nordsee"],
    ];
    assert.deepEqual(await Array.fromAsync(readTitleXml(path, "en", "de")), pairs);
    const tmxPath = join(dir, "LinguaTools-WikiTitles.de-en.tmx");
    await Deno.writeTextFile(tmxPath, tmx);
    assert.deepEqual(await Array.fromAsync(readTitleFile(tmxPath, "en", "de")), [
      ["Black Forest", "Schwarzwald"],
    ]);
    assert.deepEqual(
      await Array.fromAsync(readTitleFile(path, "de", "en")),
      pairs.map(([a, b]) => [b, a]),
    );
    const { lexicon } = await buildTitleLexicon("en", "de", [readTitleXml(path, "en", "de")], {
      dropIdentical: false,
    });
    assert.deepEqual([...lexicon.entries], [
      ["united states", ["vereinigte staaten"]],
      ["johnson johnson", ["johnson & johnson"]],
      ["physics", ["physik"]],
      ["north sea", ["nordsee"]],
    ]);
  }));

Deno.test("wikititles XML: malformed XML and one-sided entries name file and line", () =>
  withTempDir(async (dir) => {
    const bad = join(dir, "bad.xml");
    await Deno.writeTextFile(
      bad,
      `<t>\n<e><title lang="de">A</title><title lang="en">B</title></e>\n<e><title lang="de">C</e>\n</t>\n`,
    );
    await assert.rejects(
      Array.fromAsync(readTitleXml(bad, "en", "de")),
      (e) =>
        e instanceof InputError && e.file === bad && e.line === 3 &&
        /well-formed XML/.test(e.message),
    );
    const oneSided = join(dir, "one.xml");
    await Deno.writeTextFile(
      oneSided,
      `<t>\n<e><title lang="de">A</title><title lang="en">B</title></e>\n<e>\n<title lang="de">C</title>\n<title lang="fr">D</title></e>\n</t>\n`,
    );
    await assert.rejects(
      Array.fromAsync(readTitleXml(oneSided, "en", "de")),
      (e) =>
        e instanceof InputError && e.file === oneSided && e.line === 3 &&
        /<e> to hold titles in en and de, got de, fr/.test(e.message),
    );
  }));

Deno.test("readTitleFile: TSV columns from a WMT-style name; other names are refused", () =>
  withTempDir(async (dir) => {
    const tsv = join(dir, "wikititles-v1.de-en.tsv");
    await Deno.writeTextFile(tsv, "Katze\tCat\n");
    assert.deepEqual(await Array.fromAsync(readTitleFile(tsv, "en", "de")), [["Cat", "Katze"]]);
    assert.deepEqual(await Array.fromAsync(readTitleFile(tsv, "de", "en")), [["Katze", "Cat"]]);
    assert.throws(() => readTitleFile(tsv, "en", "ru"), /expected titles in en and ru, got de,en/);
    assert.throws(
      () => readTitleFile(join(dir, "titles.txt"), "en", "de"),
      (e) => e instanceof InputError && /titles\.txt: expected a titles file named/.test(e.message),
    );
  }));

Deno.test("stopword lists: every profile language, single lower-case tokens", () => {
  for (const l of ["en", "de", "ru", "ar", "es", "zh", "el", "hi", "th", "tr", "vi"]) {
    assert.ok(STOPWORD_LANGS.includes(l), l);
    const set = stopwords(l);
    assert.ok(set.size >= 50, `${l}: ${set.size}`);
    for (const w of set) assert.deepEqual(terms(w, l), [w], `${l}: ${w}`);
  }
  assert.ok(stopwords("en").has("the") && stopwords("de").has("und") && stopwords("zh").has("的"));
  assert.ok(isStopwordTerm("of the", "en"));
  assert.ok(!isStopwordTerm("the house", "en"));
  assert.throws(() => stopwords("xx"), /no stopword list for language "xx"/);
});
