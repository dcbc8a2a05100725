/**
 * The `prior` stage: a cross-lingual prior for the ranker, the analog of
 * multilingual pre-training. The ranker's hashed word and n-gram embeddings
 * are aligned, before any ranking data, on translation pairs from the prior
 * half of the MUSE dictionaries (the half that code-switching, Translate Test
 * and BLI never read), and every model of a run starts from that table.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * declare const priorHalves: import("../../lexicons/mod.ts").Lexicon[];
 * const report = await buildPrior(priorHalves, "/tmp/prior");
 * const table = await loadPrior("/tmp/prior", DEFAULT_CONFIG);
 * ```
 *
 * @module
 */

export {
  type AlignedEmbeddings,
  alignEmbeddings,
  PRIOR_DEFAULTS,
  type PriorOptions,
} from "./align.ts";
export { bliP1 } from "./bli.ts";
export {
  buildPrior,
  loadPrior,
  PRIOR_FILE,
  PRIOR_HELD_OUT,
  priorConfigKey,
  type PriorReport,
} from "./build.ts";
export { type Gold, type PriorPairs, priorPairs } from "./pairs.ts";
