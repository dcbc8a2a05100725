import assert from "node:assert/strict";
import { join } from "node:path";
import { DataType, encodeModel, InputError, UserError } from "../util/mod.ts";
import {
  type EncodedPair,
  ExternalCrossEncoder,
  isHfModelDir,
  type ScoringPair,
} from "./external_encoder.ts";
import {
  addedToken,
  TINY_BERT_EPS,
  TINY_BERT_SIZE,
  type TinyBert,
  type TinyBertOptions,
  type TinyBertParam,
  writeTinyBert,
} from "../fixtures/tiny_bert_fixture.ts";

const PAIRS: ScoringPair[] = [
  { query: "Where is the cat?", doc: "The cat sat on the mat." },
  { query: "who reads books", doc: "A small dog played in the park, reading a red book." },
  { query: "what is big", doc: "The house is big." },
  { query: "dog", doc: "Cats and dogs run in the big red house of the reader." },
  { query: "where is the park?", doc: "" },
];

const ROOT = await Deno.makeTempDir({ prefix: "external_encoder_test_" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

async function fixture(opts: TinyBertOptions = {}): Promise<{ dir: string; model: TinyBert }> {
  const dir = await Deno.makeTempDir({ dir: ROOT });
  return { dir, model: await writeTinyBert(dir, opts) };
}

/** Straightforward float64 forward pass of the tiny BERT on one unpadded sequence. */
function referenceLogits(model: TinyBert, pair: EncodedPair): number[] {
  const w = model.weights;
  const { hidden: h, heads } = TINY_BERT_SIZE;
  const dh = h / heads;
  const n = pair.ids.length;
  const at = (p: TinyBertParam, i: number) => w[p].data[i];
  const dense = (x: number[][], wp: TinyBertParam, bp: TinyBertParam) => {
    const [inDim, outDim] = w[wp].dims;
    return x.map((row) =>
      Array.from({ length: outDim }, (_, o) => {
        let s = at(bp, o);
        for (let i = 0; i < inDim; i++) s += row[i] * at(wp, i * outDim + o);
        return s;
      })
    );
  };
  const layerNorm = (x: number[][], g: TinyBertParam, b: TinyBertParam) =>
    x.map((row) => {
      const mean = row.reduce((a, v) => a + v, 0) / row.length;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
      const inv = 1 / Math.sqrt(variance + TINY_BERT_EPS);
      return row.map((v, i) => (v - mean) * inv * at(g, i) + at(b, i));
    });
  const add = (x: number[][], y: number[][]) => x.map((row, t) => row.map((v, i) => v + y[t][i]));
  const erf = (x: number) => {
    // Taylor series for small |x|, continued fraction for the tail: float64-accurate.
    const t = Math.abs(x);
    let r: number;
    if (t < 2.5) {
      let term = t, sum = t;
      for (let k = 1; k < 60; k++) {
        term *= -t * t / k;
        sum += term / (2 * k + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      let cf = 0;
      for (let k = 60; k >= 1; k--) cf = (k / 2) / (t + cf);
      r = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + cf);
    }
    return x < 0 ? -r : r;
  };

  const emb = pair.ids.map((id, t) =>
    Array.from({ length: h }, (_, i) =>
      at("wordEmb", id * h + i) + at("posEmb", t * h + i) +
      at("typeEmb", (model.tokenTypes ? pair.typeIds[t] : 0) * h + i))
  );
  const h0 = layerNorm(emb, "embLnG", "embLnB");
  const q = dense(h0, "wq", "bq"), k = dense(h0, "wk", "bk"), v = dense(h0, "wv", "bv");
  const ctx = Array.from({ length: n }, () => new Array<number>(h).fill(0));
  for (let head = 0; head < heads; head++) {
    const off = head * dh;
    for (let i = 0; i < n; i++) {
      const s = Array.from({ length: n }, (_, j) => {
        let d = 0;
        for (let c = 0; c < dh; c++) d += q[i][off + c] * k[j][off + c];
        return d / Math.sqrt(dh);
      });
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, x) => a + x, 0);
      for (let j = 0; j < n; j++) {
        for (let c = 0; c < dh; c++) ctx[i][off + c] += e[j] / z * v[j][off + c];
      }
    }
  }
  const h1 = layerNorm(add(dense(ctx, "wo", "bo"), h0), "attnLnG", "attnLnB");
  const f0 = dense(h1, "w1", "b1").map((row) =>
    row.map((x) => 0.5 * x * (1 + erf(x / Math.SQRT2)))
  );
  const h2 = layerNorm(add(dense(f0, "w2", "b2"), h1), "ffnLnG", "ffnLnB");
  const pooled = dense([h2[0]], "wp", "bp").map((row) => row.map(Math.tanh));
  return dense(pooled, "wc", "bc")[0];
}

Deno.test("tokenizer builds the BERT pair template with the expected ids", async () => {
  const { dir } = await fixture();
  const ce = await ExternalCrossEncoder.load(dir);
  try {
    const enc = ce.encode("Where is the CAT?", "The cats played in the park, reading a book!");
    // [CLS] where is the cat ? [SEP] the cat ##s play ##ed in the park , read ##ing a book [UNK] [SEP]
    assert.deepEqual(
      enc.ids,
      [2, 14, 10, 9, 17, 7, 3, 9, 17, 30, 22, 32, 12, 9, 23, 6, 29, 31, 8, 28, 1, 3],
    );
    assert.deepEqual(enc.typeIds, [...new Array(7).fill(0), ...new Array(15).fill(1)]);
    assert.equal(ce.maxLength, 64); // no model_max_length: min(512, max_position_embeddings)
    assert.equal(ce.usesTokenTypes, true);
  } finally {
    await ce.release();
  }
});

Deno.test("XLM-R style Unigram tokenizer builds <s> q </s></s> p </s>", async () => {
  const { dir } = await fixture({ tokenTypes: false });
  const vocab = [
    "<s>",
    "<pad>",
    "</s>",
    "<unk>",
    "\u2581the",
    "\u2581cat",
    "\u2581",
    "s",
    "?",
    "\u2581sat",
  ];
  await Deno.writeTextFile(
    join(dir, "tokenizer.json"),
    JSON.stringify({
      version: "1.0",
      added_tokens: vocab.slice(0, 4).map((content, id) => addedToken(content, id)),
      normalizer: null,
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [
          { type: "WhitespaceSplit" },
          { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true },
        ],
      },
      post_processor: { type: "RobertaProcessing", sep: ["</s>", 2], cls: ["<s>", 0] },
      decoder: { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true },
      model: {
        type: "Unigram",
        unk_id: 3,
        vocab: vocab.map((t, i) => [t, i < 4 ? 0 : -1 - i / 10]),
      },
    }),
  );
  await Deno.writeTextFile(
    join(dir, "config.json"),
    JSON.stringify({ model_type: "xlm-roberta", max_position_embeddings: 514, pad_token_id: 1 }),
  );
  const ce = await ExternalCrossEncoder.load(dir);
  try {
    // <s> _the _cat s ? </s> </s> _cat _sat _ <unk> </s>  (unknown "x" leaves its "_" piece)
    assert.deepEqual(ce.encode("the cats?", "cat sat x").ids, [0, 4, 5, 7, 8, 2, 2, 5, 9, 6, 3, 2]);
    // XLM-R numbers positions from pad_token_id + 1, so 514 positions hold 512 tokens.
    assert.equal(ce.maxLength, 512);
  } finally {
    await ce.release();
  }
});

