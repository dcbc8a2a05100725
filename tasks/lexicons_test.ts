import assert from "node:assert/strict";
import { join } from "node:path";
import { readSidecar } from "../lexicons/format.ts";
import {
  buildProfileLexicons,
  formatLexiconTable,
  mlamaUrls,
  profileLexiconSpecs,
} from "./lexicons.ts";
import { XQUAD_R } from "./profile.ts";

const MIRROR = new URL("../../shared/mirror", import.meta.url).pathname;

Deno.test("xquad-r needs MUSE EN->seen, X->EN for all, titles EN->seen", () => {
  const specs = profileLexiconSpecs(XQUAD_R).map((s) => `${s.kind}:${s.source}-${s.target}`);
  assert.equal(specs.length, 5 + 10 + 5);
  assert.ok(
    specs.includes("muse:en-zh") && specs.includes("muse:th-en") && specs.includes("titles:en-ar"),
  );
  assert.ok(!specs.includes("muse:en-th"));
  // 41 TREx relations + 2 GoogleRE, train and dev; zh has no GoogleRE files.
  assert.equal(mlamaUrls("de").length, 86);
  assert.equal(mlamaUrls("zh").length, 82);
});

Deno.test("stage builds from the mirror with provenance, then resumes", async () => {
  const dir = await Deno.makeTempDir();
  const profile = { ...XQUAD_R, seen: ["en", "de"], unseen: [] };
  const opts = {
    mirror: MIRROR,
    offline: true,
    cacheDir: join(dir, "cache"),
    lockFile: join(dir, "lock.json"),
    out: join(dir, "lex"),
    vocabulary: new Map([["the", 5], ["house", 2], ["zzzq", 1]]),
  };
  const first = await buildProfileLexicons(profile, opts);
  assert.deepEqual(
    first.summaries.map((s) => `${s.kind}:${s.source}-${s.target}:${s.cached}`),
    [
      "muse:en-de:false",
      "muse-test:en-de:false",
      "muse:de-en:false",
      "muse-test:de-en:false",
      "titles:en-de:false",
    ],
  );
  const muse = await first.lexicon("en", "de", "muse");
  assert.equal(muse.entries.get("the")?.[0], "die");
  const side = await readSidecar(join(dir, "lex/muse/en-de.tsv"));
  assert.equal(
    side.provenance?.inputs[0].sha256,
    "e5921b2d96a8fad3141d29f71ce41a7f4508f68345581b16c004bf13e4268aba",
  );
  assert.equal(side.counts.lines, 101931);
  const enDe = first.summaries[0];
  assert.deepEqual(enDe.coverage, { types: 3, typesCovered: 2, tokens: 8, tokensCovered: 7 });
  const titles = first.summaries[4];
  assert.ok(titles.entries > 10000 && titles.bli && titles.bli.testWords === 1500);
  assert.equal(
    (await first.lexicon("en", "de", "titles")).entries.get("westbury new york")?.[0],
    "westbury",
  );
  const bytes = await Deno.readFile(join(dir, "lex/titles/en-de.tsv"));
  const second = await buildProfileLexicons(profile, opts);
  assert.ok(second.summaries.every((s) => s.cached));
  assert.deepEqual(await Deno.readFile(join(dir, "lex/titles/en-de.tsv")), bytes);
  assert.match(formatLexiconTable(second.summaries), /\| titles \| en-de \| \d+ \|/);
  await Deno.remove(dir, { recursive: true });
});
