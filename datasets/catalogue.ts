/**
 * The dataset catalogue: every dataset id names its files (pinned URL, sha256
 * and size where published), its license, its citation and the loader that
 * reads it. Mirrored files take their hashes from the mirror manifest; the
 * paper's large files (mMARCO, MS MARCO) have none published, so their hashes
 * are pinned in `datasets/sha256.lock.json` on first download.
 *
 * @module
 */

import { type Lang, OptionError } from "../tasks/util/mod.ts";
import { manifestUnder, MIRROR_MANIFEST } from "./mirror_manifest.ts";

/** One file of a dataset. */
export interface RemoteFile {
  /** Name of the file within its dataset (the key of `fetchDataset`'s result). */
  name: string;
  /** Canonical download URL (pinned to a commit where the host allows it). */
  url: string;
  /** Published sha256, if any (otherwise pinned in the lock file on first download). */
  sha256?: string;
  /** Size in bytes, if known. */
  size?: number;
}

/** Which loader reads a dataset. */
export type LoaderKind =
  | "lareqa"
  | "squad-explorer"
  | "mmarco-dev"
  | "mmarco-train"
  | "msmarco-top1000"
  | "msmarco-triples";

/** One catalogue entry. */
export interface DatasetEntry {
  /** Dataset id, e.g. `xquad-r/de`; the part before the first `/` is its group. */
  id: string;
  /** Language of the dataset's text, for single-language datasets. */
  lang?: Lang;
  /** One-line description. */
  description: string;
  /** The files to download. */
  files: RemoteFile[];
  /** License of the data. */
  license: string;
  /** Citation (BibTeX key style: authors, year, venue). */
  citation: string;
  /** Loader that reads the files. */
  loader: LoaderKind;
  /** Published record counts the loader's output must match. */
  counts?: Record<string, number>;
}

const GH = "https://raw.githubusercontent.com";
const LAREQA_XQUAD =
  `${GH}/google-research-datasets/lareqa/9bc8c7fb6dd8d01d72a05a93c2cb96882b0d299c`;
const LAREQA_MLQA =
  `${GH}/google-research-datasets/lareqa/5405d2a77e83d5ccb47623a3f9e5604c3f103193`;
const SQUAD_TRAIN =
  `${GH}/rajpurkar/SQuAD-explorer/13f82e35b9a1fb9173f863b35f5675030646571e/explore/1.1/train/`;
const HF_MMARCO = "https://huggingface.co/datasets/unicamp-dl/mmarco/resolve/main/data";
const MSMARCO_BLOB = "https://msmarco.blob.core.windows.net/msmarcoranking";

/**
 * XQuAD-R languages (LAReQA).
 *
 * @example
 * ```ts
 * XQUAD_R_LANGS.includes("de"); // true
 * ```
 */
export const XQUAD_R_LANGS: readonly Lang[] = [
  "ar",
  "de",
  "el",
  "en",
  "es",
  "hi",
  "ru",
  "th",
  "tr",
  "vi",
  "zh",
];
/**
 * MLQA-R dev languages (LAReQA).
 *
 * @example
 * ```ts
 * MLQA_R_LANGS.includes("hi"); // true
 * ```
 */
export const MLQA_R_LANGS: readonly Lang[] = ["ar", "de", "en", "es", "hi", "vi", "zh"];
/**
 * mMARCO v2 languages: ISO 639-1 code -> the file-name language of the HF repository.
 *
 * @example
 * ```ts
 * MMARCO_LANGS.en;
 * ```
 */
export const MMARCO_LANGS: Readonly<Record<Lang, string>> = {
  en: "english",
  de: "german",
  ru: "russian",
  ar: "arabic",
  nl: "dutch",
  it: "italian",
  fr: "french",
  zh: "chinese",
  hi: "hindi",
  id: "indonesian",
  ja: "japanese",
  pt: "portuguese",
  es: "spanish",
  vi: "vietnamese",
};

