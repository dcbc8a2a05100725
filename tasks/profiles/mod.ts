/**
 * Profiles as adapters: the experiment's languages, pairs and
 * hyper-parameters, its scales and measure, and the loaders of its training
 * and evaluation data; plus the rerank sets (MoIR, CLIR, MLIR) built from
 * parallel evaluation sets.
 *
 * @example
 * ```ts
 * import { getProfile, profileSetIds } from "./mod.ts";
 * const profile = getProfile("xquad-r");
 * profileSetIds(profile).length; // 27
 * profile.measure.name; // "RR@10"
 * ```
 *
 * @module
 */

export {
  buildMsmarcoTrainingSet,
  buildTranslatedTrainingSet,
  fetchMmarcoEvalSets,
  fetchMsmarcoTrainingSet,
  fetchTranslatedTrainingSet,
  loadMmarcoEvalSets,
  type MmarcoLangFiles,
  type MsmarcoTrainFiles,
  TOP1000_DEV,
  type TranslatedTrainCounts,
  translatedTrainDataset,
} from "./mmarco_data.ts";
export { crossScript, type Distance, FAMILY_DISTANCE } from "./families.ts";
export { MMARCO } from "./mmarco.ts";
export {
  type DevelopmentData,
  type EvaluationData,
  type LangPair,
  paperClirSeen,
  type Profile,
  type Scale,
  type ScaleName,
} from "./profile.ts";
export { DEFAULT_PROFILE, getProfile, PROFILES } from "./registry.ts";
export {
  type GroupCandidates,
  type ParallelSet,
  profileRerankSets,
  profileSetIds,
  type RerankSet,
  setLanguages,
  type SettingKind,
} from "./rerank_sets.ts";
export { XQUAD_R } from "./xquad_r.ts";
