import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../tasks/util/mod.ts";
import {
  readCollection,
  readQrels,
  readQueries,
  readTop1000,
  readTriples,
  untarFirstFile,
} from "./mmarco.ts";
import { streamCollectionInChild } from "../tasks/fixtures/synthetic.ts";
import { withTempDir } from "../tasks/fixtures/temp_dir.ts";
import { gzip, tarEntry } from "../tasks/fixtures/mmarco_fixture.ts";

Deno.test("mMARCO TSV loaders yield typed records", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "c.tsv"), "0\tDas ist ein Text.\n7\tZweiter\tmit Tab\n");
    await Deno.writeTextFile(join(dir, "q.tsv"), "1048585\twas ist x\r\n2\ty\n");
    await Deno.writeTextFile(join(dir, "qrels.tsv"), "1048585\t0\t7\t1\n");
    assert.deepEqual(await Array.fromAsync(readCollection(join(dir, "c.tsv"), "de")), [
      { docid: "0", text: "Das ist ein Text.", lang: "de" },
      { docid: "7", text: "Zweiter\tmit Tab", lang: "de" },
    ]);
    assert.deepEqual(await Array.fromAsync(readQueries(join(dir, "q.tsv"), "de")), [
      { qid: "1048585", text: "was ist x", lang: "de" },
      { qid: "2", text: "y", lang: "de" },
    ]);
    assert.deepEqual(await Array.fromAsync(readQrels(join(dir, "qrels.tsv"))), [
      { qid: "1048585", docid: "7", rel: 1 },
    ]);
  }));

Deno.test("malformed TSV lines are InputErrors naming file and line", () =>
  withTempDir(async (dir) => {
    const c = join(dir, "c.tsv");
    await Deno.writeTextFile(c, "1\tok\n2 no tab here\n");
    await assert.rejects(
      Array.fromAsync(readCollection(c, "en")),
      (e) =>
        e instanceof InputError && e.file === c && e.line === 2 &&
        /pid<TAB>passage/.test(e.message),
    );
    const t = join(dir, "t.tsv");
    await Deno.writeTextFile(t, "1\t2\t3\n\n4\t5\n");
    await assert.rejects(
      Array.fromAsync(readTriples(t)),
      (e) => e instanceof InputError && e.line === 3,
    );
    await assert.rejects(
      Array.fromAsync(
        readQrels({ stream: new Blob(["1\t0\t2\tx\n"]).stream(), name: "qrels<stdin>" }),
      ),
      /qrels<stdin>:1: expected qid<TAB>0<TAB>pid<TAB>rel/,
    );
    await assert.rejects(
      Array.fromAsync(
        readQrels({ stream: new Blob(["1\t0\t2\t1\n1\t0\td 3\t1\n"]).stream(), name: "q" }),
      ),
      /q:2: expected qid<TAB>0<TAB>pid<TAB>rel/,
    );
  }));

Deno.test("top1000.dev is read straight from the published .tar.gz; triples from .tsv.gz", () =>
  withTempDir(async (dir) => {
    const body = new TextEncoder().encode("188714\t1000052\tfoods\tSome passage.\n2\t3\tq\tp\n");
    const pax = tarEntry(
      "./PaxHeaders/top1000.dev",
      new TextEncoder().encode("30 mtime=1.0\n"),
      "x",
    );
    const tar = new Uint8Array(pax.length + 512 + Math.ceil(body.length / 512) * 512 + 1024);
    tar.set(pax);
    tar.set(tarEntry("top1000.dev", body, "0"), pax.length);
    const path = join(dir, "top1000.dev.tar.gz");
    await Deno.writeFile(path, await gzip(tar));
    assert.deepEqual(await Array.fromAsync(readTop1000(path)), [
      { qid: "188714", pid: "1000052", query: "foods", passage: "Some passage." },
      { qid: "2", pid: "3", query: "q", passage: "p" },
    ]);
    const triples = join(dir, "triples.tsv.gz");
    await Deno.writeFile(triples, await gzip(new TextEncoder().encode("1\t2\t3\n4\t5\t6\n")));
    assert.deepEqual(await Array.fromAsync(readTriples(triples)), [
      { qid: "1", pos: "2", neg: "3" },
      { qid: "4", pos: "5", neg: "6" },
    ]);
    const empty = untarFirstFile(new Blob([new Uint8Array(1024)]).stream(), "e.tar");
    await assert.rejects(Array.fromAsync(empty), /e\.tar: expected a regular file/);
  }));

Deno.test("a 200 MB collection streams through the loader in bounded memory", async () => {
  const bytes = 200e6;
  const { n, peak } = await streamCollectionInChild(bytes);
  assert.ok(n > 400_000, `read ${n} passages`);
  // The multi-gigabyte check (< 300 MB) is bench/datasets_bench.ts; 200 MB must stay well below.
  assert.ok(peak < 300e6, `peak RSS ${(peak / 1e6).toFixed(0)} MB streaming 200 MB`);
});
