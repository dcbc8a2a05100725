import assert from "node:assert/strict";
import { XQUAD_R } from "../profiles/mod.ts";
import { configTag, resolveConfig } from "./reproduce.ts";
import { runPlan } from "./commands.ts";
import { OptionError } from "../util/mod.ts";
import { harnessVersion } from "./report_stage.ts";
import { isAblationSet } from "./stages.ts";

Deno.test("a configuration off the default gets its own result version directory", async () => {
  const v = `v${await harnessVersion()}`;
  const quick = XQUAD_R.scales.quick;
  const dirOf = async (req: Parameters<typeof resolveConfig>[0]) =>
    (await resolveConfig({ cacheDir: "/tmp/unused", ...req })).resultsDir;
  assert.equal(await dirOf({ profile: XQUAD_R }), `results/xquad-r/${v}`);
  assert.equal(await dirOf({ profile: XQUAD_R, scale: quick }), `results/xquad-r/${v}-quick`);
  // Workers do not change results; the default seeds given explicitly are the default.
  assert.equal(
    await dirOf({ profile: XQUAD_R, workers: 1, seeds: XQUAD_R.seeds }),
    `results/xquad-r/${v}`,
  );
  assert.equal(await dirOf({ profile: XQUAD_R, seeds: [1] }), `results/xquad-r/${v}+seeds1`);
  assert.equal(
    await dirOf({ profile: XQUAD_R, scale: quick, seeds: [1, 2], p: 0.3, seedChoice: "best" }),
    `results/xquad-r/${v}-quick+seeds2-p0.3-best`,
  );
  const titles = await dirOf({ profile: XQUAD_R, wikititles: new Map([["de", "t.tsv"]]) });
  assert.match(
    titles,
    new RegExp(`^results/xquad-r/${v.replaceAll(".", "\\.")}\\+titles[0-9a-f]{6}$`),
  );
  assert.equal(await dirOf({ profile: XQUAD_R, seeds: [1], resultsDir: "out" }), "out");
  const base = {
    profile: XQUAD_R,
    scale: XQUAD_R.scales.full,
    p: XQUAD_R.p,
    seedChoice: "mean" as const,
  };
  assert.equal(configTag({ ...base, seeds: [2, 5] }), "seeds2_5");
  assert.equal(
    configTag({ ...base, seeds: XQUAD_R.seeds, correction: "bonferroni", margin: 0.025 }),
    "bonferroni-margin2.5",
  );
  assert.equal(configTag({ ...base, seeds: XQUAD_R.seeds, correction: "holm", margin: 0.01 }), "");
  assert.equal(configTag({ ...base, seeds: XQUAD_R.seeds, bm25Feature: true }), "bm25");
  assert.equal(configTag({ ...base, seeds: XQUAD_R.seeds, bm25Feature: false }), "");
  assert.equal(
    configTag({ ...base, seeds: XQUAD_R.seeds, bm25Feature: true, prior: false }),
    "bm25-noprior",
  );
  assert.equal(configTag({ ...base, seeds: XQUAD_R.seeds, prior: true }), "");
  const deeper = { ...XQUAD_R.scales.full, candidates: 20 };
  assert.equal(configTag({ ...base, scale: deeper, seeds: XQUAD_R.seeds }), "cands20");
  assert.equal((await resolveConfig({ profile: XQUAD_R, seeds: [1] })).configTag, "seeds1");
});

Deno.test("reproduce options of the report: one line naming the option on a bad value", async () => {
  const base = { quick: true, cacheDir: "/tmp/unused", offline: true };
  await assert.rejects(
    runPlan({ ...base, correction: "sidak" }),
    (e) => e instanceof OptionError && /--correction: expected holm or bonferroni/.test(e.message),
  );
  for (const margin of ["0", "-1", "x", "101"]) {
    await assert.rejects(
      runPlan({ ...base, margin }),
      (e) => e instanceof OptionError && e.message.startsWith("--margin"),
      margin,
    );
  }
});

Deno.test("the ablation evaluates English MoIR, seen CLIR pairs and CLIR across scripts", () => {
  const ids = ["moir/en", "moir/de", "clir/en-de", "clir/en-th", "clir/en-vi", "mlir/seen"];
  assert.deepEqual(ids.filter((id) => isAblationSet(XQUAD_R, id)), [
    "moir/en",
    "clir/en-de",
    "clir/en-th",
  ]);
});
