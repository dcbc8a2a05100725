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
import { fetchDataset } from "../../datasets/mod.ts";
import { stopwords } from "../../lexicons/mod.ts";
import { codeSwitchFile, type CodeSwitchOptions } from "../codeswitch/mod.ts";
import { formatRun } from "../evaluate/mod.ts";
import {
  LEXICONS_CACHE,
  type LexiconsJob,
  lexiconsJob,
  type LexiconsValue,
} from "../profile_lexicons/mod.ts";
import {
  crossScript,
  type LangPair,
  type Profile,
  profileRerankSets,
  profileSetIds,
  type RerankSet,
  setLanguages,
} from "../profiles/mod.ts";
import { DEFAULT_CONFIG, MODEL_FORMAT, trainRanker } from "../ranker/mod.ts";
import {
  buildPrior,
  loadPrior,
  PRIOR_DEFAULTS,
  priorConfigKey,
  type PriorReport,
} from "../prior/mod.ts";
import { ScorerCache } from "../score/mod.ts";
import { trainCrossEncoder, trainerKey } from "../trainer/mod.ts";
import { compareStrings, keyHash } from "../util/mod.ts";
import {
  ABLATION_METHODS,
  ablationMethod,
  METHODS,
  RANKER_VARIANTS,
  type RankerVariant,
} from "../report/mod.ts";
import {
  applyTranslation,
  bm25Scored,
  type EvalSets,
  foreignLangs,
  type Pool,
  poolOf,
  type Scored,
  scoreSet,
  setHash,
  translateSet,
  type Translation,
  translationKey,
} from "./evalsets.ts";
import {
  allLexiconHashes,
  lexiconMap,
  lexiconSetOf,
  priorLexiconHashes,
  switchLexiconHashes,
} from "./lexicon_inputs.ts";
import { datasetHash, fileSafe, reportStage, RUN_DEPTH } from "./report_stage.ts";
import type { Plan, RunConfig, Stage, StageInputs } from "./stage.ts";

/** Version of the pipeline's own logic; bump to invalidate cached stages. */
const PIPELINE_VERSION = 2;
/** File of a translate stage's output. */
const TRANSLATION_FILE = "translation.json";

/**
 * One model to train.
 *
 * @example
 * ```ts
 * declare const modelSpec: ModelSpec;
 * modelSpec.method;
 * ```
 */
export interface ModelSpec {
  /** Method name in the tables. */
  method: string;
  /** Training data variant: English, code-switched, or translated (Fine-tuning). */
  variant: "zero-shot" | CodeSwitchOptions["variant"] | "fine-tuning";
  /** Language pair of a BL-CS model. */
  pair?: LangPair;
}

const slug = (method: string) => fileSafe(method).toLowerCase().replaceAll("_", "-");
const pairLabel = (p: LangPair) => p.query === p.doc ? p.query : `${p.query}-${p.doc}`;
const specName = (s: ModelSpec) => s.pair ? `${s.variant}/${pairLabel(s.pair)}` : s.variant;

/**
 * Stage ids, readable and stable.
 *
 * @example
 * ```ts
 * stageIds.evaluate("TT_ML-CS", "clir/en-de", 1); // "evaluate/tt-ml-cs/clir/en-de/seed1"
 * ```
 */
export const stageIds = {
  evalsets: "evalsets",
  lexicons: "lexicons",
  prior: "prior",
  trainset: "trainset",
  report: "report",
  bm25: (setId: string): string => `bm25/${setId}`,
  pool: (setId: string): string => `pool/${setId}`,
  translate: (setId: string): string => `translate/${setId}`,
  codeswitch: (spec: ModelSpec, seed: number): string => `codeswitch/${specName(spec)}/seed${seed}`,
  translated: (seed: number): string => `translated/seed${seed}`,
  model: (spec: ModelSpec, seed: number): string => `model/${specName(spec)}/seed${seed}`,
  variantModel: (spec: ModelSpec, v: RankerVariant, seed: number): string =>
    `model/${specName(spec)}/${variantTag(v)}/seed${seed}`,
  evaluate: (method: string, setId: string, seed: number): string =>
    `evaluate/${slug(method)}/${setId}/seed${seed}`,
};

/** A ranker variant as a path component, e.g. `noprior-bm25`. */
const variantTag = (v: RankerVariant) =>
  `${v.prior ? "prior" : "noprior"}-${v.bm25Feature ? "bm25" : "nobm25"}`;

/**
 * Whether the ablation evaluates a rerank set: English MoIR, the seen CLIR
 * pairs and every CLIR pair across scripts.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * isAblationSet(getProfile("xquad-r"), "clir/en-th"); // true: across scripts
 * isAblationSet(getProfile("xquad-r"), "clir/en-vi"); // false
 * ```
 */
