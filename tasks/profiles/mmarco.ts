/**
 * The paper's own setup as a profile: MS MARCO training triples, mMARCO v2
 * dev.small evaluation re-ranking the official top1000 candidates.
 *
 * @module
 */

import { MMARCO_LANGS } from "../../datasets/mod.ts";
import { parseMeasure } from "../evaluate/mod.ts";
import {
  fetchMmarcoEvalSets,
  fetchMsmarcoTrainingSet,
  fetchTranslatedTrainingSet,
  translatedTrainDataset,
} from "./mmarco_data.ts";
import { FAMILY_DISTANCE } from "./families.ts";
import { paperClirSeen, type Profile } from "./profile.ts";

const SEEN = ["en", "de", "ru", "ar", "nl", "it"];

/**
 * The paper's setup: MS MARCO training triples, mMARCO dev.small evaluation.
 *
 * @example
 * ```ts
 * MMARCO.name;
 * ```
 */
export const MMARCO: Profile = {
  name: "mmarco",
  seen: SEEN,
  unseen: Object.keys(MMARCO_LANGS).filter((l) => !SEEN.includes(l)),
  clirSeen: paperClirSeen(),
  clirUnseen: Object.keys(MMARCO_LANGS).filter((l) => !SEEN.includes(l))
    .map((doc) => ({ query: "en", doc })),
  p: 0.5,
  seeds: [1, 2, 3, 4, 5],
  mlirSeed: 42,
  dataSeed: 1,
  datasets: {
    train: "msmarco-passage/train/triples",
    eval: Object.keys(MMARCO_LANGS).map((l) => `mmarco/v2/${l}/dev/small`),
  },
  // Distant seen pairs: en-ar, ar-it, ar-ru (the paper's AR-x pairs).
  distance: FAMILY_DISTANCE,
  measure: parseMeasure("RR@10"),
  // The paper trains on 20M instances on a GPU; this is what a CPU run can afford.
  scales: {
    full: {
      name: "full",
      trainSize: 200_000,
      epochs: 1,
      candidates: 100,
      evalQueries: 1_000,
      ablationSeeds: 5,
    },
    quick: {
      name: "quick",
      trainSize: 5_000,
      epochs: 1,
      candidates: 20,
      evalQueries: 50,
      sets: ["moir/en", "moir/de", "clir/en-de", "mlir/seen"],
      blcsPairs: [{ query: "en", doc: "de" }],
      ablationSeeds: 1,
      // A smoke run's prior: a tenth of an epoch.
      priorEpochs: 0.1,
    },
  },
  async loadEvaluation(scale, langs, fetch) {
    const { sets, candidates } = await fetchMmarcoEvalSets(this, fetch, {
      langs,
      maxQueries: scale.evalQueries,
      depth: scale.candidates,
      order: "bm25",
    });
    return { sets, cands: candidates };
  },
  buildTrainingSet(scale, out, fetch) {
    return fetchMsmarcoTrainingSet(this, out, fetch, { maxTriples: scale.trainSize });
  },
  // Fine-tuning: the same records with mMARCO's translated queries and passages.
  translatedTraining: {
    datasets: (langs) => langs.filter((l) => l !== "en").map(translatedTrainDataset),
    build: fetchTranslatedTrainingSet,
  },
};
