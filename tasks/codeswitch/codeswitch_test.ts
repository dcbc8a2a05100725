import assert from "node:assert/strict";
import {
  InputError,
  OptionError,
  type SwitchedInstance,
  type TrainingInstance,
} from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";
import { codeSwitchFile } from "./file.ts";
import { type CodeSwitchOptions, compileOptions } from "./options.ts";
import { type CodeSwitchStats, type Counters, emptyCounters, finishStats } from "./stats.ts";
import { codeSwitchRecords } from "./switch.ts";

function lex(target: string, pairs: Record<string, string>, maxNgram = 1): Lexicon {
  return {
    source: "en",
    target,
    maxNgram,
    entries: new Map(Object.entries(pairs).map(([k, v]) => [k, [v, `${v}-second`]])),
  };
}

function rec(query: string, passage: string, i = 0): TrainingInstance {
  return { qid: `q${i}`, query, pid: `p${i}`, passage, label: (i % 5 === 0 ? 1 : 0) as 0 | 1 };
}

async function switchAll(
  records: TrainingInstance[],
  opts: CodeSwitchOptions,
): Promise<{ out: SwitchedInstance[]; stats: CodeSwitchStats }> {
  const counters: Counters = emptyCounters();
  const out: SwitchedInstance[] = [];
  for await (const r of codeSwitchRecords(records, opts, counters)) out.push(r);
  return { out, stats: finishStats(compileOptions(opts), counters) };
}

const DE = lex("de", { the: "der", cat: "Katze", mat: "Matte", sat: "saß", dog: "Hund" });
const RU = lex("ru", { the: "это", cat: "кошка", dog: "собака", where: "где" });
const STOP = new Set(["the", "on", "a", "of", "is", "where"]);
const TEXTS = [
  rec("Where is the cat?", "The cat sat on the mat,  happily.\nThe dog didn't!", 0),
  rec("  the DOG  ", "«The» cat—sat… (on) the mat", 1),
];

Deno.test("p = 0 leaves every text byte-identical, for every variant", async () => {
  const wiki = lex("de", { "cat sat": "KS", mat: "M" }, 2);
  const variants: CodeSwitchOptions[] = [
    { variant: "bl-cs", queryLang: "ru", docLang: "de", p: 0 },
    { variant: "ml-cs", languages: ["de", "ru"], p: 0 },
    { variant: "wiki-cs", queryLang: "de", docLang: "de", p: 0 },
  ].map((o) => ({
    ...o,
    queryLexicons: new Map([["de", o.variant === "wiki-cs" ? wiki : DE], ["ru", RU]]),
    stopwords: STOP,
  })) as CodeSwitchOptions[];
  for (const opts of variants) {
    const { out, stats } = await switchAll(TEXTS, opts);
    for (const [i, r] of out.entries()) {
      assert.equal(r.query, TEXTS[i].query);
      assert.equal(r.passage, TEXTS[i].passage);
      assert.deepEqual(r.queryLangs, []);
      assert.deepEqual(r.passageLangs, []);
    }
    assert.equal(stats.switchRate, 0);
    assert.ok(stats.passage.tokens > 0);
  }
});

Deno.test("BL-CS p = 1 switches every token the lexicon has, keeping the text around it", async () => {
  const passageDe = lex("de", { cat: "Mieze", the: "die" });
  const { out, stats } = await switchAll(TEXTS, {
    variant: "bl-cs",
    queryLang: "ru",
    docLang: "de",
    p: 1,
    queryLexicons: new Map([["ru", RU], ["de", DE]]),
    passageLexicons: new Map([["de", passageDe]]),
    stopwords: STOP,
  });
  assert.equal(out[0].query, "где is это кошка?");
  assert.equal(out[0].passage, "die Mieze sat on die mat,  happily.\ndie dog didn't!");
  assert.equal(out[1].query, "  это собака  ");
  assert.equal(out[1].passage, "«die» Mieze—sat… (on) die mat");
  assert.deepEqual(out[0].queryLangs, ["ru"]);
  assert.deepEqual(out[0].passageLangs, ["de"]);
  // Content words of record 0 query: is? no ("is" is a stopword) -> cat; passage: cat sat mat
  // happily dog didn t; record 1: dog | cat sat mat. Switched content: cat, cat | dog, cat.
  assert.equal(stats.query.contentTokens, 2);
  assert.equal(stats.query.switchedContentTokens, 2);
  assert.equal(stats.passage.contentTokens, 10);
  assert.equal(stats.passage.switchedContentTokens, 2);
  assert.equal(stats.switchRate, 4 / 12);
  // Passage content lookups: all 10 drawn (p = 1); misses: 8.
  assert.equal(stats.passage.contentLookups, 10);
  assert.equal(stats.passage.contentMisses, 8);
  assert.equal(stats.perLanguage.de.passageTokens, 7);
  assert.equal(stats.perLanguage.ru.queryTokens, 5);
  assert.equal(stats.perLanguage.ru.queries, 2);
});

