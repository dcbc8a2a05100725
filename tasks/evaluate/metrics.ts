/**
 * Evaluation measures as data (after ir_measures): a {@linkcode Measure} is a
 * name, its parameters and one pure `compute` function over the relevance
 * levels of a ranking. Adding a measure means adding one entry to
 * {@linkcode FAMILIES}. Semantics follow trec_eval 10 exactly: documents ranked
 * by score descending with ties by docno bytes descending, rank column ignored,
 * relevant means rel >= 1, and with `complete` (trec_eval `-c`) every qrels
 * query counts, scoring 0 when the run lacks it; run-only queries are ignored.
 *
 * @module
 */

import { OptionError } from "../util/mod.ts";
import { evaluateFiles } from "./stream.ts";
import { compareCodePoints, compareTrec, type Qrels, type Run, type ScoredDoc } from "./trec.ts";

/**
 * Judgements of one query, prepared once for all measures.
 *
 * @example
 * ```ts
 * const j: QueryJudgments = judgmentsOf(new Map([["d1", 2], ["d2", 1], ["d3", 0]]));
 * j.idealGains; // [2, 1]
 * ```
 */
export interface QueryJudgments {
  /** Positive relevance levels of all judged documents, descending (the ideal ranking's gains). */
  idealGains: readonly number[];
}

/**
 * One evaluation measure.
 *
 * @example
 * ```ts
 * const m: Measure = parseMeasure("nDCG@10");
 * m.params.cutoff; // 10
 * ```
 */
export interface Measure {
  /** Canonical name, e.g. `RR@10`, `nDCG@10`, `AP`, `R@100`, `P@10`. */
  readonly name: string;
  /** Family name (`RR`, `nDCG`, `AP`, `R`, `P`). */
  readonly family: string;
  /**
   * Parameters: `cutoff` is the rank depth (`Infinity` when none); `rel` the
   * lowest relevance level that counts as relevant for binary measures
   * (trec_eval's `-l`, default {@linkcode RELEVANCE_LEVEL}).
   */
  readonly params: { readonly cutoff: number; readonly rel: number };
  /** The trec_eval name of the same measure (e.g. `ndcg_cut_10`). */
  readonly trecName: string;
  /**
   * Value for one query. `ranked` holds the relevance levels of the retrieved
   * documents in rank order (0 for unjudged ones).
   */
  compute(ranked: ArrayLike<number>, judged: QueryJudgments): number;
}

/**
 * Default lowest relevance level that counts as relevant (trec_eval's default `-l 1`).
 *
 * @example
 * ```ts
 * parseMeasure("RR@10").params.rel === RELEVANCE_LEVEL; // true
 * ```
 */
export const RELEVANCE_LEVEL = 1;

interface Family {
  /** Whether `@k` is required (true), optional (false). */
  cutoffRequired: boolean;
  /** Whether the family is binary (takes a relevance level); graded ones use the levels as gains. */
  binary: boolean;
  trecName(cutoff: number): string;
  compute(ranked: ArrayLike<number>, judged: QueryJudgments, cutoff: number, rel: number): number;
}

