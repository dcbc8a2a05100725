/**
 * Data-layer throughput: the mMARCO collection loader on synthetic streams
 * (MB/s), a multi-gigabyte stream that must stay under 300 MB peak RSS
 * (size from `CSCLIR_BENCH_GB`, default 2), and the SQuAD / XQuAD-R parsers on
 * the mirror.
 *
 * @module
 */

import { getDataset, loadLareqa, loadSquadExplorer, urlPath } from "../datasets/mod.ts";
import { streamCollection, streamCollectionInChild } from "../tasks/fixtures/synthetic.ts";
import { mirrorDir } from "../tasks/fixtures/test_mirror.ts";

Deno.bench("mmarco collection loader, 64 MB synthetic stream", { n: 5, warmup: 1 }, async () => {
  await streamCollection(64e6);
});

const GB = Number(Deno.env.get("CSCLIR_BENCH_GB") ?? "2");
Deno.bench(`mmarco collection loader, ${GB} GB stream, peak RSS < 300 MB`, {
  n: 1,
  warmup: 0,
}, async () => {
  const { n, secs, peak } = await streamCollectionInChild(GB * 1e9);
  const mb = peak / 1e6;
  console.log(
    `  ${GB} GB, ${n} passages in ${secs.toFixed(1)} s: ${(GB * 1e3 / secs).toFixed(0)} MB/s, ` +
      `peak RSS ${mb.toFixed(0)} MB`,
  );
  if (mb >= 300) throw new Error(`peak RSS ${mb.toFixed(0)} MB >= 300 MB`);
});

const mirror = await mirrorDir();
const mirrored = (id: string) =>
  Object.fromEntries(getDataset(id).files.map((f) => [f.name, urlPath(mirror, f.url)]));

Deno.bench("squad explorer parse, 442 pages (39 MB)", { n: 3, warmup: 1 }, async () => {
  await loadSquadExplorer(mirrored("squad/v1.1/train"));
});

Deno.bench("xquad-r parse, 11 languages", { n: 5, warmup: 1 }, async () => {
  for (const lang of ["ar", "de", "el", "en", "es", "hi", "ru", "th", "tr", "vi", "zh"]) {
    await loadLareqa(mirrored(`xquad-r/${lang}`).data, lang, "position");
  }
});
