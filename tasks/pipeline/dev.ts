/**
 * The `dev` command: design choices made on a profile's development data
 * (MLQA-R dev for `xquad-r`), never on the evaluation sets. It sweeps the
 * candidate depth (the exact Random expectation and the recall of each
 * depth's pools), picks the smallest depth whose Random RR@10 is at most
 * {@linkcode DEV_RANDOM_TARGET} on every development task, then trains the
 * Zero-shot model with the prior on and off and the BM25 feature on and off
 * (the same cached model stages as `reproduce`) and scores them and BM25 on
 * the development pools. Its report is written to
 * `results/<profile>/dev/v<version>/` and quoted in the README.
 *
 * @module
 */

import { join } from "node:path";
import type { Measure } from "../evaluate/mod.ts";
import { loadModel } from "../ranker/mod.ts";
import { crossScript, type RerankSet } from "../profiles/mod.ts";
import { Scorer } from "../score/mod.ts";
import { seededContrast } from "../stats/mod.ts";
import { UserError, writeFileAtomic } from "../util/mod.ts";
import { bm25Scored, poolOf, scoreSet } from "./evalsets.ts";
import { harnessVersion } from "./report_stage.ts";
import { resolveConfig, type RunRequest } from "./reproduce.ts";
import { Runner } from "./runner.ts";
import { modelSpecs, planRun, stageIds } from "./stages.ts";

/**
 * The Random ceiling that picks the candidate depth (RR@10 on the 0-1 scale).
 *
 * @example
 * ```ts
 * DEV_RANDOM_TARGET * 100; // 5 points
 * ```
 */
export const DEV_RANDOM_TARGET = 0.05;
/**
 * Candidate depths swept by default.
 *
 * @example
 * ```ts
 * DEV_DEPTHS.includes(15); // true
 * ```
 */
export const DEV_DEPTHS: readonly number[] = [5, 10, 15, 20, 30];

/**
 * Options of {@linkcode runDev}.
 *
 * @example
 * ```ts
 * declare const devRequest: DevRequest;
 * devRequest.depths;
 * ```
 */
export interface DevRequest extends RunRequest {
  /** Candidate depths to sweep (default {@linkcode DEV_DEPTHS}). */
  depths?: readonly number[];
  /** Output directory (default `results/<profile>/dev/v<version>`). */
  outDir?: string;
  /** Receives progress lines. */
  log?: (line: string) => void;
}

/** One variant of the ranker compared on development data. */
interface Variant {
  name: string;
  prior: boolean;
  bm25Feature: boolean;
}

const VARIANTS: Variant[] = [
  { name: "Zero-shot (prior, BM25 feature)", prior: true, bm25Feature: true },
  { name: "Zero-shot (prior, no BM25 feature)", prior: true, bm25Feature: false },
  { name: "Zero-shot (no prior, BM25 feature)", prior: false, bm25Feature: true },
  { name: "Zero-shot (no prior, no BM25 feature)", prior: false, bm25Feature: false },
];

/**
 * What {@linkcode runDev} measured and decided.
 *
 * @example
 * ```ts
 * declare const devReport: DevReport;
 * devReport.depth;
 * ```
 */
export interface DevReport {
  /** The development data's name. */
  data: string;
  /** Task ids, in column order. */
  tasks: string[];
  /** Per depth: mean pool size, recall and Random per task (0-1 scale). */
  pools: { depth: number; size: number[]; recall: number[]; random: number[] }[];
  /** The chosen candidate depth. */
  depth: number;
  /** Mean measure per task (0-1 scale) of BM25 and each variant at that depth. */
  rows: { name: string; values: number[] }[];
  /** Seeds the variants were trained with. */
  seeds: number[];
  /**
   * The test behind the BM25-feature decision: Zero-shot with the prior and
   * without the feature minus BM25 on English MoIR, seed-aware, one-sided.
   */
  bm25Test: { estimate: number; se: number; df: number; pOneSided: number };
  /**
   * Whether the BM25 feature is kept: off when the model without it beats
   * BM25 on English MoIR (one-sided p < 0.05), on otherwise.
   */
  bm25Feature: boolean;
}

const mean = (xs: Iterable<number>) => {
  let s = 0, n = 0;
  for (const x of xs) s += x, n++;
  return n ? s / n : NaN;
};

/**
 * Runs the development study and writes `dev.md` and `dev.json`.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const report = await runDev({ profile: getProfile("xquad-r"), mirror: "../shared/mirror", offline: true });
 * report.depth;
 * ```
 */
