/**
 * What a CPU can do with a transformer cross-encoder of mMiniLMv2-L6-H384's
 * shape (XLM-R layout: 6 layers, hidden 384, 12 heads, FFN 1,536, vocabulary
 * 250,002; random weights from the reference trainer's `init`, ~430 MB):
 *
 * - training: the reference trainer's `bench` subcommand times AdamW steps of
 *   64 pairs × 128 random token ids inside one Python process (the first step
 *   is a warm-up) and prints steps/s and pairs/s; the entry runs it once
 *   (`n: 1`), so `deno bench`'s own time also holds Python's start and the load;
 * - scoring: ONNX Runtime through `ExternalCrossEncoder.scoreEncoded` on the
 *   exported graph, 32 pre-tokenized pairs per iteration (pairs/s = 32 / time).
 *
 * Needs torch (see README, Transformer cross-encoders). Set-up takes ~30 s.
 *
 * @module
 */

import { join } from "node:path";
import { ExternalCrossEncoder } from "../tasks/ranker/mod.ts";
import {
  checkTorch,
  findPython,
  initBaseModel,
  TORCH_TRAINER_SCRIPT,
} from "../tasks/trainer/mod.ts";
import { Rng } from "../tasks/util/mod.ts";
import { tinyBertTokenizerJson } from "../tasks/fixtures/tiny_bert_fixture.ts";

const python = findPython(undefined);
await checkTorch(python);
const dir = await Deno.makeTempDir({ prefix: "trainer_bench_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

/** mMiniLMv2-L6-H384's config.json (nreimers/mMiniLMv2-L6-H384-distilled-from-XLMR-Large). */
const MMINILM = {
  architectures: ["XLMRobertaModel"],
  model_type: "xlm-roberta",
  vocab_size: 250_002,
  hidden_size: 384,
  num_hidden_layers: 6,
  num_attention_heads: 12,
  intermediate_size: 1536,
  hidden_act: "gelu",
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 514,
  type_vocab_size: 1,
  initializer_range: 0.02,
  layer_norm_eps: 1e-5,
  pad_token_id: 1,
};
/** Pairs per training step (the paper's batch) and per scoring iteration. */
const PAIRS = 64;
const SCORED = 32;

await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(MMINILM, null, 2) + "\n");
// Scoring feeds token ids directly; the tokenizer file only completes the model directory.
await Deno.writeTextFile(join(dir, "tokenizer.json"), JSON.stringify(tinyBertTokenizerJson()));
await initBaseModel(python, join(dir, "config.json"), dir, 1);

async function trainer(args: string[]): Promise<string> {
  const out = await new Deno.Command(python, {
    args: [TORCH_TRAINER_SCRIPT, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`train.py ${args[0]} failed (exit ${out.code})`);
  return new TextDecoder().decode(out.stdout).trim();
}
await trainer(["export", dir, join(dir, "model.onnx")]);

const rng = new Rng(7);
const batch = (length: number) =>
  Array.from({ length: SCORED }, () => {
    const ids = Array.from({ length }, () => 5 + rng.int(MMINILM.vocab_size - 5));
    ids[0] = 0; // <s>
    ids[length - 1] = 2; // </s>
    return { ids, typeIds: new Array<number>(length).fill(0) };
  });
const scorers = {
  1: await ExternalCrossEncoder.load(dir, { intraOpNumThreads: 1, batchSize: 32, maxLength: 512 }),
  2: await ExternalCrossEncoder.load(dir, { intraOpNumThreads: 2, batchSize: 32, maxLength: 512 }),
};

// Training at 64 × 128 tokens; a step at 512 tokens costs about 4-5× more (FLOPs), too long here.
Deno.bench(
  `mMiniLM shape: train ${PAIRS} pairs × 128 tokens per step, 2 threads`,
  { group: "train", n: 1, warmup: 0 },
  async () => {
    const args = ["--steps", "2", "--batch", String(PAIRS), "--length", "128", "--threads", "2"];
    console.log(await trainer(["bench", dir, ...args]));
  },
);

for (const length of [128, 512]) {
  const pairs = batch(length);
  for (const threads of [1, 2] as const) {
    Deno.bench(
      `mMiniLM shape: score ${SCORED} pairs × ${length} tokens, ONNX Runtime, ${threads} thread(s)`,
      { group: `score${length}`, n: length === 512 ? 1 : 3, warmup: length === 512 ? 0 : 1 },
      async () => {
        await scorers[threads].scoreEncoded(pairs);
      },
    );
  }
}