Deno.test("ORT scores equal a float64 reference forward pass", async (t) => {
  const variants: [string, TinyBertOptions][] = [
    ["1 logit, token types", { seed: 3 }],
    ["2 logits (label 1 used)", { seed: 4, numLabels: 2 }],
    ["no token_type_ids input", { seed: 5, tokenTypes: false }],
  ];
  for (const [name, opts] of variants) {
    await t.step(name, async () => {
      const { dir, model } = await fixture(opts);
      const ce = await ExternalCrossEncoder.load(dir, { batchSize: 3 });
      try {
        const scores = await ce.score(PAIRS);
        assert.equal(ce.usesTokenTypes, opts.tokenTypes ?? true);
        assert.equal(ce.numLogits, opts.numLabels ?? 1);
        const want = PAIRS.map((p) => referenceLogits(model, ce.encode(p.query, p.doc)).at(-1)!);
        scores.forEach((s, i) =>
          assert.ok(Math.abs(s - want[i]) < 1e-4, `${i}: ${s} vs ${want[i]}`)
        );
        // The weights must make pairs distinguishable, or the comparison proves little.
        assert.ok(Math.max(...want) - Math.min(...want) > 0.1, `scores too close: ${want}`);
      } finally {
        await ce.release();
      }
    });
  }
});

Deno.test("padding and batching do not change a pair's score", async () => {
  const { dir } = await fixture({ seed: 9 });
  const ce = await ExternalCrossEncoder.load(dir);
  const single = await ExternalCrossEncoder.load(dir, { batchSize: 1, intraOpNumThreads: 2 });
  try {
    const short = PAIRS[2];
    const long = PAIRS[3];
    assert.ok(
      ce.encode(long.query, long.doc).ids.length > ce.encode(short.query, short.doc).ids.length,
    );
    const [alone] = await ce.score([short]);
    const batched = await ce.score([long, short, long]);
    assert.ok(Math.abs(alone - batched[1]) < 1e-5, `${alone} vs ${batched[1]}`);
    assert.ok(Math.abs(batched[0] - batched[2]) < 1e-6);
    const oneByOne = await single.score(PAIRS);
    const together = await ce.score(PAIRS);
    oneByOne.forEach((s, i) => assert.ok(Math.abs(s - together[i]) < 1e-5, `${i}`));
    assert.deepEqual(await ce.score([]), new Float32Array(0));
  } finally {
    await ce.release();
    await single.release();
  }
});

