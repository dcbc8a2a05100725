/**
 * On-disk lexicon format: a TSV file (`source\ttarget1\ttarget2...`, one
 * source term a line, translations best first) plus a JSON sidecar
 * (`<file>.json`) holding languages, provenance and counts. The TSV is written
 * in the lexicon's entry order, so equal lexicons give equal bytes.
 *
 * @module
 */

import {
  fileExists,
  InputError,
  type Lang,
  openAtomic,
  readTextInput,
  writeFileAtomic,
} from "../tasks/util/mod.ts";
import { createHash } from "node:crypto";
import type { Lexicon, LexiconProvenance } from "./lexicon.ts";

/** The JSON sidecar written beside a lexicon TSV. */
export interface LexiconSidecar {
  /** Format version of the sidecar. */
  format: 1;
  /** Source language. */
  source: Lang;
  /** Target language. */
  target: Lang;
  /** Longest key length in tokens. */
  maxNgram: number;
  /** Number of source terms. */
  entries: number;
  /** Number of (source, translation) pairs. */
  pairs: number;
  /** sha256 of the TSV file. */
  sha256: string;
  /** Where the lexicon came from. */
  provenance?: LexiconProvenance;
  /** Build counts (lines read, dropped by reason, ...). */
  counts: Record<string, number>;
}

/** Path of the sidecar of a lexicon TSV. */
export function sidecarPath(tsvPath: string): string {
  return `${tsvPath}.json`;
}

const BAD_CHARS = /[\t\n\r]/;

/**
 * Writes a lexicon as TSV plus sidecar, both atomically; returns the sidecar.
 * Terms holding a tab or newline cannot be represented and are rejected.
 *
 * @example
 * ```ts
 * const lex = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["Katze"]]]) };
 * await writeLexicon("out/en-de.tsv", lex, { lines: 1 });
 * ```
 */
export async function writeLexicon(
  path: string,
  lex: Lexicon,
  counts: Record<string, number> = {},
): Promise<LexiconSidecar> {
  const w = await openAtomic(path);
  const hash = createHash("sha256");
  let pairs = 0;
  try {
    for (const [src, targets] of lex.entries) {
      if (targets.length === 0) continue;
      for (const t of [src, ...targets]) {
        if (t === "" || BAD_CHARS.test(t)) {
          throw new Error(`lexicon term ${JSON.stringify(t)} is empty or holds a tab/newline`);
        }
      }
      const line = `${src}\t${targets.join("\t")}\n`;
      hash.update(line);
      await w.write(line);
      pairs += targets.length;
    }
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
  const sidecar: LexiconSidecar = {
    format: 1,
    source: lex.source,
    target: lex.target,
    maxNgram: lex.maxNgram,
    entries: [...lex.entries.values()].filter((t) => t.length > 0).length,
    pairs,
    sha256: hash.digest("hex"),
    provenance: lex.provenance,
    counts,
  };
  await writeFileAtomic(sidecarPath(path), JSON.stringify(sidecar, null, 1) + "\n");
  return sidecar;
}

/**
 * Reads a lexicon sidecar, with a clear error when it is missing or malformed.
 *
 * @example
 * ```ts
 * const side = await readSidecar("lexicons/muse/en-de.tsv");
 * side.entries;
 * ```
 */
export async function readSidecar(tsvPath: string): Promise<LexiconSidecar> {
  const path = sidecarPath(tsvPath);
  const text = await readTextInput(path);
  try {
    const s = JSON.parse(text) as LexiconSidecar;
    if (s.format !== 1 || typeof s.source !== "string" || typeof s.target !== "string") {
      throw new Error("expected format 1 with source and target");
    }
    return s;
  } catch (e) {
    throw new InputError(path, undefined, `malformed lexicon sidecar (${(e as Error).message})`);
  }
}

/**
 * Whether `tsvPath` is a lexicon written by {@linkcode writeLexicon} (a file
 * with a valid sidecar): what `induce --out` may replace without `--force`.
 *
 * @example
 * ```ts
 * if (await isLexiconFile("en-de.tsv")) console.log("a lexicon");
 * ```
 */
export async function isLexiconFile(tsvPath: string): Promise<boolean> {
  try {
    return (await Deno.stat(tsvPath)).isFile && (await readSidecar(tsvPath)).format === 1;
  } catch {
    return false;
  }
}

/**
 * Loads a lexicon written by {@linkcode writeLexicon}. The whole TSV is read
 * at once and split in place: lexicons are at most a few MB and this is
 * several times faster than line streaming.
 *
 * @example
 * ```ts
 * const lex = await readLexicon("cache/lexicons/muse/en-de.tsv");
 * lex.entries.get("house"); // ["haus", ...]
 * ```
 */
export async function readLexicon(path: string): Promise<Lexicon> {
  const side = await readSidecar(path);
  const text = await readTextInput(path);
  const entries = parseLexiconTsv(text, path);
  return {
    source: side.source,
    target: side.target,
    entries,
    maxNgram: side.maxNgram,
    provenance: side.provenance,
  };
}

/** Parses lexicon TSV text; `name` is used in error messages. */
export function parseLexiconTsv(text: string, name: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  let start = 0;
  let n = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    n++;
    const line = text.slice(start, end);
    start = end + 1;
    const cols = line.split("\t");
    if (cols.length < 2 || cols.some((c) => c === "")) {
      throw new InputError(
        name,
        n,
        "expected a source term and at least one translation, tab-separated",
      );
    }
    const src = cols[0];
    if (entries.has(src)) {
      throw new InputError(name, n, `duplicate source term ${JSON.stringify(src)}`);
    }
    cols.shift();
    entries.set(src, cols);
  }
  return entries;
}

/**
 * Reads a lexicon file: the lexicon stage's TSV with its JSON sidecar, or a
 * plain `source\ttarget1\ttarget2...` TSV (then `source`/`target` are taken
 * from the arguments and the n-gram length from the keys).
 *
 * @example
 * ```ts
 * const gold = await readLexiconFile("en-de.5000-6500.txt", "en", "de");
 * gold.entries.size;
 * ```
 */
export async function readLexiconFile(path: string, source: Lang, target: Lang): Promise<Lexicon> {
  if (await fileExists(sidecarPath(path))) {
    const lex = await readLexicon(path);
    if (lex.source !== source || lex.target !== target) {
      throw new InputError(
        path,
        undefined,
        `expected a ${source}-${target} lexicon, got ${lex.source}-${lex.target}`,
      );
    }
    return lex;
  }
  const text = await readTextInput(path);
  const entries = parseLexiconTsv(text, path);
  let maxNgram = 1;
  for (const k of entries.keys()) maxNgram = Math.max(maxNgram, k.split(" ").length);
  return { source, target, entries, maxNgram };
}
