/**
 * Experiment profiles: the paper's protocol as data. `xquad-r` is the embedded
 * laptop-scale default on mirrored data; `mmarco` is the paper's own setup.
 * Stages read languages, pairs and hyper-parameters from here, never from
 * literals of their own.
 *
 * @module
 */

import type { Lang } from "../datasets/records.ts";
import { OptionError } from "./errors.ts";

/** A (query language, document language) pair. */
export interface LangPair {
  /** Query language. */
  query: Lang;
  /** Document language. */
  doc: Lang;
}

/** Everything that defines one experiment. */
export interface Profile {
  /** Profile name. */
  name: "xquad-r" | "mmarco";
  /** Seen languages: the code-switching targets (English first). */
  seen: Lang[];
  /** Unseen languages: evaluated, never switched into. */
  unseen: Lang[];
  /** CLIR pairs over seen languages (mirroring the paper's). */
  clirSeen: LangPair[];
  /** CLIR pairs that involve unseen languages. */
  clirUnseen: LangPair[];
  /** Code-switching ratio of the headline results. */
  p: number;
  /** Seeds of the reported table. */
  seeds: number[];
  /** Seed for sampling MLIR languages. */
  mlirSeed: number;
  /** Dataset ids for training and evaluation. */
  datasets: { train: string; eval: string[] };
  /** Cutoff of the main metric (MRR@k). */
  cutoff: number;
  /**
   * Typological distance of CLIR pairs (claims 5 and 6): a pair is distant when
   * its two languages belong to different language families.
   */
  distance: { criterion: string; family: Record<Lang, string> };
}

const FAMILY_CRITERION = "query and document languages belong to different language families";
const INDO_EUROPEAN = "Indo-European";

const XQUAD_LANGS = ["ar", "de", "el", "en", "es", "hi", "ru", "th", "tr", "vi", "zh"];

/** The embedded default: SQuAD v1.1 train, XQuAD-R evaluation, MUSE and title lexicons. */
export const XQUAD_R: Profile = {
  name: "xquad-r",
  seen: ["en", "de", "ru", "ar", "es", "zh"],
  unseen: ["el", "hi", "th", "tr", "vi"],
  // The paper's pairs with it -> es and nl -> zh (XQuAD-R has neither it nor nl).
  clirSeen: [
    { query: "en", doc: "de" },
    { query: "en", doc: "es" },
    { query: "en", doc: "ar" },
    { query: "en", doc: "ru" },
    { query: "de", doc: "es" },
    { query: "de", doc: "zh" },
    { query: "de", doc: "ru" },
    { query: "ar", doc: "es" },
    { query: "ar", doc: "ru" },
  ],
  clirUnseen: [
    { query: "en", doc: "el" },
    { query: "en", doc: "hi" },
    { query: "en", doc: "th" },
    { query: "en", doc: "tr" },
    { query: "en", doc: "vi" },
  ],
  p: 0.5,
  seeds: [1, 2, 3, 4, 5],
  mlirSeed: 42,
  datasets: {
    train: "squad/v1.1/train",
    eval: XQUAD_LANGS.map((l) => `xquad-r/${l}`),
  },
  cutoff: 10,
  // Distant seen pairs: en-ar, de-zh, ar-es, ar-ru.
  distance: {
    criterion: FAMILY_CRITERION,
    family: {
      ar: "Afro-Asiatic",
      de: INDO_EUROPEAN,
      el: INDO_EUROPEAN,
      en: INDO_EUROPEAN,
      es: INDO_EUROPEAN,
      hi: INDO_EUROPEAN,
      ru: INDO_EUROPEAN,
      th: "Kra-Dai",
      tr: "Turkic",
      vi: "Austroasiatic",
      zh: "Sino-Tibetan",
    },
  },
};

/** The paper's setup: MS MARCO training triples, mMARCO dev.small evaluation. */
export const MMARCO: Profile = {
  name: "mmarco",
  seen: ["en", "de", "ru", "ar", "nl", "it"],
  unseen: ["fr", "zh", "hi", "id", "ja", "pt", "es", "vi"],
  clirSeen: [
    { query: "en", doc: "de" },
    { query: "en", doc: "it" },
    { query: "en", doc: "ar" },
    { query: "en", doc: "ru" },
    { query: "de", doc: "it" },
    { query: "de", doc: "nl" },
    { query: "de", doc: "ru" },
    { query: "ar", doc: "it" },
    { query: "ar", doc: "ru" },
  ],
  clirUnseen: ["fr", "zh", "hi", "id", "ja", "pt", "es", "vi"].map((l) => ({
    query: "en",
    doc: l,
  })),
  p: 0.5,
  seeds: [1, 2, 3, 4, 5],
  mlirSeed: 42,
  datasets: {
    train: "msmarco-passage/train/triples",
    eval: ["en", "de", "ru", "ar", "nl", "it", "fr", "zh", "hi", "id", "ja", "pt", "es", "vi"]
      .map((l) => `mmarco/v2/${l}/dev/small`),
  },
  cutoff: 10,
  // Distant seen pairs: en-ar, ar-it, ar-ru (the paper's AR-x pairs).
  distance: {
    criterion: FAMILY_CRITERION,
    family: {
      ar: "Afro-Asiatic",
      de: INDO_EUROPEAN,
      en: INDO_EUROPEAN,
      es: INDO_EUROPEAN,
      fr: INDO_EUROPEAN,
      hi: INDO_EUROPEAN,
      id: "Austronesian",
      it: INDO_EUROPEAN,
      ja: "Japonic",
      nl: INDO_EUROPEAN,
      pt: INDO_EUROPEAN,
      ru: INDO_EUROPEAN,
      vi: "Austroasiatic",
      zh: "Sino-Tibetan",
    },
  },
};

/** Looks up a profile by name. */
export function getProfile(name: string): Profile {
  if (name === XQUAD_R.name) return XQUAD_R;
  if (name === MMARCO.name) return MMARCO;
  throw new OptionError("--profile", "one of xquad-r, mmarco", name);
}
