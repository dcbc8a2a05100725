/**
 * TODO
 *
 * @module
 */

export { DEFAULT_LOCK_FILE, readLock, resolveCacheDir, urlPath } from "./cache.ts";
export { formatCatalogue, getDataset } from "./catalogue.ts";
export { fetchDataset, type FetchOptions, fetchUrl, sha256File } from "./download.ts";
export { type LareqaSet, loadLareqa } from "./lareqa.ts";
export { manifestUnder, MIRROR_MANIFEST } from "./mirror_manifest.ts";
export {
  readCollection,
  readQrels,
  readQueries,
  readTop1000,
  readTriples,
  type TsvSource,
} from "./mmarco.ts";
export {
  loadSquadExplorer,
  parseExplorerPage,
  type SquadParagraph,
  type SquadQuestion,
} from "./squad.ts";
export { fetchAndSummarize } from "./summary.ts";
