/**
 * TODO
 *
 * @module
 */

export { diffVersions, formatDiff } from "./diff.ts";
