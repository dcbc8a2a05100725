/**
 * The English training set of the `xquad-r` profile: SQuAD v1.1 train,
 * question -> answer sentence, 1 positive : 4 negatives, in the paper's record
 * shape `{qid, query, pid, passage, label}`, shuffled with the seed (the paper
 * trains on shuffled MS MARCO triples).
 *
 * Negatives of a question (default 4), in this order:
 * 1. up to `fromParagraph` (default 2) other sentences of its paragraph, sampled;
 * 2. the rest, except `random` (default 1) of them, sampled from the `pool`
 *    (default 100) best BM25 sentences of other paragraphs (BM25 over all train
 *    sentences, English);
 * 3. `random` sentences of other paragraphs drawn uniformly (easy negatives: with
 *    only hard ones the ranker never learns what BM25 already knows);
 * 4. if still short (a tiny pool), the remaining sentences of the paragraph, then
 *    random sentences of other paragraphs.
 * A negative never has the positive's text, never repeats a text already chosen,
 * and a negative from another paragraph never contains the answer string (a likely
 * false negative).
 *
 * Question i draws from `Rng.forRecord(seed, i)`, so its negatives do not depend
 * on `maxQuestions`; same corpus and seed => same bytes.
 *
 * @module
 */

import {
  checkNumberOption,
  guardExisting,
  isTrainingRecordsFile,
  parseIntOption,
  Rng,
  type TrainingInstance,
  writeTrainingInstances,
} from "../util/mod.ts";
import {
  fetchDataset,
  loadSquadExplorer,
  type SquadParagraph,
  type SquadQuestion,
} from "../../datasets/mod.ts";
import { Bm25Index, type Bm25Options } from "../bm25/mod.ts";

/** What {@linkcode buildTrainingSet} reads: a `SquadSet` (datasets/squad.ts) or any paragraphs + questions. */
export interface TrainCorpus {
  /** All paragraphs (BM25 negatives come from every one of them). */
  paragraphs: Pick<SquadParagraph, "id" | "sentences">[];
  /** Questions, in a fixed order (the record index seeds each question). */
  questions: Pick<SquadQuestion, "qid" | "text" | "paragraphId" | "answerSentence" | "answer">[];
}

/** Options of {@linkcode buildTrainingSet}. */
/**
 * Defaults of {@linkcode TrainingSetOptions}, shared by `trainset`, `reproduce` and their help.
 *
 * @example
 * ```ts
 * TRAINSET_DEFAULTS.seed;
 * ```
 */
export const TRAINSET_DEFAULTS = {
  /** Seed of the `trainset` command. */
  seed: 1,
  /** Negatives per positive (the paper's ratio). */
  negatives: 4,
  /** Cap on negatives from the question's own paragraph. */
  fromParagraph: 2,
  /** BM25 negatives are sampled from this many best hits. */
  pool: 100,
  /** Negatives drawn at random from other paragraphs. */
  random: 1,
} as const;

export interface TrainingSetOptions {
  /** Seed for sampling and shuffling. */
  seed: number;
  /** Negatives per positive. Default 4 (the paper's ratio). */
  negatives?: number;
  /** At most this many negatives from the question's own paragraph. Default 2. */
  fromParagraph?: number;
  /**
   * BM25 negatives are sampled from this many best hits. Default 100: medium-hard
   * negatives, like most test-time candidates.
   */
  pool?: number;
  /**
   * Negatives drawn at random from other paragraphs instead of the BM25 pool.
   * Default 1: easy negatives teach the ranker what BM25 already knows.
   */
  random?: number;
  /** Use at most this many questions (a seeded sample), for quick runs. */
  maxQuestions?: number;
  /** BM25 parameters (language is always English). */
  bm25?: Omit<Bm25Options, "lang">;
}

/** Counts of a built training set. */
export interface TrainingSetCounts {
  /** Questions used. */
  questions: number;
  /** Instances written (positives + negatives). */
  instances: number;
  /** Positives (one per question). */
  positives: number;
  /** Negatives from the question's own paragraph. */
  paragraphNegatives: number;
  /** Negatives from the BM25 pool. */
  bm25Negatives: number;
  /** Negatives drawn at random from other paragraphs (`random`, then the fallback). */
  randomNegatives: number;
}

