import assert from "node:assert/strict";
import { canonicalJson, keyHash } from "./hash.ts";
import { hostname } from "node:os";
import { cachedStage, readCachedStage } from "./stage_cache.ts";

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

Deno.test("a reused stage is verified: a truncated output or record is rebuilt with one notice", async () => {
  const root = await Deno.makeTempDir();
  let runs = 0;
  const build = async (dir: string) => {
    runs++;
    await Deno.mkdir(`${dir}/sub`);
    await Deno.writeTextFile(`${dir}/sub/run.txt`, "q1 Q0 d1 1 2.5 x\nq1 Q0 d2 2 1.5 x\n");
    return { n: 1 };
  };
  const first = await cachedStage(root, "s", { k: 1 }, build);
  const record = JSON.parse(await Deno.readTextFile(`${first.dir}/stage.json`));
  assert.deepEqual(Object.keys(record.outputs), ["sub/run.txt"]);
  assert.equal(record.outputs["sub/run.txt"].size, 34);

  const notices: string[] = [];
  const log = (line: string) => notices.push(line);
  // Same size, other bytes: caught by the hash.
  await Deno.writeTextFile(`${first.dir}/sub/run.txt`, "q1 Q0 d1 1 2.5 x\nq1 Q0 d3 2 1.5 x\n");
  assert.equal((await cachedStage(root, "s", { k: 1 }, build, { log })).cached, false);
  assert.equal(runs, 2);
  assert.equal(notices.length, 1);
  assert.match(
    notices[0],
    /sub\/run\.txt does not match its recorded sha256; rebuilding stage s\//,
  );
  // Truncated: caught by the size.
  await Deno.truncate(`${first.dir}/sub/run.txt`, 10);
  await cachedStage(root, "s", { k: 1 }, build, { log });
  assert.match(notices[1], /sub\/run\.txt has 10 bytes, recorded 34; rebuilding/);
  // A truncated stage.json is an unfinished stage, not a SyntaxError.
  await Deno.truncate(`${first.dir}/stage.json`, 20);
  const again = await cachedStage(root, "s", { k: 1 }, build, { log });
  assert.equal(again.cached, false);
  assert.match(notices[2], /stage\.json: not valid JSON \(truncated\?\); rebuilding the stage$/);
  assert.equal(runs, 4);
  assert.equal((await cachedStage(root, "s", { k: 1 }, build, { log })).cached, true);
  assert.equal(notices.length, 3);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a stage written before output records is adopted once, then verified", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/s/${keyHash({ k: 1 })}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/model.bin`, "weights");
  const legacyRecord = canonicalJson({ key: { k: 1 }, value: { n: 7 } }) + "\n";
  await Deno.writeTextFile(`${dir}/stage.json`, legacyRecord);
  const build = () => Promise.reject(new Error("must not rebuild an adopted stage"));
  const adopted = await readCachedStage(root, "s", { k: 1 });
  assert.deepEqual(adopted, { dir, value: { n: 7 }, cached: true, adopted: true });
  // stage.json is untouched; the sidecar records the outputs.
  assert.equal(await Deno.readTextFile(`${dir}/stage.json`), legacyRecord);
  const sidecar = JSON.parse(await Deno.readTextFile(`${dir}/stage.outputs.json`));
  assert.deepEqual(Object.keys(sidecar), ["model.bin"]);
  const reread = await cachedStage(root, "s", { k: 1 }, build);
  assert.equal(reread.adopted, undefined);
  assert.equal(reread.cached, true);
  // From now on it is verified like any other stage.
  await Deno.writeTextFile(`${dir}/model.bin`, "weightz");
  const notices: string[] = [];
  const rebuilt = await cachedStage(root, "s", { k: 1 }, async (d) => {
    await Deno.writeTextFile(`${d}/model.bin`, "weights");
    return { n: 8 };
  }, { log: (l) => notices.push(l) });
  assert.equal(rebuilt.cached, false);
  assert.match(notices[0], /model\.bin does not match its recorded sha256/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a build takes over the stale lock of a dead process and sweeps only dead owners' leftovers", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/s/${keyHash({ k: 2 })}`;
  await Deno.mkdir(`${root}/s`);
  const dead = { host: hostname(), pid: 2 ** 22 + 17, started: "2020-01-01T00:00:00Z" };
  await Deno.writeTextFile(`${dir}.lock`, JSON.stringify(dead));
  const deadTmp = `${dir}.tmp-${hostname()}-${dead.pid}-1`;
  const liveTmp = `${dir}.tmp-${hostname()}-${Deno.pid}-999`;
  await Deno.mkdir(deadTmp);
  await Deno.mkdir(liveTmp);
  const r = await cachedStage(root, "s", { k: 2 }, async (d) => {
    await Deno.writeTextFile(`${d}/x`, "x");
    return 1;
  });
  assert.equal(r.cached, false);
  await assert.rejects(Deno.stat(`${dir}.lock`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(deadTmp), Deno.errors.NotFound);
  assert.ok((await Deno.stat(liveTmp)).isDirectory);
  await Deno.remove(root, { recursive: true });
});