/** A file whose hash is in the mirror manifest. */
function mirrored(name: string, url: string): RemoteFile {
  const e = MIRROR_MANIFEST.get(url);
  if (!e) throw new Error(`catalogue bug: ${url} is not in the mirror manifest`);
  return { name, url, sha256: e.sha256, size: e.size };
}

const LAREQA_CITATION = "Roy, Constant, Al-Rfou, Barua, Phillips, Yang (2020). LAReQA: " +
  "Language-agnostic answer retrieval from a multilingual pool. EMNLP 2020. arXiv:2004.05484";
const MMARCO_CITATION = "Bonifacio, Jeronymo, Abonizio, Campiotti, Fadaee, Lotufo, Nogueira " +
  "(2021). mMARCO: A Multilingual Version of the MS MARCO Passage Ranking Dataset. " +
  "arXiv:2108.13897";
const MSMARCO_CITATION = "Bajaj et al. (2016). MS MARCO: A Human Generated MAchine Reading " +
  "COmprehension Dataset. arXiv:1611.09268";
const MSMARCO_LICENSE = "MS MARCO terms: non-commercial research use only " +
  "(https://microsoft.github.io/msmarco/)";

function buildCatalogue(): DatasetEntry[] {
  const out: DatasetEntry[] = [];
  for (const lang of XQUAD_R_LANGS) {
    out.push({
      id: `xquad-r/${lang}`,
      lang,
      description: `XQuAD-R (${lang}): 240 paragraphs, 1,190 questions, sentence candidates`,
      files: [
        mirrored("data", `${LAREQA_XQUAD}/xquad-r/${lang}.json`),
        // The README holds the published question/candidate table checked by `fetch`.
        mirrored("readme", `${LAREQA_XQUAD}/README.md`),
      ],
      license: "CC BY-SA 4.0",
      citation: LAREQA_CITATION + "; XQuAD: Artetxe, Ruder, Yogatama (2020), ACL 2020",
      loader: "lareqa",
      counts: { questions: 1190, paragraphs: 240 },
    });
  }
  for (const lang of MLQA_R_LANGS) {
    out.push({
      id: `mlqa-r/dev/${lang}`,
      lang,
      description: `MLQA-R dev (${lang}): sentence candidates from MLQA dev`,
      files: [mirrored("data", `${LAREQA_MLQA}/mlqa-dev-r/${lang}.json`)],
      license: "CC BY-SA 3.0",
      citation: LAREQA_CITATION + "; MLQA: Lewis, Oguz, Rinott, Riedel, Schwenk (2020), ACL 2020",
      loader: "lareqa",
    });
  }
  out.push({
    id: "squad/v1.1/train",
    lang: "en",
    description: "SQuAD v1.1 train from the SQuAD explorer pages (442 articles + index)",
    files: manifestUnder(SQUAD_TRAIN).map((f) => ({
      name: decodeURIComponent(f.url.slice(SQUAD_TRAIN.length)),
      ...f,
    })),
    license: "CC BY-SA 4.0",
    citation: "Rajpurkar, Zhang, Lopyrev, Liang (2016). SQuAD: 100,000+ Questions for Machine " +
      "Comprehension of Text. EMNLP 2016",
    loader: "squad-explorer",
    counts: { articles: 442, paragraphs: 18896, questions: 87599 },
  });
  for (const [lang, name] of Object.entries(MMARCO_LANGS)) {
    out.push({
      id: `mmarco/v2/${lang}/dev/small`,
      lang,
      description: `mMARCO v2 (${name}): collection, dev.small queries and qrels`,
      files: [
        { name: "collection", url: `${HF_MMARCO}/google/collections/${name}_collection.tsv` },
        { name: "queries", url: `${HF_MMARCO}/google/queries/dev/${name}_queries.dev.small.tsv` },
        { name: "qrels", url: `${HF_MMARCO}/qrels.dev.small.tsv` },
      ],
      license: MSMARCO_LICENSE,
      citation: MMARCO_CITATION,
      loader: "mmarco-dev",
      counts: { queries: 6980, qrels: 7437, passages: 8841823 },
    });
    if (lang === "en") continue;
    out.push({
      id: `mmarco/v2/${lang}/train`,
      lang,
      description: `mMARCO v2 (${name}): translated training queries and collection`,
      files: [
        { name: "queries", url: `${HF_MMARCO}/google/queries/train/${name}_queries.train.tsv` },
        { name: "collection", url: `${HF_MMARCO}/google/collections/${name}_collection.tsv` },
      ],
      license: MSMARCO_LICENSE,
      citation: MMARCO_CITATION,
      loader: "mmarco-train",
      counts: { queries: 808731, passages: 8841823 },
    });
  }
  out.push({
    id: "msmarco-passage/dev/small/top1000",
    lang: "en",
    description: "MS MARCO passage: official BM25 top-1000 candidates of the dev queries",
    files: [{ name: "top1000", url: `${MSMARCO_BLOB}/top1000.dev.tar.gz` }],
    license: MSMARCO_LICENSE,
    citation: MSMARCO_CITATION,
    loader: "msmarco-top1000",
  });
  out.push({
    id: "msmarco-passage/train/triples",
    lang: "en",
    description: "MS MARCO passage training: shuffled qid-pid triples (sentence-transformers), " +
      "English train queries and collection",
    files: [
      {
        name: "triples",
        url: "https://sbert.net/datasets/msmarco-qidpidtriples.rnd-shuf.train.tsv.gz",
      },
      { name: "queries", url: `${HF_MMARCO}/google/queries/train/english_queries.train.tsv` },
      { name: "collection", url: `${HF_MMARCO}/google/collections/english_collection.tsv` },
    ],
    license: MSMARCO_LICENSE,
    citation: MSMARCO_CITATION + "; triples: Reimers, sentence-transformers",
    loader: "msmarco-triples",
  });
  return out;
}

