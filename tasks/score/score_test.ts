import assert from "node:assert/strict";
import { InputError, OptionError, PathError, Rng } from "../util/mod.ts";
import {
  DEFAULT_CONFIG,
  initParams,
  type ModelArtifact,
  paramLayout,
  type RankerConfig,
  saveModel,
} from "../ranker/mod.ts";
import {
  type Candidate,
  readCandidates,
  scoreCandidateFile,
  scoreCandidates,
  Scorer,
  ScorerCache,
} from "./score.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

const CFG: RankerConfig = { ...DEFAULT_CONFIG, dim: 8, buckets: 4099 };
const XQUAD_EN = new URL(
  "../../../shared/mirror/raw.githubusercontent.com/google-research-datasets/lareqa/" +
    "9bc8c7fb6dd8d01d72a05a93c2cb96882b0d299c/xquad-r/en.json",
  import.meta.url,
);

async function tinyModel(dir: string, seed = 3, cfg = CFG): Promise<ModelArtifact> {
  const params = initParams(cfg, seed);
  const lay = paramLayout(cfg);
  const rng = new Rng(seed, 99);
  // Spread the head so that logits vary in sign and size.
  for (let i = lay.gateW; i < lay.size; i++) params[i] += 0.5 * rng.normal();
  const prov = {
    dataSha256: "0".repeat(64),
    instances: 0,
    seed,
    steps: 0,
    batchSize: 2,
    lr: 1e-3,
    lossCurve: [],
  };
  return await saveModel(dir, cfg, params, prov);
}

function randomPairs(n: number, seed: number): Candidate[] {
  const rng = new Rng(seed);
  const vocab = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "λόγος",
    "数据",
  ];
  const text = (len: number) =>
    Array.from({ length: len }, () => vocab[rng.int(vocab.length)]).join(" ");
  return Array.from({ length: n }, (_, i) => ({
    qid: `q${i % 7}`,
    query: text(rng.int(6)),
    docid: `d${i}`,
    doc: text(rng.int(40)),
  }));
}

async function xquadPairs(limit: number): Promise<Candidate[]> {
  const data = JSON.parse(await Deno.readTextFile(XQUAD_EN));
  const out: Candidate[] = [];
  for (const article of data.data) {
    for (const para of article.paragraphs) {
      for (const qa of para.qas) {
        for (const [j, s] of (para.sentences as string[]).entries()) {
          out.push({ qid: qa.id, query: qa.question, docid: `${qa.id}-${j}`, doc: s });
        }
      }
      if (out.length >= limit) return out;
    }
  }
  return out;
}

function assertClose(a: Float32Array, b: Float32Array) {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-5 * Math.max(1, Math.abs(a[i]));
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `pair ${i}: ts ${a[i]} vs onnx ${b[i]}`);
  }
}

Deno.test("ONNX Runtime and the TypeScript forward agree within 1e-5 (random and real text)", async () => {
  for (const cfg of [CFG, { ...CFG, bm25: false }]) await agree(cfg);
});

