/**
 * The `lexicons` stage: builds every bilingual lexicon a profile needs, with
 * provenance, into the cache, and reports size, vocabulary coverage and BLI.
 *
 * - `muse` lexicons (BL-CS, ML-CS, Translate Test): the full MUSE ground-truth
 *   dictionary of each direction, EN->X for the seen languages and X->EN for
 *   every evaluation language, from the pinned hunalign copy (mirrored).
 *   Code-switching uses each word's first translation (file order).
 * - `muse-test`: a held-out BLI test split of each MUSE dictionary (the
 *   hunalign copy has no split files; see `heldOutSplit`). Its words are also
 *   in the full `muse` lexicon used for switching, so BLI is reported for the
 *   other lexicons (titles, induced), never for `muse` itself.
 * - `titles` lexicons (Wiki-CS): EN->X entity names from mLAMA Wikidata labels,
 *   preceded by real Wikipedia title pairs where mirrored (SRPRS EN-DE,
 *   DBP15K ZH-EN), so a Wikipedia title is a key's first translation; a
 *   parallel-titles file given by the user (e.g. a linguatools `wikititles`
 *   XML, see `readTitleFile`) comes before both.
 *
 * A lexicon whose TSV and sidecar exist with the same inputs hash is reused.
 *
 * @module
 */

import { basename, join, resolve } from "node:path";
import { fileExists, type Lang, OptionError, terms } from "../util/mod.ts";
import {
  fetchDataset,
  type FetchOptions,
  fetchUrl,
  loadSquadExplorer,
  manifestUnder,
  MIRROR_MANIFEST,
  resolveCacheDir,
  sha256File,
} from "../../datasets/mod.ts";
import {
  type BliResult,
  buildTitleLexicon,
  evaluateBli,
  fromArray,
  type HeldOutOptions,
  heldOutSplit,
  induceLexicon,
  joinLabels,
  type Lexicon,
  MUSE_LICENSE,
  museUrl,
  readDbpAlignment,
  readLexicon,
  readLexiconFile,
  readMlamaLabels,
  readMuseDictionary,
  readSidecar,
  readTitleFile,
  readVec,
  type TitleLexiconOptions,
  type TitlePair,
  type VocabularyCoverage,
  vocabularyCoverage,
  writeLexicon,
} from "../../lexicons/mod.ts";
import { getProfile, type Profile } from "../profiles/mod.ts";
import { InputError, keyHash, refuseInputAsOutput } from "../util/mod.ts";

/** Kinds of lexicon the stage builds. */
export type LexiconKind = "muse" | "muse-test" | "titles";

/** One lexicon a profile needs. */
export interface LexiconSpec {
  /** What it is built from. */
  kind: LexiconKind;
  /** Source language. */
  source: Lang;
  /** Target language. */
  target: Lang;
}

/** Options of {@linkcode buildProfileLexicons}. */
export interface LexiconsOptions extends FetchOptions {
  /** Output folder (default `<cache>/lexicons`). */
  out?: string;
  /** Training vocabulary (term -> frequency) for coverage figures. */
  vocabulary?: Map<string, number>;
  /** Held-out BLI split of the MUSE dictionaries. */
  heldOut?: HeldOutOptions;
  /** Cleaning of title lexicons. */
  titles?: TitleLexiconOptions;
  /**
   * Parallel-titles files (XML or TSV, see `readTitleFile`) by non-English
   * language; each is read first into that language's EN->X title lexicon.
   */
  wikititles?: ReadonlyMap<Lang, string>;
  /** Receives one line per lexicon built or reused. */
  log?: (line: string) => void;
}

/** Figures of one lexicon, for the stage's table. */
export interface LexiconSummary extends LexiconSpec {
  /** Path of the TSV. */
  path: string;
  /** Source terms. */
  entries: number;
  /** (source, translation) pairs. */
  pairs: number;
  /** Whether it was reused from an earlier run. */
  cached: boolean;
  /** Data sources, short names. */
  sources: string[];
  /** License of the data. */
  license: string;
  /** Coverage of the training vocabulary, when one was given. */
  coverage?: VocabularyCoverage;
  /** BLI against the held-out MUSE test split of the same direction, where meaningful. */
  bli?: BliResult;
}