Deno.test("BL-CS keeps an English side English and is deterministic per seed", async () => {
  const records = Array.from(
    { length: 50 },
    (_, i) => rec("the cat dog", "the cat sat on the mat", i),
  );
  const opts: CodeSwitchOptions = {
    variant: "bl-cs",
    queryLang: "en",
    docLang: "de",
    queryLexicons: new Map([["de", DE]]),
    seed: 7,
  };
  const a = await switchAll(records, opts);
  const b = await switchAll(records, opts);
  const c = await switchAll(records, { ...opts, seed: 8 });
  assert.deepEqual(a.out, b.out);
  assert.notDeepEqual(a.out.map((r) => r.passage), c.out.map((r) => r.passage));
  assert.ok(a.out.every((r) => r.query === "the cat dog" && r.queryLangs.length === 0));
  // p = 0.5 over 300 passage tokens that all have translations.
  const switched = a.stats.passage.switchedTokens;
  assert.ok(switched > 100 && switched < 200, `switched ${switched} of 300`);
});

Deno.test("ML-CS picks languages uniformly per token and does not retry a miss", async () => {
  const langs = ["de", "ru", "ar", "es", "zh"];
  const lexicons = new Map(langs.map((l) => [l, lex(l, { w: `w_${l}` })]));
  const records = Array.from(
    { length: 1000 },
    (_, i) => rec("", Array(100).fill("w").join(" "), i),
  );
  const { out, stats } = await switchAll(records, {
    variant: "ml-cs",
    languages: langs,
    p: 1,
    queryLexicons: lexicons,
  });
  const counts = langs.map((l) => stats.perLanguage[l].passageTokens);
  assert.equal(counts.reduce((a, b) => a + b), 100_000);
  // Chi-square with 4 degrees of freedom; 18.47 is the 0.999 quantile.
  const chi2 = counts.reduce((s, c) => s + (c - 20_000) ** 2 / 20_000, 0);
  assert.ok(chi2 < 18.47, `counts ${counts} chi2 ${chi2}`);
  assert.ok(counts.every((c) => Math.abs(c - 20_000) < 800), `counts ${counts}`);
  assert.equal(out[0].passage.split(" ").length, 100);
  assert.ok(out[0].passageLangs.length === 5);

  // Without "w" in the zh lexicon, a token that draws zh stays English (no retry).
  lexicons.set("zh", lex("zh", { other: "x" }));
  const half = await switchAll(records.slice(0, 500), {
    variant: "ml-cs",
    languages: langs,
    p: 0.5,
    queryLexicons: lexicons,
  });
  const drawn = half.stats.passage.contentLookups;
  assert.ok(Math.abs(drawn - 25_000) < 600, `drawn ${drawn}`);
  const zh = half.stats.perLanguage.zh;
  assert.equal(zh.passageTokens, 0);
  assert.equal(zh.contentMisses, zh.contentLookups);
  assert.ok(Math.abs(zh.contentLookups - 5_000) < 400, `zh draws ${zh.contentLookups}`);
  assert.equal(half.stats.passage.switchedTokens, drawn - zh.contentLookups);
});

