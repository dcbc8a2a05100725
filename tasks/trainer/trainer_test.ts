/**
 * The transformer trainers end to end on CPU: the reference PyTorch trainer
 * fine-tunes a tiny random BERT on a code-switched set (the loss falls), one
 * seed gives identical weights, ONNX Runtime reproduces PyTorch's logits, the
 * harness rejects outputs that break the contract, and `score` reads the
 * model. Needs torch; in CI a missing torch fails these tests.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  PYTHON as python,
  torchTest,
  writeCodeSwitchedSet,
  writeHfBase,
} from "../fixtures/hf_base_fixture.ts";
import { runScore } from "../score/mod.ts";
import { PathError, UserError } from "../util/mod.ts";
import {
  checkTorch,
  checkTrainedModel,
  type CrossEncoderTrainer,
  parseTrainer,
  runTrainCommand,
  trainCrossEncoder,
} from "./mod.ts";

const ROOT = await Deno.makeTempDir({ prefix: "trainer_test_" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

/** The tiny fine-tuning run's settings: paper-shaped, scaled to seconds. */
const TINY = { steps: "300", warmup: "30", trainerBatch: "16", trainerLr: "5e-4", maxLength: "64" };

const base = join(ROOT, "base");
const data = join(ROOT, "train.jsonl");
let trained: Promise<{ trainer: CrossEncoderTrainer; dir: string; seconds: number }> | undefined;

/** The base model, the data and one trained model, made once for all tests. */
function fixture() {
  return trained ??= (async () => {
    await writeHfBase(base, python, 1);
    await writeCodeSwitchedSet(data, 600, 1);
    const trainer = parseTrainer({ trainer: "torch", baseModel: base, ...TINY }, false)!;
    const t0 = performance.now();
    const dir = join(ROOT, "model-a");
    await trainCrossEncoder(data, { trainer, seed: 1, outDir: dir });
    return { trainer, dir, seconds: (performance.now() - t0) / 1000 };
  })();
}

const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(path));

torchTest(
  "torch trainer: the loss falls, one seed gives identical weights, ORT = PyTorch",
  async () => {
    const { trainer, dir, seconds } = await fixture();
    const prov = await readJson(join(dir, "provenance.json"));
    const record = await readJson(join(dir, "trainer.json"));
    const curve: number[] = prov.loss_curve;
    console.log(`tiny BERT, 300 steps: ${seconds.toFixed(1)} s; loss ${curve.join(" ")}`);
    assert.equal(curve.length, 10);
    assert.ok(curve[0] > 0.6, `starts near ln 2: ${curve[0]}`);
    assert.ok(curve[9] < curve[0] - 0.2, `the loss falls: ${curve.join(" ")}`);
    assert.equal(record.trainer.kind, "torch");
    assert.equal(record.data.records, 600);
    assert.equal(record.check.parityPairs, 8);
    console.log(`parity: max |ORT - PyTorch| = ${record.check.parityMaxAbsDiff}`);
    assert.ok(record.check.parityMaxAbsDiff <= 1e-4);

    const again = join(ROOT, "model-b");
    await trainCrossEncoder(data, { trainer, seed: 1, outDir: again });
    const prov2 = await readJson(join(again, "provenance.json"));
    console.log(`determinism: weights sha256 ${prov.weights_sha256} twice`);
    assert.equal(prov2.weights_sha256, prov.weights_sha256);
    for (const f of ["model.onnx", "pytorch_model.bin", "parity.json", "trainer.json"]) {
      assert.deepEqual(await Deno.readFile(join(again, f)), await Deno.readFile(join(dir, f)), f);
    }
  },
);