export function isAblationSet(profile: Profile, setId: string): boolean {
  const [setting, label] = setId.split("/");
  if (setting === "moir") return label === "en";
  if (setting !== "clir") return false;
  return crossScript(label) || profile.clirSeen.some((p) => `${p.query}-${p.doc}` === label);
}

/**
 * The models a run trains, in training order.
 *
 * @example
 * ```ts
 * import type { RunConfig } from "./stage.ts";
 * declare const config: RunConfig;
 * modelSpecs(config).map((s) => s.method); // ["Zero-shot", "ML-CS", "Wiki-CS", "BL-CS", …]
 * ```
 */
export function modelSpecs(config: RunConfig): ModelSpec[] {
  // One model per pair is the costliest part; the paper's headline for BL-CS is CLIR.
  const blcs = config.scale.blcsPairs ?? config.profile.clirSeen;
  return [
    { method: METHODS.zeroShot, variant: "zero-shot" },
    { method: METHODS.mlcs, variant: "ml-cs" },
    { method: METHODS.wikics, variant: "wiki-cs" },
    ...blcs.map((pair) => ({ method: METHODS.blcs, variant: "bl-cs" as const, pair })),
    // The paper's upper reference, where the profile has translated training data.
    ...(config.profile.translatedTraining
      ? [{ method: METHODS.fineTuning, variant: "fine-tuning" as const }]
      : []),
  ];
}

