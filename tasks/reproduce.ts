/**
 * The whole experiment as one resumable pipeline: fetch -> lexicons ->
 * training set -> code-switching -> training -> evaluation -> report. Every
 * stage is cached under a hash of its inputs and configuration
 * (tasks/stage_cache.ts), so a rerun after an interruption starts at the first
 * unfinished stage and a finished run is reproduced from the cache.
 *
 * @module
 */

import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as ort from "onnxruntime-node";
import type { Lang, Query } from "../datasets/records.ts";
import { getDataset } from "../datasets/catalogue.ts";
import { fetchDataset, type FetchOptions } from "../datasets/download.ts";
import { DEFAULT_LOCK_FILE, readLock, resolveCacheDir } from "../datasets/cache.ts";
import { type LareqaSet, loadLareqa } from "../datasets/lareqa.ts";
import { loadSquadExplorer } from "../datasets/squad.ts";
import type { Lexicon } from "../lexicons/lexicon.ts";
import { stopwords } from "../lexicons/stopwords.ts";
import { buildProfileLexicons, type LexiconSet, parseWikititles } from "./lexicons.ts";
import { bm25Run, paragraphCandidates } from "./candidates.ts";
import { codeSwitchFile, type CodeSwitchOptions } from "./codeswitch.ts";
import { OptionError, UserError } from "./errors.ts";
import { evaluateRun, parseMeasure } from "./metrics.ts";
import { loadModel, MODEL_FORMAT } from "./model_store.ts";
import { getProfile, type LangPair, type Profile } from "./profile.ts";
import {
  type CellResult,
  METHODS,
  perQueryCsv,
  type SeedChoice,
  writeResultVersion,
} from "./report/mod.ts";
import { type Candidate, Scorer } from "./score.ts";
import {
  type GroupCandidates,
  type ParallelSet,
  profileTaskIds,
  profileTasks,
  type RetrievalTask,
  taskLanguages,
} from "./settings.ts";
import { fetchMmarcoEvalSets, fetchMsmarcoTrainingSet } from "./mmarco_data.ts";
import { cachedStage, canonicalJson, keyHash, sha256Hex } from "./stage_cache.ts";
import { trainRanker } from "./train.ts";
import { buildTrainingSetWithCounts, writeTrainingSet } from "./trainset.ts";
import { translateTest } from "./translate.ts";
import { formatRun, qrelsFrom, type Run } from "./trec.ts";

/** How much of the experiment to run. */
export interface Scale {
  /** `full` or `quick`. */
  name: "full" | "quick";
  /** Training set size: SQuAD questions (x5 instances) for xquad-r, MS MARCO triples for mmarco. */
  trainSize: number;
  /** Training epochs over the training set. */
  epochs: number;
  /** Candidates per query: BM25 paragraphs (xquad-r) or top1000 depth (mmarco). */
  candidates: number;
  /** Evaluate at most this many queries per task (in candidate order); all when undefined. */
  evalQueries?: number;
  /** Task ids to run; all of the profile when undefined. */
  tasks?: string[];
  /** Language pairs that get a BL-CS model; default the profile's seen CLIR pairs. */
  blcsPairs?: LangPair[];
}

/** Scales per profile: `full` is the default run, `quick` a smoke run of every stage. */
export const SCALES: Record<Profile["name"], Record<Scale["name"], Scale>> = {
  "xquad-r": {
    // 15k questions (75k instances) and 5 paragraphs (recall 0.985) keep one seed near 15 minutes.
    full: { name: "full", trainSize: 15_000, epochs: 1, candidates: 5 },
    quick: {
      name: "quick",
      trainSize: 1_500,
      epochs: 1,
      candidates: 5,
      evalQueries: 200,
      tasks: ["moir/en", "moir/de", "clir/en-de", "clir/ar-ru", "mlir/seen"],
      blcsPairs: [{ query: "en", doc: "de" }],
    },
  },
  // The paper trains on 20M instances on a GPU; this is what a CPU run can afford.
  mmarco: {
    full: { name: "full", trainSize: 200_000, epochs: 1, candidates: 100, evalQueries: 1_000 },
    quick: {
      name: "quick",
      trainSize: 5_000,
      epochs: 1,
      candidates: 20,
      evalQueries: 50,
      tasks: ["moir/en", "moir/de", "clir/en-de", "mlir/seen"],
      blcsPairs: [{ query: "en", doc: "de" }],
    },
  },
};

