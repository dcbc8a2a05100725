/**
 * Synthetic MS MARCO / mMARCO files in the real upstream formats, for tests of
 * {@link ./mmarco_data.ts} and of the `mmarco` profile end to end: the
 * training triples (gzipped TSV), train queries and collections (TSV), the
 * dev.small queries and qrels (TSV) and `top1000.dev` (a gzipped ustar
 * archive), placed in a mirror folder at their catalogue URLs with a lock
 * file of their hashes (so the committed `datasets/sha256.lock.json` is never
 * touched). {@linkcode syntheticMmarco} makes a seeded corpus big enough for a
 * tiny training run; the same seed gives the same bytes.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { urlPath } from "../datasets/cache.ts";
import { getDataset } from "../datasets/catalogue.ts";
import { sha256File } from "../datasets/download.ts";
import type { Lang } from "../datasets/records.ts";
import { type MmarcoLangFiles, type MsmarcoTrainFiles, TOP1000_DEV } from "./mmarco_data.ts";
import { Rng } from "./rng.ts";

/** One TSV row. */
export type Row = readonly (string | number)[];

/** Plain paths of an input-files record ({@linkcode MsmarcoTrainFiles}, {@linkcode MmarcoLangFiles}). */
export type FilePaths<T> = { [K in keyof T]: string };

/** Rows of the `msmarco-passage/train/triples` files. */
export interface TrainRows {
  /** `qid, pos_pid, neg_pid`, file order. */
  triples: Row[];
  /** English train queries, `qid, text`. */
  queries: Row[];
  /** English collection, `pid, passage`. */
  collection: Row[];
}

/** Rows of the `mmarco/v2/<lang>/dev/small` files of some languages and of `top1000.dev`. */
export interface EvalRows {
  /** Collection per language, `pid, passage`. */
  collections: Record<Lang, Row[]>;
  /** dev.small queries per language, `qid, text`. */
  queries: Record<Lang, Row[]>;
  /** `qid, 0, pid, rel` (one file for every language). */
  qrels: Row[];
  /** `qid, pid, English query, English passage`, file order. */
  top1000: Row[];
}

/** Written evaluation files: per-language inputs of `loadMmarcoEvalSets` and the top1000 archive. */
export interface EvalFiles {
  /** Files per language. */
  files: Record<Lang, FilePaths<MmarcoLangFiles>>;
  /** Path of `top1000.dev.tar.gz`. */
  top1000: string;
}

/** Pinned hashes by URL, in the format of `datasets/sha256.lock.json`. */
export type HashLock = Record<string, { sha256: string; size: number }>;

const enc = new TextEncoder();

