/**
 * Test helper: the offline mirror folder, from `CSCLIR_MIRROR` or the
 * repository's sibling `../shared/mirror`. Tests that need real data fail
 * (never skip) when it is absent.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The mirror folder; throws when there is none. */
export async function mirrorDir(): Promise<string> {
  const dir = Deno.env.get("CSCLIR_MIRROR") ||
    fileURLToPath(new URL("../../shared/mirror", import.meta.url));
  try {
    await Deno.stat(join(dir, "MANIFEST.tsv"));
  } catch {
    throw new Error(`these tests need the offline mirror: set CSCLIR_MIRROR (tried ${dir})`);
  }
  return dir;
}
