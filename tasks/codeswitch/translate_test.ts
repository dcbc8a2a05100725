import assert from "node:assert/strict";
import { type Document, OptionError, type Query } from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";
import { lexiconTable } from "./matching.ts";
import { translateTest, translateText } from "./translate.ts";

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

Deno.test("translateTest translates by each record's language", () => {
  const lexicons = new Map([["de", DE], ["zh", ZH]]);
  const docs: Document[] = [
    { docid: "d1", text: "Das Haus ist blau.", lang: "de", groupId: "p1" },
    { docid: "d2", text: "我喜欢北京", lang: "zh" },
    { docid: "d3", text: "Already English.", lang: "en" },
  ];
  assert.deepEqual(translateTest(docs, { lexicons }), [
    { docid: "d1", text: "the house is blue.", lang: "en", groupId: "p1" },
    { docid: "d2", text: "I like Beijing", lang: "en" },
    docs[2],
  ]);
});

Deno.test("translateTest wants an X-to-English lexicon for every non-English language", () => {
  const q: Query[] = [{ qid: "1", text: "hola", lang: "es" }];
  assert.throws(
    () => translateTest(q, { lexicons: new Map([["de", DE]]) }),
    (e) => e instanceof OptionError && /es-en lexicon/.test(e.message),
  );
  const wrong: Lexicon = { ...DE, source: "en", target: "de" };
  assert.throws(
    () =>
      translateTest([{ qid: "1", text: "Haus", lang: "de" }], {
        lexicons: new Map([["de", wrong]]),
      }),
    (e) => e instanceof OptionError && /got "en-de"/.test(e.message),
  );
});
