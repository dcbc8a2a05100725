import assert from "node:assert/strict";
import { writeLexicon } from "../../lexicons/mod.ts";
import { main } from "../../main.ts";
import type { CodeSwitchStats } from "./stats.ts";
import { loadSwitchLexicons } from "./run.ts";
import { OptionError } from "../util/mod.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

Deno.test("codeswitch CLI switches with a lexicon directory and writes stats", () =>
  withTempDir(async (dir) => {
    await writeLexicon(`${dir}/lex/en-de.tsv`, {
      source: "en",
      target: "de",
      maxNgram: 1,
      entries: new Map([["cat", ["Katze", "Kater"]], ["house", ["Haus"]]]),
    });
    // A plain TSV without sidecar, as --passage-lexicon.
    await Deno.writeTextFile(`${dir}/ru.tsv`, "cat\tкошка\nhouse\tдом\n");
    const rec = {
      qid: "1",
      query: "Where is the cat?",
      pid: "2",
      passage: "The house, the cat.",
      label: 1,
    };
    await Deno.writeTextFile(`${dir}/in.jsonl`, JSON.stringify(rec) + "\n");
    const code = await main([
      "codeswitch",
      "--variant=bl-cs",
      "--query-lang=de",
      "--doc-lang=ru",
      "--p=1",
      "--workers=0",
      `--lexicon-dir=${dir}/lex`,
      `--passage-lexicon=ru=${dir}/ru.tsv`,
      `${dir}/in.jsonl`,
      `${dir}/out.jsonl`,
    ]);
    assert.equal(code, 0);
    const out = JSON.parse(await Deno.readTextFile(`${dir}/out.jsonl`));
    assert.equal(out.query, "Where is the Katze?");
    assert.equal(out.passage, "The дом, the кошка.");
    assert.deepEqual([out.queryLangs, out.passageLangs], [["de"], ["ru"]]);
    const stats = JSON.parse(
      await Deno.readTextFile(`${dir}/out.jsonl.stats.json`),
    ) as CodeSwitchStats;
    // Content words: where? no (stopword) -> cat | house, cat: all switched.
    assert.equal(stats.switchRate, 1);
    assert.equal(stats.p, 1);

    // Bad options exit with code 2 and leave no output.
    for (
      const bad of [["--p=x"], ["--variant=zz"], ["--seed=1.5"], ["--workers=-1"], [
        "--doc-lang=fr",
      ]]
    ) {
      const args = ["codeswitch", "--variant=bl-cs", "--query-lang=de", "--doc-lang=de"];
      const c = await main([
        ...args,
        ...bad,
        `--lexicon-dir=${dir}/lex`,
        `${dir}/in.jsonl`,
        `${dir}/o2.jsonl`,
      ]);
      assert.equal(c, 2, bad.join(" "));
    }
    assert.ok(![...Deno.readDirSync(dir)].some((e) => e.name.startsWith("o2")));
  }, { prefix: "codeswitch_run_test_" }));

Deno.test("loadSwitchLexicons names the missing lexicon", async () => {
  await assert.rejects(
    loadSwitchLexicons({ query: ["de"], passage: [] }, {}),
    (e) => e instanceof OptionError && /en-de/.test(e.message),
  );
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      loadSwitchLexicons({ query: ["en"], passage: ["ru"] }, { lexiconDir: dir }),
      (e) => e instanceof OptionError && /en-ru\.tsv/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
