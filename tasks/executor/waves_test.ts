import assert from "node:assert/strict";
import type { Plan, RunConfig, Stage } from "../pipeline/mod.ts";
import { OptionError } from "../util/mod.ts";
import { parseShard, planWaves, shardStages } from "./waves.ts";

/** A plan of stages that only declare their dependencies (nothing here runs them). */
function planOf(specs: [id: string, deps: string[], cached: boolean][]): Plan {
  const stages = new Map<string, Stage>(specs.map(([id, deps, cached]) => [id, {
    id,
    deps,
    config: [],
    ...(cached ? { cache: id.split("/")[0] } : {}),
    run: () => Promise.reject(new Error("not run in this test")),
  }]));
  return { config: {} as RunConfig, stages };
}

// The shape of a run: data in memory, two roots, a chain through an in-memory stage, a report.
const plan = planOf([
  ["evalsets", [], false],
  ["lexicons", [], true],
  ["trainset", [], true],
  ["codeswitch/a", ["trainset", "lexicons"], true],
  ["model/zs", ["trainset"], true],
  ["model/a", ["codeswitch/a"], true],
  ["evaluate/zs", ["model/zs", "evalsets"], true],
  ["evaluate/a", ["model/a", "evalsets"], true],
  ["bm25", ["evalsets"], false],
  ["report", ["evaluate/zs", "evaluate/a", "bm25"], false],
]);

Deno.test("waves: a stage lands one wave after its deepest cached dependency, in plan order", () => {
  assert.deepEqual(planWaves(plan), [
    ["lexicons", "trainset"],
    ["codeswitch/a", "model/zs"],
    ["model/a", "evaluate/zs"],
    ["evaluate/a"],
  ]);
  // Finished stages are left out and no longer hold their dependents back.
  assert.deepEqual(planWaves(plan, new Set(["lexicons", "trainset", "codeswitch/a", "model/zs"])), [
    ["model/a", "evaluate/zs"],
    ["evaluate/a"],
  ]);
  assert.deepEqual(planWaves(plan, new Set([...plan.stages.keys()])), []);
  // Through an in-memory stage: it passes its inputs' depth on.
  const viaMemory = planOf([["a", [], true], ["m", ["a"], false], ["b", ["m"], true]]);
  assert.deepEqual(planWaves(viaMemory), [["a"], ["b"]]);
});

Deno.test("shards: N slices cover every cached stage once, deterministically, report in shard 0", () => {
  const cached = planWaves(plan).flat();
  for (const count of [1, 2, 3, 7]) {
    const slices = Array.from({ length: count }, (_, index) => shardStages(plan, { index, count }));
    assert.deepEqual(
      slices,
      Array.from({ length: count }, (_, index) => shardStages(plan, { index, count })),
    );
    assert.equal(slices[0].at(-1), "report");
    const all = slices.flat().filter((id) => id !== "report");
    assert.deepEqual([...all].sort(), [...cached].sort());
    assert.equal(new Set(all).size, all.length);
    // Round-robin over the waves: every shard gets a stage of the first wave when there are enough.
    if (count <= 2) { for (const s of slices) assert.ok(["lexicons", "trainset"].includes(s[0])); }
  }
  assert.deepEqual(shardStages(plan, { index: 1, count: 2 }), [
    "trainset",
    "model/zs",
    "evaluate/zs",
  ]);
});

Deno.test("--shard: i/N, auto/N from Slurm or Kubernetes, auto from Slurm; bad values name the option", () => {
  assert.deepEqual(parseShard("2/8", {}), { index: 2, count: 8 });
  assert.deepEqual(parseShard("auto/4", { JOB_COMPLETION_INDEX: "3" }), { index: 3, count: 4 });
  assert.deepEqual(parseShard("auto/4", { SLURM_ARRAY_TASK_ID: "1" }), { index: 1, count: 4 });
  assert.deepEqual(
    parseShard("auto", { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "6" }),
    { index: 5, count: 6 },
  );
  // An explicit index wins over the environment.
  assert.deepEqual(parseShard("0/2", { SLURM_ARRAY_TASK_ID: "1" }), { index: 0, count: 2 });
  for (
    const [spec, env] of [
      ["8/8", {}],
      ["1/0", {}],
      ["3", {}],
      ["-1/2", {}],
      ["a/b", {}],
      ["auto", { JOB_COMPLETION_INDEX: "1" }],
      ["auto/2", {}],
      ["auto/2", { JOB_COMPLETION_INDEX: "2" }],
    ] as [string, Record<string, string>][]
  ) {
    assert.throws(
      () => parseShard(spec, env),
      (e) => e instanceof OptionError && /^--shard: expected/.test(e.message),
      spec,
    );
  }
});