torchTest("torch trainer: score reads the trained model and ranks positives first", async () => {
  const { dir } = await fixture();
  const cands = join(ROOT, "cands.jsonl");
  const pairs = [
    ["q1", "where is the castle river?", "d1", "the burg was on the fluss in the city."],
    ["q1", "where is the castle river?", "d2", "the heer of the könig was at war."],
    ["q2", "who wrote the music book?", "d1", "the burg was on the fluss in the city."],
    ["q2", "who wrote the music book?", "d2", "a книга of музыка was known."],
  ];
  await Deno.writeTextFile(
    cands,
    pairs.map(([qid, query, docid, doc]) => JSON.stringify({ qid, query, docid, doc })).join("\n"),
  );
  const out = join(ROOT, "tiny.run");
  assert.match(await runScore({ model: dir, candidates: cands, out }), /4 pairs, 2 queries/);
  const top = (await Deno.readTextFile(out)).trim().split("\n").filter((l) => l.includes(" 1 "))
    .map((l) => l.split(" ").slice(0, 3).join(" "));
  assert.deepEqual(top, ["q1 Q0 d1", "q2 Q0 d2"]);
});

torchTest(
  "trainer contract: outputs with wrong logits, another tokenizer or missing files are refused",
  async () => {
    const { dir } = await fixture();
    const copy = async (name: string) => {
      const to = join(ROOT, name);
      await Deno.mkdir(to);
      for await (const e of Deno.readDir(dir)) {
        await Deno.copyFile(join(dir, e.name), join(to, e.name));
      }
      return to;
    };
    const ok = await checkTrainedModel(dir, base);
    assert.ok(ok.parityMaxAbsDiff <= 1e-4);
    assert.deepEqual(ok.inputs, ["input_ids", "attention_mask", "token_type_ids"]);

    const shifted = await copy("shifted");
    const parity = await readJson(join(shifted, "parity.json"));
    parity.logits[3] += 0.01;
    await Deno.writeTextFile(join(shifted, "parity.json"), JSON.stringify(parity));
    await assert.rejects(
      () => checkTrainedModel(shifted, base),
      (e) =>
        e instanceof PathError && /differ from parity.json's by up to 0.0(09|10)/.test(e.message),
    );

    const retokenized = await copy("retokenized");
    await Deno.writeTextFile(join(retokenized, "tokenizer.json"), "{}\n");
    await assert.rejects(
      () => checkTrainedModel(retokenized, base),
      /differs from the base model's/,
    );

    const partial = await copy("partial");
    await Deno.remove(join(partial, "parity.json"));
    await assert.rejects(() => checkTrainedModel(partial, base), /parity.json: missing/);
  },
);

torchTest(
  "trainer contract: any command can train; its exit 2 is a one-line user error",
  async () => {
    const { dir } = await fixture();
    // A trainer in another language: reads the job, "trains" by copying a finished model.
    const script = join(ROOT, "copy_trainer.ts");
    await Deno.writeTextFile(
      script,
      `if (Deno.args.length !== 1) Deno.exit(5);
const job = JSON.parse(await Deno.readTextFile(Deno.args[0]));
if (job.contract !== 1 || job.seed !== 7 || job.max_length !== 64) Deno.exit(3);
const first = JSON.parse((await Deno.readTextFile(job.tokens)).split("\\n")[0]);
if (first.ids.length > job.max_length || first.ids.length !== first.types.length) Deno.exit(4);
if (job.base_model.endsWith("fail")) { console.error("error: no GPU here"); Deno.exit(2); }
await Deno.mkdir(job.out);
for await (const e of Deno.readDir(${JSON.stringify(dir)})) {
  await Deno.copyFile(${JSON.stringify(dir)} + "/" + e.name, job.out + "/" + e.name);
}
`,
    );
    const command = `${Deno.execPath()} run -A ${script}`;
    const trainer = parseTrainer({ trainer: command, baseModel: base, ...TINY }, false)!;
    assert.equal(trainer.kind, "command");
    const out = join(ROOT, "by-command");
    const r = await trainCrossEncoder(data, { trainer, seed: 7, outDir: out });
    assert.ok(r.check.parityMaxAbsDiff <= 1e-4);
    assert.equal((await readJson(join(out, "trainer.json"))).trainer.command, command);

    const failing = join(ROOT, "fail");
    await Deno.mkdir(failing);
    for (const f of ["config.json", "tokenizer.json"]) {
      await Deno.copyFile(join(base, f), join(failing, f));
    }
    const t2 = parseTrainer({ trainer: command, baseModel: failing, ...TINY }, false)!;
    await assert.rejects(
      () => trainCrossEncoder(data, { trainer: t2, seed: 7, outDir: join(ROOT, "never") }),
      (e) =>
        e instanceof UserError && /: no GPU here$/.test(e.message) && !e.message.includes("\n"),
    );
    await assert.rejects(() => Deno.stat(join(ROOT, "never")), Deno.errors.NotFound);
  },
);

