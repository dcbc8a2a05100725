/**
 * The `lexicons` and `induce` commands: a profile's lexicons with their
 * figures (size, vocabulary coverage, BLI), and a lexicon induced from
 * cross-lingual word embeddings.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  fetchDataset,
  type FetchOptions,
  loadSquadExplorer,
  sha256File,
} from "../../datasets/mod.ts";
import {
  evaluateBli,
  induceLexicon,
  isLexiconFile,
  readLexiconFile,
  readVec,
  vocabularyCoverage,
  writeLexicon,
} from "../../lexicons/mod.ts";
import { getProfile, type Profile } from "../profiles/mod.ts";
import {
  fileExists,
  guardExisting,
  InputError,
  type Lang,
  OptionError,
  parseIntOption,
  refuseInputAsOutput,
  terms,
} from "../util/mod.ts";
import { isSwitchLexicon } from "./specs.ts";
import { type LexiconSummary, profileLexicons } from "./build.ts";
import { profileLexiconSpecs } from "./specs.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Renders the stage's table (Markdown).
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * import { profileLexicons } from "./build.ts";
 * const { set } = await profileLexicons(getProfile("xquad-r"), { mirror: "../shared/mirror", offline: true });
 * console.log(formatLexiconTable(set.summaries));
 * ```
 */
export function formatLexiconTable(summaries: LexiconSummary[]): string {
  const rows = [
    "| lexicon | pair | entries | pairs | vocab types | vocab tokens | BLI P@1 (coverage) | source | license |",
    "|---|---|---:|---:|---:|---:|---:|---|---|",
  ];
  for (const s of summaries) {
    const c = s.coverage;
    const types = c ? pct(c.typesCovered / Math.max(1, c.types)) : "—";
    const tokens = c ? pct(c.tokensCovered / Math.max(1, c.tokens)) : "—";
    const bli = s.bli ? `${pct(s.bli.p1)} (${pct(s.bli.coverage)})` : "—";
    rows.push(
      `| ${s.kind} | ${s.source}-${s.target} | ${s.entries} | ${s.pairs} | ${types} | ${tokens} | ${bli} | ${
        s.sources.join(" + ")
      } | ${s.license} |`,
    );
  }
  return rows.join("\n");
}

/**
 * The training vocabulary of a profile (lower-cased term -> frequency over
 * every paragraph and question of its English training text); only SQuAD
 * train (the `xquad-r` profile) is supported, other profiles give undefined.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const vocab = await trainingVocabulary(getProfile("xquad-r"), { mirror: "../shared/mirror" });
 * vocab?.get("the");
 * ```
 */
export async function trainingVocabulary(
  profile: Profile,
  opts: FetchOptions,
): Promise<Map<string, number> | undefined> {
  if (profile.datasets.train !== "squad/v1.1/train") return undefined;
  const set = await loadSquadExplorer(await fetchDataset(profile.datasets.train, opts));
  const vocab = new Map<string, number>();
  const add = (text: string) => {
    for (const t of terms(text, "en")) vocab.set(t, (vocab.get(t) ?? 0) + 1);
  };
  for (const p of set.paragraphs) add(p.text);
  for (const q of set.questions) add(q.text);
  return vocab;
}

/**
 * Options of the `lexicons` command.
 *
 * @example
 * ```ts
 * declare const lexiconsCliOptions: LexiconsCliOptions;
 * lexiconsCliOptions.profile;
 * ```
 */
export interface LexiconsCliOptions {
  /** Profile name. */
  profile: string;
  /** Mirror folder. */
  mirror?: string;
  /** Never use the network. */
  offline?: boolean;
  /** Cache directory. */
  cacheDir?: string;
  /** `lang=file` parallel-titles files (see {@linkcode parseWikititles}). */
  wikititles?: string[];
}

/**
 * Parses `--wikititles lang=file` values: `lang` must be a language the
 * profile builds an EN->X title lexicon for, and the file must exist.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * await parseWikititles(["de=wikititles-de-en.xml.gz"], getProfile("xquad-r"));
 * ```
 */
export async function parseWikititles(
  values: readonly string[],
  profile: Profile,
): Promise<Map<Lang, string>> {
  const langs = profileLexiconSpecs(profile).filter((s) => s.kind === "titles").map((s) =>
    s.target
  );
  const out = new Map<Lang, string>();
  for (const v of values) {
    const m = /^([a-z]{2,3})=(.+)$/.exec(v);
    if (!m || !langs.includes(m[1] as Lang) || out.has(m[1] as Lang)) {
      throw new OptionError(
        "--wikititles",
        `lang=file, lang one of ${langs.join(", ")}, each once`,
        v,
      );
    }
    if (!(await fileExists(m[2]))) throw new OptionError("--wikititles", "an existing file", m[2]);
    out.set(m[1] as Lang, resolve(m[2]));
  }
  return out;
}

/**
 * The `lexicons` command: builds a profile's lexicons and returns the table.
 *
 * @example
 * ```ts
 * console.log(await runLexicons({ profile: "xquad-r", mirror: "../shared/mirror", offline: true }));
 * ```
 */
