/**
 * Which lexicons a profile needs and where their sources live: MUSE EN->X for
 * the seen languages and X->EN for every evaluation language, entity titles
 * EN->X for the seen languages.
 *
 * @module
 */

import { manifestUnder } from "../../datasets/mod.ts";
import type { Profile } from "../profiles/mod.ts";
import type { Lang } from "../util/mod.ts";

/**
 * Kinds of lexicon the stage builds.
 *
 * @example
 * ```ts
 * const lexiconKind: LexiconKind = "muse";
 * ```
 */
export type LexiconKind = "muse" | "muse-test" | "muse-prior" | "titles";

/**
 * One lexicon a profile needs.
 *
 * @example
 * ```ts
 * declare const lexiconSpec: LexiconSpec;
 * lexiconSpec.kind;
 * ```
 */
export interface LexiconSpec {
  /** What it is built from. */
  kind: LexiconKind;
  /** Source language. */
  source: Lang;
  /** Target language. */
  target: Lang;
}

const SRPRS_EN_DE =
  "https://raw.githubusercontent.com/DexterZeng/CEA/dfdc53e2c4073fbcb9d23bad3dde7a798fe0d81a/data/en_de_15k_V1";
const DBP15K_ZH_EN =
  "https://raw.githubusercontent.com/1049451037/GCN-Align/4fc90c438e5a609b96df03daff170fbcf03fde94/data/zh_en";
const MLAMA =
  "https://raw.githubusercontent.com/GpNico/prompts/042c6c8d0fd629983e31790f6b963ef0191ba68d/data/mlama1.1";

/** Real Wikipedia title alignments by non-English language. */
export const WIKI_ALIGNMENTS: Record<Lang, { base: string; name: string }> = {
  de: { base: SRPRS_EN_DE, name: "SRPRS en_de_15k_V1" },
  zh: { base: DBP15K_ZH_EN, name: "DBP15K zh_en" },
};

/**
 * The lexicons a profile needs: MUSE EN->X for seen languages and X->EN for
 * every evaluation language (with their BLI test splits), titles EN->X for
 * seen languages.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * profileLexiconSpecs(getProfile("xquad-r")).length; // 20
 * ```
 */
export function profileLexiconSpecs(profile: Profile): LexiconSpec[] {
  const seen = profile.seen.filter((l) => l !== "en");
  const all = [...seen, ...profile.unseen.filter((l) => l !== "en")];
  const specs: LexiconSpec[] = [];
  for (const t of seen) specs.push({ kind: "muse", source: "en", target: t });
  for (const s of all) specs.push({ kind: "muse", source: s, target: "en" });
  for (const t of seen) specs.push({ kind: "titles", source: "en", target: t });
  return specs;
}

/** The mLAMA label files (every relation's train/dev JSON lines) of a language. */
export function mlamaUrls(lang: Lang): string[] {
  return manifestUnder(`${MLAMA}/${lang}/`).map((e) => e.url)
    .filter((u) => /\/(train|dev)\.jsonl$/.test(u) && !u.includes("/templates/"));
}

/**
 * The key of a lexicon in a set's summaries and hashes, e.g. `muse/en-de`.
 *
 * @example
 * ```ts
 * lexiconId({ kind: "muse", source: "en", target: "de" }); // "muse/en-de"
 * ```
 */
export function lexiconId(spec: LexiconSpec): string {
  return `${spec.kind}/${spec.source}-${spec.target}`;
}

/**
 * Whether a lexicon is one that code-switching reads: EN->X `muse` (the
 * switching half) or `titles`; never the prior half or a BLI test split.
 *
 * @example
 * ```ts
 * isSwitchLexicon({ kind: "muse-prior", source: "en", target: "de" }); // false
 * ```
 */
export function isSwitchLexicon(spec: LexiconSpec): boolean {
  return spec.source === "en" && (spec.kind === "muse" || spec.kind === "titles");
}