/** The lexicons of a profile, loaded on demand. */
export interface LexiconSet {
  /** Figures of every lexicon, in build order. */
  summaries: LexiconSummary[];
  /** Loads a lexicon (cached in memory after the first call). */
  lexicon(source: Lang, target: Lang, kind: LexiconKind): Promise<Lexicon>;
}

const SRPRS_EN_DE =
  "https://raw.githubusercontent.com/DexterZeng/CEA/dfdc53e2c4073fbcb9d23bad3dde7a798fe0d81a/data/en_de_15k_V1";
const DBP15K_ZH_EN =
  "https://raw.githubusercontent.com/1049451037/GCN-Align/4fc90c438e5a609b96df03daff170fbcf03fde94/data/zh_en";
const MLAMA =
  "https://raw.githubusercontent.com/GpNico/prompts/042c6c8d0fd629983e31790f6b963ef0191ba68d/data/mlama1.1";

/** Real Wikipedia title alignments by non-English language. */
const WIKI_ALIGNMENTS: Record<Lang, { base: string; name: string }> = {
  de: { base: SRPRS_EN_DE, name: "SRPRS en_de_15k_V1" },
  zh: { base: DBP15K_ZH_EN, name: "DBP15K zh_en" },
};

const MLAMA_LICENSE = "CC BY-NC-SA 4.0 (mLAMA)";
const WIKITITLES_LICENSE = "CC BY-SA 3.0 (Wikipedia titles)";
const ALIGN_LICENSE = "none stated (DBpedia alignment; DBpedia is CC BY-SA 3.0)";
// Bumped when the build logic changes, so cached lexicons are rebuilt.
const BUILD_VERSION = 1;

/**
 * The lexicons a profile needs: MUSE EN->X for seen languages and X->EN for
 * every evaluation language (with their BLI test splits), titles EN->X for
 * seen languages.
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

interface Input {
  url: string;
  path: string;
  sha256: string;
}

/** Fetches a URL (verified against the mirror manifest where listed) and hashes it. */
async function fetchInput(url: string, opts: FetchOptions): Promise<Input> {
  const known = MIRROR_MANIFEST.get(url);
  const path = await fetchUrl(url, opts, known ? { sha256: known.sha256, size: known.size } : {});
  return { url, path, sha256: known?.sha256 ?? await sha256File(path) };
}

function lexiconPath(out: string, kind: LexiconKind, source: Lang, target: Lang): string {
  return join(out, kind, `${source}-${target}.tsv`);
}

/** True when a finished lexicon with this inputs hash is on disk. */
async function isFresh(path: string, inputsHash: string): Promise<boolean> {
  try {
    const side = await readSidecar(path);
    await Deno.stat(path);
    return side.provenance?.options.inputsHash === inputsHash;
  } catch {
    return false;
  }
}

/**
 * Builds (or reuses) every lexicon of a profile and returns them with their
 * figures.
 *
 * @example
 * ```ts
 * const set = await buildProfileLexicons(getProfile("xquad-r"), { mirror: "../shared/mirror" });
 * const enDe = await set.lexicon("en", "de", "muse");
 * ```
 */