/** The measure families, keyed by canonical family name. */
export const FAMILIES: Readonly<Record<string, Family>> = {
  RR: {
    cutoffRequired: false,
    binary: true,
    trecName: () => "recip_rank",
    compute(ranked, _judged, k, rel) {
      const n = Math.min(k, ranked.length);
      for (let i = 0; i < n; i++) if (ranked[i] >= rel) return 1 / (i + 1);
      return 0;
    },
  },
  nDCG: {
    cutoffRequired: true,
    binary: false,
    trecName: (k) => `ndcg_cut_${k}`,
    compute(ranked, judged, k) {
      // trec_eval: gain = relevance level, discount log2(rank + 1), ideal from all judged docs.
      let ideal = 0;
      const m = Math.min(k, judged.idealGains.length);
      for (let i = 0; i < m; i++) ideal += judged.idealGains[i] / Math.log2(i + 2);
      if (ideal === 0) return 0;
      let dcg = 0;
      const n = Math.min(k, ranked.length);
      for (let i = 0; i < n; i++) if (ranked[i] > 0) dcg += ranked[i] / Math.log2(i + 2);
      return dcg / ideal;
    },
  },
  AP: {
    cutoffRequired: false,
    binary: true,
    trecName: (k) => (k === Infinity ? "map" : `map_cut_${k}`),
    compute(ranked, judged, k, rel) {
      const relevant = numRelevant(judged, rel);
      if (relevant === 0) return 0;
      let hits = 0;
      let sum = 0;
      const n = Math.min(k, ranked.length);
      for (let i = 0; i < n; i++) {
        if (ranked[i] >= rel) sum += ++hits / (i + 1);
      }
      return sum / relevant;
    },
  },
  R: {
    cutoffRequired: true,
    binary: true,
    trecName: (k) => `recall_${k}`,
    compute(ranked, judged, k, rel) {
      const relevant = numRelevant(judged, rel);
      if (relevant === 0) return 0;
      return countRelevant(ranked, k, rel) / relevant;
    },
  },
  P: {
    cutoffRequired: true,
    binary: true,
    trecName: (k) => `P_${k}`,
    // trec_eval divides by the cutoff even when fewer documents were retrieved.
    compute: (ranked, _judged, k, rel) => countRelevant(ranked, k, rel) / k,
  },
};

const ALIASES: Readonly<Record<string, string>> = {
  rr: "RR",
  mrr: "RR",
  ndcg: "nDCG",
  ap: "AP",
  map: "AP",
  r: "R",
  recall: "R",
  p: "P",
};

function countRelevant(ranked: ArrayLike<number>, k: number, rel: number): number {
  let c = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (ranked[i] >= rel) c++;
  return c;
}

/** Judged documents at or above level `rel` (the gains are sorted descending). */
function numRelevant(judged: QueryJudgments, rel: number): number {
  let c = 0;
  while (c < judged.idealGains.length && judged.idealGains[c] >= rel) c++;
  return c;
}

/**
 * Parses a measure name such as `RR@10` (alias `MRR@10`), `nDCG@10`, `AP` (alias
 * `MAP`), `R@100`, `P@10`; family names are case-insensitive. Binary measures
 * take the relevance level as a parameter, in ir_measures' syntax:
 * `RR(rel=2)@10` counts only documents judged 2 or higher as relevant
 * (trec_eval `-l 2`).
 *
 * @example
 * ```ts
 * const m = parseMeasure("MRR@10"); // m.name === "RR@10", m.trecName === "recip_rank"
 * parseMeasure("P(rel=2)@10").params.rel; // 2
 * ```
 */
export function parseMeasure(text: string, option = "--measure"): Measure {
  const m = /^([A-Za-z]+)(?:\(rel=(\d+)\))?(?:@(\d+))?$/.exec(text.trim());
  const familyName = m ? ALIASES[m[1].toLowerCase()] : undefined;
  const expected = `a measure like RR@10, nDCG@10, AP, R@100, P(rel=2)@10 (families: ${
    Object.keys(FAMILIES).join(", ")
  })`;
  if (!m || familyName === undefined) throw new OptionError(option, expected, text);
  const family = FAMILIES[familyName];
  const cutoff = m[3] === undefined ? Infinity : Number(m[3]);
  if (m[3] === undefined && family.cutoffRequired) {
    throw new OptionError(option, `${familyName}@k with a cutoff k`, text);
  }
  if (cutoff < 1) throw new OptionError(option, "a cutoff >= 1", text);
  const rel = m[2] === undefined ? RELEVANCE_LEVEL : Number(m[2]);
  if (m[2] !== undefined && !family.binary) {
    throw new OptionError(option, `${familyName} without rel= (its gains are the levels)`, text);
  }
  if (rel < 1) throw new OptionError(option, "a relevance level rel >= 1", text);
  const relPart = rel === RELEVANCE_LEVEL ? "" : `(rel=${rel})`;
  return {
    name: `${familyName}${relPart}${cutoff === Infinity ? "" : `@${cutoff}`}`,
    family: familyName,
    params: { cutoff, rel },
    trecName: family.trecName(cutoff),
    compute: (ranked, judged) => family.compute(ranked, judged, cutoff, rel),
  };
}

