import assert from "node:assert/strict";
import type { Claim } from "./claims.ts";
import { METHODS } from "./methods.ts";
import { buildReport } from "./report.ts";
import { OPTIONS, synth } from "./test_fixture.ts";
import { type Verdict, verdictOf } from "./verdicts.ts";

const ZS = METHODS.zeroShot;

/** A one-pair CLIR claim "system − Zero-shot" with the paper's effect and test. */
function claim(id: string, system: string, test: Claim["test"], paperEffect?: number): Claim {
  return {
    id,
    text: id,
    compared: `${system} − ${ZS}`,
    setting: "CLIR",
    variant: system,
    paper: String(paperEffect),
    paperEffect,
    direction: 1,
    test,
    measure: () => ({
      pairs: "x-y",
      terms: [
        { method: system, setting: "CLIR", pairs: ["x-y"], weight: 1 },
        { method: ZS, setting: "CLIR", pairs: ["x-y"], weight: -1 },
      ],
    }),
  };
}

Deno.test("synthetic data with known effects produce every verdict", () => {
  const spec = { queries: 400, seeds: [1, 2, 3, 4, 5], seedSd: 0.002, noiseSd: 0.03 };
  const effects: Record<string, number> = { [ZS]: 0, up5: 0.05, up15: 0.15, flat: 0, down5: -0.05 };
  const results = Object.entries(effects).flatMap(([m, e]) => synth(m, "CLIR", "x-y", e, spec));
  const claims = [
    claim("reproduced", "up5", "difference", 0.05),
    claim("reproduced, direction only", "up5", "difference"),
    claim("weaker", "up5", "difference", 0.15),
    claim("stronger", "up15", "difference", 0.05),
    claim("not reproduced", "flat", "difference", 0.05),
    claim("contradicted", "down5", "difference", 0.05),
    claim("equivalent", "flat", "equivalence"),
    claim("not equivalent", "up5", "equivalence"),
    claim("not measurable", "absent", "difference", 0.05),
  ];
  const rows = buildReport(results, { ...OPTIONS, signFlipSamples: 0 }, claims).claims.rows;
  const got = Object.fromEntries(rows.map((r) => [r.id, r.verdict]));
  const expected: Record<string, Verdict> = {
    "reproduced": "reproduced",
    "reproduced, direction only": "reproduced",
    "weaker": "weaker than reported",
    "stronger": "stronger than reported",
    "not reproduced": "not reproduced",
    "contradicted": "contradicted",
    "equivalent": "equivalent",
    "not equivalent": "not equivalent",
    "not measurable": "not measurable here",
  };
  assert.deepEqual(got, expected);
  const missing = rows.find((r) => r.id === "not measurable")!;
  assert.equal(missing.note, "no absent results for CLIR x-y");
  assert.equal(missing.estimate, undefined);
  const up = rows.find((r) => r.id === "reproduced")!;
  assert.ok(Math.abs(up.estimate! - 0.05) < 0.01 && up.low! < 0.05 && 0.05 < up.high!);
  assert.equal(
    rows.find((r) => r.id === "reproduced, direction only")!.note,
    "the paper gives a direction only",
  );
});

Deno.test("verdicts follow the paper's direction for claims of a drop", () => {
  const base = {
    test: "difference" as const,
    direction: -1 as const,
    alpha: 0.05,
    pCorrected: 0.001,
  };
  const v = (estimate: number, low: number, high: number, paperEffect?: number) =>
    verdictOf({ ...base, estimate, low, high, paperEffect });
  assert.equal(v(-0.05, -0.07, -0.03, -0.05), "reproduced");
  assert.equal(v(-0.05, -0.07, -0.03, -0.1), "weaker than reported");
  assert.equal(v(-0.05, -0.07, -0.03, -0.01), "stronger than reported");
  assert.equal(v(0.05, 0.03, 0.07, -0.05), "contradicted");
  assert.equal(v(-0.05, -0.07, -0.03), "reproduced");
  assert.equal(
    verdictOf({ ...base, pCorrected: 0.2, estimate: -0.05, low: -0.1, high: 0 }),
    "not reproduced",
  );
});
