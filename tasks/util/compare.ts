/**
 * The one string order of the harness: UTF-16 code-unit order, as `<` on
 * strings, independent of locale, so sorted outputs are the same bytes on every
 * machine.
 *
 * @module
 */

/**
 * Compares two strings by UTF-16 code units (a comparator for `Array.sort`).
 *
 * @example
 * ```ts
 * ["b", "B", "a"].sort(compareStrings); // ["B", "a", "b"]
 * ```
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
