/**
 * Old import path of the profiles, kept only for `report.ts` and its test until
 * issue 11 moves them into `tasks/report/`; new code imports `profiles/mod.ts`.
 *
 * @module
 */

export { type Profile, XQUAD_R } from "./profiles/mod.ts";
