/**
 * The planner on the default profile's full graph (xquad-r, full scale, its
 * seeds): declaring the stage graph (`planRun`), and a fresh runner computing
 * the content key and cache status of every stage from a warm cache, as
 * `deno task plan` does. The cache is a temporary directory filled from the
 * offline mirror once (downloads, then the lexicons stage, whose hashes the
 * code-switching and evaluation keys read); each key iteration also loads the
 * evaluation sets, an in-memory stage every process runs.
 */

import { fileURLToPath } from "node:url";
import { getProfile } from "../tasks/profiles/mod.ts";
import { planRun, resolveConfig, Runner } from "../tasks/pipeline/mod.ts";

const mirror = Deno.env.get("CSCLIR_MIRROR") ||
  fileURLToPath(new URL("../../shared/mirror", import.meta.url));
const cacheDir = await Deno.makeTempDir({ prefix: "planner_bench_" });
const profile = getProfile("xquad-r");
const config = await resolveConfig({
  profile,
  mirror,
  offline: true,
  cacheDir,
  lockFile: `${cacheDir}/lock.json`,
});
// Warm the cache: what computing the keys reads is there, nothing else is built.
await new Runner(planRun(config)).output("lexicons");
const stages = planRun(config).stages.size;
console.log(`planner bench: ${stages} stages, cache ${cacheDir}`);

Deno.bench(`planRun: declare the ${stages}-stage default graph`, () => {
  planRun(config);
});

Deno.bench("plan: keys and status of every stage, fresh runner, warm cache", async () => {
  const plan = planRun(config);
  const runner = new Runner(plan, () => {}, { readOnly: true });
  for (const id of plan.stages.keys()) await runner.status(id);
});

globalThis.addEventListener("unload", () => Deno.removeSync(cacheDir, { recursive: true }));
