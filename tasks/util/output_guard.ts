/**
 * Guards for what a command writes: it never replaces one of its own inputs
 * (compared as files, by device and inode, not as strings: `data/x.jsonl` and
 * `data/../data/x.jsonl` are one file), and never replaces an existing path
 * that is not its own kind of artefact unless the user says `--force`.
 *
 * @module
 */

import { PathError } from "./errors.ts";
import { toPathError } from "./fs_errors.ts";

/** Stat that follows links; `undefined` when nothing is there. */
async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw toPathError(e, path);
  }
}

/**
 * Whether two paths name the same existing file (same device and inode after
 * following links; same real path where the system has no inodes).
 *
 * @example
 * ```ts
 * await sameFile("data/x.jsonl", "data/../data/x.jsonl"); // true
 * ```
 */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([statOrUndefined(a), statOrUndefined(b)]);
  if (sa === undefined || sb === undefined) return false;
  if (sa.ino !== null && sb.ino !== null) return sa.dev === sb.dev && sa.ino === sb.ino;
  return await Deno.realPath(a) === await Deno.realPath(b);
}

/**
 * A file a command reads, named for messages.
 *
 * @example
 * ```ts
 * const input: NamedInput = { option: "--candidates", path: "cands.tsv" };
 * ```
 */
export interface NamedInput {
  /** The option or argument that gave it, e.g. `--candidates` or `IN`. */
  option: string;
  /** Its path. */
  path: string;
}

/**
 * Refuses an output that is the same file as one of the inputs (it would be
 * overwritten while, or after, being read).
 *
 * @example
 * ```ts
 * await refuseInputAsOutput("runs/x.run", [{ option: "--candidates", path: "cands.jsonl" }]);
 * ```
 */
export async function refuseInputAsOutput(
  output: string,
  inputs: readonly NamedInput[],
): Promise<void> {
  for (const { option, path } of inputs) {
    if (await sameFile(output, path)) {
      throw new PathError(
        output,
        `is the same file as the input ${path} (${option}); choose another output path`,
      );
    }
  }
}

/**
 * How {@linkcode guardExisting} recognises the command's own artefacts.
 *
 * @example
 * ```ts
 * const o: GuardOptions = { what: "run file", isOwn: () => Promise.resolve(false), force: false };
 * ```
 */
export interface GuardOptions {
  /** What the command writes, for the message, e.g. "model directory". */
  what: string;
  /** Whether the existing `path` is one of the command's own artefacts (safe to replace). */
  isOwn(path: string): Promise<boolean>;
  /** Replace whatever is there (the user said `--force`). */
  force?: boolean;
}

/**
 * Whether `path` is a regular file whose first line passes `test`: how a
 * command recognises its own single-file artefacts by their format (reads at
 * most 64 KiB).
 *
 * @example
 * ```ts
 * const isRun = (p: string) => firstLineIs(p, (l) => l.trim().split(/\s+/).length === 6);
 * await guardExisting("runs/zs.run", { what: "TREC run file", isOwn: isRun });
 * ```
 */
export async function firstLineIs(path: string, test: (line: string) => boolean): Promise<boolean> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path);
    if (!(await file.stat()).isFile) return false;
    const buf = new Uint8Array(1 << 16);
    const n = (await file.read(buf)) ?? 0;
    const text = new TextDecoder("utf-8", { fatal: true }).decode(buf.subarray(0, n));
    return test(text.split("\n", 1)[0]);
  } catch {
    return false;
  } finally {
    file?.close();
  }
}

/**
 * Refuses to replace an existing `path` that is not the command's own kind of
 * artefact, unless `force`; a missing path or an own artefact passes.
 *
 * @example
 * ```ts
 * const isModelDir = (dir: string) =>
 *   Deno.stat(`${dir}/config.json`).then(() => true, () => false);
 * await guardExisting("models/zs", { what: "model directory", isOwn: isModelDir, force: false });
 * ```
 */
export async function guardExisting(path: string, o: GuardOptions): Promise<void> {
  if (o.force || (await statOrUndefined(path)) === undefined || await o.isOwn(path)) return;
  throw new PathError(
    path,
    `exists and is not a ${o.what}; refusing to replace it (choose another path, or pass --force)`,
  );
}