/** Which rerank sets a model is evaluated on, and under which method names. */
function evaluationsOf(spec: ModelSpec, setIds: readonly string[]) {
  if (spec.variant === "bl-cs") {
    // A pair's own CLIR set; an EN-X model is also the BL-CS model of MoIR in X (claim 3a).
    const labels = [pairLabel(spec.pair!)];
    if (spec.pair!.query === "en") labels.push(spec.pair!.doc);
    return setIds.filter((id) => !id.startsWith("mlir/") && labels.includes(id.split("/")[1]))
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
 *   correction: "holm",
 *   bm25Feature: false,
 *   prior: true,
 *   margin: 0.01,
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

  // Fetching the lexicons' inputs (for the key) happens once per plan.
  let lexJob: Promise<LexiconsJob> | undefined;
  const job = () =>
    lexJob ??= lexiconsJob(profile, { ...config.fetch, wikititles: config.wikititles });
  const lexicons = (inp: StageInputs) => inp.output<LexiconsValue>(ids.lexicons);
  add<LexiconsValue>({
    id: ids.lexicons,
    cache: LEXICONS_CACHE,
    deps: [],
    config: ["profile", "wikititles", "fetch"],
    key: async () => (await job()).key,
    run: async (inp, dir) => (await job()).build(dir, (l) => inp.log(`lexicons: ${l}`)),
  });

  const priorId = ids.prior;
  const priorOptions = { ...PRIOR_DEFAULTS, epochs: scale.priorEpochs ?? PRIOR_DEFAULTS.epochs };
  // A transformer trainer brings its own pre-training.
  if (!config.trainer) {
    add<PriorReport>({
      id: priorId,
      cache: "prior",
      deps: [ids.lexicons],
      config: ["profile", "scale", "fetch"],
      key: async (inp) => ({
        v: PIPELINE_VERSION,
        lexicons: priorLexiconHashes((await lexicons(inp)).value),
        ranker: priorConfigKey(DEFAULT_CONFIG),
        options: priorOptions,
      }),
      async run(inp, dir) {
        const out = await lexicons(inp);
        const set = lexiconSetOf(out);
        const halves = await Promise.all(
          out.value.summaries.filter((s) => s.kind === "muse-prior")
            .map((s) => set.lexicon(s.source, s.target, s.kind)),
        );
        return await buildPrior(halves, dir, { prior: priorOptions });
      },
    });
  }

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

  /** A stage computed from one rerank set alone (baselines of its pool). */
  const perSet = <V>(id: string, setId: string, compute: (set: RerankSet) => V) =>
    add<V>({
      id,
      deps: [ids.evalsets],
      config: ["profile"],
      async run(inp) {
        return compute((await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!);
      },
    });
  for (const setId of setIds) {
    perSet<Scored>(ids.bm25(setId), setId, (set) => bm25Scored(set, measure));
    perSet<Pool>(ids.pool(setId), setId, (set) => poolOf(set, measure));
  }

  // The trainer's key hashes the base model: once per plan.
  let crossEncoderKey: Promise<Record<string, unknown>> | undefined;
  const trainer = config.trainer;

  const evaluations: { id: string; method: string; setId: string; seed: number }[] = [];
  // A model's evaluations follow it: its scorer stays open for them. Scores do not depend
  // on the thread count, so one thread per training worker keeps a job pool's cores apart.
  const scorers = new ScorerCache({ threads: config.workers });
  const ablationSets = setIds.filter((id) => isAblationSet(profile, id));
  const seenLangs = profile.seen.filter((l) => l !== "en");
  const switched: { id: string; name: string; seed: number }[] = [];
  for (const seed of seeds) {
    for (const spec of modelSpecs(config)) {
      // Training data: English, translated (Fine-tuning) or code-switched with this seed.
      let dataId: string = ids.trainset;
      if (spec.variant === "fine-tuning") {
        // modelSpecs plans Fine-tuning only for profiles with translated training data.
        const translation = profile.translatedTraining!;
        dataId = ids.translated(seed);
        add({
          id: dataId,
          cache: "translated",
          deps: [ids.trainset],
          config: ["profile", "fetch"],
          key: async (inp) => {
            const datasets = translation.datasets(profile.seen);
            for (const id of datasets) await fetchDataset(id, config.fetch);
            return {
              v: PIPELINE_VERSION,
              train: await inp.key(ids.trainset),
              langs: profile.seen,
              seed,
              data: await Promise.all(datasets.map((id) => datasetHash(id, config.fetch))),
            };
          },
          async run(inp, dir) {
            const train = await inp.output(ids.trainset);
            return await translation.build(
              join(train.dir!, "train.jsonl"),
              join(dir, "train.jsonl"),
              { langs: profile.seen, seed },
              config.fetch,
            );
          },
        });
      } else if (spec.variant !== "zero-shot") {
        const variant = spec.variant;
        dataId = ids.codeswitch(spec, seed);
        switched.push({ id: dataId, name: specName(spec), seed });
        const languages = variant === "bl-cs" ? undefined : seenLangs;
        const p = variant === "wiki-cs" ? 1 : config.p;
        add({
          id: dataId,
          cache: "codeswitch",
          deps: [ids.trainset, ids.lexicons],
          config: ["profile", "p", "workers"],
          key: async (inp) => ({
            train: await inp.key(ids.trainset),
            variant,
            pair: spec.pair ?? null,
            languages,
            p,
            seed,
            lexicons: switchLexiconHashes((await lexicons(inp)).value),
          }),
          async run(inp, dir) {
            const set = lexiconSetOf(await lexicons(inp));
            const train = await inp.output(ids.trainset);
            const stats = await codeSwitchFile({
              variant,
              queryLang: spec.pair?.query,
              docLang: spec.pair?.doc,
              languages,
              queryLexicons: await lexiconMap(
                set,
                seenLangs,
                variant === "wiki-cs" ? "titles" : "muse",
                "en-x",
              ),
              p,
              seed,
              stopwords: stopwords("en"),
              input: join(train.dir!, "train.jsonl"),
              output: join(dir, "train.jsonl"),
              workers: config.workers,
            });
            return stats;
          },
        });
      }
      const own: RankerVariant = { prior: config.prior, bm25Feature: config.bm25Feature };
      const modelId = addModel(spec, seed, dataId, own, ids.model(spec, seed));
      for (const { method, setId, translate } of evaluationsOf(spec, setIds)) {
        addEvaluation(method, setId, seed, modelId, translate);
      }
      // The ablation: the same data under the other three ranker configurations.
      if (trainer || !ABLATION_METHODS.includes(spec.method)) continue;
      if (!seeds.slice(0, scale.ablationSeeds ?? 0).includes(seed)) continue;
      for (const v of RANKER_VARIANTS) {
        if (v.prior === own.prior && v.bm25Feature === own.bm25Feature) continue;
        const id = addModel(spec, seed, dataId, v, ids.variantModel(spec, v, seed));
        const method = ablationMethod(spec.method, v);
        for (const setId of ablationSets) addEvaluation(method, setId, seed, id, false);
      }
    }
  }

  /** Adds the model stage of `spec` and `seed` under ranker variant `v`; returns its id. */
  function addModel(
    spec: ModelSpec,
    seed: number,
    dataId: string,
    v: RankerVariant,
    modelId: string,
  ): string {
    add({
      id: modelId,
      cache: "model",
      deps: [dataId, ...(v.prior && !trainer ? [priorId] : [])],
      config: ["scale", "workers", "trainer"],
      // The model format (or the trainer) keys models apart, so a new layout retrains only models.
      key: async (inp) =>
        trainer
          ? {
            v: PIPELINE_VERSION,
            data: await inp.key(dataId),
            seed,
            trainer: await (crossEncoderKey ??= trainerKey(trainer)),
          }
          : {
            v: PIPELINE_VERSION,
            format: MODEL_FORMAT,
            data: await inp.key(dataId),
            seed,
            epochs: scale.epochs,
            // Only off the ranker's default, so those models keep their keys.
            ...(v.bm25Feature === DEFAULT_CONFIG.bm25 ? {} : { ranker: { bm25: v.bm25Feature } }),
            prior: v.prior ? keyHash(await inp.key(priorId)) : null,
          },
      async run(inp, dir) {
        const data = await inp.output(dataId);
        if (trainer) {
          const r = await trainCrossEncoder(join(data.dir!, "train.jsonl"), {
            trainer,
            seed,
            outDir: join(dir, "model"),
            labels: { method: spec.method, data: specName(spec) },
          });
          inp.phases(modelId, { ...r.phases });
          return { method: spec.method };
        }
        const prior = v.prior ? await inp.output(priorId) : undefined;
        const model = await trainRanker(join(data.dir!, "train.jsonl"), {
          embeddings: prior ? await loadPrior(prior.dir!, DEFAULT_CONFIG) : undefined,
          seed,
          epochs: scale.epochs,
          workers: config.workers,
          config: { bm25: v.bm25Feature },
          outDir: join(dir, "model"),
          labels: { method: spec.method, data: specName(spec), ranker: variantTag(v) },
        });
        if (model.timing?.phases) inp.phases(modelId, { ...model.timing.phases });
        return { method: spec.method };
      },
    });
    return modelId;
  }

  /** Adds the stage that scores `setId` (translated to English when `translate`) with a model. */
  function addEvaluation(
    method: string,
    setId: string,
    seed: number,
    modelId: string,
    translate: boolean,
  ): void {
    const id = ids.evaluate(method, setId, seed);
    evaluations.push({ id, method, setId, seed });
    if (translate) {
      add({
        id: ids.translate(setId),
        cache: "translate",
        deps: [ids.evalsets, ids.lexicons],
        config: ["profile", "fetch"],
        key: async (inp) => ({
          v: PIPELINE_VERSION,
          set: (await inp.output<EvalSets>(ids.evalsets)).value.hashes.get(setId),
          lexicons: await museToEnHashes(inp, setId),
        }),
        async run(inp, dir) {
          const set = (await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!;
          const lex = await lexiconMap(
            lexiconSetOf(await lexicons(inp)),
            foreignLangs(set),
            "muse",
            "x-en",
          );
          const t = translateSet(set, lex);
          await Deno.writeTextFile(join(dir, TRANSLATION_FILE), JSON.stringify(t) + "\n");
          return { queries: t.queries.length, documents: t.documents.length };
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
          translate: translate ? await museToEnHashes(inp, setId) : null,
        };
      },
      async run(inp, dir) {
        const model = await inp.output(modelId);
        const original = (await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!;
        const set = translate ? await translated(inp, original) : original;
        const { run, perQuery } = await scorers.use(
          join(model.dir!, "model"),
          (scorer) => scoreSet(scorer, set, measure),
        );
        await Deno.writeTextFile(join(dir, "run.txt"), formatRun(run, fileSafe(method), RUN_DEPTH));
        return Object.fromEntries([...perQuery].sort(([a], [b]) => compareStrings(a, b)));
      },
    });
  }

  /** The evaluate and translate keys' hashes of the X->EN lexicons a set's translation reads. */
  async function museToEnHashes(inp: StageInputs, setId: string) {
    const set = (await inp.output<EvalSets>(ids.evalsets)).value.sets.get(setId)!;
    return translationKey(set, allLexiconHashes((await lexicons(inp)).value));
  }

  /** A set as its translate stage translated it. */
  async function translated(inp: StageInputs, set: RerankSet): Promise<RerankSet> {
    const out = await inp.output(ids.translate(set.id));
    const t: Translation = JSON.parse(await Deno.readTextFile(join(out.dir!, TRANSLATION_FILE)));
    return applyTranslation(set, t);
  }

  add(reportStage(ids.report, config, {
    evalsets: ids.evalsets,
    lexicons: ids.lexicons,
    // A transformer trainer has its own pre-training.
    prior: config.trainer ? undefined : ids.prior,
    trainset: ids.trainset,
    bm25: new Map(setIds.map((setId) => [setId, ids.bm25(setId)])),
    pools: new Map(setIds.map((setId) => [setId, ids.pool(setId)])),
    switched,
    evaluations,
  }));
  return { config, stages };
}
