/**
 * Compares two result versions cell by cell.
 *
 * @example
 * ```ts
 * const d = await diffVersions("results/xquad-r/v0.1.0", "results/xquad-r/v0.2.0");
 * console.log(formatDiff(d));
 * ```
 *
 * @module
 */

export { diffVersions, formatDiff } from "./diff.ts";