export async function runDev(req: DevRequest): Promise<DevReport & { dir: string }> {
  const { profile } = req;
  const log = req.log ?? (() => {});
  if (!profile.loadDevelopment) {
    throw new UserError(`profile ${profile.name} has no development data`);
  }
  const base = await resolveConfig(req);
  const measure = profile.measure;
  const depths = [...(req.depths ?? DEV_DEPTHS)].sort((a, b) => a - b);
  const pools: DevReport["pools"] = [];
  const byDepth = new Map<number, RerankSet[]>();
  let tasks: string[] = [];
  let data = "";
  for (const depth of depths) {
    const dev = await profile.loadDevelopment(depth, base.fetch);
    data = dev.name;
    tasks = dev.sets.map((s) => s.id);
    byDepth.set(depth, dev.sets);
    const p = dev.sets.map((s) => poolOf(s, measure));
    pools.push({
      depth,
      size: p.map((x) => x.stats.meanSize),
      recall: p.map((x) => x.stats.recall),
      random: p.map((x) => mean(x.random.values())),
    });
    log(`dev: depth ${depth}: max Random ${Math.max(...pools.at(-1)!.random).toFixed(4)}`);
  }
  const depth = pools.find((p) => p.random.every((r) => r <= DEV_RANDOM_TARGET))?.depth ??
    depths.at(-1)!;
  const sets = byDepth.get(depth)!;
  const rows: DevReport["rows"] = [
    { name: "BM25", values: sets.map((s) => mean(bm25Scored(s, measure).perQuery.values())) },
    { name: "Random", values: pools.find((p) => p.depth === depth)!.random },
  ];
  const zeroShot = modelSpecs(base)[0];
  const en = tasks.indexOf("moir/en");
  if (en < 0) throw new UserError(`${data} has no English MoIR task`);
  const qids = sets[en].queries.map((q) => q.qid);
  const inOrder = (m: Map<string, number>) => Float64Array.from(qids, (q) => m.get(q) ?? 0);
  const bm25En = inOrder(bm25Scored(sets[en], measure).perQuery);
  const noFeatureEn: Float64Array[] = [];
  for (const v of VARIANTS) {
    const config = await resolveConfig({ ...req, prior: v.prior, bm25Feature: v.bm25Feature });
    const runner = new Runner(planRun(config), log);
    const perSeed: number[][] = [];
    for (const seed of config.seeds) {
      const model = await runner.output(stageIds.model(zeroShot, seed));
      const scorer = await Scorer.create(await loadModel(join(model.dir!, "model")));
      try {
        const values: number[] = [];
        for (const s of sets) {
          const { perQuery } = await scoreSet(scorer, s, measure);
          values.push(mean(perQuery.values()));
          if (v === VARIANTS[1] && s === sets[en]) noFeatureEn.push(inOrder(perQuery));
        }
        perSeed.push(values);
      } finally {
        await scorer.release();
      }
    }
    runner.finish();
    rows.push({ name: v.name, values: tasks.map((_, i) => mean(perSeed.map((r) => r[i]))) });
    log(`dev: ${v.name} done`);
  }
  const t = seededContrast([
    { weight: 1, perSeed: noFeatureEn },
    { weight: -1, perSeed: [bm25En] },
  ]);
  const bm25Test = {
    estimate: t.estimate,
    se: t.se,
    df: t.df,
    pOneSided: t.estimate > 0 ? t.p / 2 : 1 - t.p / 2,
  };
  const report: DevReport = {
    data,
    tasks,
    pools,
    depth,
    rows,
    seeds: base.seeds,
    bm25Test,
    bm25Feature: !(bm25Test.pOneSided < 0.05),
  };
  const dir = req.outDir ??
    join("results", profile.name, "dev", `v${await harnessVersion()}`);
  await writeFileAtomic(join(dir, "dev.md"), devMarkdown(report, measure));
  await writeFileAtomic(join(dir, "dev.json"), JSON.stringify(report, null, 1) + "\n");
  return { ...report, dir };
}

const pts = (x: number) => (x * 100).toFixed(1);

/**
 * The development report as Markdown: the depth sweep, the chosen depth, the
 * models against BM25 and Random, and the decisions.
 *
 * @example
 * ```ts
 * import { parseMeasure } from "../evaluate/mod.ts";
 * declare const devReport: DevReport;
 * console.log(devMarkdown(devReport, parseMeasure("RR@10")));
 * ```
 */
export function devMarkdown(r: DevReport, measure: Measure): string {
  const label = (id: string) => id.split("/")[1] + (id.startsWith("moir/") ? " (MoIR)" : "");
  const cross = r.tasks.map((id) => id.startsWith("clir/") && crossScript(id.split("/")[1]));
  const groups = (values: number[]) => [
    mean(values.filter((_, i) => r.tasks[i].startsWith("moir/"))),
    mean(values.filter((_, i) => r.tasks[i].startsWith("clir/"))),
    mean(values.filter((_, i) => cross[i])),
  ];
  const lines = [
    `# Development study: ${r.data}`,
    "",
    `Design choices of the default run, made on ${r.data} (never on the evaluation sets).`,
    `${measure.name} × 100; models are means over seeds ${r.seeds.join(", ")}.`,
    "",
    "## Candidate depth",
    "",
    `Random = the exact expected ${measure.name} of a uniformly random order of each pool.` +
    ` The chosen depth is the smallest whose Random is at most ${
      pts(DEV_RANDOM_TARGET)
    } on every task.`,
    "",
    "| depth | mean pool size | min recall | max Random |",
    "|---:|---:|---:|---:|",
    ...r.pools.map((p) =>
      `| ${p.depth} | ${mean(p.size).toFixed(1)} | ${Math.min(...p.recall).toFixed(3)} | ${
        pts(Math.max(...p.random))
      } |`
    ),
    "",
    `Chosen depth: **${r.depth}**.`,
    "",
    `## Models at depth ${r.depth}`,
    "",
    `| method | ${
      r.tasks.map(label).join(" | ")
    } | MoIR mean | CLIR mean | cross-script CLIR mean |`,
    `|---|${r.tasks.map(() => "---:").join("|")}|---:|---:|---:|`,
    ...r.rows.map((row) =>
      `| ${row.name} | ${[...row.values, ...groups(row.values)].map(pts).join(" | ")} |`
    ),
    "",
    "## Decisions",
    "",
    `- Candidate depth: ${r.depth} (above).`,
    `- BM25 feature: **${r.bm25Feature ? "on" : "off"}** by default — Zero-shot with the ` +
    `prior and without the feature ${r.bm25Feature ? "does not beat" : "beats"} BM25 on ` +
    `English MoIR: ${pts(r.bm25Test.estimate)} points (seed-aware se ${pts(r.bm25Test.se)}, ` +
    `df ${r.bm25Test.df.toFixed(1)}, one-sided p ${r.bm25Test.pOneSided.toPrecision(2)}; ` +
    `the rule: off when that p < 0.05).`,
    "",
  ];
  return lines.join("\n");
}
