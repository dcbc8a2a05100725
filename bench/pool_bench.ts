/**
 * What the local job pool (`reproduce --jobs`) rests on, measured with the
 * real commands on real text (XQuAD-R English questions against sentences of
 * their articles):
 *
 * - two models trained side by side in two processes of one thread each,
 *   against the same two one after the other with two threads each (the
 *   baseline: `--jobs 1`);
 * - two candidate files scored side by side, one ONNX Runtime thread each,
 *   against one after the other with two threads;
 * - evaluating four rerank sets with one open scorer ({@linkcode ScorerCache},
 *   as a model's evaluations run) against a scorer opened per set.
 *
 * Whole processes include Deno's start-up and reading the data, as in a pool.
 */

import { join } from "node:path";
import { type Candidate, openScorer, ScorerCache } from "../tasks/score/mod.ts";
import { untrainedModel, xquadPairs } from "../tasks/fixtures/xquad_pairs.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
/** Training steps × 64 pairs per model; candidate pairs per file. */
const STEPS = 300, PAIRS = 14_000;

const pairs = await xquadPairs();
const candidates: Candidate[] = pairs;
// Distinct passages, as in code-switched data.
const train = pairs.map((p, i) =>
  JSON.stringify({
    qid: p.qid,
    query: p.query,
    pid: p.docid,
    passage: `${p.doc} ${i}`,
    label: p.label,
  })
);

const dir = await Deno.makeTempDir({ prefix: "csclir-pool-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const trainFile = join(dir, "train.jsonl");
await Deno.writeTextFile(trainFile, train.slice(0, STEPS * 64).join("\n") + "\n");
const model = await untrainedModel(join(dir, "m"));
const files = [0, 1].map((k) => join(dir, `cands${k}.jsonl`));
for (const [k, f] of files.entries()) {
  const part = candidates.slice(k * PAIRS, (k + 1) * PAIRS).map((c) => JSON.stringify(c));
  await Deno.writeTextFile(f, part.join("\n") + "\n");
}

/** Runs the CLI; throws with its stderr when it fails. */
async function cli(args: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, MAIN, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}
let n = 0;
const trainCli = (workers: number) =>
  cli([
    "train",
    "--data",
    trainFile,
    "--out",
    join(dir, `t${n++}`),
    "--steps",
    `${STEPS}`,
    "--workers",
    `${workers}`,
  ]);
const scoreCli = (file: string, threads: number) =>
  cli([
    "score",
    "--model",
    model.dir,
    "--candidates",
    file,
    "--out",
    join(dir, `r${n++}.run`),
    "--threads",
    `${threads}`,
  ]);

Deno.bench({
  name: `2 models × ${STEPS * 64} pairs, one after the other, 2 threads each (--jobs 1)`,
  group: "train two models",
  baseline: true,
  n: 3,
  async fn() {
    await trainCli(2);
    await trainCli(2);
  },
});
Deno.bench({
  name: `2 models × ${STEPS * 64} pairs, side by side, 1 thread each (--jobs 2)`,
  group: "train two models",
  n: 3,
  async fn() {
    await Promise.all([trainCli(1), trainCli(1)]);
  },
});

Deno.bench({
  name: `score 2 files × ${PAIRS} pairs, one after the other, 2 threads each (--jobs 1)`,
  group: "score two files",
  baseline: true,
  n: 3,
  async fn() {
    for (const f of files) await scoreCli(f, 2);
  },
});
Deno.bench({
  name: `score 2 files × ${PAIRS} pairs, side by side, 1 thread each (--jobs 2)`,
  group: "score two files",
  n: 3,
  async fn() {
    await Promise.all(files.map((f) => scoreCli(f, 1)));
  },
});

// Four "sets" of 5,000 pairs each, scored as a model's evaluations are.
const sets = [0, 1, 2, 3].map((k) => candidates.slice(k * 5000, (k + 1) * 5000));
Deno.bench({
  name: "evaluate 4 sets × 5,000 pairs, a scorer opened per set",
  group: "scorer reuse",
  baseline: true,
  n: 5,
  async fn() {
    for (const set of sets) {
      const { scorer } = await openScorer(model.dir, { threads: 1 });
      await scorer.score(set);
      await scorer.release();
    }
  },
});
Deno.bench({
  name: "evaluate 4 sets × 5,000 pairs, one open scorer (ScorerCache)",
  group: "scorer reuse",
  n: 5,
  async fn() {
    const cache = new ScorerCache({ threads: 1 });
    for (const set of sets) await cache.use(model.dir, (s) => s.score(set));
    await cache.close();
  },
});