/** A training set and its counts. */
export interface TrainingSet {
  /** Shuffled instances. */
  instances: TrainingInstance[];
  /** Counts by source. */
  counts: TrainingSetCounts;
}

// Distinct stream indices (negative, so never a question index) for set-level draws.
const SUBSET_STREAM = -1;
const SHUFFLE_STREAM = -2;

/** Passage id of sentence `j` of paragraph `paragraphId`. */
export function sentencePid(paragraphId: string, j: number): string {
  return `${paragraphId}.${j}`;
}

/**
 * Builds the training set with counts by negative source.
 *
 * @example
 * ```ts
 * declare const corpus: TrainCorpus;
 * const { instances, counts } = buildTrainingSetWithCounts(corpus, { seed: 1, maxQuestions: 1000 });
 * ```
 */
export function buildTrainingSetWithCounts(
  corpus: TrainCorpus,
  opts: TrainingSetOptions,
): TrainingSet {
  const d = TRAINSET_DEFAULTS;
  const count = (option: string, v: number, min: number) =>
    checkNumberOption(option, v, { min, integer: true });
  const negatives = count("--negatives", opts.negatives ?? d.negatives, 1);
  const fromParagraph = count("--from-paragraph", opts.fromParagraph ?? d.fromParagraph, 0);
  const pool = count("--pool", opts.pool ?? d.pool, 1);
  const random = count("--random", opts.random ?? d.random, 0);
  if (opts.maxQuestions !== undefined) count("--max-questions", opts.maxQuestions, 1);

  const paragraphs = new Map(corpus.paragraphs.map((p) => [p.id, p]));
  const sentences: { id: string; text: string; paragraph: string }[] = [];
  for (const p of corpus.paragraphs) {
    p.sentences.forEach((text, j) =>
      sentences.push({ id: sentencePid(p.id, j), text, paragraph: p.id })
    );
  }
  const byPid = new Map(sentences.map((s) => [s.id, s]));
  const index = Bm25Index.build(sentences, { ...opts.bm25, lang: "en" });

  let chosen = Array.from(corpus.questions.keys());
  if (opts.maxQuestions !== undefined && opts.maxQuestions < chosen.length) {
    chosen = new Rng(opts.seed, SUBSET_STREAM).shuffle(chosen).slice(0, opts.maxQuestions)
      .sort((a, b) => a - b);
  }
  const counts: TrainingSetCounts = {
    questions: chosen.length,
    instances: 0,
    positives: 0,
    paragraphNegatives: 0,
    bm25Negatives: 0,
    randomNegatives: 0,
  };
  const instances: TrainingInstance[] = [];
  for (const i of chosen) {
    const q = corpus.questions[i];
    const para = paragraphs.get(q.paragraphId);
    if (!para) throw new TypeError(`question ${q.qid}: unknown paragraph ${q.paragraphId}`);
    const positive = para.sentences[q.answerSentence];
    if (positive === undefined) {
      throw new TypeError(`question ${q.qid}: no sentence ${q.answerSentence} in ${para.id}`);
    }
    const rng = Rng.forRecord(opts.seed, i);
    const used = new Set([positive]);
    const picked: string[] = [];
    const take = (pid: string) => {
      const text = byPid.get(pid)!.text;
      if (used.has(text)) return false;
      used.add(text);
      picked.push(pid);
      return true;
    };
    const own = rng.shuffle(
      para.sentences.map((_, j) => j).filter((j) => j !== q.answerSentence),
    ).map((j) => sentencePid(para.id, j));
    let o = 0;
    for (; o < own.length && picked.length < Math.min(fromParagraph, negatives); o++) take(own[o]);
    counts.paragraphNegatives += picked.length;

    const answer = q.answer.toLowerCase();
    const fresh = (s: { paragraph: string; text: string }) =>
      s.paragraph !== para.id && (answer === "" || !s.text.toLowerCase().includes(answer));
    // Bounded retries: a corpus of near-identical sentences must not loop forever.
    const drawRandom = (want: number) => {
      for (let tries = 0; picked.length < want && tries < 100 * negatives; tries++) {
        const s = sentences[rng.int(sentences.length)];
        if (fresh(s) && take(s.id)) counts.randomNegatives++;
      }
    };
    const hits = index.search(q.text, 2 * pool + para.sentences.length)
      .filter((h) => fresh(byPid.get(h.id)!)).slice(0, pool).map((h) => h.id);
    const before = picked.length;
    const bm25Quota = Math.max(before, negatives - random);
    rng.shuffle(hits);
    for (let h = 0; h < hits.length && picked.length < bm25Quota; h++) take(hits[h]);
    counts.bm25Negatives += picked.length - before;
    drawRandom(Math.min(negatives, picked.length + negatives - bm25Quota));

    for (; o < own.length && picked.length < negatives; o++) {
      if (take(own[o])) counts.paragraphNegatives++;
    }
    drawRandom(negatives);

    instances.push({
      qid: q.qid,
      query: q.text,
      pid: sentencePid(para.id, q.answerSentence),
      passage: positive,
      label: 1,
    });
    for (const pid of picked) {
      instances.push({ qid: q.qid, query: q.text, pid, passage: byPid.get(pid)!.text, label: 0 });
    }
    counts.positives++;
  }
  new Rng(opts.seed, SHUFFLE_STREAM).shuffle(instances);
  counts.instances = instances.length;
  return { instances, counts };
}

