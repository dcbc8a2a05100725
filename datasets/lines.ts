/**
 * Streaming line readers for text, JSON lines and TSV files of any size, with
 * gzip support and 1-based line numbers so that parse errors name file and line.
 * Memory stays constant: only one chunk and one partial line are held.
 *
 * @module
 */

import { InputError } from "../tasks/errors.ts";

/** One line of a file with its 1-based number. */
export interface Line {
  /** The line without its terminator (`\n` or `\r\n`). */
  text: string;
  /** 1-based line number. */
  n: number;
}

/** Reads a whole text file; a missing file is an {@linkcode InputError} naming it. */
export async function readTextInput(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new InputError(path, undefined, "file not found");
    throw e;
  }
}

/** Whether a path exists (any error but "not found" is rethrown). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Opens a file as a byte stream, gunzipping when the name ends in `.gz`. */
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

/** Yields parsed JSON objects of a JSON-lines file; blank lines are skipped. */
export async function* readJsonLines<T = unknown>(path: string): AsyncGenerator<T> {
  for await (const { text, n } of readLines(path)) {
    if (text.trim() === "") continue;
    try {
      yield JSON.parse(text) as T;
    } catch (e) {
      throw new InputError(path, n, `expected a JSON object (${(e as Error).message})`);
    }
  }
}

/**
 * Yields the tab-separated fields of each line, checking the field count.
 *
 * @param fields exact number of fields expected per line, or `[min, max]`
 */
export async function* readTsv(
  path: string,
  fields: number | [number, number],
): AsyncGenerator<{ cols: string[]; n: number }> {
  const [min, max] = typeof fields === "number" ? [fields, fields] : fields;
  for await (const { text, n } of readLines(path)) {
    if (text === "") continue;
    const cols = text.split("\t");
    if (cols.length < min || cols.length > max) {
      const want = min === max ? `${min}` : `${min}-${max}`;
      throw new InputError(path, n, `expected ${want} tab-separated fields, got ${cols.length}`);
    }
    yield { cols, n };
  }
}
