/**
 * Building a profile's lexicons, with provenance, into one stage-cache
 * directory. {@linkcode lexiconsJob} fetches the inputs and gives the stage's
 * content key (specs, input sha256s, build options) and its build function;
 * the pipeline and the `lexicons` command run it through the one stage cache.
 *
 * - `muse` lexicons (BL-CS, ML-CS, Translate Test): the *switching half* of
 *   the MUSE ground-truth dictionary of each direction from the pinned
 *   hunalign copy (mirrored); see `priorSplit`. Code-switching uses each
 *   word's first translation (file order).
 * - `muse-prior`: the other half, read only by the cross-lingual prior stage.
 * - `muse-test`: a held-out BLI test split of each MUSE dictionary (the
 *   hunalign copy has no split files; see `heldOutSplit`). Its words are also
 *   in the `muse` lexicon used for switching, so BLI is reported for the
 *   other lexicons (titles), never for `muse` itself.
 * - `titles` lexicons (Wiki-CS): EN->X entity names from mLAMA Wikidata labels,
 *   preceded by real Wikipedia title pairs where mirrored (SRPRS EN-DE,
 *   DBP15K ZH-EN), so a Wikipedia title is a key's first translation; a
 *   parallel-titles file given by the user (e.g. a linguatools `wikititles`
 *   XML, see `readTitleFile`) comes before both.
 *
 * @module
 */

import { basename, join } from "node:path";
import {
  type FetchOptions,
  fetchUrl,
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
  joinLabels,
  type Lexicon,
  lexiconHash,
  MUSE_LICENSE,
  museUrl,
  priorSplit,
  readDbpAlignment,
  readLexicon,
  readMlamaLabels,
  readMuseDictionary,
  readSidecar,
  readTitleFile,
  type TitleLexiconOptions,
  type TitlePair,
  type VocabularyCoverage,
  writeLexicon,
} from "../../lexicons/mod.ts";
import type { Profile } from "../profiles/mod.ts";
import { cachedStage, type Lang } from "../util/mod.ts";
import {
  lexiconId,
  type LexiconKind,
  type LexiconSpec,
  mlamaUrls,
  profileLexiconSpecs,
  WIKI_ALIGNMENTS,
} from "./specs.ts";

/**
 * Stage-cache namespace of the lexicons.
 *
 * @example
 * ```ts
 * const root = "/tmp/cache/stages";
 * const dir = `${root}/${LEXICONS_CACHE}`; // where every lexicons build lives
 * ```
 */
export const LEXICONS_CACHE = "lexicons";

/**
 * Options of {@linkcode lexiconsJob}.
 *
 * @example
 * ```ts
 * declare const lexiconsOptions: LexiconsOptions;
 * lexiconsOptions.heldOut;
 * ```
 */
export interface LexiconsOptions extends FetchOptions {
  /** Held-out BLI split of the MUSE dictionaries. */
  heldOut?: HeldOutOptions;
  /** Cleaning of title lexicons. */
  titles?: TitleLexiconOptions;
  /**
   * Parallel-titles files (XML or TSV, see `readTitleFile`) by non-English
   * language; each is read first into that language's EN->X title lexicon.
   */
  wikititles?: ReadonlyMap<Lang, string>;
}

/**
 * Figures of one lexicon, stored in the stage's `stage.json`.
 *
 * @example
 * ```ts
 * declare const lexiconSummary: LexiconSummary;
 * lexiconSummary.file;
 * ```
 */
export interface LexiconSummary extends LexiconSpec {
  /** Path of the TSV inside the stage directory. */
  file: string;
  /** Content hash ({@linkcode lexiconHash}). */
  hash: string;
  /** Source terms. */
  entries: number;
  /** (source, translation) pairs. */
  pairs: number;
  /** Data sources, short names. */
  sources: string[];
  /** License of the data. */
  license: string;
  /** Coverage of a training vocabulary (filled in by the `lexicons` command). */
  coverage?: VocabularyCoverage;
  /** BLI against the held-out MUSE test split of the same direction, where meaningful. */
  bli?: BliResult;
}

/**
 * The value of the lexicons stage.
 *
 * @example
 * ```ts
 * declare const lexiconsValue: LexiconsValue;
 * lexiconsValue.summaries;
 * ```
 */
export interface LexiconsValue {
  /** Figures of every lexicon, in build order. */
  summaries: LexiconSummary[];
}

/**
 * The lexicons of a profile in a stage directory, loaded on demand.
 *
 * @example
 * ```ts
 * declare const lexiconSet: LexiconSet;
 * lexiconSet.dir;
 * ```
 */
export interface LexiconSet {
  /** The stage directory. */
  dir: string;
  /** Figures of every lexicon, in build order. */
  summaries: LexiconSummary[];
  /** Loads a lexicon (cached in memory after the first call). */
  lexicon(source: Lang, target: Lang, kind: LexiconKind): Promise<Lexicon>;
}

/**
 * The lexicons stage before it runs: its content key and its build.
 *
 * @example
 * ```ts
 * declare const lexiconsJob: LexiconsJob;
 * lexiconsJob.key;
 * ```
 */
