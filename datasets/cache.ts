/**
 * Where downloaded files live and how their hashes are pinned. The cache and
 * the offline mirror share one layout: the URL `https://H/P` is stored at
 * `<root>/H/<percent-decoded P>`, so a mirror folder can be read exactly like
 * a filled cache. Hashes of files that have no published sha256 are pinned in
 * `datasets/sha256.lock.json` on first download (trust on first use, like
 * `deno.lock`) and verified on every later download.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  compareStrings,
  InputError,
  UserError,
  withLock,
  writeFileAtomic,
} from "../tasks/util/mod.ts";
import type { ManifestEntry } from "./mirror_manifest.ts";

/**
 * The committed lock file of first-download hashes.
 *
 * @example
 * ```ts
 * const lock = await readLock(DEFAULT_LOCK_FILE); // url -> pinned sha256 and size
 * ```
 */
export const DEFAULT_LOCK_FILE: string = fileURLToPath(
  new URL("./sha256.lock.json", import.meta.url),
);

/**
 * The cache directory: `override`, else `$CSCLIR_CACHE`, else
 * `$XDG_CACHE_HOME/csclir-bench`, else `~/.cache/csclir-bench`.
 *
 * @example
 * ```ts
 * resolveCacheDir("/tmp/cache"); // "/tmp/cache"
 * resolveCacheDir(); // $CSCLIR_CACHE or ~/.cache/csclir-bench
 * ```
 */
export function resolveCacheDir(override?: string): string {
  if (override) return override;
  const env = Deno.env.get("CSCLIR_CACHE");
  if (env) return env;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "csclir-bench");
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  if (!home) throw new UserError("no cache directory: set CSCLIR_CACHE or pass --cache-dir");
  return join(home, ".cache", "csclir-bench");
}

/**
 * The path of `url` under a cache or mirror root: `<root>/<host>/<decoded path>`.
 *
 * @example
 * ```ts
 * urlPath("/m", "https://h.org/a/B%C3%A9.html"); // "/m/h.org/a/Bé.html"
 * ```
 */
export function urlPath(root: string, url: string): string {
  const u = new URL(url);
  const segments = u.pathname.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
  if (segments.some((s) => s === "." || s === ".." || s.includes("/"))) {
    throw new UserError(`refusing URL with a path that escapes the cache: ${url}`);
  }
  return join(root, u.host, ...segments);
}

/** Pinned hashes: URL -> sha256 and size. */
export type LockTable = Record<string, ManifestEntry>;

/**
 * Reads a lock file; a missing file is an empty table.
 *
 * @example
 * ```ts
 * const lock = await readLock(DEFAULT_LOCK_FILE);
 * Object.keys(lock).length;
 * ```
 */
export async function readLock(path: string): Promise<LockTable> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw e;
  }
  try {
    const table = JSON.parse(text) as LockTable;
    if (typeof table !== "object" || table === null || Array.isArray(table)) throw new Error();
    return table;
  } catch {
    throw new InputError(path, undefined, "expected a JSON object {url: {sha256, size}}");
  }
}

/**
 * Pins `url` in the lock file (re-read just before writing, under the file's
 * lock `<path>.lock`, so concurrent fetches of other files, in this process or
 * another, keep their pins), with sorted keys for stable diffs.
 */
export function pinHash(path: string, url: string, entry: ManifestEntry): Promise<void> {
  return withLock(`${path}.lock`, async () => {
    const table = await readLock(path);
    table[url] = { sha256: entry.sha256, size: entry.size };
    const sorted = Object.fromEntries(
      Object.entries(table).sort(([a], [b]) => compareStrings(a, b)),
    );
    await writeFileAtomic(path, JSON.stringify(sorted, null, 2) + "\n");
  });
}
