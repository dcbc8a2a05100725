/**
 * Lexicon throughput: embedding induction (source words/s against 200,000 x
 * 300-d random target vectors held in memory; CSLS also ranks every target
 * against the sources), lexicon loading, and building a title lexicon from
 * wikititles XML (entries/s = 100,000 / time per iteration).
 */
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  buildTitleLexicon,
  type Embeddings,
  induceLexicon,
  readLexicon,
  readTitleXml,
  writeLexicon,
} from "../lexicons/mod.ts";
import { Rng } from "../tasks/util/mod.ts";

const DIM = 300;
const rng = new Rng(7);
function randomEmbeddings(n: number, prefix: string): Embeddings {
  const vectors = new Float32Array(n * DIM);
  for (let i = 0; i < vectors.length; i++) vectors[i] = rng.normal();
  return { words: Array.from({ length: n }, (_, i) => `${prefix}${i}`), dim: DIM, vectors };
}
const targets = randomEmbeddings(200_000, "t");
// Enough source words for two full source blocks: throughput, not per-call overhead.
const SOURCES = 2048;
const sources = randomEmbeddings(SOURCES, "s");

for (const method of ["dot", "csls"] as const) {
  Deno.bench({
    name: `induce ${method}: ${SOURCES} source words x 200,000 x 300-d targets`,
    group: "induction",
    n: 3,
    warmup: 1,
    async fn() {
      await induceLexicon("en", "de", sources, targets, { method });
    },
  });
}

const dir = await Deno.makeTempDir();
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const path = join(dir, "en-xx.tsv");
const entries = new Map<string, string[]>();
for (let i = 0; i < 100_000; i++) entries.set(`word${i}`, [`wort${i}`, `alt${i}`]);
await writeLexicon(path, { source: "en", target: "de", entries, maxNgram: 1 });

Deno.bench({
  name: "load lexicon: 100,000 entries, 200,000 pairs",
  group: "load",
  async fn() {
    await readLexicon(path);
  },
});

// A wikititles XML corpus (gzip) of 100,000 entries, streamed into a title lexicon.
const TITLES = 100_000;
const xml = join(dir, "wikititles-de-en.xml.gz");
{
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<titles>\n'];
  for (let i = 0; i < TITLES; i++) {
    parts.push(
      `<entry><title lang="de">Stadt ${i} (Bayern)</title>` +
        `<title lang="en">Town ${i} &amp; Co</title></entry>\n`,
    );
  }
  parts.push("</titles>\n");
  await Deno.writeFile(xml, gzipSync(new TextEncoder().encode(parts.join(""))));
}

Deno.bench({
  name: `title lexicon from wikititles XML (gzip): ${TITLES} entries`,
  group: "titles",
  n: 5,
  async fn() {
    await buildTitleLexicon("en", "de", [readTitleXml(xml, "en", "de")]);
  },
});
