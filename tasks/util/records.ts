/**
 * Typed records that flow between stages. Every loader yields these and every
 * stage consumes them, so a new dataset only has to produce the same shapes.
 *
 * @module
 */

/**
 * ISO 639-1 language code (`en`, `de`, `zh`, ...).
 *
 * @example
 * ```ts
 * declare const lang: Lang;
 * ```
 */
export type Lang = string;

/**
 * A query (question) in one language.
 *
 * @example
 * ```ts
 * declare const query: Query;
 * query.qid;
 * ```
 */
export interface Query {
  /** Query id, shared across the parallel languages of a dataset. */
  qid: string;
  /** Query text. */
  text: string;
  /** Language of `text`. */
  lang: Lang;
}

/**
 * A retrievable document (a sentence for LAReQA sets, a passage for mMARCO).
 *
 * @example
 * ```ts
 * declare const document: Document;
 * document.docid;
 * ```
 */
export interface Document {
  /** Document id, shared across the parallel languages of a dataset. */
  docid: string;
  /** Document text. */
  text: string;
  /** Language of `text`. */
  lang: Lang;
  /** Id of the group the document belongs to (its paragraph), if any. */
  groupId?: string;
}

/**
 * One relevance judgement, as in a TREC qrels file.
 *
 * @example
 * ```ts
 * declare const qrel: Qrel;
 * qrel.qid;
 * ```
 */
export interface Qrel {
  /** Query id. */
  qid: string;
  /** Document id. */
  docid: string;
  /** Graded relevance; > 0 is relevant. */
  rel: number;
}

/**
 * A training instance in the paper's shape (sentence-transformers MS MARCO recipe).
 *
 * @example
 * ```ts
 * declare const trainingInstance: TrainingInstance;
 * trainingInstance.qid;
 * ```
 */
export interface TrainingInstance {
  /** Query id. */
  qid: string;
  /** Query text. */
  query: string;
  /** Passage id. */
  pid: string;
  /** Passage text. */
  passage: string;
  /** 1 for the positive, 0 for a negative. */
  label: 0 | 1;
}

/**
 * A training instance after code-switching, with the languages that were used.
 *
 * @example
 * ```ts
 * declare const switchedInstance: SwitchedInstance;
 * switchedInstance.queryLangs;
 * ```
 */
export interface SwitchedInstance extends TrainingInstance {
  /** Languages used on the query side (besides English), in order of first use. */
  queryLangs: Lang[];
  /** Languages used on the passage side (besides English), in order of first use. */
  passageLangs: Lang[];
}

/**
 * A TREC field: non-empty, without the bytes trec_eval splits fields at (C `isspace`).
 *
 * @example
 * ```ts
 * TREC_WORD.test("doc-1"); // true
 * TREC_WORD.test("doc 1"); // false
 * ```
 */
export const TREC_WORD = /^[^ \t\n\v\f\r]+$/;