/** The xquad-r quick scale, for tests and examples. */
export const QUICK_SCALE: Scale = SCALES["xquad-r"].quick;

/** Options of {@linkcode reproduce}. */
export interface ReproduceOptions extends FetchOptions {
  /** The experiment. */
  profile: Profile;
  /** Scale (default the profile's `full` scale in {@linkcode SCALES}). */
  scale?: Scale;
  /** Training seeds (default the profile's). */
  seeds?: number[];
  /** Result version directory (default `results/<profile>/<version>`). */
  resultsDir?: string;
  /** Seed combination in the tables (default the mean over seeds). */
  seedChoice?: SeedChoice;
  /** Code-switching ratio (default the profile's). */
  p?: number;
  /** Worker threads for code-switching and training (default 2). */
  workers?: number;
  /** Parallel-titles files for the title lexicons, by language (see `buildProfileLexicons`). */
  wikititles?: ReadonlyMap<Lang, string>;
  /** Receives one line per stage. */
  log?: (line: string) => void;
}

/** What {@linkcode reproduce} produced. */
export interface ReproduceResult {
  /** The result version directory. */
  dir: string;
  /** The main table as Markdown. */
  mainTable: string;
}

/** One model to train. */
interface ModelSpec {
  /** Method name in the tables. */
  method: string;
  /** Training data variant. */
  variant: "zero-shot" | CodeSwitchOptions["variant"];
  /** Language pair of a BL-CS model. */
  pair?: LangPair;
}

/** Version of the pipeline's own logic; bump to invalidate cached stages. */
const PIPELINE_VERSION = 2;
const DATA_SEED = 1;
const MEASURE = parseMeasure("RR@10");
const RUN_DEPTH = 10;

const fileSafe = (name: string) => name.replace(/[^A-Za-z0-9-]+/g, "_").replace(/_$/, "");
const runFileName = (method: string, task: RetrievalTask, seed: number) =>
  `runs/${fileSafe(method)}/${task.id.replace("/", "_")}${seed ? `.seed${seed}` : ""}.run.gz`;
const pairLabel = (p: LangPair) => p.query === p.doc ? p.query : `${p.query}-${p.doc}`;

/**
 * Hash of a dataset's files: their URLs and sha256, from the catalogue or, for
 * files without a published hash, from the lock file pinned at first download.
 */
async function datasetHash(id: string, opts: FetchOptions): Promise<string> {
  const lock = await readLock(opts.lockFile ?? DEFAULT_LOCK_FILE);
  return keyHash(
    getDataset(id).files.map((f) => [f.url, f.sha256 ?? lock[f.url]?.sha256 ?? null]),
  );
}

/** Content hash of a retrieval task (queries, candidates, qrels). */
function taskHash(t: RetrievalTask): string {
  const parts: string[] = [t.id];
  for (const q of t.queries) {
    parts.push(`q\t${q.qid}\t${q.lang}\t${q.text}`);
    for (const d of t.candidates.get(q.qid) ?? []) {
      parts.push(`d\t${d.docid}\t${d.lang}\t${d.text}`);
    }
  }
  for (const r of t.qrels) parts.push(`r\t${r.qid}\t${r.docid}\t${r.rel}`);
  return sha256Hex(parts.join("\n")).slice(0, 16);
}

function lexiconKey(lex: Lexicon): string {
  const parts = [`${lex.source}\t${lex.target}\t${lex.maxNgram}`];
  for (const [k, v] of [...lex.entries].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    parts.push(`${k}\t${v.join("\t")}`);
  }
  return sha256Hex(parts.join("\n")).slice(0, 16);
}

/** The models a profile and scale need, in training order. */
export function modelSpecs(profile: Profile, scale: Scale): ModelSpec[] {
  // One model per pair is the costliest part; the paper's headline for BL-CS is CLIR.
  const blcs = scale.blcsPairs ?? profile.clirSeen;
  return [
    { method: METHODS.zeroShot, variant: "zero-shot" },
    { method: METHODS.mlcs, variant: "ml-cs" },
    { method: METHODS.wikics, variant: "wiki-cs" },
    ...blcs.map((pair) => ({ method: METHODS.blcs, variant: "bl-cs" as const, pair })),
  ];
}

