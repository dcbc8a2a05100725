/**
 * Error classes shared by every stage. A {@linkcode UserError} is the user's
 * to fix (bad option, bad input file, missing data): the CLI prints its message
 * on one line and exits with code 2. Anything else is a bug and keeps its stack.
 *
 * @module
 */

/**
 * An error caused by the user's input or environment, not by a bug.
 *
 * @example
 * ```ts
 * throw new UserError("the mirror has no MANIFEST.tsv"); // printed as one line, exit 2
 * ```
 */
export class UserError extends Error {
  /** Creates a user-facing error with a one-line message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UserError";
  }
}

/**
 * Malformed content in an input file; names the file and, where known, the line.
 *
 * @example
 * ```ts
 * throw new InputError("data/q.tsv", 12, "expected 2 tab-separated fields, got 1");
 * // message: "data/q.tsv:12: expected 2 tab-separated fields, got 1"
 * ```
 */
export class InputError extends UserError {
  /** Path of the offending file. */
  readonly file: string;
  /** 1-based line number, when the input is line-oriented. */
  readonly line?: number;

  /**
   * @example
   * ```ts
   * throw new InputError("data/q.tsv", 12, "expected 2 tab-separated fields, got 1");
   * // message: "data/q.tsv:12: expected 2 tab-separated fields, got 1"
   * ```
   */
  constructor(file: string, line: number | undefined, expected: string, options?: ErrorOptions) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${expected}`, options);
    this.name = "InputError";
    this.file = file;
    this.line = line;
  }
}

/**
 * A command-line option with a bad value; names the option and what was expected.
 *
 * @example
 * ```ts
 * throw new OptionError("--p", "a number in [0, 1]", "2");
 * // message: '--p: expected a number in [0, 1], got "2"'
 * ```
 */
export class OptionError extends UserError {
  /** Creates an error such as `--p: expected a number in [0, 1], got "2"`. */
  constructor(option: string, expected: string, got: unknown) {
    super(`${option}: expected ${expected}, got ${JSON.stringify(got)}`);
    this.name = "OptionError";
  }
}

/**
 * A file-system or stream error on a known path (not found, permission denied,
 * a directory where a file is expected, disk full, corrupt gzip...): the
 * message names the path, what happened and what to do.
 *
 * @example
 * ```ts
 * throw new PathError("runs/zs.run", "not found; check the path");
 * ```
 */
export class PathError extends UserError {
  /** The path the operation failed on. */
  readonly path: string;

  /**
   * @example
   * ```ts
   * throw new PathError("runs/x.run", "not found; check the path");
   * // message: "runs/x.run: not found; check the path"
   * ```
   */
  constructor(path: string, what: string, options?: ErrorOptions) {
    super(`${path}: ${what}`, options);
    this.name = "PathError";
    this.path = path;
  }
}
