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
 *
 * The training groups also run the trainer of {@linkcode BASE} (extracted
 * with `git archive` into a temporary directory; skipped with a notice where
 * git or the commit is missing), marked as the baseline, so one run prints
 * before/after ratios: loading alone (one step; the passages repeat as in the
 * zero-shot data, or are all distinct as in code-switched data) and a model
 * of the default size on a subset.
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
/** The commit whose trainer the training benches compare against (before issue 14's changes). */
const BASE = Deno.env.get("CSCLIR_BENCH_BASE") ?? "db13da6";

/** `trainParams` of {@linkcode BASE}, or undefined (with a notice) when it cannot be extracted. */
async function baselineTrainer(): Promise<typeof trainParams | undefined> {
  const root = new URL("..", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "csclir-bench-base-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const sh = `git -C '${root}' archive ${BASE} tasks datasets lexicons | tar -x -C '${dir}'`;
  const { success } = await new Deno.Command("sh", { args: ["-c", sh], stderr: "null" }).output();
  if (!success) {
    console.error(`ranker_bench: no baseline (git archive ${BASE} failed)`);
    return undefined;
  }
  return (await import(`file://${dir}/tasks/ranker/mod.ts`)).trainParams;
}

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

const base = await baselineTrainer();
const trainers = [["", trainParams], ...base ? [[`${BASE}, `, base] as const] : []] as const;
const loadSize = STEPS * BATCH;
// Code-switched data repeats almost no passage: a suffix makes each one distinct.
const distinct = instances.slice(0, loadSize).map((x, i) => ({
  ...x,
  passage: `${x.passage} ${i}`,
}));
const loadSets: [string, TrainingInstance[]][] = [
  ["repeated", instances.slice(0, loadSize)],
  ["distinct", distinct],
];
for (const [name, set] of loadSets) {
  for (const [tag, train] of trainers) {
    Deno.bench({
      name: `${tag}load ${loadSize} pairs, ${name} passages (1 step)`,
      group: `load ${name}`,
      baseline: tag !== "",
      n: 5,
      async fn() {
        await train(set, { steps: 1, batchSize: BATCH, progress: false });
      },
    });
  }
}

for (const [tag, train] of trainers) {
  Deno.bench({
    name: `${tag}train ${STEPS * BATCH} pairs, 2 worker(s), default size, distinct passages`,
    group: "train vs base",
    baseline: tag !== "",
    n: 3,
    async fn() {
      await train(distinct, { steps: STEPS, batchSize: BATCH, workers: 2, progress: false });
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