Deno.test("Wiki-CS prefers the longest match, longest first over the whole text", async () => {
  const titles = lex("de", {
    "new york city": "New York City (DE)",
    "new york": "NY",
    new: "neu",
    city: "Stadt",
    "a b": "AB",
    "b c d": "BCD",
    "bank of america": "BoA",
    "of the": "OFTHE",
    the: "die",
    "spider man": "Spinnenmann",
  }, 3);
  const { out, stats } = await switchAll([
    rec("I love New York City and new shoes in a city", "a b c d e, the Bank of America of the"),
    rec("New York. City", "Spider-Man met spider man"),
  ], {
    variant: "wiki-cs",
    queryLang: "de",
    docLang: "de",
    queryLexicons: new Map([["de", titles]]),
    stopwords: new Set(["the", "of", "a", "and", "in", "i"]),
  });
  assert.equal(out[0].query, "I love New York City (DE) and neu shoes in a Stadt");
  // "b c d" (3-gram) wins over the earlier "a b"; stopword-only n-grams stay.
  assert.equal(out[0].passage, "a BCD e, the BoA of the");
  // N-grams do not cross sentence punctuation.
  assert.equal(out[1].query, "NY. Stadt");
  assert.equal(out[1].passage, "Spinnenmann met Spinnenmann");
  assert.equal(stats.p, 1);
  assert.deepEqual(out[0].queryLangs, ["de"]);
});

Deno.test("Wiki-CS never re-switches a replaced span", async () => {
  const titles = lex("de", {
    "united states": "Vereinigte Staaten",
    staaten: "NO",
    vereinigte: "NO",
    "vereinigte staaten": "NO",
    "states army": "NO2",
    army: "Armee",
  }, 2);
  const { out } = await switchAll([rec("the United States Army", "united states")], {
    variant: "wiki-cs",
    queryLang: "de",
    docLang: "de",
    queryLexicons: new Map([["de", titles]]),
  });
  // Left to right among 2-grams: "united states" takes "states", so "states army" cannot match.
  assert.equal(out[0].query, "the Vereinigte Staaten Armee");
  assert.equal(out[0].passage, "Vereinigte Staaten");
});

Deno.test("multilingual Wiki-CS samples one query and one document language per instance", async () => {
  const langs = ["de", "ru", "es"];
  const lexicons = new Map(langs.map((l) => [l, lex(l, { paris: `paris_${l}` })]));
  const records = Array.from({ length: 600 }, (_, i) => rec("paris paris", "paris x paris", i));
  const { out, stats } = await switchAll(records, {
    variant: "wiki-cs",
    languages: langs,
    queryLexicons: lexicons,
  });
  for (const r of out) {
    assert.equal(r.queryLangs.length, 1);
    assert.equal(r.passageLangs.length, 1);
    const [q] = r.queryLangs, [d] = r.passageLangs;
    assert.equal(r.query, `paris_${q} paris_${q}`);
    assert.equal(r.passage, `paris_${d} x paris_${d}`);
  }
  for (const l of langs) {
    assert.ok(Math.abs(stats.perLanguage[l].queries - 200) < 60, JSON.stringify(stats.perLanguage));
    assert.ok(Math.abs(stats.perLanguage[l].passages - 200) < 60);
  }
  assert.ok(out.some((r) => r.queryLangs[0] !== r.passageLangs[0]));
});

Deno.test("bad options give OptionError naming the option", () => {
  const base: CodeSwitchOptions = {
    variant: "bl-cs",
    queryLang: "en",
    docLang: "de",
    queryLexicons: new Map([["de", DE]]),
  };
  const bad: [Partial<CodeSwitchOptions> & Record<string, unknown>, RegExp][] = [
    [{ p: 1.5 }, /^--p: /],
    [{ p: Number.NaN }, /^--p: /],
    [{ seed: -1 }, /^--seed: /],
    [{ variant: "xx-cs" as "bl-cs" }, /^--variant: /],
    [{ docLang: "ru" }, /--lexicon \(passage side\): expected an English-to-ru lexicon/],
    [{ queryLang: undefined }, /^--query-lang: /],
    [{ variant: "ml-cs", languages: ["en", "de"] }, /^--languages: .*non-English/],
    [{ variant: "ml-cs", languages: [] }, /^--languages: /],
    [{ queryLexicons: new Map([["de", { ...DE, source: "fr" }]]) }, /expected an en-de lexicon/],
  ];
  for (const [patch, msg] of bad) {
    const opts = { ...base, ...patch } as CodeSwitchOptions;
    if (patch.variant === "ml-cs") {
      delete opts.queryLang;
      delete opts.docLang;
    }
    assert.throws(
      () => compileOptions(opts),
      (e) => e instanceof OptionError && msg.test(e.message),
    );
  }
});