/** Prepares the judgements of one query for {@linkcode Measure.compute}. */
export function judgmentsOf(judged: ReadonlyMap<string, number> | undefined): QueryJudgments {
  const gains: number[] = [];
  if (judged) { for (const rel of judged.values()) if (rel > 0) gains.push(rel); }
  gains.sort((a, b) => b - a);
  return { idealGains: gains };
}

/**
 * Relevance levels of `docs` in trec_eval order, unjudged as 0, keeping the
 * top `maxDocs` (trec_eval `-M`). Docids must be distinct within a query.
 */
export function rankedRelevances(
  docs: readonly ScoredDoc[],
  judged: ReadonlyMap<string, number> | undefined,
  maxDocs = Infinity,
): Int32Array {
  const n = Math.min(maxDocs, docs.length);
  const out = new Int32Array(n);
  if (judged === undefined || n === 0) return out;
  const positive: ScoredDoc[] = [];
  for (const d of docs) if ((judged.get(d.docid) ?? 0) > 0) positive.push(d);
  if (positive.length > 32) {
    const sorted = [...docs].sort(compareTrec);
    for (let i = 0; i < n; i++) out[i] = Math.max(0, judged.get(sorted[i].docid) ?? 0);
    return out;
  }
  // Only the ranks of the few positive documents matter: count who precedes each
  // (O(docs × positives) instead of sorting every candidate list).
  for (const d of positive) {
    let rank = 0;
    for (const e of docs) if (compareTrec(e, d) < 0) rank++;
    if (rank < n) out[rank] = judged.get(d.docid)!;
  }
  return out;
}

/** Options of {@linkcode evaluateRun}. */
export interface EvaluateOptions {
  /** Keep only the top `maxDocs` documents per query (trec_eval `-M`); default all. */
  maxDocs?: number;
  /**
   * Average over every qrels query, scoring absent ones 0 (trec_eval `-c`);
   * default true. When false, only queries in both run and qrels count.
   */
  complete?: boolean;
}

/** Values of several measures for one run. */
export interface Evaluation {
  /** The measures, in the order asked for. */
  measures: Measure[];
  /** Evaluated query ids, in byte order (as trec_eval). */
  qids: string[];
  /** Measure name -> (qid -> value). */
  perQuery: Map<string, Map<string, number>>;
  /** Measure name -> mean over {@linkcode Evaluation.qids} (0 when there are none). */
  mean: Map<string, number>;
}

/**
 * Evaluates a run against qrels with trec_eval semantics.
 *
 * @example
 * ```ts
 * const qrels = new Map([["q1", new Map([["d2", 1]])]]);
 * const run = new Map([["q1", [{ docid: "d1", score: 2 }, { docid: "d2", score: 1 }]]]);
 * const ev = evaluateRun(qrels, run, [parseMeasure("RR@10")]);
 * ev.mean.get("RR@10"); // MRR@10
 * ev.perQuery.get("RR@10")!.get("q1"); // RR@10 of q1
 * ```
 */
export function evaluateRun(
  qrels: Qrels,
  run: Run,
  measures: readonly Measure[],
  options: EvaluateOptions = {},
): Evaluation {
  const complete = options.complete ?? true;
  const qids = [...qrels.keys()].filter((q) => complete || run.has(q)).sort(compareCodePoints);
  const perQuery = new Map(measures.map((m) => [m.name, new Map<string, number>()]));
  const sums = measures.map(() => 0);
  const empty = new Int32Array(0);
  for (const qid of qids) {
    const judged = qrels.get(qid)!;
    const docs = run.get(qid);
    const ranked = docs ? rankedRelevances(docs, judged, options.maxDocs) : empty;
    const prepared = judgmentsOf(judged);
    measures.forEach((m, i) => {
      const v = m.compute(ranked, prepared);
      perQuery.get(m.name)!.set(qid, v);
      sums[i] += v;
    });
  }
  const mean = new Map(measures.map((m, i) => [m.name, qids.length ? sums[i] / qids.length : 0]));
  return { measures: [...measures], qids, perQuery, mean };
}

