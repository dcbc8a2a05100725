/**
 * Datasets: the catalogue, sha256-verified downloads into the cache (or from
 * an offline mirror), and the loaders of SQuAD, LAReQA (XQuAD-R) and mMARCO files.
 *
 * @example
 * ```ts
 * const files = await fetchDataset("xquad-r/de", { mirror: "../shared/mirror", offline: true });
 * const set = await loadLareqa(files.data, "de", "position");
 * set.queries.length;
 * ```
 *
 * @module
 */

export { DEFAULT_LOCK_FILE, readLock, resolveCacheDir, urlPath } from "./cache.ts";
export {
  formatCatalogue,
  getDataset,
  MLQA_R_LANGS,
  MMARCO_LANGS,
  XQUAD_R_LANGS,
} from "./catalogue.ts";
export { fetchDataset, type FetchOptions, fetchUrl } from "./download.ts";
export { sha256File } from "../tasks/util/mod.ts";
export { type LareqaSet, loadLareqa } from "./lareqa.ts";
export { manifestUnder, MIRROR_MANIFEST } from "./mirror_manifest.ts";
export {
  readCollection,
  readQrels,
  readQueries,
  readTop1000,
  readTriples,
  type TsvSource,
  tsvSourceName,
} from "./mmarco.ts";
export {
  loadSquadExplorer,
  parseExplorerPage,
  type SquadParagraph,
  type SquadQuestion,
} from "./squad.ts";
export { fetchAndSummarize } from "./summary.ts";