export interface LexiconsJob {
  /** Everything the lexicons depend on: specs, input sha256s, build options. */
  key: unknown;
  /** Builds every lexicon into `dir`; `log` gets one line per lexicon. */
  build(dir: string, log?: (line: string) => void): Promise<LexiconsValue>;
}

const MLAMA_LICENSE = "CC BY-NC-SA 4.0 (mLAMA)";
const WIKITITLES_LICENSE = "CC BY-SA 3.0 (Wikipedia titles)";
const ALIGN_LICENSE = "none stated (DBpedia alignment; DBpedia is CC BY-SA 3.0)";
// Bumped when the build logic changes, so cached lexicons are rebuilt.
const BUILD_VERSION = 2;

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

async function fetchAll(urls: string[], opts: FetchOptions): Promise<Input[]> {
  const out: Input[] = [];
  for (const u of urls) out.push(await fetchInput(u, opts));
  return out;
}

const fileOf = (s: LexiconSpec) => `${s.kind}/${s.source}-${s.target}.tsv`;

/** One lexicon's inputs, options and writer (which may also write its held-out split). */
interface Part {
  spec: LexiconSpec;
  inputs: Input[];
  options: Record<string, unknown>;
  sources: string[];
  license: string;
  write(dir: string): Promise<void>;
}

function musePart(spec: LexiconSpec, input: Input, heldOut: HeldOutOptions): Part {
  const { source, target } = spec;
  const options = { format: "hunalign", heldOut, version: BUILD_VERSION };
  return {
    spec,
    inputs: [input],
    options,
    sources: ["MUSE (hunalign copy)"],
    license: MUSE_LICENSE,
    async write(dir) {
      const read = await readMuseDictionary(input.path, source, target, "hunalign");
      // Half of the dictionary is kept for the cross-lingual prior, half for everything else.
      const { prior, switching: lexicon } = priorSplit(read.lexicon);
      // Counts describe the whole file; each half's sidecar counts its own pairs.
      const counts = read.counts;
      const { test } = heldOutSplit(lexicon, heldOut);
      const provenance = {
        kind: "muse-hunalign",
        inputs: [{ path: input.url, sha256: input.sha256 }],
        options,
        license: MUSE_LICENSE,
      };
      await writeLexicon(join(dir, fileOf(spec)), { ...lexicon, provenance }, { ...counts });
      await writeLexicon(join(dir, fileOf({ ...spec, kind: "muse-prior" })), {
        ...prior,
        provenance: { ...provenance, kind: "muse-hunalign-prior" },
      }, { ...counts });
      await writeLexicon(join(dir, fileOf({ ...spec, kind: "muse-test" })), {
        ...test,
        provenance: { ...provenance, kind: "muse-hunalign-heldout" },
      }, { testWords: test.entries.size });
    },
  };
}

async function titlesPart(
  spec: LexiconSpec,
  opts: LexiconsOptions,
  titleOpts: TitleLexiconOptions,
  labels: (lang: Lang, inputs: Input[]) => Promise<Map<string, string>>,
): Promise<Part> {
  const { source, target } = spec;
  // Real Wikipedia titles first, then mLAMA labels.
  const align = WIKI_ALIGNMENTS[target];
  const alignInputs = align
    ? await fetchAll(
      ["ent_ids_1", "ent_ids_2", "ref_ent_ids"].map((f) => `${align.base}/${f}`),
      opts,
    )
    : [];
  const srcInputs = await fetchAll(mlamaUrls(source), opts);
  const xInputs = await fetchAll(mlamaUrls(target), opts);
  const wiki = opts.wikititles?.get(target);
  const wikiInputs = wiki ? [{ url: wiki, path: wiki, sha256: await sha256File(wiki) }] : [];
  const inputs = [...wikiInputs, ...alignInputs, ...srcInputs, ...xInputs];
  const options = { ...titleOpts, version: BUILD_VERSION };
  const license = [
    ...(wiki ? [WIKITITLES_LICENSE] : []),
    ...(align ? [ALIGN_LICENSE] : []),
    MLAMA_LICENSE,
  ].join("; ");
  return {
    spec,
    inputs,
    options,
    sources: [
      ...(wiki ? [`wikititles ${basename(wiki)}`] : []),
      ...(align ? [align.name] : []),
      "mLAMA 1.1 Wikidata labels",
    ],
    license,
    async write(dir) {
      const pairSources: AsyncIterable<TitlePair>[] = [];
      if (wiki) pairSources.push(readTitleFile(wiki, source, target));
      if (align) {
        const [ent1, ent2, ref] = alignInputs.map((i) => i.path);
        pairSources.push(fromArray(await readDbpAlignment({ ent1, ent2, ref }, source, target)));
      }
      const joined = joinLabels(await labels(source, srcInputs), await labels(target, xInputs));
      pairSources.push(fromArray(joined));
      const { lexicon, counts } = await buildTitleLexicon(source, target, pairSources, titleOpts);
      await writeLexicon(join(dir, fileOf(spec)), {
        ...lexicon,
        provenance: {
          kind: "titles",
          inputs: inputs.map((i) => ({ path: i.url, sha256: i.sha256 })),
          options,
          license,
        },
      }, { ...counts });
    },
  };
}

