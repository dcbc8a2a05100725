import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../tasks/errors.ts";
import { type Embeddings, induceLexicon, readVec, scoreBlock } from "./induce.ts";

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
  const dot = induceLexicon("en", "de", src, tgt, { method: "dot" });
  assert.deepEqual(firsts(dot.entries), { s23: "hub", s45: "hub", s50: "hub", s0: "a" });
  const csls = induceLexicon("en", "de", src, tgt, { method: "csls", k: 2 });
  assert.deepEqual(firsts(csls.entries), { s23: "a", s45: "hub", s50: "hub", s0: "a" });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("dot product uses raw (unnormalised) vectors, as in the paper", () => {
  const src: Embeddings = { words: ["x"], dim: 2, vectors: new Float32Array([1, 0.1]) };
  const tgt: Embeddings = {
    words: ["near", "long"],
    dim: 2,
    vectors: new Float32Array([1, 0, 3, 3]),
  };
  assert.equal(induceLexicon("en", "de", src, tgt).entries.get("x")?.[0], "long");
  assert.equal(
    induceLexicon("en", "de", src, tgt, { method: "csls", k: 1 }).entries.get("x")?.[0],
    "near",
  );
});

Deno.test("blocked scores equal naive dot products at every block edge", () => {
  const dim = 7, ns = 11, nt = 13;
  let seed = 1;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) - 0.5;
  const s = Float32Array.from({ length: ns * dim }, rnd);
  const t = Float32Array.from({ length: nt * dim }, rnd);
  const out = new Float32Array(5 * 6);
  scoreBlock(s, 3, 5, t, 4, 6, dim, out);
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 6; j++) {
      let x = 0;
      for (let d = 0; d < dim; d++) x += s[(3 + i) * dim + d] * t[(4 + j) * dim + d];
      assert.ok(Math.abs(out[i * 6 + j] - x) < 1e-5);
    }
  }
  // Whole induction with tiny blocks agrees with one big block.
  const S: Embeddings = { words: Array.from({ length: ns }, (_, i) => `s${i}`), dim, vectors: s };
  const T: Embeddings = { words: Array.from({ length: nt }, (_, i) => `t${i}`), dim, vectors: t };
  for (const method of ["dot", "csls"] as const) {
    const small = induceLexicon("en", "de", S, T, { method, k: 3, sourceBlock: 3, targetBlock: 2 });
    const big = induceLexicon("en", "de", S, T, {
      method,
      k: 3,
      sourceBlock: 64,
      targetBlock: 256,
    });
    assert.deepEqual(small.entries, big.entries);
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
