import assert from "node:assert/strict";
import { type Document, OptionError, type Query } from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";
import { lexiconTable } from "./codeswitch.ts";
import { translateCacheKey, translateTest, translateText } from "./translate.ts";

function lex(source: string, pairs: Record<string, string>): Lexicon {
  return {
    source,
    target: "en",
    maxNgram: 1,
    entries: new Map(Object.entries(pairs).map(([k, v]) => [k, [v, "unused"]])),
  };
}

const DE = lex("de", { das: "the", haus: "house", ist: "is", blau: "blue" });
const ZH = lex("zh", { "我": "I", "喜欢": "like", "北京": "Beijing" });

Deno.test("translateText replaces known terms with the first translation, keeps the rest", () => {
  const table = lexiconTable(DE);
  assert.equal(
    translateText("Das Haus ist grün, nicht blau!", "de", table),
    "the house is grün, nicht blue!",
  );
  assert.equal(translateText("  Kein Treffer.  ", "de", table), "  Kein Treffer.  ");
  // Unspaced scripts get spaces between English words; unknown tokens stay, separated.
  const zh = lexiconTable(ZH);
  assert.equal(translateText("我喜欢北京。", "zh", zh), "I like Beijing。");
  assert.equal(translateText("我喜欢上海。", "zh", zh), "I like 上海。");
});

Deno.test("translateTest translates by each record's language and caches by content", async () => {
  const dir = await Deno.makeTempDir({ prefix: "translate_test_" });
  try {
    const lexicons = new Map([["de", DE], ["zh", ZH]]);
    const docs: Document[] = [
      { docid: "d1", text: "Das Haus ist blau.", lang: "de", groupId: "p1" },
      { docid: "d2", text: "我喜欢北京", lang: "zh" },
      { docid: "d3", text: "Already English.", lang: "en" },
    ];
    const out = await translateTest(docs, { lexicons, cacheDir: dir });
    assert.deepEqual(out, [
      { docid: "d1", text: "the house is blue.", lang: "en", groupId: "p1" },
      { docid: "d2", text: "I like Beijing", lang: "en" },
      docs[2],
    ]);
    const files = [...Deno.readDirSync(`${dir}/translate-test`)].map((e) => e.name);
    assert.deepEqual(files, [`${translateCacheKey(docs, lexicons)}.jsonl`]);

    // A cache hit returns the stored translations: prove it by planting different ones.
    const cached = `${dir}/translate-test/${files[0]}`;
    await Deno.writeTextFile(cached, ['"A"', '"B"', '"C"'].join("\n") + "\n");
    assert.deepEqual((await translateTest(docs, { lexicons, cacheDir: dir })).map((d) => d.text), [
      "A",
      "B",
      "Already English.",
    ]);
    // A damaged cache file is rebuilt.
    await Deno.writeTextFile(cached, '"A"\n');
    assert.equal(
      (await translateTest(docs, { lexicons, cacheDir: dir }))[0].text,
      "the house is blue.",
    );

    // Another lexicon or another collection gives another key.
    const other = new Map([["de", lex("de", { haus: "home" })], ["zh", ZH]]);
    assert.notEqual(translateCacheKey(docs, other), translateCacheKey(docs, lexicons));
    const changed = [{ ...docs[0], text: "Das Haus." }, docs[1], docs[2]];
    assert.notEqual(translateCacheKey(changed, lexicons), translateCacheKey(docs, lexicons));
    const queries: Query[] = [{ qid: "d1", text: "Das Haus ist blau.", lang: "de" }];
    assert.notEqual(
      translateCacheKey(queries, lexicons),
      translateCacheKey(docs.slice(0, 1), lexicons),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("translateTest wants an X-to-English lexicon for every non-English language", async () => {
  const q: Query[] = [{ qid: "1", text: "hola", lang: "es" }];
  await assert.rejects(
    translateTest(q, { lexicons: new Map([["de", DE]]) }),
    (e) => e instanceof OptionError && /es-en lexicon/.test(e.message),
  );
  const wrong: Lexicon = { ...DE, source: "en", target: "de" };
  await assert.rejects(
    translateTest([{ qid: "1", text: "Haus", lang: "de" }], { lexicons: new Map([["de", wrong]]) }),
    (e) => e instanceof OptionError && /got "en-de"/.test(e.message),
  );
});