export async function buildProfileLexicons(
  profile: Profile,
  opts: LexiconsOptions = {},
): Promise<LexiconSet> {
  const out = opts.out ?? join(resolveCacheDir(opts.cacheDir), "lexicons");
  const log = opts.log ?? (() => {});
  const heldOut = { size: 1500, salt: "csclir-bli", ...opts.heldOut };
  const titleOpts = { maxNgram: 3, dropStopwordOnly: true, dropIdentical: true, ...opts.titles };
  const summaries: LexiconSummary[] = [];
  const loaded = new Map<string, Lexicon>();
  const labelCache = new Map<Lang, Promise<Map<string, string>>>();
  const labels = (lang: Lang, inputs: Input[]) => {
    let p = labelCache.get(lang);
    if (!p) labelCache.set(lang, p = readMlamaLabels(inputs.map((i) => i.path)));
    return p;
  };

  const record = async (
    spec: LexiconSpec,
    path: string,
    cached: boolean,
    sources: string[],
    license: string,
  ) => {
    const side = await readSidecar(path);
    summaries.push({
      ...spec,
      path,
      entries: side.entries,
      pairs: side.pairs,
      cached,
      sources,
      license,
    });
    log(
      `${
        cached ? "reused" : "built "
      } ${spec.kind} ${spec.source}-${spec.target}: ${side.entries} entries -> ${path}`,
    );
  };

  for (const spec of profileLexiconSpecs(profile)) {
    const { source, target } = spec;
    const path = lexiconPath(out, spec.kind, source, target);
    if (spec.kind === "muse") {
      const url = museUrl(source, target, "hunalign");
      const input = await fetchInput(url, opts);
      const options = { format: "hunalign", heldOut, version: BUILD_VERSION };
      const inputsHash = keyHash({ spec, inputs: [input.sha256], options });
      const testPath = lexiconPath(out, "muse-test", source, target);
      const fresh = await isFresh(path, inputsHash) && await isFresh(testPath, inputsHash);
      if (!fresh) {
        const { lexicon, counts } = await readMuseDictionary(
          input.path,
          source,
          target,
          "hunalign",
        );
        const { test } = heldOutSplit(lexicon, heldOut);
        const provenance = {
          kind: "muse-hunalign",
          inputs: [{ path: url, sha256: input.sha256 }],
          options: { ...options, inputsHash },
          license: MUSE_LICENSE,
        };
        await writeLexicon(path, { ...lexicon, provenance }, { ...counts });
        await writeLexicon(testPath, {
          ...test,
          provenance: { ...provenance, kind: "muse-hunalign-heldout" },
        }, { testWords: test.entries.size });
      }
      await record(spec, path, fresh, ["MUSE (hunalign copy)"], MUSE_LICENSE);
      await record(
        { ...spec, kind: "muse-test" },
        testPath,
        fresh,
        ["MUSE held-out split"],
        MUSE_LICENSE,
      );
      continue;
    }
    // Title lexicons: real Wikipedia titles first, then mLAMA labels.
    const align = WIKI_ALIGNMENTS[target];
    const alignInputs = align
      ? await Promise.all(
        ["ent_ids_1", "ent_ids_2", "ref_ent_ids"].map((f) =>
          fetchInput(`${align.base}/${f}`, opts)
        ),
      )
      : [];
    const srcInputs = await fetchAll(mlamaUrls(source), opts);
    const xInputs = await fetchAll(mlamaUrls(target), opts);
    const wiki = opts.wikititles?.get(target);
    const wikiInputs = wiki ? [{ url: wiki, path: wiki, sha256: await sha256File(wiki) }] : [];
    const inputs = [...wikiInputs, ...alignInputs, ...srcInputs, ...xInputs];
    const options = { ...titleOpts, version: BUILD_VERSION };
    const inputsHash = keyHash({ spec, inputs: inputs.map((i) => i.sha256), options });
    const sources = [
      ...(wiki ? [`wikititles ${basename(wiki)}`] : []),
      ...(align ? [align.name] : []),
      "mLAMA 1.1 Wikidata labels",
    ];
    const license = [
      ...(wiki ? [WIKITITLES_LICENSE] : []),
      ...(align ? [ALIGN_LICENSE] : []),
      MLAMA_LICENSE,
    ].join("; ");
    const fresh = await isFresh(path, inputsHash);
    if (!fresh) {
      const pairSources: AsyncIterable<TitlePair>[] = [];
      if (wiki) pairSources.push(readTitleFile(wiki, source, target));
      if (align) {
        const [ent1, ent2, ref] = alignInputs.map((i) => i.path);
        pairSources.push(fromArray(await readDbpAlignment({ ent1, ent2, ref }, source, target)));
      }
      const joined = joinLabels(await labels(source, srcInputs), await labels(target, xInputs));
      pairSources.push(fromArray(joined));
      const { lexicon, counts } = await buildTitleLexicon(source, target, pairSources, titleOpts);
      await writeLexicon(path, {
        ...lexicon,
        provenance: {
          kind: "titles",
          inputs: inputs.map((i) => ({ path: i.url, sha256: i.sha256 })),
          options: { ...options, inputsHash },
          license,
        },
      }, { ...counts });
    }
    await record(spec, path, fresh, sources, license);
  }

  const set: LexiconSet = {
    summaries,
    async lexicon(source, target, kind) {
      const key = `${kind}/${source}-${target}`;
      let lex = loaded.get(key);
      if (!lex) {
        const s = summaries.find((x) =>
          x.kind === kind && x.source === source && x.target === target
        );
        if (!s) {
          throw new Error(`profile ${profile.name} has no ${kind} lexicon ${source}-${target}`);
        }
        lex = await readLexicon(s.path);
        loaded.set(key, lex);
      }
      return lex;
    },
  };
  for (const s of summaries) {
    if (opts.vocabulary && s.source === "en" && s.kind !== "muse-test") {
      s.coverage = vocabularyCoverage(
        await set.lexicon(s.source, s.target, s.kind),
        opts.vocabulary,
      );
    }
    // BLI is meaningless for the MUSE dictionary that contains its own test split.
    if (
      s.kind === "titles" &&
      summaries.some((x) =>
        x.kind === "muse-test" && x.source === s.source && x.target === s.target
      )
    ) {
      s.bli = evaluateBli(
        await set.lexicon(s.source, s.target, s.kind),
        await set.lexicon(s.source, s.target, "muse-test"),
      );
    }
  }
  return set;
}

