/**
 * TODO
 *
 * @module
 */

export { Bm25Index, type Bm25Options } from "./bm25.ts";
export { bm25Run, candidateDocs, paragraphCandidates } from "./candidates.ts";
