/**
 * Throughput of the `mmarco` data preparation on synthetic MS MARCO-shaped
 * files: the training set (two passes over the triples, one over queries and
 * collection) and the evaluation sets (top1000 + one language's collection).
 *
 * @module
 */

import { join } from "node:path";
import { syntheticCollection } from "../tasks/fixtures/synthetic.ts";
import { buildMsmarcoTrainingSet, loadMmarcoEvalSets, MMARCO } from "../tasks/profiles/mod.ts";

const COLLECTION_BYTES = 32e6;
const TRIPLES = 100_000;
const EVAL_QUERIES = 100;
const DEPTH = 500;

const dir = await Deno.makeTempDir({ prefix: "mmarco_bench" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

let x = 12345;
const rand = (n: number) => {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  return x % n;
};

const collection = join(dir, "collection.tsv");
await Deno.writeFile(collection, syntheticCollection(COLLECTION_BYTES));
const lines = (await Deno.readTextFile(collection)).split("\n").filter((l) => l !== "");
const passages = lines.length;
const queries = join(dir, "queries.tsv");
await Deno.writeTextFile(
  queries,
  Array.from({ length: 20_000 }, (_, q) => `${q}\twhat is the query number ${q}\n`).join(""),
);
const triples = join(dir, "triples.tsv");
await Deno.writeTextFile(
  triples,
  Array.from({ length: TRIPLES }, () => `${rand(20_000)}\t${rand(passages)}\t${rand(passages)}\n`)
    .join(""),
);
const qrels = join(dir, "qrels.tsv");
await Deno.writeTextFile(
  qrels,
  Array.from({ length: EVAL_QUERIES }, (_, q) => `${q}\t0\t${rand(passages)}\t1\n`).join(""),
);
// Uncompressed: the tar.gz path only adds gunzip, measured elsewhere.
const top1000 = join(dir, "top1000.tsv");
const rows: string[] = [];
for (let q = 0; q < EVAL_QUERIES; q++) {
  for (let k = 0; k < DEPTH; k++) {
    const pid = rand(passages);
    rows.push(`${q}\t${pid}\tquery ${q}\t${lines[pid].slice(lines[pid].indexOf("\t") + 1)}\n`);
  }
}
await Deno.writeTextFile(top1000, rows.join(""));
lines.length = 0;

Deno.bench(
  `mmarco training set, ${TRIPLES / 1000}k triples, ${COLLECTION_BYTES / 1e6} MB collection`,
  { n: 3, warmup: 1 },
  async () => {
    const counts = await buildMsmarcoTrainingSet(
      { triples, queries, collection },
      join(dir, "train.jsonl"),
      { maxTriples: TRIPLES },
    );
    if (counts.instances !== TRIPLES) throw new Error(`wrote ${counts.instances} records`);
  },
);

for (const order of ["file", "bm25"] as const) {
  Deno.bench(
    `mmarco eval sets, 1 language, ${EVAL_QUERIES} queries x ${DEPTH} candidates, ${order} order`,
    { n: 3, warmup: 1 },
    async () => {
      const { sets } = await loadMmarcoEvalSets(
        MMARCO,
        { en: { collection, queries, qrels } },
        top1000,
        { order, depth: 100 },
      );
      if (sets[0].queries.length !== EVAL_QUERIES) throw new Error("lost queries");
    },
  );
}
