import assert from "node:assert/strict";
import { InputError, OptionError, PathError, Rng, type TrainingInstance } from "../util/mod.ts";
import { loadModel } from "./model_store.ts";
import { DEFAULT_CONFIG, type RankerConfig } from "./config.ts";
import { scoreCandidates } from "../score/mod.ts";
import { readTrainingInstances } from "../util/mod.ts";
import { trainParams, trainRanker } from "./train.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

const CFG: Partial<RankerConfig> = { dim: 8, buckets: 4099 };

/** Positives repeat two of the query's words; negatives are random words. */
function synthetic(n: number, seed: number): TrainingInstance[] {
  const rng = new Rng(seed);
  const word = () => `w${rng.int(300)}`;
  const out: TrainingInstance[] = [];
  for (let i = 0; i < n; i++) {
    const q = [word(), word(), word()];
    const filler = () => Array.from({ length: 6 + rng.int(6) }, word);
    out.push({
      qid: `q${i}`,
      query: q.join(" "),
      pid: `p${i}`,
      passage: [...filler(), q[0], q[2]].join(" "),
      label: 1,
    });
    for (let k = 0; k < 4; k++) {
      out.push({
        qid: `q${i}`,
        query: q.join(" "),
        pid: `n${i}-${k}`,
        passage: filler().join(" "),
        label: 0,
      });
    }
  }
  return out;
}

Deno.test("training is deterministic for a seed, with 1 or 2 workers, and the loss falls", async () => {
  const data = synthetic(120, 1);
  const opts = { seed: 4, steps: 60, batchSize: 20, lr: 0.01, config: CFG, progress: false };
  const a = await trainParams(data, { ...opts, workers: 1 });
  const b = await trainParams(data, { ...opts, workers: 2 });
  assert.deepEqual(new Uint8Array(a.params.buffer), new Uint8Array(b.params.buffer));
  assert.deepEqual(a.provenance, b.provenance);
  // The BM25 feature learns a positive weight (positives share query words).
  const bw = a.params.subarray(a.params.length - 2);
  assert.ok(bw[0] > 0 || bw[1] > 0, `bm25 weights ${bw}`);
  const c = await trainParams(data, { ...opts, workers: 1, seed: 5 });
  assert.notDeepEqual(c.params, a.params);
  const curve = a.provenance.lossCurve;
  assert.equal(curve.length, 10);
  assert.ok(curve[9] < 0.6 * curve[0], `loss curve ${curve}`);
  assert.equal(a.provenance.instances, 600);
  assert.match(a.provenance.dataSha256, /^[0-9a-f]{64}$/);
});

Deno.test("trainRanker reads JSON lines, saves a model that ranks held-out positives first", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/train.jsonl`;
    await Deno.writeTextFile(
      path,
      synthetic(200, 2).map((x) => JSON.stringify(x)).join("\n") + "\n",
    );
    const model = await trainRanker(path, {
      seed: 1,
      epochs: 2,
      batchSize: 25,
      lr: 0.01,
      workers: 2,
      config: CFG,
      outDir: `${dir}/model`,
      progress: false,
    });
    assert.equal(model.provenance.steps, 80);
    assert.deepEqual((await loadModel(`${dir}/model`)).params, model.params);
    const test = synthetic(40, 3);
    const scores = await scoreCandidates(
      model,
      test.map((x) => ({ qid: x.qid, query: x.query, docid: x.pid, doc: x.passage })),
    );
    let top = 0;
    for (let i = 0; i < test.length; i += 5) {
      const group = Array.from(scores.subarray(i, i + 5));
      if (group.indexOf(Math.max(...group)) === 0) top++;
    }
    assert.ok(top >= 36, `positive ranked first for ${top}/40 queries`);
  }));

Deno.test("bad options raise OptionError and bad lines InputError", async () => {
  const data = synthetic(2, 1);
  for (
    const bad of [{ seed: -1 }, { batchSize: 1 }, { lr: 0 }, { workers: 3 }, { steps: 0 }, {
      epochs: -1,
    }, {
      config: { dim: 0 },
    }]
  ) {
    await assert.rejects(trainParams(data, bad), OptionError, JSON.stringify(bad));
  }
  await assert.rejects(trainParams([], { config: CFG }), InputError);
  const dir = await Deno.makeTempDir();
  try {
    const lines = [
      [
        '{"qid":"1","query":"q","pid":"p","passage":"x","label":1}',
        '{"qid":"1","query":"q","pid":"p","passage":"x","label":2}',
      ],
      ['{"qid":"1","query":"q","pid":"p","passage":"x","label":1}', "", '{"qid":"1","query":5}'],
      ["{oops"],
    ];
    for (const [i, ls] of lines.entries()) {
      await Deno.writeTextFile(`${dir}/t.jsonl`, ls.join("\n") + "\n");
      await assert.rejects(
        async () => {
          for await (const _ of readTrainingInstances(`${dir}/t.jsonl`)) { /* consume */ }
        },
        (e) => e instanceof InputError && e.line === ls.length && /t\.jsonl/.test(e.message),
        `case ${i}`,
      );
    }
    await assert.rejects(
      trainRanker(`${dir}/missing.jsonl`, { outDir: `${dir}/m`, config: CFG }),
      PathError,
    );
    await assert.rejects(Deno.stat(`${dir}/m`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the default (production) config learns a tiny set: its loss falls", async () => {
  const m = await trainParams(synthetic(80, 9), {
    seed: 1,
    steps: 40,
    batchSize: 20,
    config: DEFAULT_CONFIG,
    progress: false,
  });
  const curve = m.provenance.lossCurve;
  assert.ok(curve.length >= 2 && curve.at(-1)! < 0.8 * curve[0], `loss curve ${curve}`);
});

Deno.test("a file trained on again in one process is featurised once, with the same weights", () =>
  withTempDir(async (dir) => {
    const file = `${dir}/train.jsonl`;
    const lines = (xs: TrainingInstance[]) => xs.map((x) => JSON.stringify(x)).join("\n") + "\n";
    await Deno.writeTextFile(file, lines(synthetic(60, 21)));
    const opts = { steps: 30, batchSize: 16, config: CFG, workers: 1 };
    const weights = async (out: string) => await Deno.readFile(`${dir}/${out}/weights.f32`);
    const first = await trainRanker(file, { ...opts, seed: 2, outDir: `${dir}/a` });
    const again = await trainRanker(file, { ...opts, seed: 2, outDir: `${dir}/b` });
    const other = await trainRanker(file, { ...opts, seed: 3, outDir: `${dir}/c` });
    const fresh = await trainParams(readTrainingInstances(file), { ...opts, seed: 3 });
    assert.deepEqual(await weights("b"), await weights("a"));
    assert.deepEqual(new Uint8Array(fresh.params.buffer), await weights("c"));
    assert.equal(again.provenance.dataSha256, first.provenance.dataSha256);
    // The second and third read nothing: their loading phases are 0.
    for (const m of [again, other]) {
      const { read, tokenise, bm25 } = m.timing!.phases!;
      assert.deepEqual([read, tokenise, bm25], [0, 0, 0]);
    }
    // A changed file is read again.
    await Deno.writeTextFile(file, lines(synthetic(50, 22)));
    const changed = await trainRanker(file, { ...opts, seed: 2, outDir: `${dir}/d` });
    assert.notEqual(changed.provenance.dataSha256, first.provenance.dataSha256);
    assert.equal(changed.provenance.instances, 250);
  }));
