/**
 * The CLI as a user meets it: file-system, stream and data errors give exit 2
 * and one line naming the path; outputs never replace inputs or foreign files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

import { cli, type CliResult as Result } from "../fixtures/cli.ts";

/** Exit 2 and a single `error: ...` line that names `path` and matches `what`. */
function assertOneLine(r: Result, path: string, what: RegExp): void {
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(lines[0].startsWith("error: "), lines[0]);
  assert.ok(lines[0].includes(path), `${lines[0]} does not name ${path}`);
  assert.match(lines[0], what);
}

const dir = await Deno.makeTempDir({ prefix: "cli_errors_test_" });
const data = join(dir, "train.jsonl");
const cands = join(dir, "cands.jsonl");
const model = join(dir, "model");
const trainLine = (i: number) =>
  JSON.stringify({
    qid: `${i >> 2}`,
    query: `capital of country ${i >> 2}`,
    pid: `p${i}`,
    passage: `the capital of country ${i} is a city`,
    label: i % 4 === 0 ? 1 : 0,
  });
const candLine = (docid: string) =>
  JSON.stringify({ qid: "q1", query: "capital", docid, doc: `capital city ${docid}` });
await Deno.writeTextFile(data, Array.from({ length: 32 }, (_, i) => trainLine(i) + "\n").join(""));
await Deno.writeTextFile(cands, ["d1", "d2", "d3"].map((d) => candLine(d) + "\n").join(""));
const train = (out: string, ...more: string[]) =>
  cli("train", "--data", data, "--out", out, "--steps", "2", "--batch", "4", ...more);
const codeswitch = (lexicon: string, out: string) =>
  cli(
    "codeswitch",
    "--variant",
    "ml-cs",
    "--languages",
    "de",
    "--lexicon",
    `de=${lexicon}`,
    "--workers",
    "0",
    data,
    out,
  );
/** The arguments of an en -> de `induce` run. */
const induceArgs = (sourceVec: string, targetVec: string, out: string) => [
  "induce",
  ...["--source", "en", "--target", "de"],
  ...["--source-vec", sourceVec, "--target-vec", targetVec, "--out", out],
];
/** A copy of the trained model, to damage. */
async function copyModel(to: string): Promise<void> {
  await Deno.mkdir(to);
  for (const f of Deno.readDirSync(model)) {
    await Deno.copyFile(join(model, f.name), join(to, f.name));
  }
}
assert.equal((await train(model)).code, 0);

Deno.test({
  name: "cli: file-system and stream errors are one line naming the path, exit 2",
  sanitizeResources: false,
  async fn() {
    const gz = join(dir, "run.gz");
    await Deno.writeFile(gz, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]));
    const qrels = join(dir, "qrels");
    await Deno.writeTextFile(qrels, "q1 0 d1 1\n");
    const plain = join(dir, "plain.gz");
    await Deno.writeTextFile(plain, "q1 Q0 d1 1 1 t\n");
    const badOnnx = join(dir, "bad-onnx");
    await copyModel(badOnnx);
    await Deno.writeTextFile(join(badOnnx, "model.onnx"), "not a protobuf");
    const vec = (name: string, dim: number) => {
      const path = join(dir, name);
      const rows = ["a", "b"].map((w, i) =>
        `${w} ${Array.from({ length: dim }, (_, d) => +(d === i))}`
      );
      Deno.writeTextFileSync(
        path,
        `2 ${dim}\n${rows.map((r) => r.replaceAll(",", " ")).join("\n")}\n`,
      );
      return path;
    };
    const [src, tgt] = [vec("en.vec", 3), vec("de.vec", 2)];
    const cases: [string[], string, RegExp][] = [
      // A truncated gzip and a plain file named .gz.
      [["evaluate", qrels, gz], gz, /not a valid gzip file/],
      [["evaluate", qrels, plain], plain, /not a valid gzip file/],
      // A directory where a file is expected, and a file where a directory is.
      [["evaluate", qrels, dir], dir, /is a directory/],
      [
        ["score", "--model", data, "--candidates", cands, "--out", join(dir, "r")],
        data,
        /not a directory/,
      ],
      // An output that cannot be written.
      [
        ["score", "--model", model, "--candidates", cands, "--out", "/proc/r.run"],
        "/proc/r.run",
        /./,
      ],
      [["train", "--data", data, "--out", join(data, "m")], join(data, "m"), /not a directory/],
      // A corrupt ONNX graph, mismatched embeddings (and a missing input, below).
      [
        ["score", "--model", badOnnx, "--candidates", cands, "--out", join(dir, "r")],
        "model.onnx",
        /not a valid ONNX/,
      ],
      [
        induceArgs(src, tgt, join(dir, "l.tsv")),
        tgt,
        /2-dimensional .* has 3/,
      ],
      // Out-of-range sizes.
      [
        ["train", "--data", data, "--out", join(dir, "m"), "--batch", "100000000"],
        "--batch",
        /65536/,
      ],
    ];
    for (const [args, path, what] of cases) assertOneLine(await cli(...args), path, what);
    const missing = join(dir, "no.tsv");
    assertOneLine(await codeswitch(missing, join(dir, "o.jsonl")), missing, /not found/);
  },
});

Deno.test({
  name: "cli: train --out never deletes what is not a model, nor its own data",
  sanitizeResources: false,
  async fn() {
    const foreign = join(dir, "photos");
    await Deno.mkdir(foreign);
    await Deno.writeTextFile(join(foreign, "keep.jpg"), "precious");
    assertOneLine(await train(foreign), foreign, /not a model directory.*--force/);
    assert.equal(await Deno.readTextFile(join(foreign, "keep.jpg")), "precious");
    const before = await Deno.readTextFile(data);
    assertOneLine(await train(data, "--force"), data, /same file as the input/);
    assert.equal(await Deno.readTextFile(data), before);
    // A model directory is train's own: replaced without --force; anything with it.
    assert.equal((await train(model)).code, 0);
    assert.equal((await train(foreign, "--force")).code, 0);
    assert.ok((await Deno.stat(join(foreign, "weights.f32"))).isFile);
  },
});