Deno.test("truncation keeps pairs within max length, passage first", async () => {
  const { dir, model } = await fixture({ seed: 2, maxPositions: 16, modelMaxLength: 12 });
  const fromConfig = await ExternalCrossEncoder.load(dir);
  const option = await ExternalCrossEncoder.load(dir, { maxLength: 8 });
  try {
    assert.equal(fromConfig.maxLength, 12); // tokenizer_config.json model_max_length
    const doc = "the big red dog sat on the mat in the house of the cat.";
    const enc = fromConfig.encode("where is the dog?", doc);
    assert.equal(enc.ids.length, 12);
    // Query kept whole; passage cut to the remaining 12 - 3 specials - 5 query tokens.
    assert.deepEqual(enc.ids, [2, 14, 10, 9, 18, 7, 3, 9, 26, 25, 18, 3]);

    const q = option.encode("the big red dog sat on the mat", "a cat");
    assert.deepEqual(q.ids, [2, 9, 26, 25, 18, 20, 3, 3]); // query cut to 5, passage empty
    assert.deepEqual(q.typeIds, [0, 0, 0, 0, 0, 0, 0, 1]);

    // Many pairs at once, texts shared between pairs and sides: the same as one by one.
    const many = [...PAIRS, ...PAIRS, { query: doc, doc: "where is the dog?" }, {
      query: "a",
      doc,
    }];
    for (const ce of [fromConfig, option]) {
      assert.deepEqual(ce.encoder.encodeAll(many), many.map((p) => ce.encode(p.query, p.doc)));
    }

    // A pair longer than the 16 position embeddings still scores, equal to the truncated reference.
    const long = { query: "where is the dog?", doc: doc.repeat(4) };
    const [s] = await fromConfig.score([long]);
    const want = referenceLogits(model, enc)[0];
    assert.ok(Math.abs(s - want) < 1e-4, `${s} vs ${want}`);

    await assert.rejects(
      ExternalCrossEncoder.load(dir, { maxLength: 17 }),
      (e) => e instanceof UserError && /max_position_embeddings 16/.test(e.message),
    );
    await assert.rejects(ExternalCrossEncoder.load(dir, { maxLength: 3 }), UserError);
  } finally {
    await fromConfig.release();
    await option.release();
  }
});

Deno.test("missing files and unsuitable models give errors naming the file", async () => {
  for (const file of ["model.onnx", "tokenizer.json", "config.json"]) {
    const { dir } = await fixture();
    assert.equal(await isHfModelDir(dir), true);
    await Deno.remove(join(dir, file));
    assert.equal(await isHfModelDir(dir), false);
    await assert.rejects(
      ExternalCrossEncoder.load(dir),
      (e) =>
        e instanceof InputError && e.file === join(dir, file) && /file not found/.test(e.message),
    );
  }

  const { dir } = await fixture();
  await Deno.writeTextFile(join(dir, "config.json"), "{ not json");
  await assert.rejects(
    ExternalCrossEncoder.load(dir),
    (e) => e instanceof InputError && e.file === join(dir, "config.json") && /JSON/.test(e.message),
  );

  // A model that is not a cross-encoder: one float input named x.
  const other = await fixture();
  await Deno.writeFile(
    join(other.dir, "model.onnx"),
    encodeModel({
      name: "identity",
      nodes: [{ op: "Identity", inputs: ["x"], outputs: ["y"] }],
      inputs: [{ name: "x", type: DataType.FLOAT, shape: ["n"] }],
      outputs: [{ name: "y", type: DataType.FLOAT, shape: ["n"] }],
      initializers: [],
    }),
  );
  await assert.rejects(
    ExternalCrossEncoder.load(other.dir),
    (e) =>
      e instanceof InputError && e.file === join(other.dir, "model.onnx") &&
      /input_ids and attention_mask/.test(e.message),
  );

  // Right inputs, wrong output shape: [batch, seq] token logits.
  const tokenLevel = await fixture();
  const ids = (name: string) => ({ name, type: DataType.INT64, shape: ["b", "s"] });
  await Deno.writeFile(
    join(tokenLevel.dir, "model.onnx"),
    encodeModel({
      name: "token-level",
      nodes: [
        { op: "Cast", inputs: ["input_ids"], outputs: ["f"], attrs: { to: DataType.FLOAT } },
        { op: "Cast", inputs: ["attention_mask"], outputs: ["m"], attrs: { to: DataType.FLOAT } },
        { op: "Mul", inputs: ["f", "m"], outputs: ["logits"] },
      ],
      inputs: [ids("input_ids"), ids("attention_mask")],
      outputs: [{ name: "logits", type: DataType.FLOAT, shape: ["b", "s"] }],
      initializers: [],
    }),
  );
  const ce = await ExternalCrossEncoder.load(tokenLevel.dir);
  try {
    await assert.rejects(
      ce.score(PAIRS),
      (e) => e instanceof InputError && /expected float32 logits \[batch, 1\]/.test(e.message),
    );
  } finally {
    await ce.release();
  }
});