/** Gzips bytes. */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A gzipped ustar archive holding one regular file, as MS MARCO ships `top1000.dev`. */
export async function tarGz(name: string, text: string): Promise<Uint8Array> {
  const data = enc.encode(text);
  const header = new Uint8Array(512);
  header.set(enc.encode(name), 0);
  header.set(enc.encode("0000644\0"), 100);
  header.set(enc.encode(data.length.toString(8).padStart(11, "0") + "\0"), 124);
  header[156] = "0".charCodeAt(0);
  header.set(enc.encode("ustar\u000000"), 257);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.set(enc.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  const tar = new Uint8Array(512 + Math.ceil(data.length / 512) * 512 + 1024);
  tar.set(header);
  tar.set(data, 512);
  return await gzip(tar);
}

/**
 * TSV text of rows, one line each.
 *
 * @example
 * ```ts
 * tsv([[1, "a b"], [2, "c"]]); // "1\ta b\n2\tc\n"
 * ```
 */
export function tsv(rows: readonly Row[]): string {
  return rows.map((r) => r.join("\t") + "\n").join("");
}

/** Writes `triples.tsv.gz`, `queries.train.tsv` and `collection.tsv` into `dir`. */
export async function writeTrainFiles(
  dir: string,
  rows: TrainRows,
): Promise<FilePaths<MsmarcoTrainFiles>> {
  const files = {
    triples: join(dir, "triples.tsv.gz"),
    queries: join(dir, "queries.train.tsv"),
    collection: join(dir, "collection.tsv"),
  };
  await Deno.writeFile(files.triples, await gzip(enc.encode(tsv(rows.triples))));
  await Deno.writeTextFile(files.queries, tsv(rows.queries));
  await Deno.writeTextFile(files.collection, tsv(rows.collection));
  return files;
}

/**
 * Writes `qrels.dev.small.tsv`, `<lang>_collection.tsv` and
 * `<lang>_queries.dev.small.tsv` for every language of `rows.collections`,
 * and `top1000.dev.tar.gz`, into `dir`.
 */
export async function writeEvalFiles(dir: string, rows: EvalRows): Promise<EvalFiles> {
  const files: Record<Lang, FilePaths<MmarcoLangFiles>> = {};
  const qrels = join(dir, "qrels.dev.small.tsv");
  await Deno.writeTextFile(qrels, tsv(rows.qrels));
  for (const [lang, collection] of Object.entries(rows.collections)) {
    files[lang] = {
      collection: join(dir, `${lang}_collection.tsv`),
      queries: join(dir, `${lang}_queries.dev.small.tsv`),
      qrels,
    };
    await Deno.writeTextFile(files[lang].collection, tsv(collection));
    await Deno.writeTextFile(files[lang].queries, tsv(rows.queries[lang] ?? []));
  }
  const top1000 = join(dir, "top1000.dev.tar.gz");
  await Deno.writeFile(top1000, await tarGz("top1000.dev", tsv(rows.top1000)));
  return { files, top1000 };
}

/** Copies `from` to `url`'s place in `mirror` and pins its hash in `lock`. */
export async function placeFile(
  mirror: string,
  url: string,
  from: string,
  lock: HashLock,
): Promise<void> {
  const to = urlPath(mirror, url);
  await Deno.mkdir(dirname(to), { recursive: true });
  await Deno.copyFile(from, to);
  lock[url] = { sha256: await sha256File(from), size: (await Deno.stat(from)).size };
}

const urlsOf = (id: string): Record<string, string> =>
  Object.fromEntries(getDataset(id).files.map((f) => [f.name, f.url]));

/** Places training files at the URLs of `msmarco-passage/train/triples`. */
export async function placeTrainFiles(
  mirror: string,
  files: FilePaths<MsmarcoTrainFiles>,
  lock: HashLock,
): Promise<void> {
  const urls = urlsOf("msmarco-passage/train/triples");
  for (const k of ["triples", "queries", "collection"] as const) {
    await placeFile(mirror, urls[k], files[k], lock);
  }
}

/**
 * Places evaluation files at the URLs of `mmarco/v2/<lang>/dev/small` and of
 * `top1000.dev`. The English collection shares its URL with the training
 * collection: the last file placed there wins.
 */
export async function placeEvalFiles(
  mirror: string,
  evalFiles: EvalFiles,
  lock: HashLock,
): Promise<void> {
  for (const [lang, f] of Object.entries(evalFiles.files)) {
    const urls = urlsOf(`mmarco/v2/${lang}/dev/small`);
    for (const k of ["collection", "queries", "qrels"] as const) {
      await placeFile(mirror, urls[k], f[k], lock);
    }
  }
  await placeFile(mirror, urlsOf(TOP1000_DEV).top1000, evalFiles.top1000, lock);
}

/** Options of {@linkcode syntheticMmarco}. */
export interface SyntheticMmarcoOptions {
  /** Evaluation languages; every one gets the same (untranslated) texts. */
  langs: Lang[];
  /** Passages in the collection (default 300). */
  passages?: number;
  /** Training queries (default 200). */
  trainQueries?: number;
  /** Triples per training query, each with another random negative (default 2). */
  triplesPerQuery?: number;
  /** dev.small queries (default 30). */
  devQueries?: number;
  /** top1000 candidates per dev query, the relevant passage among them (default 10, at most `passages`). */
  candidates?: number;
  /** Seed (default 1). */
  seed?: number;
}

/** A synthetic corpus: training rows and evaluation rows sharing one English collection. */
export interface SyntheticMmarco {
  /** Training rows; `collection` is `eval.collections.en` when English is evaluated. */
  train: TrainRows;
  /** Evaluation rows. */
  eval: EvalRows;
}

/** Common English words (MUSE and the lexicons list most of them). */
// deno-fmt-ignore
export const FIXTURE_WORDS: readonly string[] = [
  "water", "house", "river", "city", "music", "school", "garden", "mountain", "village", "king",
  "church", "forest", "island", "bridge", "market", "train", "station", "doctor", "hospital",
  "teacher", "student", "language", "history", "science", "animal", "bird", "horse", "winter",
  "summer", "coffee", "bread", "wine", "museum", "library", "castle", "ship", "harbour", "road",
  "war", "army", "painter", "book", "film", "song", "company", "money", "price", "energy", "sun",
  "moon", "star", "light", "fire", "stone", "gold", "iron", "salt", "milk", "apple", "tree",
  "flower", "sea", "lake", "rain", "snow", "wind", "cloud", "night", "morning", "computer",
  "phone", "car", "plane", "football", "game", "team", "player", "law", "court", "president",
];

/**
 * A seeded synthetic corpus. Passage `p` (pid `p`) is 10 words drawn from
 * {@linkcode FIXTURE_WORDS}; every query is 3 distinct words of its relevant
 * passage, so a term-matching ranker can learn the task. Training queries
 * (qids from 1000) get `triplesPerQuery` triples each (their passage as
 * positive, another as negative), shuffled as in the sentence-transformers
 * file. Dev queries (qids from 5000) get one relevant passage each and
 * `candidates` top1000 rows: it and, like BM25 candidates, the passages
 * sharing the most query words (ties by pid), shuffled across queries (the
 * real file is not grouped by query either).
 *
 * @example
 * ```ts
 * const data = syntheticMmarco({ langs: ["en", "de"], passages: 100 });
 * const train = await writeTrainFiles(dir, data.train);
 * ```
 */
export function syntheticMmarco(opts: SyntheticMmarcoOptions): SyntheticMmarco {
  const {
    passages = 300,
    trainQueries = 200,
    triplesPerQuery = 2,
    devQueries = 30,
    candidates = 10,
    seed = 1,
  } = opts;
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)];
  const texts = Array.from(
    { length: passages },
    () => Array.from({ length: 10 }, () => pick(FIXTURE_WORDS)).join(" "),
  );
  const collection: Row[] = texts.map((t, pid) => [pid, t]);
  const queryOf = (pid: number) => {
    const words = [...new Set(texts[pid].split(" "))];
    return rng.shuffle(words).slice(0, 3).join(" ");
  };
  const other = (pid: number) => (pid + 1 + rng.int(passages - 1)) % passages;

  const queries: Row[] = [];
  const triples: Row[] = [];
  for (let i = 0; i < trainQueries; i++) {
    const qid = 1000 + i;
    const pos = rng.int(passages);
    queries.push([qid, queryOf(pos)]);
    for (let k = 0; k < triplesPerQuery; k++) triples.push([qid, pos, other(pos)]);
  }
  rng.shuffle(triples);

  const dev: Row[] = [];
  const qrels: Row[] = [];
  const top1000: Row[] = [];
  for (let i = 0; i < devQueries; i++) {
    const qid = 5000 + i;
    const rel = rng.int(passages);
    const query = queryOf(rel);
    dev.push([qid, query]);
    qrels.push([qid, 0, rel, 1]);
    // Like BM25 candidates: the passages sharing the most query words.
    const words = query.split(" ");
    const overlap = texts.map((t) => words.filter((w) => t.split(" ").includes(w)).length);
    const hard = Array.from(texts.keys()).filter((pid) => pid !== rel)
      .sort((a, b) => overlap[b] - overlap[a] || a - b).slice(0, candidates - 1);
    for (const pid of [rel, ...hard]) top1000.push([qid, pid, query, texts[pid]]);
  }
  rng.shuffle(top1000);

  const perLang = <T>(value: T) => Object.fromEntries(opts.langs.map((l) => [l, value]));
  return {
    train: { triples, queries, collection },
    eval: { collections: perLang(collection), queries: perLang(dev), qrels, top1000 },
  };
}