async function tmpDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "codeswitch_test_" });
}

Deno.test("file output is byte-identical with 0, 1 and 2 workers", async () => {
  const dir = await tmpDir();
  try {
    const words = ["the", "cat", "sat", "on", "mat", "dog", "where", "is", "happily", "Cat"];
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const w = (k: number) => Array.from({ length: k }, (_, j) => words[(i * 7 + j * 3) % 10]);
      lines.push(JSON.stringify(rec(w(5).join(" ") + "?", w(30).join(", "), i)));
      if (i % 500 === 0) lines.push("");
    }
    await Deno.writeTextFile(`${dir}/in.jsonl`, lines.join("\n") + "\n");
    const outputs: string[] = [];
    const stats: string[] = [];
    for (const workers of [0, 1, 2]) {
      const output = `${dir}/out${workers}.jsonl`;
      await codeSwitchFile({
        variant: "ml-cs",
        languages: ["de", "ru"],
        queryLexicons: new Map([["de", DE], ["ru", RU]]),
        stopwords: STOP,
        input: `${dir}/in.jsonl`,
        output,
        workers,
        batchSize: 97,
        progress: false,
      });
      outputs.push(await Deno.readTextFile(output));
      stats.push(await Deno.readTextFile(`${output}.stats.json`));
    }
    assert.equal(outputs[0].split("\n").length, 3001);
    assert.equal(outputs[1], outputs[0]);
    assert.equal(outputs[2], outputs[0]);
    assert.equal(stats[1], stats[0]);
    assert.equal(stats[2], stats[0]);
    const s = JSON.parse(stats[0]) as CodeSwitchStats;
    assert.equal(s.records, 3000);
    assert.ok(s.switchRate > 0.2 && s.switchRate < 0.6, `switch rate ${s.switchRate}`);
    const first = JSON.parse(outputs[0].split("\n")[0]);
    assert.deepEqual(Object.keys(first), [
      "qid",
      "query",
      "pid",
      "passage",
      "label",
      "queryLangs",
      "passageLangs",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad input lines give InputError naming file and line, and leave no output", async () => {
  const dir = await tmpDir();
  try {
    const good = JSON.stringify(rec("the cat", "the dog"));
    const cases: [string, RegExp][] = [
      [`${good}\n${good}\n{"qid": "1", "query": \n`, /in\.jsonl:3: expected a JSON object/],
      [`${good}\n\n{"qid":"1","query":"q","pid":"2","label":1}\n`, /in\.jsonl:3: .*"passage"/],
      [`${good}\n{"qid":"1","query":"q","pid":"2","passage":"p","label":2}\n`, /:2: .*"label"/],
      [`[1, 2]\n`, /in\.jsonl:1: expected a JSON object/],
    ];
    const blCs = {
      variant: "bl-cs" as const,
      queryLang: "de",
      docLang: "de",
      queryLexicons: new Map([["de", DE]]),
    };
    const files = { input: `${dir}/in.jsonl`, output: `${dir}/out.jsonl` };
    for (const workers of [0, 2]) {
      for (const [text, msg] of cases) {
        await Deno.writeTextFile(`${dir}/in.jsonl`, text);
        await assert.rejects(
          codeSwitchFile({ ...blCs, ...files, workers, batchSize: 1, progress: false }),
          (e) => e instanceof InputError && msg.test(e.message),
        );
        assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["in.jsonl"]);
      }
    }
    await assert.rejects(codeSwitchFile({ ...blCs, ...files, workers: -1 }), OptionError);
    await assert.rejects(
      (async () => {
        for await (
          const _ of codeSwitchRecords([{ qid: "1" } as TrainingInstance], blCs)
        ) { /* consume */ }
      })(),
      (e) => e instanceof InputError && /<records>:1: .*"pid"/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
