/**
 * Streaming line reading for text, JSON-lines and TSV files of any size, with
 * gzip support and 1-based line numbers so that parse errors name file and line.
 * Memory stays constant: only one chunk and one partial line are held.
 *
 * @module
 */

import { InputError } from "./errors.ts";

/** One line of a file with its 1-based number. */
export interface Line {
  /** The line without its terminator (`\n` or `\r\n`). */
  text: string;
  /** 1-based line number. */
  n: number;
}

/**
 * Reads a whole text file; a missing file is an {@linkcode InputError} naming it.
 *
 * @example
 * ```ts
 * const html = await readTextInput("page.html");
 * ```
 */
export async function readTextInput(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new InputError(path, undefined, "file not found");
    throw e;
  }
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

/**
 * Opens a file as a byte stream, gunzipping when the name ends in `.gz`.
 *
 * @example
 * ```ts
 * const stream = await openBytes("collection.tsv.gz");
 * for await (const chunk of stream) console.log(chunk.length);
 * ```
 */
export async function openBytes(path: string): Promise<ReadableStream<Uint8Array>> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new InputError(path, undefined, "file not found");
    throw e;
  }
  const stream = file.readable;
  return path.endsWith(".gz")
    ? stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<
        Uint8Array,
        Uint8Array
      >,
    )
    : stream;
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
