/**
 * Ranker throughput at the default model size on real text (XQuAD-R English
 * questions against sentences of their articles): training pairs/s with 1 and
 * 2 workers, ONNX Runtime scoring pairs/s with 1 and 2 threads (tokenising,
 * the pool's BM25 feature and padding included), and the TypeScript forward
 * pass. A scorer keeps the words it has embedded across calls, as it does over
 * the chunks of a run, so after the first iteration the ONNX entries measure the
 * pair graph; a first call on new text also runs the word graph (measured at
 * about 120-150 ms for these pairs, still over 50k pairs/s). Each iteration handles
 * {@linkcode PAIRS} pairs, so pairs/s = PAIRS / (time per iteration). Training
 * iterations include featurising their data and allocating the model and the
 * optimiser state (about 0.2 s at the default size), so they understate the
 * loop speed that `timing.json` reports.
 */

import type { TrainingInstance } from "../tasks/util/mod.ts";
import { DEFAULT_CONFIG, initParams, saveModel, trainParams } from "../tasks/ranker/mod.ts";
import { type Candidate, Scorer } from "../tasks/score/mod.ts";

const XQUAD_EN = new URL(
  "../../shared/mirror/raw.githubusercontent.com/google-research-datasets/lareqa/" +
    "9bc8c7fb6dd8d01d72a05a93c2cb96882b0d299c/xquad-r/en.json",
  import.meta.url,
);
/** Pairs per iteration of the scoring benches. */
const PAIRS = 8192;
/** Training steps x batch of the training benches. */
const STEPS = 300, BATCH = 64;

const data = JSON.parse(await Deno.readTextFile(XQUAD_EN));
const candidates: Candidate[] = [];
const instances: TrainingInstance[] = [];
for (const article of data.data) {
  const sentences: string[] = article.paragraphs.flatMap((p: { sentences: string[] }) =>
    p.sentences
  );
  for (const para of article.paragraphs) {
    for (const qa of para.qas) {
      for (const [j, s] of sentences.entries()) {
        if (candidates.length < PAIRS) {
          candidates.push({ qid: qa.id, query: qa.question, docid: `${j}`, doc: s });
        }
        instances.push({
          qid: qa.id,
          query: qa.question,
          pid: `${j}`,
          passage: s,
          label: para.sentences.includes(s) ? 1 : 0,
        });
      }
    }
  }
}

const dir = await Deno.makeTempDir();
const model = await saveModel(`${dir}/m`, DEFAULT_CONFIG, initParams(DEFAULT_CONFIG, 1), {
  dataSha256: "",
  instances: 0,
  seed: 1,
  steps: 0,
  batchSize: 64,
  lr: 1e-3,
  lossCurve: [],
});
const scorers = {
  onnx1: await Scorer.create(model, { threads: 1 }),
  onnx2: await Scorer.create(model, { threads: 2 }),
  ts: await Scorer.create(model, { backend: "ts" }),
};
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

for (const [name, scorer] of Object.entries(scorers)) {
  Deno.bench({
    name: `score ${PAIRS} pairs, ${
      name === "ts" ? "TypeScript forward" : `ONNX ${name.at(-1)} thread(s)`
    }`,
    group: "score",
    n: name === "ts" ? 3 : 10,
    async fn() {
      await scorer.score(candidates);
    },
  });
}

for (const workers of [1, 2]) {
  Deno.bench({
    name: `train ${STEPS * BATCH} pairs, ${workers} worker(s), default size`,
    group: "train",
    n: 3,
    async fn() {
      await trainParams(instances.slice(0, STEPS * BATCH), {
        steps: STEPS,
        batchSize: BATCH,
        workers,
        progress: false,
      });
    },
  });
}
