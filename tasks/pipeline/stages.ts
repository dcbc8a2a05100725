/**
 * The stage declarations and the planner: {@linkcode planRun} turns a profile
 * and a config into the stage graph of a run. Each stage names the stages and
 * config keys it reads and its content key; nothing here runs a stage.
 *
 * The content keys of `trainset`, `codeswitch`, `model` and `evaluate` are the
 * objects the harness has always hashed, so caches of earlier runs stay valid.
 *
 * @module
 */

import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as ort from "onnxruntime-node";
import {
  DEFAULT_LOCK_FILE,
  fetchDataset,
  type FetchOptions,
  getDataset,
  readLock,
} from "../../datasets/mod.ts";
import { type Lexicon, stopwords } from "../../lexicons/mod.ts";
import { bm25Run } from "../bm25/mod.ts";
import { codeSwitchFile, type CodeSwitchOptions, translateTest } from "../codeswitch/mod.ts";
import { evaluateRun, formatRun, type Measure, qrelsFrom, type Run } from "../evaluate/mod.ts";
import { buildProfileLexicons, type LexiconSet } from "../profile_lexicons/mod.ts";
import {
  type LangPair,
  profileRerankSets,
  profileSetIds,
  type RerankSet,
  setLanguages,
} from "../profiles/mod.ts";
import { loadModel, MODEL_FORMAT, trainRanker } from "../ranker/mod.ts";
import { type Candidate, Scorer } from "../score/mod.ts";
import { canonicalJson, compareStrings, keyHash, type Lang, sha256Hex } from "../util/mod.ts";
import { type CellResult, METHODS, perQueryCsv, writeResultVersion } from "../report/mod.ts";
import type { Plan, RunConfig, Stage, StageInputs } from "./stage.ts";

/** Version of the pipeline's own logic; bump to invalidate cached stages. */
const PIPELINE_VERSION = 2;
/** Documents per query in the run files. */
const RUN_DEPTH = 10;

/** One model to train. */
export interface ModelSpec {
  /** Method name in the tables. */
  method: string;
  /** Training data variant. */
  variant: "zero-shot" | CodeSwitchOptions["variant"];
  /** Language pair of a BL-CS model. */
  pair?: LangPair;
}

/** The loaded evaluation: rerank sets by id (in run order) and their content hashes. */
export interface EvalSets {
  /** Rerank sets by id. */
  sets: Map<string, RerankSet>;
  /** Content hash of each set. */
  hashes: Map<string, string>;
}

/** The profile's lexicons and the content hashes of those code-switching reads. */
export interface Lexicons {
  /** Every lexicon of the profile. */
  set: LexiconSet;
  /** MUSE EN->X lexicons of the seen languages. */
  museEn: Map<Lang, Lexicon>;
  /** Title EN->X lexicons of the seen languages. */
  titlesEn: Map<Lang, Lexicon>;
  /** `muse/en-<l>` and `titles/en-<l>` -> content hash. */
  hashes: Record<string, string>;
}

/** Per-query values of a method on a rerank set, and its run. */
interface Scored {
  run: Run;
  perQuery: Map<string, number>;
}

const fileSafe = (name: string) => name.replace(/[^A-Za-z0-9-]+/g, "_").replace(/_$/, "");
const slug = (method: string) => fileSafe(method).toLowerCase().replaceAll("_", "-");
const pairLabel = (p: LangPair) => p.query === p.doc ? p.query : `${p.query}-${p.doc}`;
const runFileName = (method: string, set: RerankSet, seed: number) =>
  `runs/${fileSafe(method)}/${set.id.replace("/", "_")}${seed ? `.seed${seed}` : ""}.run.gz`;
const specName = (s: ModelSpec) => s.pair ? `${s.variant}/${pairLabel(s.pair)}` : s.variant;

/** Stage ids, readable and stable. */
export const stageIds = {
  evalsets: "evalsets",
  lexicons: "lexicons",
  trainset: "trainset",
  report: "report",
  bm25: (setId: string) => `bm25/${setId}`,
  translate: (setId: string) => `translate/${setId}`,
  codeswitch: (spec: ModelSpec, seed: number) => `codeswitch/${specName(spec)}/seed${seed}`,
  model: (spec: ModelSpec, seed: number) => `model/${specName(spec)}/seed${seed}`,
  evaluate: (method: string, setId: string, seed: number) =>
    `evaluate/${slug(method)}/${setId}/seed${seed}`,
};

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

