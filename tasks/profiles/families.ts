/**
 * Language families of every language a profile evaluates: the declared
 * criterion of "typologically distant" pairs in the claims (a pair is distant
 * when its two languages belong to different families, so en-ar is distant and
 * en-ru is not).
 *
 * @module
 */

import type { Lang } from "../util/mod.ts";

/**
 * How a profile calls a CLIR pair distant, with the data the criterion reads.
 *
 * @example
 * ```ts
 * const d: Distance = { criterion: "different scripts", family: { en: "Latin", ru: "Cyrillic" } };
 * ```
 */
export interface Distance {
  /** The criterion in words (printed with the claims). */
  criterion: string;
  /** Language family per language. */
  family: Readonly<Record<Lang, string>>;
}

const INDO_EUROPEAN = "Indo-European";

/**
 * Pairs are distant when query and document languages belong to different
 * language families (Glottolog top-level families).
 *
 * @example
 * ```ts
 * import { FAMILY_DISTANCE } from "./families.ts";
 * FAMILY_DISTANCE.family.ar; // "Afro-Asiatic"
 * ```
 */
export const FAMILY_DISTANCE: Distance = {
  criterion: "query and document languages belong to different language families",
  family: {
    ar: "Afro-Asiatic",
    de: INDO_EUROPEAN,
    el: INDO_EUROPEAN,
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
    th: "Kra-Dai",
    tr: "Turkic",
    vi: "Austroasiatic",
    zh: "Sino-Tibetan",
  },
};

/** The script each language of the profiles is written in. */
const SCRIPT: Readonly<Record<string, string>> = {
  ar: "arab",
  de: "latn",
  el: "grek",
  en: "latn",
  es: "latn",
  hi: "deva",
  it: "latn",
  nl: "latn",
  ru: "cyrl",
  th: "thai",
  tr: "latn",
  vi: "latn",
  zh: "hani",
};

/**
 * Whether a pair label `q-d` joins languages written in different scripts
 * (where a ranker can match no shared strings).
 *
 * @example
 * ```ts
 * crossScript("en-ar"); // true
 * crossScript("de-es"); // false
 * ```
 */
export function crossScript(pair: string): boolean {
  const [q, d] = pair.split("-");
  return d !== undefined && SCRIPT[q] !== undefined && SCRIPT[d] !== undefined &&
    SCRIPT[q] !== SCRIPT[d];
}
