/**
 * The `report` stage: gathers every evaluation, BM25 baseline and
 * code-switching figure of a run and writes the result version (tables,
 * claims, plots, per-query values, run files, manifest).
 *
 * @module
 */

import { trainerKey } from "../trainer/mod.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as ort from "onnxruntime-node";
import { DEFAULT_LOCK_FILE, type FetchOptions, getDataset, readLock } from "../../datasets/mod.ts";
import { formatRun, type PoolStats, retagRun } from "../evaluate/mod.ts";
import type { LexiconsValue } from "../profile_lexicons/mod.ts";
import type { RerankSet, SettingKind } from "../profiles/mod.ts";
import { canonicalJson, keyHash } from "../util/mod.ts";
import {
  type CellResult,
  METHODS,
  parseAblationMethod,
  perQueryCsv,
  roundAsWritten,
  writeResultVersion,
} from "../report/mod.ts";
import type { EvalSets, Pool, Scored } from "./evalsets.ts";
import { switchLexiconHashes } from "./lexicon_inputs.ts";
import type { RunConfig, Stage } from "./stage.ts";

/** Documents per query in the run files. */
export const RUN_DEPTH = 10;

/** A method name as a file-name component (`TT_ML-CS`). */
export const fileSafe = (name: string): string =>
  name.replace(/[^A-Za-z0-9-]+/g, "_").replace(/_$/, "");

const runFileName = (method: string, set: RerankSet, seed: number) =>
  `runs/${fileSafe(method)}/${set.id.replace("/", "_")}${seed ? `.seed${seed}` : ""}.run.gz`;

const gzip = (text: string | Uint8Array) =>
  gzipSync(typeof text === "string" ? new TextEncoder().encode(text) : text, { level: 9 });

function settingPair(t: RerankSet): { setting: SettingKind; pair: string } {
  return { setting: t.setting, pair: t.setting === "MLIR" ? `mlir-${t.label}` : t.label };
}

/**
 * Hash of a dataset's files: their URLs and sha256, from the catalogue or, for
 * files without a published hash, from the lock file pinned at first download.
 */
export async function datasetHash(id: string, opts: FetchOptions): Promise<string> {
  const lock = await readLock(opts.lockFile ?? DEFAULT_LOCK_FILE);
  return keyHash(
    getDataset(id).files.map((f) => [f.url, f.sha256 ?? lock[f.url]?.sha256 ?? null]),
  );
}

/** The harness's commit: of the checkout this file is in, whatever the working directory. */
async function gitCommit(): Promise<string> {
  try {
    const out = await new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : "unknown";
  } catch {
    return "unknown";
  }
}

/** The harness version in deno.json. */
export async function harnessVersion(): Promise<string> {
  const cfg = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  return String(cfg.version);
}

/** What the report reads: stage ids of the run's pieces. */
export interface ReportInputs {
  /** Id of the evaluation sets stage. */
  evalsets: string;
  /** Id of the training set stage. */
  trainset: string;
  /** BM25 stage id by rerank set id. */
  bm25: ReadonlyMap<string, string>;
  /** Pool stage id (Random row, pool size and recall) by rerank set id. */
  pools: ReadonlyMap<string, string>;
  /** Code-switching stages, with their names in the manifest. */
  switched: readonly { id: string; name: string; seed: number }[];
  /** Evaluation stages, with their method, set and seed. */
  evaluations: readonly { id: string; method: string; setId: string; seed: number }[];
  /** Id of the lexicons stage. */
  lexicons: string;
  /** Id of the prior stage (its BLI and sizes go into the manifest); none with a transformer trainer. */
  prior?: string;
}