/** Evaluation sets and their language-independent candidate groups, per profile. */
async function loadEvaluation(
  profile: Profile,
  scale: Scale,
  langs: Lang[],
  opts: FetchOptions,
): Promise<{ sets: ParallelSet[]; cands: GroupCandidates }> {
  if (profile.name === "mmarco") {
    const { sets, candidates } = await fetchMmarcoEvalSets(profile, opts, {
      langs,
      maxQueries: scale.evalQueries,
      depth: scale.candidates,
      order: "bm25",
    });
    return { sets, cands: candidates };
  }
  const sets: LareqaSet[] = [];
  for (const id of profile.datasets.eval) {
    const lang = id.split("/").at(-1)!;
    const files = await fetchDataset(id, opts);
    sets.push(await loadLareqa(files.data, lang, "position"));
  }
  const en = sets.find((s) => s.lang === "en");
  if (!en) throw new UserError(`profile ${profile.name}: the evaluation needs an English set`);
  const cands = paragraphCandidates(en, scale.candidates);
  if (scale.evalQueries !== undefined) {
    // Candidate order is the English file's query order, so the first N are fixed.
    for (const qid of [...cands.keys()].slice(scale.evalQueries)) cands.delete(qid);
  }
  return { sets, cands };
}

/** Writes the English training set of a profile into `out`; returns its counts. */
async function buildTrainingSet(
  profile: Profile,
  scale: Scale,
  out: string,
  opts: FetchOptions,
): Promise<unknown> {
  if (profile.name === "mmarco") {
    return await fetchMsmarcoTrainingSet(profile, out, opts, { maxTriples: scale.trainSize });
  }
  const squad = await loadSquadExplorer(await fetchDataset(profile.datasets.train, opts));
  const { instances, counts } = buildTrainingSetWithCounts(squad, {
    seed: DATA_SEED,
    maxQuestions: scale.trainSize,
  });
  await writeTrainingSet(out, instances);
  return counts;
}

/** Which tasks a model is evaluated on, and under which method names. */
function evaluationsOf(spec: ModelSpec, tasks: RetrievalTask[]) {
  if (spec.variant === "bl-cs") {
    const label = pairLabel(spec.pair!);
    return tasks.filter((t) => t.setting !== "MLIR" && t.label === label)
      .map((task) => ({ method: spec.method, task, translate: false }));
  }
  const out = tasks.map((task) => ({ method: spec.method, task, translate: false }));
  const tt = spec.variant === "zero-shot"
    ? METHODS.ttZeroShot
    : spec.variant === "ml-cs"
    ? METHODS.ttMlcs
    : undefined;
  if (tt) out.push(...tasks.map((task) => ({ method: tt, task, translate: true })));
  return out;
}

function settingPair(t: RetrievalTask): { setting: CellResult["setting"]; pair: string } {
  return { setting: t.setting, pair: t.setting === "MLIR" ? `mlir-${t.label}` : t.label };
}

/** Translates a task's non-English queries and candidates into English (Translate Test). */
async function translateTask(
  task: RetrievalTask,
  lexicons: LexiconSet,
  cacheDir: string,
): Promise<RetrievalTask> {
  const docs = [...new Map(
    [...task.candidates.values()].flat().map((d) => [
      `${d.lang}\t${d.docid}`,
      d,
    ]),
  ).values()];
  const langs = new Set<Lang>([...task.queries, ...docs].map((r) => r.lang));
  langs.delete("en");
  const lexMap = new Map<Lang, Lexicon>();
  for (const l of [...langs].sort()) lexMap.set(l, await lexicons.lexicon(l, "en", "muse"));
  const queries = await translateTest(task.queries, { lexicons: lexMap, cacheDir });
  const translated = await translateTest(docs, { lexicons: lexMap, cacheDir });
  const byKey = new Map(translated.map((d, i) => [`${docs[i].lang}\t${d.docid}`, d]));
  const candidates = new Map(
    [...task.candidates].map((
      [qid, ds],
    ) => [qid, ds.map((d) => byKey.get(`${d.lang}\t${d.docid}`)!)]),
  );
  return { ...task, queries, candidates };
}

/** Scores a task with a model: the run (top documents) and per-query RR@10. */
async function scoreTask(scorer: Scorer, task: RetrievalTask) {
  const items: Candidate[] = [];
  for (const q of task.queries) {
    for (const d of task.candidates.get(q.qid) ?? []) {
      items.push({ qid: q.qid, query: q.text, docid: d.docid, doc: d.text });
    }
  }
  const scores = await scorer.score(items);
  const run: Run = new Map();
  items.forEach((c, i) => {
    const list = run.get(c.qid);
    // Rounded as in the run file, so the file and the metrics agree exactly.
    const score = Number(scores[i].toFixed(6));
    if (list) list.push({ docid: c.docid, score });
    else run.set(c.qid, [{ docid: c.docid, score }]);
  });
  const ev = evaluateRun(qrelsFrom(task.qrels), run, [MEASURE]);
  return { run, perQuery: ev.perQuery.get(MEASURE.name)!, pairs: items.length };
}

