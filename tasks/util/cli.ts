/**
 * Command-line number options, parsed one way everywhere: the whole string must
 * be a number in range, otherwise an {@linkcode OptionError} names the option
 * and what was expected.
 *
 * @module
 */

import { OptionError } from "./errors.ts";

/** Inclusive bounds of a number option. */
export interface Range {
  /** Smallest allowed value (default -Infinity). */
  min?: number;
  /** Largest allowed value (default Infinity). */
  max?: number;
}

function describe(kind: string, { min = -Infinity, max = Infinity }: Range): string {
  if (min > -Infinity && max < Infinity) return `${kind} in [${min}, ${max}]`;
  if (min > -Infinity) return `${kind} >= ${min}`;
  if (max < Infinity) return `${kind} <= ${max}`;
  return kind;
}

function parse(option: string, value: string, range: Range, integer: boolean): number {
  const n = Number(value);
  const { min = -Infinity, max = Infinity } = range;
  if (
    value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min ||
    n > max
  ) {
    throw new OptionError(option, describe(integer ? "an integer" : "a number", range), value);
  }
  return n;
}

/**
 * Parses an integer option; `undefined` stays `undefined`.
 *
 * @example
 * ```ts
 * parseIntOption("--seeds", "3", { min: 1, max: 100 }); // 3
 * parseIntOption("--seeds", undefined, { min: 1 }); // undefined
 * // parseIntOption("--seeds", "0", { min: 1 }) throws: --seeds: expected an integer >= 1, got "0"
 * ```
 */
export function parseIntOption(
  option: string,
  value: string | undefined,
  range: Range = {},
): number | undefined {
  return value === undefined ? undefined : parse(option, value, range, true);
}

/**
 * Parses a number option; `undefined` stays `undefined`.
 *
 * @example
 * ```ts
 * parseNumberOption("--p", "0.5", { min: 0, max: 1 }); // 0.5
 * ```
 */
export function parseNumberOption(
  option: string,
  value: string | undefined,
  range: Range = {},
): number | undefined {
  return value === undefined ? undefined : parse(option, value, range, false);
}
