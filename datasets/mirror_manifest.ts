/**
 * Canonical URL, sha256 and size of every file in the offline mirror
 * (`MANIFEST.tsv` of `../shared/mirror`), so that downloads from the internet
 * are verified against the same hashes as mirror copies. The table,
 * `mirror_manifest.json` (`[url, sha256, bytes]` rows), is MANIFEST.tsv as
 * data; `download_test.ts` checks that it still equals the mirror's file.
 *
 * @module
 */

import table from "./mirror_manifest.json" with { type: "json" };

/** Expected hash and size of one published file. */
export interface ManifestEntry {
  /** Lower-case hex sha256 of the file's bytes. */
  sha256: string;
  /** Size in bytes. */
  size: number;
}

/**
 * Every mirrored file, keyed by its canonical `https://` URL.
 *
 * @example
 * ```ts
 * MIRROR_MANIFEST.get("https://raw.githubusercontent.com/DexterZeng/CEA/dfdc53e2c4073fbcb9d23bad3dde7a798fe0d81a/data/en_de_15k_V1/ent_ids_1")?.size; // 760995
 * ```
 */
export const MIRROR_MANIFEST: ReadonlyMap<string, ManifestEntry> = new Map(
  (table as [string, string, number][]).map(([url, sha256, size]) => [url, { sha256, size }]),
);

/**
 * The mirrored files whose URL starts with `prefix`, in URL order.
 *
 * @example
 * ```ts
 * manifestUnder("https://raw.githubusercontent.com/GpNico/prompts/").length;
 * ```
 */
export function manifestUnder(prefix: string): { url: string; sha256: string; size: number }[] {
  return [...MIRROR_MANIFEST].filter(([url]) => url.startsWith(prefix)).map(([url, e]) => ({
    url,
    ...e,
  }));
}