async function gitCommit(): Promise<string> {
  try {
    const out = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : "unknown";
  } catch {
    return "unknown";
  }
}

async function harnessVersion(): Promise<string> {
  const cfg = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  return String(cfg.version);
}

/**
 * Runs the experiment of a profile end to end and writes a result version.
 *
 * @example
 * ```ts
 * const { dir, mainTable } = await reproduce({ profile: XQUAD_R, scale: QUICK_SCALE, mirror: "../shared/mirror" });
 * console.log(mainTable);
 * ```
 */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceResult> {
  const { profile } = opts;
  const scale = opts.scale ?? SCALES[profile.name].full;
  const seeds = opts.seeds ?? profile.seeds;
  const p = opts.p ?? profile.p;
  const workers = opts.workers ?? 2;
  const log = opts.log ?? (() => {});
  const cacheDir = resolveCacheDir(opts.cacheDir);
  const stages = join(cacheDir, "stages");
  const fetchOpts: FetchOptions = { ...opts, cacheDir };
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timings[name] = (timings[name] ?? 0) + (performance.now() - t0) / 1000;
    }
  };

  // Data and lexicons.
  const taskIds = scale.tasks ?? profileTaskIds(profile);
  const { sets, cands } = await timed(
    "fetch",
    () => loadEvaluation(profile, scale, taskLanguages(profile, taskIds), fetchOpts),
  );
  const lexicons = await timed("lexicons", () =>
    buildProfileLexicons(profile, {
      ...fetchOpts,
      out: join(cacheDir, "lexicons"),
      wikititles: opts.wikititles,
      log: (l) => log(`lexicons: ${l}`),
    }));
  const nonEn = profile.seen.filter((l) => l !== "en");
  const museEn = new Map<Lang, Lexicon>();
  const titlesEn = new Map<Lang, Lexicon>();
  for (const l of nonEn) {
    museEn.set(l, await lexicons.lexicon("en", l, "muse"));
    titlesEn.set(l, await lexicons.lexicon("en", l, "titles"));
  }
  const lexHashes = Object.fromEntries([
    ...[...museEn].map(([l, x]) => [`muse/en-${l}`, lexiconKey(x)]),
    ...[...titlesEn].map(([l, x]) => [`titles/en-${l}`, lexiconKey(x)]),
  ]);

  // English training set; its files are fetched first so that their pinned hashes key the stage.
  await timed("fetch", () => fetchDataset(profile.datasets.train, fetchOpts));
  const trainKey = {
    v: PIPELINE_VERSION,
    data: await datasetHash(profile.datasets.train, fetchOpts),
    size: scale.trainSize,
    seed: DATA_SEED,
  };
  const trainset = await timed(
    "trainset",
    () =>
      cachedStage(
        stages,
        "trainset",
        trainKey,
        (dir) => buildTrainingSet(profile, scale, join(dir, "train.jsonl"), fetchOpts),
      ),
  );
  log(`trainset: ${trainset.cached ? "cached" : "built"} ${trainset.dir}`);
  const trainPath = join(trainset.dir, "train.jsonl");

  const tasks = profileTasks(profile, sets, cands, taskIds);
  const taskHashes = new Map(tasks.map((t) => [t.id, taskHash(t)]));
  const translated = new Map<string, RetrievalTask>();
  const results: CellResult[] = [];
  const runFiles: Record<string, Uint8Array> = {};
  const specs = modelSpecs(profile, scale);
  const switchStats: Record<string, unknown> = {};

  // BM25 over each task's candidate pool: the lexical baseline every model re-ranks against.
  for (const task of tasks) {
    const docs = [
      ...new Map([...task.candidates.values()].flat().map((d) => [d.docid, d])).values(),
    ];
    const run = bm25Run(
      task.queries,
      { lang: "und", queries: [], documents: docs, paragraphs: [] },
      task.candidates,
    );
    const perQuery = evaluateRun(qrelsFrom(task.qrels), run, [MEASURE]).perQuery.get(MEASURE.name)!;
    for (const seed of seeds) {
      results.push({ method: METHODS.bm25, ...settingPair(task), seed, perQuery });
    }
    runFiles[runFileName(METHODS.bm25, task, 0)] = gzipSync(
      new TextEncoder().encode(formatRun(run, METHODS.bm25, RUN_DEPTH)),
      { level: 9 },
    );
  }

  for (const seed of seeds) {
    for (const spec of specs) {
      const name = spec.pair ? `${spec.variant}/${pairLabel(spec.pair)}` : spec.variant;
      // Training data: English, or code-switched with this seed.
      let dataPath = trainPath;
      let dataKey: unknown = trainKey;
      if (spec.variant !== "zero-shot") {
        const csOpts: CodeSwitchOptions = {
          variant: spec.variant,
          queryLang: spec.pair?.query,
          docLang: spec.pair?.doc,
          languages: spec.variant === "bl-cs" ? undefined : nonEn,
          queryLexicons: spec.variant === "wiki-cs" ? titlesEn : museEn,
          p: spec.variant === "wiki-cs" ? 1 : p,
          seed,
          stopwords: stopwords("en"),
        };
        dataKey = {
          train: trainKey,
          variant: spec.variant,
          pair: spec.pair ?? null,
          languages: csOpts.languages,
          p: csOpts.p,
          seed,
          lexicons: lexHashes,
        };
        const cs = await timed(
          "codeswitch",
          () =>
            cachedStage(stages, "codeswitch", dataKey, (dir) =>
              codeSwitchFile({
                ...csOpts,
                input: trainPath,
                output: join(dir, "train.jsonl"),
                workers,
              })),
        );
        log(`codeswitch ${name} seed ${seed}: ${cs.cached ? "cached" : "built"}`);
        switchStats[`${name}/seed${seed}`] = {
          switchRate: Number(cs.value.switchRate.toFixed(4)),
          outOfLexiconRate: Number(cs.value.outOfLexiconRate.toFixed(4)),
        };
        dataPath = join(cs.dir, "train.jsonl");
      }
      // The model format keys models apart, so a new on-disk layout retrains only models.
      const modelKey = {
        v: PIPELINE_VERSION,
        format: MODEL_FORMAT,
        data: dataKey,
        seed,
        epochs: scale.epochs,
      };
      const model = await timed(
        "train",
        () =>
          cachedStage(stages, "model", modelKey, async (dir) => {
            await trainRanker(dataPath, {
              seed,
              epochs: scale.epochs,
              workers,
              outDir: join(dir, "model"),
              labels: { method: spec.method, data: name },
            });
            return { method: spec.method };
          }),
      );
      log(`train ${name} seed ${seed}: ${model.cached ? "cached" : "trained"}`);

      let scorer: Scorer | undefined;
      try {
        for (const { method, task, translate } of evaluationsOf(spec, tasks)) {
          const evalKey = {
            v: PIPELINE_VERSION,
            model: keyHash(modelKey),
            task: taskHashes.get(task.id),
            translate: translate ? await translationKey(task) : null,
          };
          const ev = await timed(
            "evaluate",
            () =>
              cachedStage(stages, "evaluate", evalKey, async (dir) => {
                scorer ??= await Scorer.create(await loadModel(join(model.dir, "model")));
                let t = task;
                if (translate) {
                  if (!translated.has(task.id)) {
                    translated.set(task.id, await translateTask(task, lexicons, cacheDir));
                  }
                  t = translated.get(task.id)!;
                }
                const { run, perQuery } = await scoreTask(scorer, t);
                await Deno.writeTextFile(
                  join(dir, "run.txt"),
                  formatRun(run, fileSafe(method), RUN_DEPTH),
                );
                return Object.fromEntries([...perQuery].sort(([a], [b]) => a < b ? -1 : 1));
              }),
          );
          results.push({
            method,
            ...settingPair(task),
            seed,
            perQuery: new Map(Object.entries(ev.value)),
          });
          // Runs of the first seed only: all seeds would make each version ~50 MB.
          if (seed === seeds[0]) {
            runFiles[runFileName(method, task, seed)] = gzipSync(
              await Deno.readFile(join(ev.dir, "run.txt")),
              { level: 9 },
            );
          }
        }
      } finally {
        await scorer?.release();
      }
      log(`evaluate ${name} seed ${seed}: done`);
    }
  }

  async function translationKey(task: RetrievalTask): Promise<Record<string, string>> {
    const langs = new Set<Lang>([
      ...task.queries.map((q: Query) => q.lang),
      ...[...task.candidates.values()].flat().map((d) => d.lang),
    ]);
    langs.delete("en");
    const out: Record<string, string> = {};
    for (const l of [...langs].sort()) out[l] = lexiconKey(await lexicons.lexicon(l, "en", "muse"));
    return out;
  }

  // Report.
  const version = await harnessVersion();
  const dir = opts.resultsDir ??
    join("results", profile.name, scale.name === "full" ? `v${version}` : `v${version}-quick`);
  const manifest = {
    harness: { name: "csclir-bench", version, commit: await gitCommit() },
    runtime: { deno: Deno.version.deno, onnxruntime: ort.env.versions.common },
    profile: profile.name,
    scale,
    seeds,
    p,
    seedChoice: opts.seedChoice ?? "mean",
    measure: MEASURE.name,
    datasets: Object.fromEntries(
      await Promise.all(
        [profile.datasets.train, ...profile.datasets.eval].map(async (id) =>
          [id, await datasetHash(id, fetchOpts)] as const
        ),
      ),
    ),
    lexicons: lexHashes,
    trainingSet: trainset.value,
    codeSwitching: switchStats,
    tasks: Object.fromEntries(
      tasks.map((t) => [t.id, { queries: t.queries.length, hash: taskHashes.get(t.id) }]),
    ),
  };
  await timed("report", () =>
    writeResultVersion(dir, results, {
      profile,
      measure: MEASURE,
      seedChoice: opts.seedChoice ?? "mean",
    }, {
      "manifest.json": JSON.stringify(JSON.parse(canonicalJson(manifest)), null, 2) + "\n",
      "per_query.csv.gz": gzipSync(new TextEncoder().encode(perQueryCsv(results, MEASURE)), {
        level: 9,
      }),
      // Wall-clock seconds per stage: the only file that changes between identical runs.
      "timings.json": JSON.stringify(
        Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Number(v.toFixed(1))])),
        null,
        2,
      ) + "\n",
      ...runFiles,
    }));
  return { dir, mainTable: await Deno.readTextFile(join(dir, "main.md")) };
}

