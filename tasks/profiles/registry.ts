/**
 * The profiles `--profile` can name.
 *
 * @module
 */

import { OptionError } from "../util/mod.ts";
import { MMARCO } from "./mmarco.ts";
import type { Profile } from "./profile.ts";
import { XQUAD_R } from "./xquad_r.ts";

/**
 * Every profile, the default first.
 *
 * @example
 * ```ts
 * PROFILES.map((p) => p.name); // ["xquad-r", "mmarco"]
 * ```
 */
export const PROFILES: readonly Profile[] = [XQUAD_R, MMARCO];

/**
 * Name of the default profile.
 *
 * @example
 * ```ts
 * getProfile(DEFAULT_PROFILE).name; // "xquad-r"
 * ```
 */
export const DEFAULT_PROFILE = XQUAD_R.name;

/**
 * Looks up a profile by name.
 *
 * @example
 * ```ts
 * getProfile("xquad-r").seen; // ["en", "de", "ru", "ar", "es", "zh"]
 * ```
 */
export function getProfile(name: string): Profile {
  const p = PROFILES.find((x) => x.name === name);
  if (!p) {
    throw new OptionError(
      "--profile",
      `one of ${PROFILES.map((x) => x.name).join(", ")}`,
      name,
    );
  }
  return p;
}
