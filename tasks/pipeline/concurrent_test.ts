/**
 * Two `reproduce --quick` processes on one cold cache at once: both finish,
 * every stage is built by exactly one of them (the other waits and reuses
 * it), and their result versions are byte-identical but for `timings.json`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { mirrorDir } from "../fixtures/test_mirror.ts";
import { resultHashes } from "../fixtures/result_hashes.ts";

const MAIN = join(import.meta.dirname!, "..", "..", "main.ts");
const CONFIG = join(import.meta.dirname!, "..", "..", "deno.json");

Deno.test({
  name: "two reproduce --quick runs on one cold cache share the work and agree byte for byte",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const mirror = await mirrorDir();
    const root = await Deno.makeTempDir({ prefix: "csclir-concurrent-" });
    const run = (name: string) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          ...["run", "-A", "--config", CONFIG, MAIN, "reproduce", "--quick", "--offline"],
          ...["--mirror", mirror, "--cache-dir", join(root, "cache")],
          ...["--results-dir", join(root, name)],
        ],
        stdout: "null",
        stderr: "piped",
      }).output();
    try {
      const [a, b] = await Promise.all([run("a"), run("b")]);
      const logs = [a, b].map((r) => new TextDecoder().decode(r.stderr));
      assert.equal(a.code, 0, logs[0]);
      assert.equal(b.code, 0, logs[1]);
      const built = logs.flatMap((l) => l.split("\n").filter((x) => x.endsWith(": built")));
      assert.ok(built.length > 20, built.join("\n"));
      assert.equal(new Set(built).size, built.length, "a stage was built twice");
      const [ha, hb] = await Promise.all([
        resultHashes(join(root, "a")),
        resultHashes(join(root, "b")),
      ]);
      assert.ok(ha["main.csv"] && ha["manifest.json"]);
      assert.deepEqual(hb, ha);
      // No lock or temporary directory outlives the runs.
      for await (const kind of Deno.readDir(join(root, "cache", "stages"))) {
        for await (const e of Deno.readDir(join(root, "cache", "stages", kind.name))) {
          assert.match(e.name, /^[0-9a-f]{16}$/, `${kind.name}/${e.name} left behind`);
        }
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
