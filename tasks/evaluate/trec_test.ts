import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../fixtures/temp_dir.ts";
import { compareCodePoints, formatRun, retagRun, type Run, writeRun } from "./trec.ts";

Deno.test("writeRun is deterministic, sorted and fixed-decimal", async () => {
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
  await withTempDir(async (dir) => {
    const path = join(dir, "sub", "x.run");
    await writeRun(path, run, "tag");
    assert.equal(await Deno.readTextFile(path), expected);
    assert.deepEqual([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["x.run"]);
  });
});

Deno.test("formatRun refuses ids that would split a line and non-finite scores", () => {
  const one = (qid: string, docid: string, score: number): Run =>
    new Map([[qid, [{ docid, score }]]]);
  assert.equal(
    formatRun(one("q\u00a0", "d\u{10000}", 1), "t"),
    "q\u00a0 Q0 d\u{10000} 1 1.000000 t\n",
  );
  for (
    const [qid, docid, score] of [["q 1", "d", 1], ["q", "d\te", 1], ["q", "", 1], ["q", "d", NaN]]
  ) {
    assert.throws(
      () => formatRun(one(qid as string, docid as string, score as number), "t"),
      RangeError,
    );
  }
});

Deno.test("compareCodePoints is the byte order of UTF-8", () => {
  const words = ["", "a", "ab", "b", "\u00e9", "\uE000", "\uFFFF", "\u{10000}", "\u{10FFFF}"];
  const enc = new TextEncoder();
  const bytes = (s: string) => [...enc.encode(s)].map((b) => String.fromCharCode(b)).join("");
  for (const a of words) {
    for (const b of words) {
      const byByte = bytes(a) < bytes(b) ? -1 : bytes(a) > bytes(b) ? 1 : 0;
      assert.equal(Math.sign(compareCodePoints(a, b)), byByte, `${a} vs ${b}`);
    }
  }
});

Deno.test("retagRun replaces the last field of every line, and only that", () => {
  const run = new Map([["q1", [{ docid: "d1", score: 0.5 }, { docid: "d2", score: -1 }]]]);
  const text = formatRun(run, "old_tag");
  assert.equal(retagRun(text, "Zero-shot"), formatRun(run, "Zero-shot"));
  assert.equal(retagRun("", "x"), "");
  assert.throws(() => retagRun(text, "two words"), RangeError);
});
