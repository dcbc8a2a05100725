import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../fixtures/temp_dir.ts";
import { PathError } from "./errors.ts";
import { guardExisting, refuseInputAsOutput, sameFile } from "./output_guard.ts";

Deno.test("sameFile compares files, not strings: ../, symlinks and hard links", async () => {
  await withTempDir(async (dir) => {
    const x = join(dir, "data", "x.jsonl");
    await Deno.mkdir(join(dir, "data"));
    await Deno.writeTextFile(x, "{}\n");
    await Deno.writeTextFile(join(dir, "y"), "{}\n");
    await Deno.symlink(x, join(dir, "link"));
    await Deno.link(x, join(dir, "hard"));
    assert.ok(await sameFile(x, `${dir}/data/../data/x.jsonl`));
    assert.ok(await sameFile(x, join(dir, "link")));
    assert.ok(await sameFile(join(dir, "hard"), x));
    assert.ok(!(await sameFile(x, join(dir, "y")))); // same bytes, other file
    assert.ok(!(await sameFile(x, join(dir, "missing"))));
  });
});

Deno.test("refuseInputAsOutput names the output and the input it would overwrite", async () => {
  await withTempDir(async (dir) => {
    const input = join(dir, "cands.jsonl");
    await Deno.writeTextFile(input, "{}\n");
    await refuseInputAsOutput(join(dir, "run"), [{ option: "--candidates", path: input }]);
    await assert.rejects(
      () => refuseInputAsOutput(`${dir}/./cands.jsonl`, [{ option: "--candidates", path: input }]),
      (e) =>
        e instanceof PathError && e.path === `${dir}/./cands.jsonl` &&
        e.message.includes(`the input ${input} (--candidates)`),
    );
  });
});

Deno.test("guardExisting passes missing paths and own artefacts, refuses others unless forced", async () => {
  await withTempDir(async (dir) => {
    const own = join(dir, "own");
    const other = join(dir, "other");
    await Deno.mkdir(own);
    await Deno.writeTextFile(join(own, "marker"), "");
    await Deno.mkdir(other);
    const isOwn = async (p: string) =>
      await Deno.stat(join(p, "marker")).then(() => true, () => false);
    const o = { what: "model directory", isOwn };
    await guardExisting(join(dir, "new"), o);
    await guardExisting(own, o);
    await assert.rejects(
      () => guardExisting(other, o),
      (e) => e instanceof PathError && /not a model directory; .*--force/.test(e.message),
    );
    await guardExisting(other, { ...o, force: true });
  });
});
