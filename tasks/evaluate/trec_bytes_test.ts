import assert from "node:assert/strict";
import { join } from "node:path";
import { atof, byteKey, compareBytes, forEachLine, utf8Id } from "./trec_bytes.ts";
import { InputError } from "../util/mod.ts";
import { Rng } from "../util/mod.ts";

const enc = new TextEncoder();
const parse = (s: string) => {
  const b = enc.encode(s);
  return atof(b, 0, b.length);
};

Deno.test("atof reads the longest C float prefix, as glibc strtod", () => {
  const cases: [string, number][] = [
    ["0b11", 0],
    ["1e3x", 1000],
    ["abc", 0],
    ["0x1p3", 8],
    ["0X1.8P1", 3],
    ["0x.8", 0.5],
    ["0x", 0],
    ["0x1p", 1],
    ["-0x10", -16],
    ["inf", Infinity],
    ["-Infinity", -Infinity],
    ["infinit", Infinity], // "inf" then junk
    [".5", 0.5],
    ["1e", 1],
    ["1e+", 1],
    ["+.5e-1", 0.05],
    ["1e400", Infinity],
    ["1e-400", 0],
    ["1.5.5", 1.5],
    ["-", 0],
    [".", 0],
    ["00012", 12],
    ["123456789012345678", 123456789012345678],
    ["1.00000000000000000001", 1],
    ["0.1", 0.1],
    ["-12.345678", -12.345678],
    ["9007199254740993", 9007199254740992],
  ];
  for (const [text, want] of cases) assert.equal(parse(text), want, text);
  assert.ok(Number.isNaN(parse("nan")) && Number.isNaN(parse("-NaN(1)")));
  assert.ok(Object.is(parse("-0"), -0));
});

Deno.test("atof agrees with Number on random decimal literals", () => {
  const rng = new Rng(5);
  for (let i = 0; i < 20_000; i++) {
    const digits = Array.from({ length: 1 + rng.int(20) }, () => rng.int(10)).join("");
    const dot = rng.int(digits.length + 1);
    const text = `${rng.int(2) ? "-" : ""}${digits.slice(0, dot)}.${digits.slice(dot)}` +
      (rng.int(3) === 0 ? `e${rng.int(40) - 20}` : "");
    assert.equal(parse(text), Number(text), text);
  }
});

Deno.test("compareBytes is strcmp; byteKey keeps any bytes apart and in order", () => {
  const a = enc.encode("\u{10000}");
  const b = enc.encode("\uE000");
  assert.ok(compareBytes(a, 0, a.length, b, 0, b.length) > 0);
  assert.ok(compareBytes(b, 0, 2, b, 0, 3) < 0);
  const x = new Uint8Array([0xfe, 0xff, 0x41]);
  assert.notEqual(byteKey(x, 0, 1), byteKey(x, 1, 2));
  assert.ok(byteKey(x, 0, 1) < byteKey(x, 1, 2));
  assert.throws(() => utf8Id(x, 0, 2, "r", 7), (e) => e instanceof InputError && e.line === 7);
  assert.equal(utf8Id(enc.encode("q\u00e9"), 0, 3, "r", 1), "q\u00e9");
});

Deno.test("forEachLine gives every line across chunk borders, plain and gzipped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rng = new Rng(9);
    // About 3 MiB: lines cross the 1 MiB read borders and gzip's output chunks.
    const lines = Array.from({ length: 60_000 }, (_, i) => `${i} ${"x".repeat(rng.int(100))}`);
    const text = lines.join("\n"); // no final newline
    await Deno.writeTextFile(join(dir, "a.txt"), text);
    const gz = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
    await Deno.writeFile(join(dir, "a.txt.gz"), gz);
    for (const name of ["a.txt", "a.txt.gz"]) {
      const got: string[] = [];
      const size = await forEachLine(join(dir, name), (buf, s, e, n) => {
        assert.equal(n, got.length + 1);
        got.push(new TextDecoder().decode(buf.subarray(s, e)));
      });
      assert.equal(size, enc.encode(text).length, name);
      assert.deepEqual(got, lines, name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