export async function runLexicons(o: LexiconsCliOptions): Promise<string> {
  const profile = getProfile(o.profile);
  const fetchOpts: FetchOptions = { mirror: o.mirror, offline: o.offline, cacheDir: o.cacheDir };
  const wikititles = await parseWikititles(o.wikititles ?? [], profile);
  const vocabulary = await trainingVocabulary(profile, fetchOpts);
  const { set, cached } = await profileLexicons(profile, {
    ...fetchOpts,
    wikititles,
    log: (l) => console.error(l),
  });
  if (vocabulary) {
    for (const s of set.summaries.filter(isSwitchLexicon)) {
      s.coverage = vocabularyCoverage(await set.lexicon(s.source, s.target, s.kind), vocabulary);
    }
  }
  return formatLexiconTable(set.summaries) +
    `\n\nLexicons ${cached ? "reused from" : "built into"} ${set.dir}.` +
    "\nVocabulary coverage: " +
    (vocabulary
      ? `English ${profile.datasets.train} text, ${vocabulary.size} types.`
      : "not available for this profile.") +
    " BLI P@1 (coverage): against the held-out MUSE split of the same direction (muse-test)." +
    " The muse lexicons contain their own test split and are not scored.";
}

/**
 * Options of the `induce` command.
 *
 * @example
 * ```ts
 * declare const induceCliOptions: InduceCliOptions;
 * induceCliOptions.source;
 * ```
 */
export interface InduceCliOptions {
  /** Source language. */
  source: Lang;
  /** Target language. */
  target: Lang;
  /** Source `.vec` file. */
  sourceVec: string;
  /** Target `.vec` file. */
  targetVec: string;
  /** Output lexicon TSV (a JSON sidecar is written beside it). */
  out: string;
  /** `dot` (the paper) or `csls`. */
  method: string;
  /** Keep only source words of this profile's training vocabulary. */
  vocabulary?: string;
  /** Use only the N most frequent target words. */
  maxTarget?: string;
  /** A gold lexicon TSV (e.g. a MUSE test split) to report BLI P@1 against. */
  gold?: string;
  /** Mirror folder (for the vocabulary's dataset). */
  mirror?: string;
  /** Never use the network. */
  offline?: boolean;
  /** Cache directory. */
  cacheDir?: string;
  /** Replace an existing `out` that is not a lexicon with its sidecar. */
  force?: boolean;
}

/**
 * The `induce` command: a lexicon from cross-lingual word embeddings, as the
 * paper built its BL-CS/ML-CS lexicons; returns a one-paragraph report.
 *
 * @example
 * ```ts
 * const report = await runInduce({
 *   source: "en",
 *   target: "de",
 *   sourceVec: "wiki.multi.en.vec",
 *   targetVec: "wiki.multi.de.vec",
 *   out: "en-de.tsv",
 *   method: "csls",
 * });
 * ```
 */
export async function runInduce(o: InduceCliOptions): Promise<string> {
  if (o.method !== "dot" && o.method !== "csls") {
    throw new OptionError("--method", '"dot" or "csls"', o.method);
  }
  const maxTarget = parseIntOption("--max-target", o.maxTarget, { min: 1 });
  await refuseInputAsOutput(o.out, [
    { option: "--source-vec", path: o.sourceVec },
    { option: "--target-vec", path: o.targetVec },
    ...(o.gold === undefined ? [] : [{ option: "--gold", path: o.gold }]),
  ]);
  await guardExisting(o.out, {
    what: "lexicon with its .json sidecar",
    isOwn: isLexiconFile,
    force: o.force,
  });
  let vocabulary: Set<string> | undefined;
  if (o.vocabulary !== undefined) {
    const fetchOpts: FetchOptions = { mirror: o.mirror, offline: o.offline, cacheDir: o.cacheDir };
    const counts = await trainingVocabulary(getProfile(o.vocabulary), fetchOpts);
    if (!counts) {
      throw new OptionError("--vocabulary", "a profile with a training vocabulary", o.vocabulary);
    }
    vocabulary = new Set(counts.keys());
  }
  const src = await readVec(o.sourceVec, { vocabulary });
  const tgt = await readVec(o.targetVec, { maxWords: maxTarget });
  if (src.embeddings.dim !== tgt.embeddings.dim) {
    throw new InputError(
      o.targetVec,
      1,
      `has ${tgt.embeddings.dim}-dimensional vectors but ${o.sourceVec} has ` +
        `${src.embeddings.dim}; give embeddings of one aligned space (e.g. MUSE wiki.multi.*.vec)`,
    );
  }
  const lex = await induceLexicon(o.source, o.target, src.embeddings, tgt.embeddings, {
    method: o.method,
  });
  const [srcHash, tgtHash] = await Promise.all([sha256File(o.sourceVec), sha256File(o.targetVec)]);
  lex.provenance = {
    kind: `induced-${o.method}`,
    inputs: [{ path: o.sourceVec, sha256: srcHash }, { path: o.targetVec, sha256: tgtHash }],
    options: { method: o.method, vocabulary: o.vocabulary ?? null, maxTarget: maxTarget ?? null },
    license: "that of the embeddings",
  };
  await writeLexicon(o.out, lex, {
    sourceWords: src.embeddings.words.length,
    targetWords: tgt.embeddings.words.length,
    malformedSourceLines: src.report.malformed,
    malformedTargetLines: tgt.report.malformed,
  });
  let report = `${o.source}-${o.target} (${o.method}): ${lex.entries.size} entries from ` +
    `${src.embeddings.words.length} source and ${tgt.embeddings.words.length} target words; ` +
    `malformed lines skipped: ${src.report.malformed} source, ${tgt.report.malformed} target. ` +
    `Written to ${o.out}.`;
  if (o.gold !== undefined) {
    const bli = evaluateBli(lex, await readLexiconFile(o.gold, o.source, o.target));
    report += ` BLI P@1 against ${o.gold}: ${(100 * bli.p1).toFixed(2)}% ` +
      `(${bli.correct}/${bli.testWords}; coverage ${bli.covered}).`;
  }
  return report;
}