/** A fake mirror of {@linkcode writeMmarcoMirror}. */
export interface FixtureMirror {
  /** The mirror folder. */
  mirror: string;
  /** Lock file pinning the hashes of every synthetic file (pass as `lockFile`). */
  lockFile: string;
}

/**
 * Writes `data` under `root` and builds a mirror (`root/mirror`) holding it at
 * the catalogue URLs, with its lock file (`root/lock.json`). With `realMirror`,
 * the mirror's `raw.githubusercontent.com` is a symlink to the real one, so
 * the MUSE dictionaries and mLAMA labels of the lexicon stage resolve too.
 * Hashes are pinned up front: `fetchDataset` fetches a dataset's files
 * concurrently, and concurrent pins of one lock file race.
 */
export async function writeMmarcoMirror(
  root: string,
  data: SyntheticMmarco,
  realMirror?: string,
): Promise<FixtureMirror> {
  const src = join(root, "src");
  const mirror = join(root, "mirror");
  await Deno.mkdir(src, { recursive: true });
  await Deno.mkdir(mirror, { recursive: true });
  if (realMirror) {
    await Deno.symlink(
      resolve(realMirror, "raw.githubusercontent.com"),
      join(mirror, "raw.githubusercontent.com"),
    );
  }
  const lock: HashLock = {};
  await placeTrainFiles(mirror, await writeTrainFiles(src, data.train), lock);
  await placeEvalFiles(mirror, await writeEvalFiles(src, data.eval), lock);
  const lockFile = join(root, "lock.json");
  await Deno.writeTextFile(lockFile, JSON.stringify(lock, null, 2) + "\n");
  return { mirror, lockFile };
}