torchTest(
  "torch trainer: an XLM-R layout (no token types, offset positions) trains and exports",
  async () => {
    await fixture();
    const xlmr = join(ROOT, "xlmr-base");
    await writeHfBase(xlmr, python, 2, "xlm-roberta");
    const t = parseTrainer({ trainer: "torch", baseModel: xlmr, ...TINY, steps: "60" }, false)!;
    const r = await trainCrossEncoder(data, { trainer: t, seed: 1, outDir: join(ROOT, "xlmr") });
    assert.deepEqual(r.check.inputs, ["input_ids", "attention_mask"]);
    assert.ok(r.check.parityMaxAbsDiff <= 1e-4, String(r.check.parityMaxAbsDiff));
    const config = await readJson(join(ROOT, "xlmr", "config.json"));
    assert.deepEqual([config.model_type, config.num_labels], ["xlm-roberta", 1]);
  },
);

torchTest(
  "train --trainer torch: --steps, --batch and --lr are the transformer's; foreign --out refused",
  async () => {
    await fixture();
    const out = join(ROOT, "by-train-command");
    const o = {
      data,
      out,
      trainer: "torch",
      baseModel: base,
      steps: "30",
      warmup: "3",
      batch: "8",
      lr: "5e-4",
      maxLength: "64",
    };
    assert.match(
      await runTrainCommand(o),
      /30 steps x 8 pairs on 600 records, ONNX Runtime within/,
    );
    assert.match(await runTrainCommand(o), /30 steps x 8 pairs/); // its own directory: replaced
    const record = await readJson(join(out, "trainer.json"));
    assert.deepEqual([record.trainer.lr, record.trainer.warmup], [5e-4, 3]);
    const foreign = join(ROOT, "foreign");
    await Deno.mkdir(foreign);
    await Deno.writeTextFile(join(foreign, "notes.txt"), "mine\n");
    await assert.rejects(() => runTrainCommand({ ...o, out: foreign }), /refusing to replace/);
    assert.equal(await Deno.readTextFile(join(foreign, "notes.txt")), "mine\n");
    await assert.rejects(() => runTrainCommand({ ...o, epochs: "2" }), /--epochs/);
    await assert.rejects(
      () => runTrainCommand({ data, out, baseModel: base }),
      /--base-model.*--trainer torch/,
    );
  },
);

Deno.test("checkTorch: an interpreter that is missing is a one-line user error", async () => {
  await assert.rejects(
    () => checkTorch("/nonexistent/python3"),
    (e) => e instanceof UserError && /python3-torch/.test(e.message) && !e.message.includes("\n"),
  );
});

Deno.test("parseTrainer: knrm by default; transformer options need a transformer trainer", () => {
  assert.equal(parseTrainer({}, false), undefined);
  assert.throws(() => parseTrainer({ steps: "10" }, false), /--steps/);
  assert.throws(() => parseTrainer({ trainer: "torch" }, false), /--base-model/);
  assert.throws(
    () => parseTrainer({ trainer: "torch", baseModel: "b", device: "tpu" }, false),
    /--device/,
  );
  const quick = parseTrainer({ trainer: "torch", baseModel: "b" }, true)!;
  assert.deepEqual([quick.hyper.steps, quick.hyper.warmup, quick.hyper.lr], [1000, 100, 2e-5]);
  const full = parseTrainer({ trainer: "torch", baseModel: "b", python: "/p/python" }, false)!;
  assert.deepEqual(
    [full.hyper.steps, full.hyper.warmup, full.hyper.batchSize, full.hyper.maxLength],
    [200_000, 5_000, 64, 512],
  );
  assert.equal(full.command[0], "/p/python");
});
