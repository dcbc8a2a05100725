/**
 * TODO
 *
 * @module
 */

export {
  buildMsmarcoTrainingSet,
  fetchMmarcoEvalSets,
  fetchMsmarcoTrainingSet,
  loadMmarcoEvalSets,
  type MmarcoLangFiles,
  type MsmarcoTrainFiles,
  TOP1000_DEV,
} from "./mmarco_data.ts";
export { getProfile, type LangPair, MMARCO, type Profile, XQUAD_R } from "./profile.ts";
export {
  type GroupCandidates,
  type ParallelSet,
  profileTaskIds,
  profileTasks,
  type RetrievalTask,
  taskLanguages,
} from "./rerank_sets.ts";
