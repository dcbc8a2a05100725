import { parseMeasure } from "../tasks/evaluate/mod.ts";
import { XQUAD_R } from "../tasks/profiles/mod.ts";
import { buildReport, type CellResult, METHODS, renderReport } from "../tasks/report/mod.ts";
import { confidenceInterval, seededContrast, tost } from "../tasks/stats/mod.ts";
import { Rng } from "../tasks/util/mod.ts";

// xquad-r scale: 1,190 queries per cell, 5 seeds.
const QUERIES = 1_190;
const SEEDS = [1, 2, 3, 4, 5];
const rng = new Rng(3);
const hard = Array.from({ length: QUERIES }, () => rng.next());
const perSeed = (shift: number) =>
  SEEDS.map(() => {
    const u = 0.01 * rng.normal();
    return Float64Array.from(hard, (h) => h + shift + u + 0.2 * rng.normal());
  });
const system = perSeed(0.03);
const baseline = perSeed(0);

Deno.bench("seed-aware contrast + 95% interval, 5 vs 5 seeds × 1,190 queries", {
  group: "intervals",
}, () => {
  confidenceInterval(
    seededContrast([{ weight: 1, perSeed: system }, { weight: -1, perSeed: baseline }]),
  );
});

Deno.bench("seed-aware TOST, 5 vs 5 seeds × 1,190 queries", { group: "intervals" }, () => {
  tost(seededContrast([{ weight: 1, perSeed: system }, { weight: -1, perSeed: baseline }]), 0.01);
});

// The xquad-r report: 7 methods on 11 MoIR, 14 CLIR (BL-CS on 9) and 2 MLIR cells.
const label = (p: { query: string; doc: string }) => `${p.query}-${p.doc}`;
const pairs = {
  MoIR: [...XQUAD_R.seen, ...XQUAD_R.unseen],
  CLIR: [...XQUAD_R.clirSeen, ...XQUAD_R.clirUnseen].map(label),
  MLIR: ["mlir-seen", "mlir-all"],
} as const;
const results: CellResult[] = [];
for (const method of Object.values(METHODS).filter((m) => m !== METHODS.fineTuning)) {
  for (const [setting, ps] of Object.entries(pairs) as [keyof typeof pairs, readonly string[]][]) {
    if (method === METHODS.blcs && setting !== "CLIR") continue;
    const own = method === METHODS.blcs ? XQUAD_R.clirSeen.map(label) : ps;
    for (const pair of own) {
      for (const seed of method === METHODS.bm25 ? [1] : SEEDS) {
        const perQuery = new Map<string, number>();
        hard.forEach((h, q) =>
          perQuery.set(`q${q}`, Math.min(1, Math.max(0, h + rng.normal() * 0.2)))
        );
        results.push({ method, setting, pair, seed, perQuery });
      }
    }
  }
}
const options = { profile: XQUAD_R, measure: parseMeasure("RR@10") };

Deno.bench("buildReport, xquad-r shape, 5 seeds (5,000 sign-flip samples per cell)", {
  group: "report",
}, () => {
  buildReport(results, options);
});

Deno.bench("buildReport + every rendering, no sign-flip", { group: "report" }, async () => {
  await renderReport(buildReport(results, { ...options, signFlipSamples: 0 }));
});
