/**
 * Old import path of the atomic writer, kept only for `report.ts` until issue 11
 * moves it into `tasks/report/`; new code imports `util/mod.ts`.
 *
 * @module
 */

export { writeFileAtomic } from "./util/mod.ts";
