import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../util/mod.ts";
import { formatRun, rankDocs, readQrels, readRun, type Run, writeRun } from "./trec.ts";

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "trec_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function assertInputError(
  read: (p: string) => Promise<unknown>,
  text: string,
  line: number,
  message: RegExp,
): Promise<void> {
  await withTmp(async (dir) => {
    const path = join(dir, "bad.txt");
    await Deno.writeTextFile(path, text);
    await assert.rejects(() => read(path), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.file, path);
      assert.equal(e.line, line);
      assert.match(e.message, message);
      return true;
    });
  });
}

Deno.test("readRun rejects malformed lines naming file and line", async () => {
  await assertInputError(readRun, "q1 Q0 d1 1 2.5 t\nq1 Q0 d2 2 t\n", 2, /expected 6 fields/);
  await assertInputError(readRun, "q1 Q0 d1 1 abc t\n", 1, /finite number as score/);
  await assertInputError(readRun, "q1 Q0 d1 1 NaN t\n", 1, /finite number/);
  await assertInputError(
    readRun,
    "q1 Q0 d1 1 1 t\n\nq1 Q0 d1 2 0.5 t\n",
    3,
    /duplicate document "d1"/,
  );
});

Deno.test("readQrels rejects malformed lines naming file and line", async () => {
  await assertInputError(readQrels, "q1 0 d1 1\nq1 0 d2\n", 2, /expected 4 fields/);
  await assertInputError(readQrels, "q1 0 d1 1.5\n", 1, /integer relevance/);
  await assertInputError(readQrels, "q1 0 d1 1\nq1 0 d1 0\n", 2, /duplicate judgement/);
});

Deno.test("readRun and readQrels parse whitespace-separated files and report missing ones", async () => {
  await withTmp(async (dir) => {
    await Deno.writeTextFile(join(dir, "r"), "q1\tQ0\td1\t9\t-1.5e0\tt\r\nq2 Q0 d2 1 3 t");
    const run = await readRun(join(dir, "r"));
    assert.deepEqual(run.get("q1"), [{ docid: "d1", score: -1.5 }]);
    assert.deepEqual(run.get("q2"), [{ docid: "d2", score: 3 }]);
    await Deno.writeTextFile(join(dir, "q"), "q1 0 d1 2\nq1 0 d2 -1\n");
    assert.deepEqual((await readQrels(join(dir, "q"))).get("q1"), new Map([["d1", 2], ["d2", -1]]));
    await assert.rejects(() => readRun(join(dir, "nope")), InputError);
  });
});

Deno.test("writeRun is deterministic, sorted, fixed-decimal and round-trips", async () => {
  const run: Run = new Map([
    ["q2", [{ docid: "b", score: 0.1 }, { docid: "a", score: 0.1 }, { docid: "c", score: -0 }]],
    ["q1", [{ docid: "x", score: 1 / 3 }, { docid: "y", score: 2.0000001 }]],
  ]);
  const expected = "q1 Q0 y 1 2.000000 tag\nq1 Q0 x 2 0.333333 tag\n" +
    "q2 Q0 b 1 0.100000 tag\nq2 Q0 a 2 0.100000 tag\nq2 Q0 c 3 0.000000 tag\n";
  assert.equal(formatRun(run, "tag"), expected);
  const reversed: Run = new Map([...run].reverse().map(([q, d]) => [q, [...d].reverse()]));
  assert.equal(formatRun(reversed, "tag"), expected);
  assert.equal(formatRun(run, "tag", 1), "q1 Q0 y 1 2.000000 tag\nq2 Q0 b 1 0.100000 tag\n");
  assert.throws(() => formatRun(run, "two words"), RangeError);
  await withTmp(async (dir) => {
    const path = join(dir, "sub", "x.run");
    await writeRun(path, run, "tag");
    assert.equal(await Deno.readTextFile(path), expected);
    const back = await readRun(path);
    assert.deepEqual(rankDocs(back.get("q2")!).map((d) => d.docid), ["b", "a", "c"]);
    assert.deepEqual([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["x.run"]);
  });
});
