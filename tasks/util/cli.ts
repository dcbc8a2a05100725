/**
 * Number options, checked one way everywhere: from the command line the whole
 * string must be a number in range, from code the number must be in range;
 * otherwise an {@linkcode OptionError} names the option and what was expected.
 *
 * @module
 */

import { OptionError } from "./errors.ts";

/**
 * Inclusive bounds of a number option, and whether it must be an integer.
 *
 * @example
 * ```ts
 * declare const range: Range;
 * range.min;
 * ```
 */
export interface Range {
  /** Smallest allowed value (default -Infinity). */
  min?: number;
  /** A bound the value must exceed (exclusive; e.g. 0 for a positive rate). */
  above?: number;
  /** Largest allowed value (default Infinity). */
  max?: number;
  /** Whether only integers are allowed (default false). */
  integer?: boolean;
}

function describe({ min = -Infinity, max = Infinity, above, integer = false }: Range): string {
  const kind = integer ? "an integer" : "a number";
  if (above !== undefined) return `${kind} > ${above}${max < Infinity ? ` and <= ${max}` : ""}`;
  if (min > -Infinity && max < Infinity) return `${kind} in [${min}, ${max}]`;
  if (min > -Infinity) return `${kind} >= ${min}`;
  if (max < Infinity) return `${kind} <= ${max}`;
  return kind;
}

/**
 * Checks a number option given in code; returns it, or throws an
 * {@linkcode OptionError} naming the option.
 *
 * @example
 * ```ts
 * checkNumberOption("--batch", 64, { min: 2, integer: true }); // 64
 * // checkNumberOption("--batch", 1.5, { integer: true }) throws: --batch: expected an integer, got 1.5
 * ```
 */
export function checkNumberOption(option: string, value: number, range: Range = {}): number {
  const { min = -Infinity, max = Infinity, above = -Infinity, integer = false } = range;
  if (
    !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min ||
    value > max || !(value > above)
  ) {
    throw new OptionError(option, describe(range), value);
  }
  return value;
}

/**
 * Parses a number option from the command line; `undefined` stays `undefined`.
 *
 * @example
 * ```ts
 * parseNumberOption("--p", "0.5", { min: 0, max: 1 }); // 0.5
 * parseNumberOption("--seeds", "3", { min: 1, integer: true }); // 3
 * ```
 */
export function parseNumberOption(
  option: string,
  value: string | undefined,
  range: Range = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new OptionError(option, describe(range), value);
  try {
    return checkNumberOption(option, Number(value), range);
  } catch {
    // Name what the user typed, not the number it parsed to.
    throw new OptionError(option, describe(range), value);
  }
}

/**
 * Parses an integer option from the command line; `undefined` stays `undefined`.
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
  range: Omit<Range, "integer"> = {},
): number | undefined {
  return parseNumberOption(option, value, { ...range, integer: true });
}