/** Options of the `reproduce` command, as parsed. */
export interface ReproduceCliOptions {
  /** Profile name. */
  profile: string;
  /** Run the profile's quick scale. */
  quick?: boolean;
  /** Number of seeds (1..N). */
  seeds?: string;
  /** Use the best seed per cell, as the paper's released script. */
  bestOfSeeds?: boolean;
  /** Code-switching ratio. */
  p?: string;
  /** Worker threads. */
  workers?: string;
  /** Result version directory. */
  resultsDir?: string;
  /** Mirror folder. */
  mirror?: string;
  /** Never use the network. */
  offline?: boolean;
  /** Cache directory. */
  cacheDir?: string;
  /** `lang=file` parallel-titles files. */
  wikititles?: string[];
}

function intOption(option: string, value: string | undefined, min: number, max: number) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new OptionError(option, `an integer in [${min}, ${max}]`, value);
  }
  return n;
}

/** The `reproduce` command: validates options, runs the pipeline, returns the main table. */
export async function runReproduce(o: ReproduceCliOptions): Promise<string> {
  const profile = getProfile(o.profile);
  const nSeeds = intOption("--seeds", o.seeds, 1, 100);
  const p = o.p === undefined ? undefined : Number(o.p);
  if (p !== undefined && !(p >= 0 && p <= 1)) {
    throw new OptionError("--p", "a number in [0, 1]", o.p);
  }
  const scale = SCALES[profile.name][o.quick ? "quick" : "full"];
  const seeds = nSeeds === undefined
    ? (o.quick ? [1] : profile.seeds)
    : Array.from({ length: nSeeds }, (_, i) => i + 1);
  const { dir, mainTable } = await reproduce({
    profile,
    scale,
    seeds,
    p,
    seedChoice: o.bestOfSeeds ? "best" : "mean",
    workers: intOption("--workers", o.workers, 1, 2),
    wikititles: await parseWikititles(o.wikititles ?? [], profile),
    resultsDir: o.resultsDir,
    mirror: o.mirror,
    offline: o.offline,
    cacheDir: o.cacheDir,
    log: (line) => console.error(line),
  });
  return `${mainTable}\nresults written to ${dir}\n`;
}
