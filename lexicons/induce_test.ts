import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError, OptionError } from "../tasks/util/mod.ts";
import { type Embeddings, induceLexicon, type InductionMethod, readVec } from "./induce.ts";

const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180), 0];
const vecFile = (rows: [string, number[]][]) =>
  `${rows.length} 3\n${
    rows.map(([w, v]) => `${w} ${v.map((x) => x.toFixed(6)).join(" ")}`).join("\n")
  }\n`;

async function fixture(): Promise<{ dir: string; src: Embeddings; tgt: Embeddings }> {
  const dir = await Deno.makeTempDir();
  // Unit vectors in a plane: target "hub" (45°) is the cosine nearest neighbour of
  // source "s23" (23°), but it is also very close to s45 and s50, so CSLS (k=2)
  // penalises it and picks "a" (0°) for s23 instead.
  await Deno.writeTextFile(
    join(dir, "src.vec"),
    vecFile([["s23", deg(23)], ["s45", deg(45)], ["s50", deg(50)], ["s0", deg(0)]]),
  );
  await Deno.writeTextFile(
    join(dir, "tgt.vec"),
    vecFile([["a", deg(0)], ["hub", deg(45)], ["b", deg(90)]]),
  );
  const src = (await readVec(join(dir, "src.vec"))).embeddings;
  const tgt = (await readVec(join(dir, "tgt.vec"))).embeddings;
  return { dir, src, tgt };
}

const firsts = (m: Map<string, string[]>) => Object.fromEntries([...m].map(([k, v]) => [k, v[0]]));

Deno.test("induction: dot product picks the hub, CSLS does not", async () => {
  const { dir, src, tgt } = await fixture();
  const dot = await induceLexicon("en", "de", src, tgt, { method: "dot" });
  assert.deepEqual(firsts(dot.entries), { s23: "hub", s45: "hub", s50: "hub", s0: "a" });
  const csls = await induceLexicon("en", "de", src, tgt, { method: "csls", k: 2 });
  assert.deepEqual(firsts(csls.entries), { s23: "a", s45: "hub", s50: "hub", s0: "a" });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("dot product uses raw (unnormalised) vectors, as in the paper", async () => {
  const src: Embeddings = { words: ["x"], dim: 2, vectors: new Float32Array([1, 0.1]) };
  const tgt: Embeddings = {
    words: ["near", "long"],
    dim: 2,
    vectors: new Float32Array([1, 0, 3, 3]),
  };
  assert.equal((await induceLexicon("en", "de", src, tgt)).entries.get("x")?.[0], "long");
  assert.equal(
    (await induceLexicon("en", "de", src, tgt, { method: "csls", k: 1 })).entries.get("x")?.[0],
    "near",
  );
});

/** Plain float64 reference: index of the best target per source row, and its margin over the runner-up. */
function reference(S: Embeddings, T: Embeddings, method: InductionMethod, k: number) {
  const { dim } = S, ns = S.words.length, nt = T.words.length;
  const unit = (e: Embeddings, r: number) => {
    const v = Array.from(e.vectors.subarray(r * dim, (r + 1) * dim));
    const n = method === "csls" ? Math.hypot(...v) : 1;
    return v.map((x) => x / n);
  };
  const sim = Array.from({ length: ns }, (_, i) => {
    const x = unit(S, i);
    return Array.from({ length: nt }, (_, j) => unit(T, j).reduce((a, y, d) => a + y * x[d], 0));
  });
  const rS = Array.from({ length: nt }, (_, j) => {
    const top = sim.map((row) => row[j]).sort((a, b) => b - a).slice(0, k);
    return top.reduce((a, b) => a + b, 0) / top.length;
  });
  return sim.map((row) => {
    const score = row.map((c, j) => method === "csls" ? 2 * c - rS[j] : c);
    const order = score.map((_, j) => j).sort((a, b) => score[b] - score[a]);
    return { best: order[0], margin: score[order[0]] - score[order[1]] };
  });
}

Deno.test("blocked ONNX induction equals a plain reference at every block edge", async () => {
  const dim = 7, ns = 11, nt = 13;
  let seed = 1;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) - 0.5;
  const S: Embeddings = {
    words: Array.from({ length: ns }, (_, i) => `s${i}`),
    dim,
    vectors: Float32Array.from({ length: ns * dim }, rnd),
  };
  const T: Embeddings = {
    words: Array.from({ length: nt }, (_, i) => `t${i}`),
    dim,
    vectors: Float32Array.from({ length: nt * dim }, rnd),
  };
  for (const method of ["dot", "csls"] as const) {
    const ref = reference(S, T, method, 3);
    // Float32 GEMM may reorder near-ties; these fixtures have none.
    assert.ok(ref.every((r) => r.margin > 1e-4), `${method} fixture has a near-tie`);
    const want = new Map(ref.map((r, i) => [`s${i}`, [`t${r.best}`]]));
    // Blocks of 3 sources leave a last block of 2 < k; blocks of 2 targets split every pair.
    for (
      const blocks of [
        { sourceBlock: 3, targetBlock: 2, threads: 1 },
        { sourceBlock: 4, targetBlock: 5 },
        {},
      ]
    ) {
      const got = await induceLexicon("en", "de", S, T, { method, k: 3, ...blocks });
      assert.deepEqual(got.entries, want, `${method} ${JSON.stringify(blocks)}`);
    }
  }
});

Deno.test("ties go to the earlier target word, within and across blocks", async () => {
  const src: Embeddings = { words: ["x", "y"], dim: 2, vectors: new Float32Array([1, 0, 0, 1]) };
  const tgt: Embeddings = {
    words: ["other", "first", "again", "third"],
    dim: 2,
    vectors: new Float32Array([0, 1, 1, 0, 1, 0, 1, 0]),
  };
  for (const method of ["dot", "csls"] as const) {
    for (const targetBlock of [1, 2, 3, 4]) {
      const lex = await induceLexicon("en", "de", src, tgt, { method, k: 1, targetBlock });
      assert.deepEqual(lex.entries.get("x"), ["first"], `${method} targetBlock ${targetBlock}`);
      assert.deepEqual(lex.entries.get("y"), ["other"], `${method} targetBlock ${targetBlock}`);
    }
  }
});

Deno.test("induction options are validated", async () => {
  const e: Embeddings = { words: ["a"], dim: 1, vectors: new Float32Array([1]) };
  for (const opts of [{ k: 0 }, { sourceBlock: 1.5 }, { targetBlock: -1 }, { threads: 0 }]) {
    await assert.rejects(induceLexicon("en", "de", e, e, opts), OptionError);
  }
});

Deno.test(".vec: malformed lines are skipped and reported; vocabulary and maxWords filter", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "x.vec");
  await Deno.writeTextFile(
    path,
    "5 2\nthe 1 0\nbroken 1\nof 0 1\n  0.5 0.5\nand 1 nan\nwith 2 2\n",
  );
  const { embeddings, report } = await readVec(path);
  assert.deepEqual(embeddings.words, ["the", "of", "with"]);
  assert.deepEqual([...embeddings.vectors], [1, 0, 0, 1, 2, 2]);
  assert.equal(report.malformed, 3);
  assert.deepEqual(report.malformedLines, [3, 5, 6]);
  const some = await readVec(path, { vocabulary: new Set(["of", "with"]), maxWords: 3 });
  assert.deepEqual(some.embeddings.words, ["of"]);
  await Deno.writeTextFile(path, "the 1 0\n");
  await assert.rejects(readVec(path), (e) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /x\.vec:1: expected a fastText header/);
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});
