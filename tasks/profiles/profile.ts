/**
 * Experiment profiles: the paper's protocol as data. A profile is an adapter:
 * it names its languages, pairs and hyper-parameters, and supplies the loaders
 * of its training and evaluation data, its scales and its measure. The
 * pipeline reads all of these from the profile and never branches on its name.
 *
 * @module
 */

import type { Lang } from "../util/mod.ts";
import type { FetchOptions } from "../../datasets/mod.ts";
import type { Measure } from "../evaluate/mod.ts";
import type { GroupCandidates, ParallelSet, RerankSet } from "./rerank_sets.ts";
import type { Distance } from "./families.ts";

/**
 * A (query language, document language) pair.
 *
 * @example
 * ```ts
 * declare const langPair: LangPair;
 * langPair.query;
 * ```
 */
export interface LangPair {
  /** Query language. */
  query: Lang;
  /** Document language. */
  doc: Lang;
}

/** The paper's nine seen-language CLIR pairs (query -> document language), in its order. */
const PAPER_CLIR_SEEN: readonly [Lang, Lang][] = [
  ["en", "de"],
  ["en", "it"],
  ["en", "ar"],
  ["en", "ru"],
  ["de", "it"],
  ["de", "nl"],
  ["de", "ru"],
  ["ar", "it"],
  ["ar", "ru"],
];

/**
 * The paper's seen-language CLIR pairs, with languages a collection lacks
 * replaced (e.g. XQuAD-R has neither it nor nl).
 *
 * @example
 * ```ts
 * paperClirSeen({ it: "es", nl: "zh" })[1]; // { query: "en", doc: "es" }
 * ```
 */
export function paperClirSeen(replace: Readonly<Record<Lang, Lang>> = {}): LangPair[] {
  return PAPER_CLIR_SEEN.map(([q, d]) => ({ query: replace[q] ?? q, doc: replace[d] ?? d }));
}

/**
 * Names of the scales every profile offers.
 *
 * @example
 * ```ts
 * const scaleName: ScaleName = "full";
 * ```
 */
export type ScaleName = "full" | "quick";

/**
 * How much of the experiment to run.
 *
 * @example
 * ```ts
 * declare const scale: Scale;
 * scale.name;
 * ```
 */
export interface Scale {
  /** `full` or `quick`. */
  name: ScaleName;
  /** Training set size, in the profile's unit (SQuAD questions, MS MARCO triples). */
  trainSize: number;
  /** Training epochs over the training set. */
  epochs: number;
  /** Candidates per query, in the profile's unit (BM25 paragraphs, top1000 depth). */
  candidates: number;
  /** Evaluate at most this many queries per rerank set (in candidate order); all when undefined. */
  evalQueries?: number;
  /** Rerank set ids to run; all of the profile when undefined. */
  sets?: string[];
  /** Language pairs that get a BL-CS model; default the profile's seen CLIR pairs. */
  blcsPairs?: LangPair[];
  /**
   * The ablation's models ({prior, BM25 feature} variants of Zero-shot and ML-CS) are
   * trained for the run's first this-many seeds; none when 0 or absent.
   */
  ablationSeeds?: number;
  /** Epochs of the cross-lingual prior's alignment; default the prior's own (4). */
  priorEpochs?: number;
}

/**
 * The parallel evaluation sets of a profile and their language-independent candidates.
 *
 * @example
 * ```ts
 * declare const evaluationData: EvaluationData;
 * evaluationData.sets;
 * ```
 */
export interface EvaluationData {
  /** One set per loaded language. */
  sets: ParallelSet[];
  /** Candidate groups per query id, shared by every language. */
  cands: GroupCandidates;
}

/**
 * Everything that defines one experiment.
 *
 * @example
 * ```ts
 * declare const profile: Profile;
 * profile.name;
 * ```
 */
export interface Profile {
  /** Profile name (`--profile`). */
  name: string;
  /** Seen languages: the code-switching targets (English first). */
  seen: Lang[];
  /** Unseen languages: evaluated, never switched into. */
  unseen: Lang[];
  /** CLIR pairs over seen languages (mirroring the paper's). */
  clirSeen: LangPair[];
  /** CLIR pairs that involve unseen languages. */
  clirUnseen: LangPair[];
  /** Code-switching ratio of the headline results. */
  p: number;
  /** Seeds of the reported table. */
  seeds: number[];
  /** Seed for sampling MLIR languages. */
  mlirSeed: number;
  /** Seed of the training-set sample (part of the training set's cache key). */
  dataSeed: number;
  /** Dataset ids for training and evaluation. */
  datasets: { train: string; eval: string[] };
  /** Which CLIR pairs count as typologically distant (claims 5 and 6). */
  distance: Distance;
  /** The measure of the tables and of the per-query file. */
  measure: Measure;
  /** The profile's scales: `full` is the default run, `quick` a smoke run of every stage. */
  scales: Readonly<Record<ScaleName, Scale>>;
  /** Loads the evaluation sets of `langs` with the scale's candidates and query cap. */
  loadEvaluation(scale: Scale, langs: Lang[], fetch: FetchOptions): Promise<EvaluationData>;
  /** Writes the English training set (JSON lines) to `out`; returns its counts. */
  buildTrainingSet(scale: Scale, out: string, fetch: FetchOptions): Promise<unknown>;
  /**
   * Development data for design choices and hyper-parameters, disjoint from
   * the evaluation sets: rerank sets whose pools hold the candidates of
   * `depth` units (the unit of `Scale.candidates`). Absent when the profile has none.
   */
  loadDevelopment?(depth: number, fetch: FetchOptions): Promise<DevelopmentData>;
  /**
   * The paper's Fine-tuning baseline, where the profile has machine-translated
   * training data (mmarco): the datasets it reads, and a writer of the English
   * training set `input` with each record's query and passage taken from those
   * translations (one language each, drawn per record from `langs` with `seed`).
   */
  translatedTraining?: {
    /** Dataset ids read for `langs` (English needs none). */
    datasets(langs: readonly Lang[]): string[];
    /** Writes the translated training set to `out`; returns its counts. */
    build(
      input: string,
      out: string,
      opts: { langs: readonly Lang[]; seed: number },
      fetch: FetchOptions,
    ): Promise<unknown>;
  };
}

/**
 * A profile's development data.
 *
 * @example
 * ```ts
 * declare const developmentData: DevelopmentData;
 * developmentData.sets.length;
 * ```
 */
export interface DevelopmentData {
  /** What it is, for reports (e.g. `MLQA-R dev`). */
  name: string;
  /** Its rerank sets. */
  sets: RerankSet[];
}
