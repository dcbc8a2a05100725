/**
 * One error path for file-system and stream failures: {@linkcode toPathError}
 * turns the errors a user can fix (missing file, permissions, a directory
 * where a file is expected, a full disk, a corrupt gzip stream) into a
 * {@linkcode PathError} naming the path, where the path is known. Anything
 * else is returned unchanged, so that real bugs keep their stack.
 *
 * @module
 */

import { PathError } from "./errors.ts";

const ADVICE: ReadonlyArray<[new (...args: never[]) => Error, string]> = [
  [Deno.errors.NotFound, "not found; check the path"],
  [Deno.errors.PermissionDenied, "permission denied; check the permissions of the path"],
  [Deno.errors.IsADirectory, "is a directory; give a file"],
  [Deno.errors.NotADirectory, "a component of the path is a file, not a directory; check the path"],
  [Deno.errors.AlreadyExists, "already exists"],
];

const ADVICE_BY_CODE: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device; free some space and rerun",
  EDQUOT: "disk quota exceeded; free some space and rerun",
  EROFS: "read-only file system; choose a writable path",
  EACCES: "permission denied; check the permissions of the path",
};

/**
 * The user-facing form of an error raised while reading or writing `path`:
 * a {@linkcode PathError} for file-system and gzip errors, `e` itself otherwise.
 *
 * @example
 * ```ts
 * const path = "data/queries.tsv";
 * try {
 *   await Deno.readTextFile(path);
 * } catch (e) {
 *   throw toPathError(e, path);
 * }
 * ```
 */
export function toPathError(e: unknown, path: string): unknown {
  if (e instanceof PathError || !(e instanceof Error)) return e;
  for (const [cls, advice] of ADVICE) if (e instanceof cls) return new PathError(path, advice);
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && code in ADVICE_BY_CODE) {
    return new PathError(path, ADVICE_BY_CODE[code]);
  }
  // DecompressionStream reports bad or truncated input as a TypeError mentioning gzip.
  if (e instanceof TypeError && /gzip|deflate|compress/i.test(e.message)) {
    return new PathError(
      path,
      `not a valid gzip file (${e.message}); recompress or fetch it again`,
    );
  }
  return e;
}

/**
 * Whether `e` is a file-system error that {@linkcode toPathError} would turn
 * into a user error; the CLI prints such an error on one line even where no
 * path was attached (Deno's message usually names it).
 *
 * @example
 * ```ts
 * isFileSystemError(new Deno.errors.NotFound("open 'x'")); // true
 * ```
 */
export function isFileSystemError(e: unknown): boolean {
  return toPathError(e, "") instanceof PathError;
}

/**
 * Runs `fn`, rethrowing its errors through {@linkcode toPathError} for `path`.
 *
 * @example
 * ```ts
 * const text = await onPath("data/q.tsv", () => Deno.readTextFile("data/q.tsv"));
 * ```
 */
export async function onPath<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toPathError(e, path);
  }
}