/** Content hash of a rerank set (queries, candidates, qrels). */
function setHash(t: RerankSet): string {
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

/** Content hash of a lexicon: languages, n-gram length and entries in key order. */
export function lexiconHash(lex: Lexicon): string {
  const parts = [`${lex.source}\t${lex.target}\t${lex.maxNgram}`];
  for (const [k, v] of [...lex.entries].sort(([a], [b]) => compareStrings(a, b))) {
    parts.push(`${k}\t${v.join("\t")}`);
  }
  return sha256Hex(parts.join("\n")).slice(0, 16);
}

/** Languages other than English among a set's queries and candidates, sorted. */
function foreignLangs(set: RerankSet): Lang[] {
  const langs = new Set<Lang>([
    ...set.queries.map((q) => q.lang),
    ...[...set.candidates.values()].flat().map((d) => d.lang),
  ]);
  langs.delete("en");
  return [...langs].sort();
}

/** The models a run trains, in training order. */
export function modelSpecs(config: RunConfig): ModelSpec[] {
  // One model per pair is the costliest part; the paper's headline for BL-CS is CLIR.
  const blcs = config.scale.blcsPairs ?? config.profile.clirSeen;
  return [
    { method: METHODS.zeroShot, variant: "zero-shot" },
    { method: METHODS.mlcs, variant: "ml-cs" },
    { method: METHODS.wikics, variant: "wiki-cs" },
    ...blcs.map((pair) => ({ method: METHODS.blcs, variant: "bl-cs" as const, pair })),
  ];
}

/** Which rerank sets a model is evaluated on, and under which method names. */
function evaluationsOf(spec: ModelSpec, setIds: readonly string[]) {
  if (spec.variant === "bl-cs") {
    const label = pairLabel(spec.pair!);
    return setIds.filter((id) => !id.startsWith("mlir/") && id.split("/")[1] === label)
      .map((setId) => ({ method: spec.method, setId, translate: false }));
  }
  const out = setIds.map((setId) => ({ method: spec.method, setId, translate: false }));
  const tt = spec.variant === "zero-shot"
    ? METHODS.ttZeroShot
    : spec.variant === "ml-cs"
    ? METHODS.ttMlcs
    : undefined;
  if (tt) out.push(...setIds.map((setId) => ({ method: tt, setId, translate: true })));
  return out;
}

function settingPair(t: RerankSet): { setting: CellResult["setting"]; pair: string } {
  return { setting: t.setting, pair: t.setting === "MLIR" ? `mlir-${t.label}` : t.label };
}

/** Scores a rerank set with a model: the run and the measure per query. */
async function scoreSet(scorer: Scorer, set: RerankSet, measure: Measure): Promise<Scored> {
  const items: Candidate[] = [];
  for (const q of set.queries) {
    for (const d of set.candidates.get(q.qid) ?? []) {
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
  const ev = evaluateRun(qrelsFrom(set.qrels), run, [measure]);
  return { run, perQuery: ev.perQuery.get(measure.name)! };
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

/** The harness version in deno.json. */
export async function harnessVersion(): Promise<string> {
  const cfg = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  return String(cfg.version);
}

const gzip = (text: string | Uint8Array) =>
  gzipSync(typeof text === "string" ? new TextEncoder().encode(text) : text, { level: 9 });

/**
 * Plans the stage graph of a run: data and lexicons, the training set, per
 * seed and model the code-switched data, the model and its evaluations, the
 * BM25 baselines, and the report that reads them all.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const profile = getProfile("xquad-r");
 * const plan = planRun({
 *   profile,
 *   scale: profile.scales.quick,
 *   seeds: [1],
 *   p: 0.5,
 *   workers: 2,
 *   seedChoice: "mean",
 *   resultsDir: "/tmp/quick",
 *   fetch: { cacheDir: "/tmp/cache", mirror: "../shared/mirror", offline: true },
 * });
 * plan.stages.has("model/bl-cs/en-de/seed1"); // true
 * ```
 */
export function planRun(config: RunConfig): Plan {
  const { profile, scale, seeds } = config;
  const stages = new Map<string, Stage>();
  const add = <V>(s: Stage<V>) => {
    if (!stages.has(s.id)) stages.set(s.id, s as Stage);
  };
  const setIds = scale.sets ?? profileSetIds(profile);
  const measure = profile.measure;
  const ids = stageIds;

  add<EvalSets>({
    id: ids.evalsets,
    deps: [],
    config: ["profile", "scale", "fetch"],
    async run() {
      const data = await profile.loadEvaluation(scale, setLanguages(profile, setIds), config.fetch);
      const sets = new Map(
        profileRerankSets(profile, data.sets, data.cands, setIds).map((s) => [s.id, s]),
      );
      return { sets, hashes: new Map([...sets].map(([id, s]) => [id, setHash(s)])) };
    },
  });

  add<Lexicons>({
    id: ids.lexicons,
    deps: [],
    config: ["profile", "wikititles", "fetch"],
    async run(inp) {
      const set = await buildProfileLexicons(profile, {
        ...config.fetch,
        out: join(config.fetch.cacheDir, "lexicons"),
        wikititles: config.wikititles,
        log: (l) => inp.log(`lexicons: ${l}`),
      });
      const museEn = new Map<Lang, Lexicon>();
      const titlesEn = new Map<Lang, Lexicon>();
      for (const l of profile.seen.filter((l) => l !== "en")) {
        museEn.set(l, await set.lexicon("en", l, "muse"));
        titlesEn.set(l, await set.lexicon("en", l, "titles"));
      }
      const hashes = Object.fromEntries([
        ...[...museEn].map(([l, x]) => [`muse/en-${l}`, lexiconHash(x)]),
        ...[...titlesEn].map(([l, x]) => [`titles/en-${l}`, lexiconHash(x)]),
      ]);
      return { set, museEn, titlesEn, hashes };
    },
  });

  add({
    id: ids.trainset,
    cache: "trainset",
    deps: [],
    config: ["profile", "scale", "fetch"],
    async key() {
      // The files are fetched first so that their pinned hashes key the stage.
      await fetchDataset(profile.datasets.train, config.fetch);
      return {
        v: PIPELINE_VERSION,
        data: await datasetHash(profile.datasets.train, config.fetch),
        size: scale.trainSize,
        seed: profile.dataSeed,
      };
    },
    run: (_inp, dir) => profile.buildTrainingSet(scale, join(dir, "train.jsonl"), config.fetch),
  });

  for (const setId of setIds) {
    add<Scored>({
      id: ids.bm25(setId),
      deps: [ids.evalsets],
      config: ["profile"],
      async run(inp) {
        const set = (await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!;
        const docs = [
          ...new Map([...set.candidates.values()].flat().map((d) => [d.docid, d])).values(),
        ];
        const run = bm25Run(
          set.queries,
          { lang: "und", queries: [], documents: docs, paragraphs: [] },
          set.candidates,
        );
        const perQuery = evaluateRun(qrelsFrom(set.qrels), run, [measure]).perQuery
          .get(measure.name)!;
        return { run, perQuery };
      },
    });
  }

  const evaluations: { id: string; method: string; setId: string; seed: number }[] = [];
  const switched: { id: string; name: string; seed: number }[] = [];
  for (const seed of seeds) {
    for (const spec of modelSpecs(config)) {
      // Training data: English, or code-switched with this seed.
      let dataId: string = ids.trainset;
      if (spec.variant !== "zero-shot") {
        const variant = spec.variant;
        dataId = ids.codeswitch(spec, seed);
        switched.push({ id: dataId, name: specName(spec), seed });
        const csOptions = (lex: Lexicons): CodeSwitchOptions => ({
          variant,
          queryLang: spec.pair?.query,
          docLang: spec.pair?.doc,
          languages: variant === "bl-cs" ? undefined : profile.seen.filter((l) => l !== "en"),
          queryLexicons: variant === "wiki-cs" ? lex.titlesEn : lex.museEn,
          p: variant === "wiki-cs" ? 1 : config.p,
          seed,
          stopwords: stopwords("en"),
        });
        add({
          id: dataId,
          cache: "codeswitch",
          deps: [ids.trainset, ids.lexicons],
          config: ["profile", "p", "workers"],
          async key(inp) {
            const lex = (await inp.output<Lexicons>(ids.lexicons)).value;
            const o = csOptions(lex);
            return {
              train: await inp.key(ids.trainset),
              variant,
              pair: spec.pair ?? null,
              languages: o.languages,
              p: o.p,
              seed,
              lexicons: lex.hashes,
            };
          },
          async run(inp, dir) {
            const lex = (await inp.output<Lexicons>(ids.lexicons)).value;
            const train = await inp.output(ids.trainset);
            const stats = await codeSwitchFile({
              ...csOptions(lex),
              input: join(train.dir!, "train.jsonl"),
              output: join(dir, "train.jsonl"),
              workers: config.workers,
            });
            return stats;
          },
        });
      }
      const modelId = ids.model(spec, seed);
      add({
        id: modelId,
        cache: "model",
        deps: [dataId],
        config: ["scale", "workers"],
        // The model format keys models apart, so a new on-disk layout retrains only models.
        key: async (inp) => ({
          v: PIPELINE_VERSION,
          format: MODEL_FORMAT,
          data: await inp.key(dataId),
          seed,
          epochs: scale.epochs,
        }),
        async run(inp, dir) {
          const data = await inp.output(dataId);
          await trainRanker(join(data.dir!, "train.jsonl"), {
            seed,
            epochs: scale.epochs,
            workers: config.workers,
            outDir: join(dir, "model"),
            labels: { method: spec.method, data: specName(spec) },
          });
          return { method: spec.method };
        },
      });

      for (const { method, setId, translate } of evaluationsOf(spec, setIds)) {
        const id = ids.evaluate(method, setId, seed);
        evaluations.push({ id, method, setId, seed });
        if (translate) {
          add<RerankSet>({
            id: ids.translate(setId),
            deps: [ids.evalsets, ids.lexicons],
            config: ["fetch"],
            async run(inp) {
              const set = (await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!;
              const lex = (await inp.output<Lexicons>(ids.lexicons)).value.set;
              return await translateSet(set, lex, config.fetch.cacheDir);
            },
          });
        }
        add({
          id,
          cache: "evaluate",
          deps: [modelId, ids.evalsets, ...(translate ? [ids.lexicons, ids.translate(setId)] : [])],
          config: ["profile"],
          async key(inp) {
            const evalsets = (await inp.output<EvalSets>(ids.evalsets)).value;
            return {
              v: PIPELINE_VERSION,
              model: keyHash(await inp.key(modelId)),
              task: evalsets.hashes.get(setId),
              translate: translate ? await translationKey(inp, evalsets.sets.get(setId)!) : null,
            };
          },
          async run(inp, dir) {
            const model = await inp.output(modelId);
            const set = translate
              ? (await inp.output<RerankSet>(ids.translate(setId))).value
              : (await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!;
            const scorer = await Scorer.create(await loadModel(join(model.dir!, "model")));
            try {
              const { run, perQuery } = await scoreSet(scorer, set, measure);
              await Deno.writeTextFile(
                join(dir, "run.txt"),
                formatRun(run, fileSafe(method), RUN_DEPTH),
              );
              return Object.fromEntries([...perQuery].sort(([a], [b]) => compareStrings(a, b)));
            } finally {
              await scorer.release();
            }
          },
        });
      }
    }
  }

  async function translationKey(inp: StageInputs, set: RerankSet) {
    const lex = (await inp.output<Lexicons>(ids.lexicons)).value.set;
    const out: Record<string, string> = {};
    for (const l of foreignLangs(set)) out[l] = lexiconHash(await lex.lexicon(l, "en", "muse"));
    return out;
  }

  add({
    id: ids.report,
    deps: [
      ids.evalsets,
      ids.lexicons,
      ids.trainset,
      ...setIds.map(ids.bm25),
      ...switched.map((s) => s.id),
      ...evaluations.map((e) => e.id),
    ],
    config: ["profile", "scale", "seeds", "p", "seedChoice", "resultsDir", "fetch"],
    async run(inp) {
      const evalsets = (await inp.output<EvalSets>(ids.evalsets)).value;
      const results: CellResult[] = [];
      const runFiles: Record<string, Uint8Array> = {};
      // BM25 over each set's candidate pool: the lexical baseline every model re-ranks against.
      for (const setId of setIds) {
        const set = evalsets.sets.get(setId)!;
        const { run, perQuery } = (await inp.output<Scored>(ids.bm25(setId))).value;
        for (const seed of seeds) {
          results.push({ method: METHODS.bm25, ...settingPair(set), seed, perQuery });
        }
        runFiles[runFileName(METHODS.bm25, set, 0)] = gzip(
          formatRun(run, METHODS.bm25, RUN_DEPTH),
        );
      }
      for (const e of evaluations) {
        const set = evalsets.sets.get(e.setId)!;
        const ev = await inp.output<Record<string, number>>(e.id);
        results.push({
          method: e.method,
          ...settingPair(set),
          seed: e.seed,
          perQuery: new Map(Object.entries(ev.value)),
        });
        // Runs of the first seed only: all seeds would make each version ~50 MB.
        if (e.seed === seeds[0]) {
          runFiles[runFileName(e.method, set, e.seed)] = gzip(
            await Deno.readFile(join(ev.dir!, "run.txt")),
          );
        }
      }
      const switchStats: Record<string, unknown> = {};
      for (const s of switched) {
        const v = (await inp.output<{ switchRate: number; outOfLexiconRate: number }>(s.id)).value;
        switchStats[`${s.name}/seed${s.seed}`] = {
          switchRate: Number(v.switchRate.toFixed(4)),
          outOfLexiconRate: Number(v.outOfLexiconRate.toFixed(4)),
        };
      }
      const version = await harnessVersion();
      const manifest = {
        harness: { name: "csclir-bench", version, commit: await gitCommit() },
        runtime: { deno: Deno.version.deno, onnxruntime: ort.env.versions.common },
        profile: profile.name,
        // The manifest keeps its field names: `tasks` are the rerank set ids.
        scale: { ...scale, sets: undefined, tasks: scale.sets },
        seeds,
        p: config.p,
        seedChoice: config.seedChoice,
        measure: measure.name,
        datasets: Object.fromEntries(
          await Promise.all(
            [profile.datasets.train, ...profile.datasets.eval].map(async (id) =>
              [id, await datasetHash(id, config.fetch)] as const
            ),
          ),
        ),
        lexicons: (await inp.output<Lexicons>(ids.lexicons)).value.hashes,
        trainingSet: (await inp.output(ids.trainset)).value,
        codeSwitching: switchStats,
        tasks: Object.fromEntries(
          [...evalsets.sets].map((
            [id, t],
          ) => [id, { queries: t.queries.length, hash: evalsets.hashes.get(id) }]),
        ),
      };
      // The single call site of the report.
      await writeResultVersion(config.resultsDir, results, {
        profile,
        measure,
        seedChoice: config.seedChoice,
      }, {
        "manifest.json": JSON.stringify(JSON.parse(canonicalJson(manifest)), null, 2) + "\n",
        "per_query.csv.gz": gzip(perQueryCsv(results, measure)),
        // Wall-clock seconds per stage kind: the only file that changes between identical runs.
        "timings.json": JSON.stringify(inp.timings(), null, 2) + "\n",
        ...runFiles,
      });
      return { dir: config.resultsDir };
    },
  });
  return { config, stages };
}

/** Translates a set's non-English queries and candidates into English (Translate Test). */
async function translateSet(
  set: RerankSet,
  lexicons: LexiconSet,
  cacheDir: string,
): Promise<RerankSet> {
  const docs = [...new Map(
    [...set.candidates.values()].flat().map((d) => [`${d.lang}\t${d.docid}`, d]),
  ).values()];
  const lexMap = new Map<Lang, Lexicon>();
  for (const l of foreignLangs(set)) lexMap.set(l, await lexicons.lexicon(l, "en", "muse"));
  const queries = await translateTest(set.queries, { lexicons: lexMap, cacheDir });
  const translated = await translateTest(docs, { lexicons: lexMap, cacheDir });
  const byKey = new Map(translated.map((d, i) => [`${docs[i].lang}\t${d.docid}`, d]));
  const candidates = new Map(
    [...set.candidates].map((
      [qid, ds],
    ) => [qid, ds.map((d) => byKey.get(`${d.lang}\t${d.docid}`)!)]),
  );
  return { ...set, queries, candidates };
}
