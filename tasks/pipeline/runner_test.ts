import assert from "node:assert/strict";
import { Runner } from "./runner.ts";
import type { Plan, RunConfig } from "./stage.ts";

Deno.test("timings: per kind and stage, and per seed from the stages' spans, run here or recorded", async () => {
  const plan: Plan = {
    config: {} as RunConfig,
    stages: new Map([["evalsets", {
      id: "evalsets",
      deps: [],
      config: [],
      run: () => new Promise((r) => setTimeout(() => r(1), 120)),
    }]]),
  };
  const runner = new Runner(plan);
  await runner.output("evalsets");
  // Stages of another process, at given times (ms): seed 2 starts before seed 1 ends.
  runner.record("model/zero-shot/seed1", 10, [1_000, 11_000], { train: 9 });
  runner.record("evaluate/zero-shot/moir/en/seed1", 1, [11_000, 12_000]);
  runner.record("model/zero-shot/seed2", 12, [11_500, 23_500]);
  runner.record("evaluate/zero-shot/moir/en/seed2", 1, [23_500, 25_000]);
  const t = runner.timings();
  assert.deepEqual(t.kinds, { evalsets: t.stages.evalsets, model: 22, evaluate: 2 });
  assert.ok(t.stages.evalsets >= 0 && t.stages.evalsets < 5, String(t.stages.evalsets));
  // Seed 1 from its first start to its last end; seed 2 from seed 1's end to its own.
  assert.deepEqual(t.seeds, { seed1: 11, seed2: 13 });
  assert.deepEqual(t.phases, { "model/zero-shot/seed1": { train: 9 } });
  assert.ok(t.wall >= 0.1, String(t.wall));
});