async function fetchAll(urls: string[], opts: FetchOptions): Promise<Input[]> {
  const out: Input[] = [];
  for (const u of urls) out.push(await fetchInput(u, opts));
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Renders the stage's table (Markdown). */
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

/** Options of the `lexicons` command. */
export interface LexiconsCliOptions {
  /** Profile name. */
  profile: string;
  /** Mirror folder. */
  mirror?: string;
  /** Never use the network. */
  offline?: boolean;
  /** Cache directory. */
  cacheDir?: string;
  /** Output folder. */
  out?: string;
  /** `lang=file` parallel-titles files (see {@linkcode parseWikititles}). */
  wikititles?: string[];
}

/**
 * Parses `--wikititles lang=file` values: `lang` must be a language the
 * profile builds an EN->X title lexicon for, and the file must exist.
 *
 * @example
 * ```ts
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

/** The `lexicons` command: builds a profile's lexicons and returns the table. */
export async function runLexicons(o: LexiconsCliOptions): Promise<string> {
  const profile = getProfile(o.profile);
  const fetchOpts: FetchOptions = { mirror: o.mirror, offline: o.offline, cacheDir: o.cacheDir };
  const wikititles = await parseWikititles(o.wikititles ?? [], profile);
  const vocabulary = await trainingVocabulary(profile, fetchOpts);
  const set = await buildProfileLexicons(profile, {
    ...fetchOpts,
    out: o.out,
    wikititles,
    vocabulary,
    log: (l) => console.error(l),
  });
  return formatLexiconTable(set.summaries) +
    "\n\nVocabulary coverage: " +
    (vocabulary
      ? `English ${profile.datasets.train} text, ${vocabulary.size} types.`
      : "not available for this profile.") +
    " BLI P@1 (coverage): against the held-out MUSE split of the same direction (muse-test)." +
    " The muse lexicons contain their own test split and are not scored.";
}

/** Options of the `induce` command. */
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
}

/**
 * The `induce` command: a lexicon from cross-lingual word embeddings, as the
 * paper built its BL-CS/ML-CS lexicons; returns a one-paragraph report.
 */
export async function runInduce(o: InduceCliOptions): Promise<string> {
  if (o.method !== "dot" && o.method !== "csls") {
    throw new OptionError("--method", '"dot" or "csls"', o.method);
  }
  const maxTarget = o.maxTarget === undefined ? undefined : Number(o.maxTarget);
  if (maxTarget !== undefined && !(Number.isInteger(maxTarget) && maxTarget > 0)) {
    throw new OptionError("--max-target", "a positive integer", o.maxTarget);
  }
  let vocabulary: Set<string> | undefined;
  if (o.vocabulary !== undefined) {
    const fetchOpts: FetchOptions = { mirror: o.mirror, offline: o.offline, cacheDir: o.cacheDir };
    const counts = await trainingVocabulary(getProfile(o.vocabulary), fetchOpts);
    if (!counts) {
      throw new OptionError("--vocabulary", "a profile with a training vocabulary", o.vocabulary);
    }
    vocabulary = new Set(counts.keys());
  }
  await refuseInputAsOutput(o.out, [
    { option: "--source-vec", path: o.sourceVec },
    { option: "--target-vec", path: o.targetVec },
    ...(o.gold === undefined ? [] : [{ option: "--gold", path: o.gold }]),
  ]);
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