/**
 * Fetches the inputs of a profile's lexicons and returns the stage's content
 * key and build function.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const job = await lexiconsJob(getProfile("xquad-r"), { mirror: "../shared/mirror", offline: true });
 * const value = await job.build(await Deno.makeTempDir());
 * value.summaries[0].hash;
 * ```
 */
export async function lexiconsJob(
  profile: Profile,
  opts: LexiconsOptions = {},
): Promise<LexiconsJob> {
  const heldOut = { size: 1500, salt: "csclir-bli", ...opts.heldOut };
  const titleOpts = { maxNgram: 3, dropStopwordOnly: true, dropIdentical: true, ...opts.titles };
  const labelCache = new Map<Lang, Promise<Map<string, string>>>();
  const labels = (lang: Lang, inputs: Input[]) => {
    let p = labelCache.get(lang);
    if (!p) labelCache.set(lang, p = readMlamaLabels(inputs.map((i) => i.path)));
    return p;
  };
  const parts: Part[] = [];
  for (const spec of profileLexiconSpecs(profile)) {
    parts.push(
      spec.kind === "muse"
        ? musePart(
          spec,
          await fetchInput(museUrl(spec.source, spec.target, "hunalign"), opts),
          heldOut,
        )
        : await titlesPart(spec, opts, titleOpts, labels),
    );
  }
  return {
    key: {
      v: BUILD_VERSION,
      lexicons: parts.map((p) => ({
        spec: p.spec,
        inputs: p.inputs.map((i) => i.sha256),
        options: p.options,
      })),
    },
    async build(dir, log = () => {}) {
      const summaries: LexiconSummary[] = [];
      const summarise = async (spec: LexiconSpec, sources: string[], license: string) => {
        const file = fileOf(spec);
        const path = join(dir, file);
        const side = await readSidecar(path);
        // Hashed as read back, the form every later stage sees.
        const hash = lexiconHash(await readLexicon(path));
        summaries.push({
          ...spec,
          file,
          hash,
          entries: side.entries,
          pairs: side.pairs,
          sources,
          license,
        });
        log(`built ${lexiconId(spec)}: ${side.entries} entries`);
      };
      for (const p of parts) {
        await p.write(dir);
        await summarise(p.spec, p.sources, p.license);
        if (p.spec.kind === "muse") {
          await summarise({ ...p.spec, kind: "muse-test" }, ["MUSE held-out split"], p.license);
          await summarise({ ...p.spec, kind: "muse-prior" }, ["MUSE prior half"], p.license);
        }
      }
      const set = openLexiconSet(dir, { summaries });
      // BLI is meaningless for the MUSE dictionary that contains its own test split.
      for (const s of summaries.filter((s) => s.kind === "titles")) {
        if (
          !summaries.some((x) =>
            x.kind === "muse-test" && x.source === s.source && x.target === s.target
          )
        ) continue;
        s.bli = evaluateBli(
          await set.lexicon(s.source, s.target, s.kind),
          await set.lexicon(s.source, s.target, "muse-test"),
        );
      }
      return { summaries };
    },
  };
}

/**
 * The lexicons of a stage directory and its value.
 *
 * @example
 * ```ts
 * declare const dir: string, value: LexiconsValue;
 * const enDe = await openLexiconSet(dir, value).lexicon("en", "de", "muse");
 * ```
 */
export function openLexiconSet(dir: string, value: LexiconsValue): LexiconSet {
  const loaded = new Map<string, Promise<Lexicon>>();
  return {
    dir,
    summaries: value.summaries,
    lexicon(source, target, kind) {
      const id = lexiconId({ kind, source, target });
      let lex = loaded.get(id);
      if (!lex) {
        const s = value.summaries.find((x) => lexiconId(x) === id);
        if (!s) {
          return Promise.reject(new Error(`no ${kind} lexicon ${source}-${target} in ${dir}`));
        }
        loaded.set(id, lex = readLexicon(join(dir, s.file)));
      }
      return lex;
    },
  };
}

/**
 * Builds a profile's lexicons through the stage cache (`<cache>/stages/lexicons/`),
 * or reuses them when a build with the same key is there.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * const { set, cached } = await profileLexicons(getProfile("xquad-r"), { mirror: "../shared/mirror", offline: true });
 * await set.lexicon("en", "de", "muse");
 * ```
 */
export async function profileLexicons(
  profile: Profile,
  opts: LexiconsOptions & { log?: (line: string) => void } = {},
): Promise<{ set: LexiconSet; cached: boolean }> {
  const job = await lexiconsJob(profile, opts);
  const root = join(resolveCacheDir(opts.cacheDir), "stages");
  const r = await cachedStage(root, LEXICONS_CACHE, job.key, (dir) => job.build(dir, opts.log), {
    log: opts.log,
  });
  if (r.adopted) {
    (opts.log ?? console.error)("adopted 1 cached stage written before output verification");
  }
  return { set: openLexiconSet(r.dir, r.value), cached: r.cached };
}
