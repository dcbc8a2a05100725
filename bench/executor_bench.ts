/**
 * The executor's cuts of the default profile's full graph (xquad-r, full
 * scale, its seeds): the waves a Slurm submission makes (one job array each)
 * and the slices of 16 shards. Both only read the declared graph.
 */

import { getProfile } from "../tasks/profiles/mod.ts";
import { planRun, resolveConfig } from "../tasks/pipeline/mod.ts";
import { planWaves, shardStages } from "../tasks/executor/mod.ts";

const profile = getProfile("xquad-r");
const plan = planRun(await resolveConfig({ profile, cacheDir: "/tmp/executor-bench-unused" }));
const waves = planWaves(plan);
console.log(`executor bench: ${plan.stages.size} stages, waves of ${waves.map((w) => w.length)}`);

Deno.bench(
  `planWaves: ${waves.length} waves of the ${plan.stages.size}-stage default graph`,
  () => {
    planWaves(plan);
  },
);

Deno.bench("shardStages: all 16 slices of the default graph", () => {
  for (let index = 0; index < 16; index++) shardStages(plan, { index, count: 16 });
});
