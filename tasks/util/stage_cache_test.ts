import assert from "node:assert/strict";
import { canonicalJson, keyHash } from "./hash.ts";
import { cachedStage } from "./stage_cache.ts";

Deno.test("canonicalJson sorts keys at every depth", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } }),
    canonicalJson({
      a: { c: [3, { e: 5, f: 4 }], d: 2 },
      b: 1,
    }),
  );
  assert.notEqual(keyHash({ seed: 1 }), keyHash({ seed: 2 }));
});

Deno.test("cachedStage runs once per key and resumes after a failed build", async () => {
  const root = await Deno.makeTempDir();
  let runs = 0;
  const build = async (dir: string) => {
    runs++;
    await Deno.writeTextFile(`${dir}/out.txt`, "x");
    return { n: runs };
  };
  const first = await cachedStage(root, "s", { seed: 1 }, build);
  const second = await cachedStage(root, "s", { seed: 1 }, build);
  assert.equal(first.cached, false);
  assert.equal(second.cached, true);
  assert.deepEqual(second.value, { n: 1 });
  assert.equal(await Deno.readTextFile(`${second.dir}/out.txt`), "x");

  await assert.rejects(
    cachedStage(root, "s", { seed: 2 }, async (dir) => {
      await Deno.writeTextFile(`${dir}/partial.txt`, "half");
      throw new Error("killed");
    }),
    /killed/,
  );
  const entries = [...Deno.readDirSync(`${root}/s`)].map((e) => e.name);
  assert.deepEqual(entries, [first.dir.split("/").at(-1)]);
  // A directory left by a killed process is swept when the stage runs again.
  const stale = `${root}/s/${keyHash({ seed: 2 })}.tmp-999999`;
  await Deno.mkdir(stale, { recursive: true });
  const third = await cachedStage(root, "s", { seed: 2 }, build);
  await assert.rejects(Deno.stat(stale), Deno.errors.NotFound);
  assert.equal(third.cached, false);
  assert.equal(runs, 2);
  await Deno.remove(root, { recursive: true });
});
