import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../tasks/util/mod.ts";
import { readLexicon, sidecarPath, writeLexicon } from "./format.ts";
import type { Lexicon } from "./lexicon.ts";

const lex: Lexicon = {
  source: "en",
  target: "de",
  entries: new Map([["house", ["haus", "gebäude"]], ["new york", ["new york city"]], ["the", [
    "die",
  ]]]),
  maxNgram: 2,
  provenance: {
    kind: "test",
    inputs: [{ path: "fixture", sha256: "0".repeat(64) }],
    options: { a: 1 },
    license: "none",
  },
};

Deno.test("lexicon TSV + sidecar round trip, same bytes on rewrite", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "en-de.tsv");
  const side = await writeLexicon(path, lex, { lines: 4 });
  assert.equal(side.entries, 3);
  assert.equal(side.pairs, 4);
  assert.equal(
    await Deno.readTextFile(path),
    "house\thaus\tgebäude\nnew york\tnew york city\nthe\tdie\n",
  );
  const back = await readLexicon(path);
  assert.deepEqual(back, lex);
  const bytes = await Deno.readFile(path);
  await writeLexicon(path, back, { lines: 4 });
  assert.deepEqual(await Deno.readFile(path), bytes);
  assert.equal(JSON.parse(await Deno.readTextFile(sidecarPath(path))).counts.lines, 4);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a malformed lexicon line is an error naming file and line", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "bad.tsv");
  await writeLexicon(path, lex);
  await Deno.writeTextFile(path, "house\thaus\nlonely\n");
  await assert.rejects(readLexicon(path), (e) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.line, 2);
    assert.match(e.message, /bad\.tsv:2: expected a source term/);
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("terms with tabs are refused and leave no output", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "x.tsv");
  const bad = { ...lex, entries: new Map([["a\tb", ["c"]]]) };
  await assert.rejects(writeLexicon(path, bad), /tab\/newline/);
  assert.deepEqual([...Deno.readDirSync(dir)], []);
  await Deno.remove(dir, { recursive: true });
});
