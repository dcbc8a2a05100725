/**
 * TODO
 *
 * @module
 */

export { keyHash } from "./cache.ts";
export { type ReproduceCliOptions, runReproduce } from "./reproduce.ts";
