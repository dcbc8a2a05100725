/**
 * Streaming line reading for text, JSON-lines and TSV files of any size, with
 * gzip support and 1-based line numbers so that parse errors name file and line.
 * Memory stays constant: only one chunk and one partial line are held.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { onPath, toPathError } from "./fs_errors.ts";

/**
 * One line of a file with its 1-based number.
 *
 * @example
 * ```ts
 * const line: Line = { text: "q1 Q0 d1 1 0.5 run", n: 1 };
 * ```
 */
export interface Line {
  /** The line without its terminator (`\n` or `\r\n`). */
  text: string;
  /** 1-based line number. */
  n: number;
}

/**
 * Reads a whole text file; file-system errors become a `PathError` naming it.
 *
 * @example
 * ```ts
 * const html = await readTextInput("page.html");
 * ```
 */
export function readTextInput(path: string): Promise<string> {
  return onPath(path, () => Deno.readTextFile(path));
}

/**
 * Whether a path exists (any error but "not found" is rethrown).
 *
 * @example
 * ```ts
 * if (!(await fileExists("train.jsonl"))) console.error("missing");
 * ```
 */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Bytes per read: 1 MiB reads are several times faster than `FsFile.readable`'s 64 KiB. */
const CHUNK = 1 << 20;

/** Reads a file in fresh {@linkcode CHUNK}-byte chunks (consumers may keep them), then closes it. */
async function* readChunks(file: Deno.FsFile): AsyncGenerator<Uint8Array> {
  try {
    while (true) {
      const buf = new Uint8Array(CHUNK);
      const n = await file.read(buf);
      if (n === null) return;
      yield buf.subarray(0, n);
    }
  } finally {
    file.close();
  }
}

/**
 * Opens a file as a byte stream, gunzipping when the name ends in `.gz` (or as
 * `options.gunzip` says: `false` gives a `.gz` file's own bytes).
 * Errors while opening or reading (a directory, a corrupt gzip stream...)
 * become a `PathError` naming the file.
 *
 * @example
 * ```ts
 * for await (const chunk of await openBytes("run.txt.gz")) console.log(chunk.length);
 * ```
 */
export async function openBytes(
  path: string,
  options: { gunzip?: boolean } = {},
): Promise<ReadableStream<Uint8Array>> {
  const file = await onPath(path, () => Deno.open(path));
  const raw = ReadableStream.from(readChunks(file));
  const stream = (options.gunzip ?? path.endsWith(".gz"))
    ? raw.pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    )
    : raw;
  return ReadableStream.from((async function* () {
    try {
      yield* stream;
    } catch (e) {
      throw toPathError(e, path);
    }
  })());
}

/**
 * Yields the lines of a text file (or of a byte stream), in constant memory.
 *
 * @example
 * ```ts
 * for await (const { text, n } of readLines("queries.tsv")) console.log(n, text);
 * ```
 */
export async function* readLines(
  source: string | ReadableStream<Uint8Array>,
): AsyncGenerator<Line> {
  const stream = typeof source === "string" ? await openBytes(source) : source;
  const decoder = new TextDecoder();
  let rest = "";
  let n = 0;
  for await (const chunk of stream) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { text: text.slice(start, end), n: ++n };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield { text: rest.endsWith("\r") ? rest.slice(0, -1) : rest, n: ++n };
}

/**
 * Parses one line as a JSON object; anything else is an {@linkcode InputError} naming file and line.
 *
 * @example
 * ```ts
 * parseJsonObject('{"qid":"1"}', "train.jsonl", 1).qid; // "1"
 * ```
 */
export function parseJsonObject(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, line, `expected a JSON object (${(e as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(file, line, "expected a JSON object");
  }
  return value as Record<string, unknown>;
}
