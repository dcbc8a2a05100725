/**
 * How stages read the lexicons stage's output: the hashes code-switching is
 * keyed by, and the lexicons themselves, opened once per stage output.
 *
 * @module
 */

import type { Lexicon } from "../../lexicons/mod.ts";
import {
  isSwitchLexicon,
  lexiconId,
  type LexiconSet,
  type LexiconsValue,
  openLexiconSet,
} from "../profile_lexicons/mod.ts";
import type { Lang } from "../util/mod.ts";
import type { StageOutput } from "./stage.ts";

/**
 * The hashes of the EN->X lexicons code-switching reads (`muse/en-<x>`,
 * `titles/en-<x>`): the `lexicons` part of code-switching keys and the manifest.
 */
export function switchLexiconHashes(value: LexiconsValue): Record<string, string> {
  return Object.fromEntries(
    value.summaries.filter(isSwitchLexicon)
      .map((s) => [lexiconId(s), s.hash]),
  );
}

/** The hashes of the prior halves of MUSE, by {@linkcode lexiconId}. */
export function priorLexiconHashes(value: LexiconsValue): Record<string, string> {
  return Object.fromEntries(
    value.summaries.filter((s) => s.kind === "muse-prior").map((s) => [lexiconId(s), s.hash]),
  );
}

/** Every lexicon's hash by {@linkcode lexiconId}. */
export function allLexiconHashes(value: LexiconsValue): Record<string, string> {
  return Object.fromEntries(value.summaries.map((s) => [lexiconId(s), s.hash]));
}

const opened = new WeakMap<object, LexiconSet>();

/** The lexicon set of the lexicons stage's output, opened once per output. */
export function lexiconSetOf(out: StageOutput<LexiconsValue>): LexiconSet {
  let set = opened.get(out.value);
  if (!set) opened.set(out.value, set = openLexiconSet(out.dir!, out.value));
  return set;
}

/** A set's lexicons of one kind and direction for several languages, by language. */
export async function lexiconMap(
  set: LexiconSet,
  langs: readonly Lang[],
  kind: "muse" | "titles",
  direction: "en-x" | "x-en",
): Promise<Map<Lang, Lexicon>> {
  const out = new Map<Lang, Lexicon>();
  for (const l of langs) {
    out.set(
      l,
      await (direction === "en-x" ? set.lexicon("en", l, kind) : set.lexicon(l, "en", kind)),
    );
  }
  return out;
}
