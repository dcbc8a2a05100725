/**
 * Throughput of external ONNX cross-encoder scoring. Uses the TINY test model
 * (1 layer, 2 heads, hidden 16, random weights), so the figures measure the
 * harness (tokenization, padding, tensor building, ORT call overhead), not a
 * real encoder such as mMiniLM. pairs/s = 256 / time per iteration.
 *
 * @module
 */

import { ExternalCrossEncoder, type ScoringPair } from "../tasks/ranker/mod.ts";
import { Rng } from "../tasks/util/mod.ts";
import { TINY_BERT_VOCAB, writeTinyBert } from "../tasks/fixtures/tiny_bert_fixture.ts";

const PAIRS = 256;
const dir = await Deno.makeTempDir({ prefix: "external_encoder_bench_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
await writeTinyBert(dir, { seed: 1, maxPositions: 128 });

const words = TINY_BERT_VOCAB.slice(5).map((w) => w.replace("##", ""));
const rng = new Rng(42);
const text = (min: number, max: number) =>
  Array.from({ length: min + rng.int(max - min + 1) }, () => words[rng.int(words.length)]).join(
    " ",
  );
const pairs: ScoringPair[] = Array.from({ length: PAIRS }, () => ({
  query: text(3, 10),
  doc: text(20, 80),
}));

const oneThread = await ExternalCrossEncoder.load(dir, { intraOpNumThreads: 1 });
const twoThreads = await ExternalCrossEncoder.load(dir, { intraOpNumThreads: 2 });

Deno.bench(`tiny model: tokenize ${PAIRS} pairs`, { group: "external" }, () => {
  for (const p of pairs) oneThread.encode(p.query, p.doc);
});

Deno.bench(`tiny model: score ${PAIRS} pairs, 1 thread`, {
  group: "external",
  baseline: true,
}, async () => {
  await oneThread.score(pairs);
});

Deno.bench(`tiny model: score ${PAIRS} pairs, 2 threads`, { group: "external" }, async () => {
  await twoThreads.score(pairs);
});
