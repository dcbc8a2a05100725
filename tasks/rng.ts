/**
 * Old import path of the seeded generator, kept only for `report.ts`,
 * `significance.ts` and their tests until issue 11 moves them; new code imports
 * `util/mod.ts`.
 *
 * @module
 */

export { Rng } from "./util/mod.ts";