/** The `report` stage of a run. */
export function reportStage(id: string, config: RunConfig, r: ReportInputs): Stage {
  const { profile, scale, seeds } = config;
  const measure = profile.measure;
  return {
    id,
    deps: [
      r.evalsets,
      r.lexicons,
      ...(r.prior ? [r.prior] : []),
      r.trainset,
      ...r.bm25.values(),
      ...r.pools.values(),
      ...r.switched.map((s) => s.id),
      ...r.evaluations.map((e) => e.id),
    ],
    config: [
      "profile",
      "scale",
      "seeds",
      "p",
      "seedChoice",
      "correction",
      "margin",
      "bm25Feature",
      "prior",
      "wikititles",
      "trainer",
      "configTag",
      "resultsDir",
      "fetch",
    ],
    async run(inp) {
      const evalsets = (await inp.output<EvalSets>(r.evalsets)).value;
      const results: CellResult[] = [];
      const runFiles: Record<string, Uint8Array> = {};
      // BM25 over each set's candidate pool: the lexical baseline every model re-ranks against.
      for (const [setId, bm25Id] of r.bm25) {
        const set = evalsets.sets.get(setId)!;
        const { run, perQuery } = (await inp.output<Scored>(bm25Id)).value;
        for (const seed of seeds) {
          results.push({ method: METHODS.bm25, ...settingPair(set), seed, perQuery });
        }
        runFiles[runFileName(METHODS.bm25, set, 0)] = gzip(
          formatRun(run, METHODS.bm25, RUN_DEPTH),
        );
      }
      // Random: the exact expectation of a uniformly random order of each pool.
      const pools = new Map<string, Pool>();
      for (const [setId, poolId] of r.pools) {
        const set = evalsets.sets.get(setId)!;
        const pool = (await inp.output<Pool>(poolId)).value;
        pools.set(setId, pool);
        for (const seed of seeds) {
          results.push({
            method: METHODS.random,
            ...settingPair(set),
            seed,
            perQuery: pool.random,
          });
        }
      }
      for (const e of r.evaluations) {
        const set = evalsets.sets.get(e.setId)!;
        const ev = await inp.output<Record<string, number>>(e.id);
        results.push({
          method: e.method,
          ...settingPair(set),
          seed: e.seed,
          perQuery: new Map(Object.entries(ev.value)),
        });
        // Runs of the first seed only (all seeds would make each version ~50 MB), and none of
        // the ablation's models.
        if (e.seed === seeds[0] && parseAblationMethod(e.method) === undefined) {
          const text = await Deno.readTextFile(join(ev.dir!, "run.txt"));
          runFiles[runFileName(e.method, set, e.seed)] = gzip(retagRun(text, fileSafe(e.method)));
        }
      }
      const switchStats: Record<string, unknown> = {};
      for (const s of r.switched) {
        const v = (await inp.output<{ switchRate: number; outOfLexiconRate: number }>(s.id)).value;
        switchStats[`${s.name}/seed${s.seed}`] = {
          switchRate: Number(v.switchRate.toFixed(4)),
          outOfLexiconRate: Number(v.outOfLexiconRate.toFixed(4)),
        };
      }
      const tag = config.configTag;
      const manifest = {
        harness: {
          name: "csclir-bench",
          version: await harnessVersion(),
          commit: await gitCommit(),
        },
        runtime: { deno: Deno.version.deno, onnxruntime: ort.env.versions.common },
        profile: profile.name,
        // The manifest keeps its field names: `tasks` are the rerank set ids.
        scale: { ...scale, sets: undefined, tasks: scale.sets },
        seeds,
        p: config.p,
        seedChoice: config.seedChoice,
        report: { correction: config.correction, margin: config.margin },
        ranker: config.trainer
          ? { trainer: await trainerKey(config.trainer) }
          : { bm25Feature: config.bm25Feature, prior: config.prior },
        // Recorded only off the default, so default manifests keep their bytes.
        ...(tag ? { configTag: tag } : {}),
        ...(config.wikititles?.size ? { wikititles: Object.fromEntries(config.wikititles) } : {}),
        measure: measure.name,
        datasets: Object.fromEntries(
          await Promise.all(
            [profile.datasets.train, ...profile.datasets.eval].map(async (id) =>
              [id, await datasetHash(id, config.fetch)] as const
            ),
          ),
        ),
        lexicons: switchLexiconHashes((await inp.output<LexiconsValue>(r.lexicons)).value),
        trainingSet: (await inp.output(r.trainset)).value,
        ...(r.prior ? { prior: (await inp.output(r.prior)).value } : {}),
        codeSwitching: switchStats,
        tasks: Object.fromEntries(
          [...evalsets.sets].map((
            [id, t],
          ) => [id, {
            queries: t.queries.length,
            hash: evalsets.hashes.get(id),
            pool: roundedStats(pools.get(id)!.stats),
          }]),
        ),
      };
      // The single call site of the report. It reads the values as per_query.csv.gz holds them,
      // so `rebuildReport` on that file gives the same bytes.
      await writeResultVersion(config.resultsDir, roundAsWritten(results), {
        profile,
        measure,
        seedChoice: config.seedChoice,
        correction: config.correction,
        margin: config.margin,
      }, {
        "manifest.json": JSON.stringify(JSON.parse(canonicalJson(manifest)), null, 2) + "\n",
        "per_query.csv.gz": gzip(perQueryCsv(results, measure)),
        // Wall-clock seconds per stage kind, stage and model phase: the only file that changes
        // between identical runs.
        "timings.json": JSON.stringify(inp.timings(), null, 2) + "\n",
        ...runFiles,
      });
      return { dir: config.resultsDir };
    },
  };
}

/** Pool statistics with fixed decimals, as the manifest lists them. */
function roundedStats(s: PoolStats): PoolStats {
  return { ...s, meanSize: Number(s.meanSize.toFixed(2)), recall: Number(s.recall.toFixed(4)) };
}