async function agree(cfg: RankerConfig) {
  const dir = await Deno.makeTempDir();
  try {
    const model = await tinyModel(`${dir}/m`, 3, cfg);
    const ts = await Scorer.create(model, { backend: "ts" });
    const onnx1 = await Scorer.create(model, { threads: 1, batchSize: 16 });
    const onnx2 = await Scorer.create(model, { threads: 2, batchSize: 64 });
    try {
      for (const items of [randomPairs(100, 1), await xquadPairs(300)]) {
        const ref = await ts.score(items);
        assert.ok(new Set(ref).size > items.length / 2, "scores should vary");
        assertClose(ref, await onnx1.score(items));
        assertClose(ref, await onnx2.score(items));
      }
    } finally {
      await onnx1.release();
      await onnx2.release();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a scorer's word cache changes no bits: reused across calls or started afresh", () =>
  withTempDir(async (dir) => {
    const model = await tinyModel(`${dir}/m`);
    const calls = [randomPairs(40, 5), await xquadPairs(120), randomPairs(40, 6)];
    // A tiny cache forces a reset before every call; the default keeps every word.
    const small = await Scorer.create(model, { cacheWords: 8 });
    const large = await Scorer.create(model);
    try {
      for (const items of calls) {
        const fresh = await Scorer.create(model);
        try {
          const want = await fresh.score(items);
          assert.deepEqual(await small.score(items), want, "small");
          assert.deepEqual(await large.score(items), want, "large");
        } finally {
          await fresh.release();
        }
      }
    } finally {
      await small.release();
      await large.release();
    }
    await assert.rejects(Scorer.create(model, { cacheWords: 0 }), OptionError);
  }));

Deno.test("scoreCandidateFile writes a sorted TREC run from JSON lines and TSV", () =>
  withTempDir(async (dir) => {
    const model = await tinyModel(`${dir}/m`);
    const items = randomPairs(30, 2);
    await Deno.writeTextFile(
      `${dir}/c.jsonl`,
      items.map((c) => JSON.stringify(c)).join("\n") + "\n",
    );
    await Deno.writeTextFile(
      `${dir}/c.tsv`,
      items.map((c) => [c.qid, c.docid, c.query, c.doc].join("\t")).join("\n") + "\n",
    );
    const stats = await scoreCandidateFile(model, `${dir}/c.jsonl`, `${dir}/a.run`, {
      tag: "t1",
      chunk: 7,
    });
    assert.equal(stats.pairs, 30);
    assert.equal(stats.queries, 7);
    // Same inputs and options => same bytes, whatever the file format.
    await scoreCandidateFile(model.dir, `${dir}/c.tsv`, `${dir}/b.run`, { tag: "t1", chunk: 7 });
    const a = await Deno.readTextFile(`${dir}/a.run`);
    assert.equal(a, await Deno.readTextFile(`${dir}/b.run`));
    // Other batching and the TypeScript backend differ only in rounding.
    await scoreCandidateFile(model, `${dir}/c.tsv`, `${dir}/c.run`, { tag: "t1", backend: "ts" });
    const score = (t: string) =>
      new Map(t.trimEnd().split("\n").map((l) => l.split(" ")).map((f) => [f[2], Number(f[4])]));
    const [sa, sc] = [score(a), score(await Deno.readTextFile(`${dir}/c.run`))];
    for (const [docid, v] of sa) {
      assert.ok(Math.abs(v - sc.get(docid)!) <= 1e-5 * Math.max(1, Math.abs(v)), docid);
    }
    const lines = a.trimEnd().split("\n").map((l) => l.split(" "));
    assert.equal(lines.length, 30);
    for (let i = 1; i < lines.length; i++) {
      const [p, c] = [lines[i - 1], lines[i]];
      assert.match(c[4], /^-?\d+\.\d{6}$/);
      if (p[0] === c[0]) {
        assert.equal(Number(c[3]), Number(p[3]) + 1);
        assert.ok(Number(p[4]) > Number(c[4]) || (p[4] === c[4] && p[2] > c[2]));
      } else {
        assert.ok(p[0] < c[0]);
        assert.equal(c[3], "1");
      }
    }
  }));

Deno.test("bad candidate lines and options raise InputError / OptionError", () =>
  withTempDir(async (dir) => {
    const model = await tinyModel(`${dir}/m`);
    const read = async (p: string) => {
      for await (const _ of readCandidates(p)) { /* consume */ }
    };
    await Deno.writeTextFile(
      `${dir}/a.jsonl`,
      '{"qid":"1","query":"q","docid":"d","doc":"x"}\n{"qid":1}\n',
    );
    await assert.rejects(
      read(`${dir}/a.jsonl`),
      (e) => e instanceof InputError && /a\.jsonl:2: .*"qid"/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/b.jsonl`, "not json\n");
    await assert.rejects(read(`${dir}/b.jsonl`), (e) => e instanceof InputError && e.line === 1);
    await Deno.writeTextFile(`${dir}/c.tsv`, "1\td\tq\tx\n1\td\tq\n");
    await assert.rejects(read(`${dir}/c.tsv`), (e) => e instanceof InputError && e.line === 2);
    await Deno.writeTextFile(`${dir}/d.tsv`, "1\td\tq\tx\n1\td\tq\ty\n");
    await assert.rejects(
      scoreCandidateFile(model, `${dir}/d.tsv`, `${dir}/d.run`, { backend: "ts" }),
      (e) => e instanceof InputError && e.line === 2 && /duplicate/.test(e.message),
    );
    await assert.rejects(Deno.stat(`${dir}/d.run`), Deno.errors.NotFound);
    await assert.rejects(Scorer.create(model, { threads: 0 }), OptionError);
    await assert.rejects(Scorer.create(model, { backend: "gpu" as never }), OptionError);
    await assert.rejects(
      scoreCandidateFile(model, `${dir}/c.tsv`, `${dir}/x.run`, { tag: "two words" }),
      OptionError,
    );
  }));

Deno.test("a model that scores a pair as non-finite writes no run", () =>
  withTempDir(async (dir) => {
    const cfg = CFG;
    const params = initParams(cfg, 1);
    // Finite weights whose logits overflow float32: accepted on load, caught on scoring.
    params.fill(3e38, paramLayout(cfg).gateW);
    const prov = { dataSha256: "0".repeat(64), instances: 0, seed: 1, steps: 0, batchSize: 2 };
    const model = await saveModel(`${dir}/m`, cfg, params, { ...prov, lr: 1e-3, lossCurve: [] });
    await Deno.writeTextFile(`${dir}/c.tsv`, "1\td\talpha beta\talpha gamma\n");
    for (const backend of ["ts", "onnx"] as const) {
      await assert.rejects(
        scoreCandidateFile(model, `${dir}/c.tsv`, `${dir}/x.run`, { backend }),
        (e) =>
          e instanceof PathError &&
          /scores query "1", document "d" as (NaN|-?Infinity)/.test(e.message),
        backend,
      );
    }
    await assert.rejects(Deno.stat(`${dir}/x.run`), Deno.errors.NotFound);
  }));

Deno.test("ScorerCache: the same logits as a fresh scorer, one use at a time per model, one thread or two", () =>
  withTempDir(async (dir) => {
    await tinyModel(`${dir}/a`, 3);
    await tinyModel(`${dir}/b`, 4);
    const items = randomPairs(300, 5);
    // The tiny model has the BM25 feature, whose statistics come from the items scored together.
    const fresh = {
      a: await scoreCandidates(`${dir}/a`, items),
      b: await scoreCandidates(`${dir}/b`, items),
      head: await scoreCandidates(`${dir}/a`, items.slice(0, 50)),
      mid: await scoreCandidates(`${dir}/a`, items.slice(10, 20)),
    };
    assert.notDeepEqual(fresh.a, fresh.b);
    const cache = new ScorerCache({ threads: 1 });
    try {
      // Two uses of one model at once run one after the other: the second starts when the first ends.
      const order: string[] = [];
      const use = (name: "a" | "b", tag: string, part: Candidate[]) =>
        cache.use(`${dir}/${name}`, async (s) => {
          order.push(`${tag} start`);
          const out = await s.score(part);
          order.push(`${tag} end`);
          return out;
        });
      const [x, y] = await Promise.all([use("a", "x", items), use("a", "y", items.slice(0, 50))]);
      assert.deepEqual(order, ["x start", "x end", "y start", "y end"]);
      assert.deepEqual(x, fresh.a);
      assert.deepEqual(y, fresh.head);
      // Another model releases the first (capacity 1); coming back reopens it, same bits.
      assert.deepEqual(await use("b", "z", items), fresh.b);
      assert.deepEqual(await use("a", "w", items), fresh.a);
      // A failing use does not block the next one.
      await assert.rejects(cache.use(`${dir}/a`, () => Promise.reject(new Error("boom"))), /boom/);
      assert.deepEqual(await use("a", "v", items.slice(10, 20)), fresh.mid);
    } finally {
      await cache.close();
    }
  }));
