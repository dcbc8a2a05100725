import assert from "node:assert/strict";
import { PathError } from "./errors.ts";
import { isFileSystemError, onPath, toPathError } from "./fs_errors.ts";

Deno.test("toPathError names the path and what to do for each kind of file-system error", () => {
  const withCode = (code: string) => Object.assign(new Error(`os error (${code})`), { code });
  const cases: [unknown, RegExp][] = [
    [new Deno.errors.NotFound("x"), /^p: not found/],
    [new Deno.errors.PermissionDenied("x"), /^p: permission denied/],
    [new Deno.errors.IsADirectory("x"), /^p: is a directory; give a file/],
    [new Deno.errors.NotADirectory("x"), /^p: a component of the path is a file/],
    [withCode("ENOSPC"), /^p: no space left on the device; free some space/],
    [withCode("EROFS"), /^p: read-only file system/],
    [
      new TypeError("corrupt gzip stream does not have a matching checksum"),
      /^p: not a valid gzip/,
    ],
  ];
  for (const [e, message] of cases) {
    const got = toPathError(e, "p");
    assert.ok(got instanceof PathError, String(e));
    assert.equal(got.path, "p");
    assert.match(got.message, message);
    assert.ok(isFileSystemError(e));
  }
});

Deno.test("toPathError leaves bugs and existing user errors alone", () => {
  const bug = new TypeError("x is undefined");
  assert.equal(toPathError(bug, "p"), bug);
  assert.ok(!isFileSystemError(bug));
  assert.ok(!isFileSystemError(new RangeError("Invalid array length")));
  const done = new PathError("q", "not found");
  assert.equal(toPathError(done, "p"), done);
});

Deno.test("onPath converts errors of the wrapped call", async () => {
  await assert.rejects(
    () => onPath("/nonexistent/x", () => Deno.readTextFile("/nonexistent/x")),
    (e) => e instanceof PathError && e.message === "/nonexistent/x: not found; check the path",
  );
  assert.equal(await onPath("p", () => Promise.resolve(3)), 3);
});