/** Every dataset, in a fixed order. */
export const CATALOGUE: readonly DatasetEntry[] = buildCatalogue();

/**
 * Looks up one dataset by its exact id.
 *
 * @example
 * ```ts
 * getDataset("squad/v1.1/train").files.length;
 * ```
 */
export function getDataset(id: string): DatasetEntry {
  const entry = CATALOGUE.find((d) => d.id === id);
  if (!entry) throw new OptionError("dataset", "a catalogue id (see `fetch --list`)", id);
  return entry;
}

/**
 * Expands ids and prefixes into catalogue ids, in catalogue order of first
 * mention: `xquad-r` selects all 11 languages, `mmarco/v2/de` one language.
 *
 * @example
 * ```ts
 * resolveDatasetIds(["mlqa-r"]).length; // 7
 * ```
 */
export function resolveDatasetIds(patterns: string[]): string[] {
  const ids: string[] = [];
  for (const raw of patterns) {
    const p = raw.replace(/\/+$/, "");
    const hits = CATALOGUE.filter((d) => d.id === p || d.id.startsWith(p + "/"));
    if (hits.length === 0) {
      throw new OptionError("dataset", "a catalogue id or prefix (see `fetch --list`)", raw);
    }
    for (const d of hits) if (!ids.includes(d.id)) ids.push(d.id);
  }
  return ids;
}

/**
 * The catalogue as a plain-text listing: id, file count, license.
 *
 * @example
 * ```ts
 * console.log(formatCatalogue());
 * ```
 */
export function formatCatalogue(): string {
  const width = Math.max(...CATALOGUE.map((d) => d.id.length));
  return CATALOGUE.map((d) =>
    `${d.id.padEnd(width)}  ${String(d.files.length).padStart(3)} file(s)  ${d.license}`
  ).join("\n");
}
