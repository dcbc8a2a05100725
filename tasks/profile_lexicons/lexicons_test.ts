import assert from "node:assert/strict";
import { join } from "node:path";
import { lexiconHash, readLexicon, readSidecar } from "../../lexicons/mod.ts";
import { LEXICONS_CACHE, profileLexicons } from "./build.ts";
import { formatLexiconTable, parseWikititles, runInduce } from "./commands.ts";
import { lexiconId, mlamaUrls, profileLexiconSpecs } from "./specs.ts";
import { XQUAD_R } from "../profiles/mod.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

const MIRROR = new URL("../../../shared/mirror", import.meta.url).pathname;

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
  };
  const first = await profileLexicons(profile, opts);
  assert.equal(first.cached, false);
  const { set } = first;
  assert.ok(set.dir.startsWith(join(dir, "cache", "stages", LEXICONS_CACHE)));
  assert.deepEqual(set.summaries.map(lexiconId), [
    "muse/en-de",
    "muse-test/en-de",
    "muse-prior/en-de",
    "muse/de-en",
    "muse-test/de-en",
    "muse-prior/de-en",
    "titles/en-de",
  ]);
  const muse = await set.lexicon("en", "de", "muse");
  const prior = await set.lexicon("en", "de", "muse-prior");
  assert.equal((muse.entries.get("the") ?? prior.entries.get("the"))?.[0], "die");
  assert.equal(set.summaries[0].hash, lexiconHash(muse));
  const side = await readSidecar(join(set.dir, "muse/en-de.tsv"));
  const priorSide = await readSidecar(join(set.dir, "muse-prior/en-de.tsv"));
  assert.equal(
    side.provenance?.inputs[0].sha256,
    "e5921b2d96a8fad3141d29f71ce41a7f4508f68345581b16c004bf13e4268aba",
  );
  assert.equal(side.counts.lines, 101931);
  // The two halves split the file's pairs by English word, about evenly.
  assert.equal(side.pairs + priorSide.pairs, side.counts.pairs);
  assert.ok(Math.abs(side.pairs - priorSide.pairs) < 0.1 * side.counts.pairs);
  for (const w of prior.entries.keys()) assert.ok(!muse.entries.has(w), w);
  const dePrior = await set.lexicon("de", "en", "muse-prior");
  for (const ens of dePrior.entries.values()) {
    for (const e of ens) assert.ok(!muse.entries.has(e), e);
  }
  const titles = set.summaries[6];
  assert.ok(titles.entries > 10000 && titles.bli && titles.bli.testWords === 1500);
  assert.equal(
    (await set.lexicon("en", "de", "titles")).entries.get("westbury new york")?.[0],
    "westbury",
  );
  const second = await profileLexicons(profile, opts);
  assert.equal(second.cached, true);
  assert.equal(second.set.dir, set.dir);
  assert.deepEqual(second.set.summaries, set.summaries);
  assert.match(formatLexiconTable(second.set.summaries), /\| titles \| en-de \| \d+ \|/);

  // A user's wikititles XML goes first into EN->DE titles: a new key, a new build.
  const xml = join(dir, "wikititles-de-en.xml");
  await Deno.writeTextFile(
    xml,
    `<titles>
<entry><title lang="de">Quarkzzz Zeitung</title><title lang="en">Zzzq Journal</title></entry>
<entry><title lang="de">Westbury (Neu-England)</title><title lang="en">Westbury (New York)</title></entry>
</titles>\n`,
  );
  const wikititles = await parseWikititles([`de=${xml}`], profile);
  const third = await profileLexicons(profile, { ...opts, wikititles });
  assert.equal(third.cached, false);
  assert.notEqual(third.set.dir, set.dir);
  assert.deepEqual(
    third.set.summaries.slice(0, 6).map((s) => s.hash),
    set.summaries.slice(0, 6).map((s) => s.hash),
  );
  const t3 = third.set.summaries[6];
  assert.equal(t3.sources[0], "wikititles wikititles-de-en.xml");
  assert.match(t3.license, /^CC BY-SA 3\.0 \(Wikipedia titles\); /);
  assert.ok(t3.entries > titles.entries);
  const lex3 = await third.set.lexicon("en", "de", "titles");
  assert.deepEqual(lex3.entries.get("zzzq journal"), ["quarkzzz zeitung"]);
  assert.equal(lex3.entries.get("westbury new york")?.[0], "westbury");
  const side3 = await readSidecar(join(third.set.dir, "titles/en-de.tsv"));
  assert.equal(side3.provenance?.inputs[0].path, xml);
  await assert.rejects(parseWikititles([`fr=${xml}`], profile), /--wikititles.*lang one of de/);
  await assert.rejects(parseWikititles(["de=/no/such.xml"], profile), /an existing file/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("induce writes a lexicon with provenance and reports BLI against a gold file", () =>
  withTempDir(async (dir) => {
    // "cat" and "dog" point at "katze" and "hund"; "car" has a malformed line and is skipped.
    await Deno.writeTextFile(
      join(dir, "en.vec"),
      "3 2\ncat 1 0\ndog 0 1\ncar 1 x\n",
    );
    await Deno.writeTextFile(
      join(dir, "de.vec"),
      "3 2\nhund 0.1 0.9\nkatze 0.9 0.2\nauto 0.5 0.5\n",
    );
    await Deno.writeTextFile(join(dir, "gold.tsv"), "cat\tkatze\ndog\tköter\n");
    const out = join(dir, "en-de.tsv");
    const report = await runInduce({
      source: "en",
      target: "de",
      sourceVec: join(dir, "en.vec"),
      targetVec: join(dir, "de.vec"),
      out,
      method: "dot",
      gold: join(dir, "gold.tsv"),
    });
    assert.match(report, /2 entries/);
    assert.match(report, /malformed lines skipped: 1 source, 0 target/);
    assert.match(report, /BLI P@1 .*: 50\.00% \(1\/2; coverage 2\)/);
    const lex = await readLexicon(out);
    assert.deepEqual([...lex.entries], [["cat", ["katze"]], ["dog", ["hund"]]]);
    assert.equal((await readSidecar(out)).provenance?.kind, "induced-dot");
    await assert.rejects(
      runInduce({ source: "en", target: "de", sourceVec: "x", targetVec: "y", out, method: "knn" }),
      /--method: expected "dot" or "csls", got "knn"/,
    );
  }));
