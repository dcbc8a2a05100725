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
import { DEFAULT_CONFIG, initParams, trainParams } from "../tasks/ranker/mod.ts";
import { type Candidate, Scorer } from "../tasks/score/mod.ts";
import { untrainedModel, xquadPairs } from "../tasks/fixtures/xquad_pairs.ts";

/** Pairs per iteration of the scoring benches. */
const PAIRS = 8192;
/** Training steps x batch of the training benches. */
const STEPS = 300, BATCH = 64;
/**
 * The commit whose trainer the training benches compare against: v0.4.0's,
 * before the compact row gradients and the skipped table draws.
 */
const BASE = Deno.env.get("CSCLIR_BENCH_BASE") ?? "f6c3882";

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

const pairs = await xquadPairs();
const candidates: Candidate[] = pairs.slice(0, PAIRS);
const instances: TrainingInstance[] = pairs.map((p) => ({
  qid: p.qid,
  query: p.query,
  pid: p.docid,
  passage: p.doc,
  label: p.label,
}));

const dir = await Deno.makeTempDir();
const model = await untrainedModel(`${dir}/m`);
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

// The pipeline trains every model from the cross-lingual prior's table; any table will do here.
const prior = initParams(DEFAULT_CONFIG, 9).slice(0, DEFAULT_CONFIG.buckets * DEFAULT_CONFIG.dim);
for (const workers of [1, 2]) {
  for (const [tag, train] of trainers) {
    Deno.bench({
      name: `${tag}train ${STEPS * BATCH} pairs, ${workers} worker(s), default size, ` +
        "distinct passages, from a prior table",
      group: `train vs base, ${workers} worker(s)`,
      baseline: tag !== "",
      n: 3,
      async fn() {
        await train(distinct, {
          steps: STEPS,
          batchSize: BATCH,
          workers,
          embeddings: prior,
          progress: false,
        });
      },
    });
  }
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