Deno.test({
  name: "cli: trainset, codeswitch, score and induce never replace a foreign file unasked",
  sanitizeResources: false,
  async fn() {
    const notes = join(dir, "notes.txt");
    const keep = async (r: Result, what: RegExp) => {
      assertOneLine(r, notes, what);
      assert.equal(await Deno.readTextFile(notes), "keep me\n");
    };
    await Deno.writeTextFile(notes, "keep me\n");
    const lex = join(dir, "en-de-guard.tsv");
    await Deno.writeTextFile(lex, "capital\tHauptstadt\n");
    const offline = ["--mirror", "/nonexistent", "--offline"];
    await keep(
      await cli("trainset", notes, "--max-questions", "5", ...offline),
      /not a training-records file.*--force/,
    );
    await keep(await codeswitch(lex, notes), /not a training-records file.*--force/);
    const score = (out: string, ...more: string[]) =>
      cli("score", "--model", model, "--candidates", cands, "--out", out, ...more);
    await keep(await score(notes), /not a TREC run file.*--force/);
    const vec = join(dir, "v.vec");
    await Deno.writeTextFile(vec, "1 2\ncapital 0.1 0.2\n");
    await keep(
      await cli(...induceArgs(vec, vec, notes)),
      /not a lexicon.*--force/,
    );
    // Their own artefacts are replaced without --force; anything with it.
    const run = join(dir, "guard.run");
    assert.equal((await score(run)).code, 0);
    assert.equal((await score(run)).code, 0);
    const switched = join(dir, "switched.jsonl");
    assert.equal((await codeswitch(lex, switched)).code, 0);
    assert.equal((await codeswitch(lex, switched)).code, 0);
    assert.equal((await score(notes, "--force")).code, 0);
    assert.match(await Deno.readTextFile(notes), /^q1 Q0 d\d 1 /);
  },
});

Deno.test({
  name: "cli: outputs that are inputs under another name are refused, inputs untouched",
  sanitizeResources: false,
  async fn() {
    const before = await Deno.readTextFile(cands);
    const alias = `${dir}/../${dir.split("/").at(-1)}/cands.jsonl`;
    const r = await cli("score", "--model", model, "--candidates", cands, "--out", alias);
    assertOneLine(r, alias, /same file as the input .* \(--candidates\)/);
    const lex = join(dir, "en-de.tsv");
    await Deno.writeTextFile(lex, "capital\tHauptstadt\n");
    const cs = await codeswitch(lex, `${dir}/./train.jsonl`);
    assertOneLine(cs, `${dir}/./train.jsonl`, /same file as the input .* \(IN\)/);
    assert.equal(await Deno.readTextFile(cands), before);
  },
});

Deno.test({
  name: "cli: no NaN leaves the harness: diverging training, NaN weights, spaces in ids",
  sanitizeResources: false,
  async fn() {
    const nan = join(dir, "nan-model");
    assertOneLine(await train(nan, "--lr", "1e30"), "--lr", /training stays finite/);
    await assert.rejects(() => Deno.stat(nan), Deno.errors.NotFound);
    // A model whose weights were damaged after training.
    await copyModel(nan);
    const w = await Deno.readFile(join(nan, "weights.f32"));
    new Float32Array(w.buffer, 0, 1)[0] = NaN;
    await Deno.writeFile(join(nan, "weights.f32"), w);
    const run = join(dir, "nan.run");
    const r = await cli("score", "--model", nan, "--candidates", cands, "--out", run);
    assertOneLine(r, join(nan, "weights.f32"), /weight 0 is NaN; retrain/);
    const spaced = join(dir, "spaced.jsonl");
    await Deno.writeTextFile(spaced, candLine("d1") + "\n" + candLine("d 2") + "\n");
    const s = await cli("score", "--model", model, "--candidates", spaced, "--out", run);
    assertOneLine(s, `${spaced}:2`, /docid without spaces/);
    await assert.rejects(() => Deno.stat(run), Deno.errors.NotFound);
  },
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

Deno.test({
  name: "cli: trainer options are checked before any work, one line each",
  sanitizeResources: false,
  async fn() {
    const cache = ["--cache-dir", join(dir, "trainer-cache"), "--offline"];
    assertOneLine(await cli("reproduce", "--steps", "10", ...cache), "--steps", /--trainer torch/);
    assertOneLine(
      await cli("plan", "--trainer", "torch", ...cache),
      "--base-model",
      /Hugging Face/,
    );
    const python = "/nonexistent/python3";
    const r = await cli("reproduce", "--trainer", "torch", "--base-model", dir, "--python", python);
    assertOneLine(r, python, /not found: install python3-torch/);
    assertOneLine(
      await cli("reproduce", "--trainer", "torch", "--base-model", dir, "--device", "tpu"),
      "--device",
      /cpu, cuda or cuda:N/,
    );
    // A base model without its tokenizer, checked before any work (any trainer command).
    const base = join(dir, "base-without-tokenizer");
    await Deno.mkdir(base);
    await Deno.writeTextFile(join(base, "config.json"), '{"model_type": "bert"}\n');
    const trainer = `${Deno.execPath()} --version`;
    const b = await cli("reproduce", "--trainer", trainer, "--base-model", base, ...cache);
    assertOneLine(b, join(base, "tokenizer.json"), /file not found/);
    await assert.rejects(() => Deno.stat(join(dir, "trainer-cache")), Deno.errors.NotFound);
  },
});