/**
 * `printf("%.4f", v)`: the exact binary value rounded to 4 decimals, ties to
 * even. `toFixed` rounds ties up; a double is an exact tie only when `v * 32`
 * is an odd integer (e.g. RR 1/32: trec_eval prints 0.0312, `toFixed` 0.0313).
 *
 * @example
 * ```ts
 * formatFixed4(1 / 32); // "0.0312"
 * ```
 */
export function formatFixed4(v: number): string {
  const j = Math.abs(v) * 32;
  if (!Number.isInteger(j) || j % 2 === 0 || j > 2 ** 40) return v.toFixed(4);
  const down = (625 * j - 1) / 2; // |v| * 10^4 = down + 0.5 exactly
  const n = down % 2 === 0 ? down : down + 1;
  const digits = String(n).padStart(5, "0");
  return `${v < 0 ? "-" : ""}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

/**
 * Formats an evaluation like `trec_eval [-q]`: `name<TAB>qid<TAB>value` with 4
 * decimals (as C `printf`), per-query lines (when `perQuery`) and then `all` lines.
 *
 * @example
 * ```ts
 * const qrels = new Map([["q1", new Map([["d2", 1]])]]);
 * const run = new Map([["q1", [{ docid: "d1", score: 2 }, { docid: "d2", score: 1 }]]]);
 * formatEvaluation(evaluateRun(qrels, run, [parseMeasure("RR@10")])); // "RR@10 ...\tall\t0.5000\n"
 * ```
 */
export function formatEvaluation(ev: Evaluation, perQuery = false): string {
  const line = (name: string, qid: string, v: number) =>
    `${name.padEnd(22)}\t${qid}\t${formatFixed4(v)}\n`;
  const out: string[] = [];
  if (perQuery) {
    for (const qid of ev.qids) {
      for (const m of ev.measures) out.push(line(m.name, qid, ev.perQuery.get(m.name)!.get(qid)!));
    }
  }
  for (const m of ev.measures) out.push(line(m.name, "all", ev.mean.get(m.name)!));
  return out.join("");
}

/**
 * Options of the `evaluate` subcommand, as commander parses them.
 *
 * @example
 * ```ts
 * const o: EvaluateCliOptions = { measure: ["RR@10"], maxDocs: "10", complete: true };
 * ```
 */
export interface EvaluateCliOptions {
  /** Measure names (default `RR@10`). */
  measure: string[];
  /** trec_eval `-M`. */
  maxDocs?: string;
  /** Print per-query values too (trec_eval `-q`). */
  perQuery?: boolean;
  /** trec_eval `-c` (commander's `--no-complete` sets false). */
  complete: boolean;
}

/**
 * The `evaluate` subcommand: streams qrels and run (see `evaluate_stream.ts`),
 * returns trec_eval-style text.
 *
 * @example
 * ```ts
 * console.log(await runEvaluate("dev.qrels", "zs.run", { measure: ["RR@10"], complete: true }));
 * ```
 */
export async function runEvaluate(
  qrelsPath: string,
  runPath: string,
  o: EvaluateCliOptions,
): Promise<string> {
  const names = o.measure.length ? o.measure : ["RR@10"];
  const measures = [...new Map(names.map((n) => parseMeasure(n)).map((m) => [m.name, m])).values()];
  let maxDocs: number | undefined;
  if (o.maxDocs !== undefined) {
    maxDocs = Number(o.maxDocs);
    if (!/^\d+$/.test(o.maxDocs) || maxDocs < 1) {
      throw new OptionError("--max-docs", "a positive integer", o.maxDocs);
    }
  }
  const ev = await evaluateFiles(qrelsPath, runPath, measures, { maxDocs, complete: o.complete });
  return formatEvaluation(ev, o.perQuery ?? false);
}
