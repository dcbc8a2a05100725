import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../tasks/util/mod.ts";
import { evaluateBli, vocabularyCoverage } from "./evaluate.ts";
import type { Lexicon } from "./lexicon.ts";
import { heldOutSplit, museUrl, readMuseDictionary } from "./muse.ts";

const MIRROR = new URL("../../shared/mirror/", import.meta.url).pathname;
const local = (url: string) => join(MIRROR, url.replace("https://", ""));

Deno.test("real mirrored MUSE en-de (hunalign): reversed columns, one-to-many in file order", async () => {
  const path = local(museUrl("en", "de", "hunalign"));
  const { lexicon, counts } = await readMuseDictionary(path, "en", "de", "hunalign");
  assert.equal(counts.lines, 101931);
  assert.equal(counts.pairs + counts.duplicates, counts.lines);
  // File starts "die @ the", "der @ the", "dem @ the", "den @ the", "das @ the".
  assert.deepEqual(lexicon.entries.get("the")?.slice(0, 5), ["die", "der", "dem", "den", "das"]);
  assert.equal(lexicon.maxNgram, 1);
});

Deno.test("original MUSE format and malformed lines", async () => {
  const dir = await Deno.makeTempDir();
  const ok = join(dir, "en-de.txt");
  await Deno.writeTextFile(ok, "House haus\nhouse\tgebäude\nhouse haus\n\ncat katze\n");
  const { lexicon, counts } = await readMuseDictionary(ok, "en", "de", "muse");
  assert.deepEqual([...lexicon.entries], [["house", ["haus", "gebäude"]], ["cat", ["katze"]]]);
  assert.equal(counts.duplicates, 1);
  const bad = join(dir, "bad.txt");
  await Deno.writeTextFile(bad, "a b\nc d e\n");
  await assert.rejects(readMuseDictionary(bad, "en", "de", "muse"), (e) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /bad\.txt:2: expected 'SOURCE TARGET', got 3 fields/);
    return true;
  });
  const badH = join(dir, "bad.dict");
  await Deno.writeTextFile(badH, "die @ the\nder the\n");
  await assert.rejects(
    readMuseDictionary(badH, "en", "de", "hunalign"),
    /bad\.dict:2: expected 'TARGET @ SOURCE'/,
  );
  await Deno.remove(dir, { recursive: true });
});

function lexOf(pairs: [string, string[]][]): Lexicon {
  return { source: "en", target: "de", entries: new Map(pairs), maxNgram: 1 };
}

Deno.test("held-out split: deterministic, disjoint, independent of order", () => {
  const words = Array.from({ length: 500 }, (_, i) => [`w${i}`, [`t${i}`]] as [string, string[]]);
  const a = heldOutSplit(lexOf(words), { size: 50 });
  const b = heldOutSplit(lexOf([...words].reverse()), { size: 50 });
  assert.equal(a.test.entries.size, 50);
  assert.equal(a.train.entries.size, 450);
  assert.deepEqual(new Set(a.test.entries.keys()), new Set(b.test.entries.keys()));
  for (const w of a.test.entries.keys()) assert.ok(!a.train.entries.has(w));
  const c = heldOutSplit(lexOf(words), { size: 50, salt: "other" });
  assert.notDeepEqual(new Set(a.test.entries.keys()), new Set(c.test.entries.keys()));
});

Deno.test("BLI P@1 uses the first translation; coverage is separate", () => {
  const gold = lexOf([["a", ["x", "y"]], ["b", ["z"]], ["c", ["w"]], ["d", ["v"]]]);
  const lex = lexOf([["a", ["y", "q"]], ["b", ["q", "z"]], ["c", ["w"]]]);
  const r = evaluateBli(lex, gold);
  assert.deepEqual(r, {
    testWords: 4,
    covered: 3,
    correct: 2,
    p1: 0.5,
    p1Covered: 2 / 3,
    coverage: 0.75,
  });
});

Deno.test("vocabulary coverage by types and tokens", () => {
  const lex = lexOf([["a", ["x"]], ["b", ["y"]]]);
  const c = vocabularyCoverage(lex, new Map([["a", 10], ["c", 5], ["b", 1]]));
  assert.deepEqual(c, { types: 3, typesCovered: 2, tokens: 16, tokensCovered: 11 });
});
