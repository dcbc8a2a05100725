import assert from "node:assert/strict";
import { join } from "node:path";
import { Rng } from "./rng.ts";
import { terms, tokenize } from "./tokenize.ts";

// The tokenizer's specification, written the slow obvious way.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function reference(text: string, lang = "und"): [number, number][] {
  if (UNSPACED.test(text)) {
    return [...new Intl.Segmenter(lang, { granularity: "word" }).segment(text)]
      .filter((s) => s.isWordLike).map((s) => [s.index, s.index + s.segment.length]);
  }
  return [...text.matchAll(WORD)].map((m) => [m.index, m.index + m[0].length]);
}

function spans(text: string, lang?: string): [number, number][] {
  return tokenize(text, lang).map((t) => [t.start, t.end]);
}

Deno.test("tokenize splits words, keeps offsets, and handles marks, digits and astral letters", () => {
  const text = "Don't stop—café №5, naïve x2 𝐀𝐁 🙂 Ǆemal ١٢٣ हिन्दी";
  const words = tokenize(text).map((t) => text.slice(t.start, t.end));
  assert.deepEqual(words, [
    "Don",
    "t",
    "stop",
    "café",
    "5",
    "naïve",
    "x2",
    "𝐀𝐁",
    "Ǆemal",
    "١٢٣",
    "हिन्दी",
  ]);
  assert.deepEqual(spans(text), reference(text));
  assert.deepEqual(tokenize(""), []);
  assert.deepEqual(spans("  ,;  "), []);
  assert.deepEqual(terms("The CAT's Ärger"), ["the", "cat", "s", "ärger"]);
});

Deno.test("tokenize sends unspaced scripts through ICU, including astral Han", () => {
  for (const text of ["我喜欢北京。", "I like 北京 a lot", "ภาษาไทยง่ายนิดเดียว", "𠀋𠀋 and more"]) {
    assert.deepEqual(spans(text, "zh"), reference(text, "zh"), text);
  }
  assert.deepEqual(terms("我喜欢北京", "zh"), ["我", "喜欢", "北京"]);
});

Deno.test("tokenize agrees with the regex specification on random and unpaired-surrogate text", () => {
  const pool = [
    ..."aZ09 ,.-'’\t\néÅßжЯعربيहि्ं·‐\u0301\u200d🙂𝐀ǅ²½⁴",
    "\ud800",
    "\udc00",
    "\ud835\udc00",
  ];
  const rng = new Rng(5);
  for (let k = 0; k < 2000; k++) {
    let text = "";
    const len = rng.int(30);
    for (let i = 0; i < len; i++) text += pool[rng.int(pool.length)];
    assert.deepEqual(spans(text), reference(text), JSON.stringify(text));
  }
});

Deno.test("tokenize agrees with the specification on XQuAD-R paragraphs of all 11 languages", async () => {
  const mirror = Deno.env.get("CSCLIR_MIRROR") ?? join(import.meta.dirname!, "../../shared/mirror");
  const base = join(mirror, "raw.githubusercontent.com/google-research-datasets/lareqa");
  const commit = [...Deno.readDirSync(base)].map((e) => e.name).find((c) =>
    Deno.statSync(join(base, c, "xquad-r")).isDirectory
  );
  assert.ok(commit, `XQuAD-R not found under ${base}`);
  let checked = 0;
  for (const lang of ["ar", "de", "el", "en", "es", "hi", "ru", "th", "tr", "vi", "zh"]) {
    const data = JSON.parse(await Deno.readTextFile(join(base, commit, "xquad-r", `${lang}.json`)));
    for (const article of data.data.slice(0, 6)) {
      for (const p of article.paragraphs) {
        assert.deepEqual(
          spans(p.context, lang),
          reference(p.context, lang),
          `${lang}: ${p.context}`,
        );
        checked++;
      }
    }
  }
  assert.ok(checked >= 11 * 6, `checked ${checked} paragraphs`);
});
