/**
 * BM25: the lexical index behind the training negatives and the evaluation
 * candidates, and the BM25 baseline run every model re-ranks against.
 *
 * @example
 * ```ts
 * const index = Bm25Index.build([{ id: "d1", text: "the red house" }], { lang: "en" });
 * index.search("red house", 1);
 * ```
 *
 * @module
 */

export { Bm25Index, type Bm25Options } from "./bm25.ts";
export { bm25Run, candidateDocs, paragraphCandidates } from "./candidates.ts";