/**
 * Builds the shuffled training instances (see the module doc for the rule).
 *
 * @example
 * ```ts
 * import { writeTrainingInstances } from "../util/mod.ts";
 * declare const corpus: TrainCorpus;
 * const instances = buildTrainingSet(corpus, { seed: 1, negatives: 4 });
 * await writeTrainingInstances("out/train.en.jsonl", instances);
 * ```
 */
export function buildTrainingSet(
  corpus: TrainCorpus,
  opts: TrainingSetOptions,
): TrainingInstance[] {
  return buildTrainingSetWithCounts(corpus, opts).instances;
}

/**
 * Options of the `trainset` subcommand (strings as commander parses them).
 *
 * @example
 * ```ts
 * declare const trainsetCliOptions: TrainsetCliOptions;
 * trainsetCliOptions.seed;
 * ```
 */
export interface TrainsetCliOptions {
  /** Seed. */
  seed?: string;
  /** Negatives per positive. */
  negatives?: string;
  /** Cap on own-paragraph negatives. */
  fromParagraph?: string;
  /** BM25 pool size. */
  pool?: string;
  /** Random negatives (default: the library default). */
  random?: string;
  /** Cap on questions. */
  maxQuestions?: string;
  /** Offline mirror folder. */
  mirror?: string;
  /** Never use the network. */
  offline?: boolean;
  /** Cache directory. */
  cacheDir?: string;
  /** Replace an existing OUT that is not a training-records file. */
  force?: boolean;
}

/**
 * The `trainset` subcommand: loads SQuAD v1.1 train (fetching it if needed),
 * builds the training set and writes it to `out`; returns a one-line summary.
 *
 * @example
 * ```ts
 * console.log(await runTrainset("train.en.jsonl", { maxQuestions: "1000", mirror: "../shared/mirror" }));
 * ```
 */
export async function runTrainset(out: string, o: TrainsetCliOptions): Promise<string> {
  await guardExisting(out, {
    what: "training-records file",
    isOwn: isTrainingRecordsFile,
    force: o.force,
  });
  // Range checks (and defaults) are buildTrainingSetWithCounts'; the command only parses.
  const opts: TrainingSetOptions = {
    seed: parseIntOption("--seed", o.seed) ?? TRAINSET_DEFAULTS.seed,
    negatives: parseIntOption("--negatives", o.negatives),
    fromParagraph: parseIntOption("--from-paragraph", o.fromParagraph),
    pool: parseIntOption("--pool", o.pool),
    random: parseIntOption("--random", o.random),
    maxQuestions: parseIntOption("--max-questions", o.maxQuestions),
  };
  const files = await fetchDataset("squad/v1.1/train", {
    mirror: o.mirror,
    offline: o.offline,
    cacheDir: o.cacheDir,
  });
  const squad = await loadSquadExplorer(files);
  const { instances, counts } = buildTrainingSetWithCounts(squad, opts);
  await writeTrainingInstances(out, instances);
  return `${counts.instances} instances (${counts.questions} questions; SQuAD keeps ` +
    `${squad.questions.length} of ${squad.total}; ` +
    `negatives: ${counts.paragraphNegatives} paragraph, ${counts.bm25Negatives} BM25, ` +
    `${counts.randomNegatives} random) -> ${out}`;
}
