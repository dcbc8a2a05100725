/**
 * Verified, resumable downloads into the cache.
 *
 * A file enters the cache only after its sha256 (and size) were checked, by an
 * atomic rename of `<path>.partial`; later calls check its size and, where a
 * hash is published or pinned, its sha256 again, and fetch it anew on a
 * mismatch. A fetch holds the file's lock (`<path>.lock`), so concurrent runs
 * on one cache wait for each other and `<path>.partial` has one writer; its
 * name stays fixed so a later process can resume it.
 * Sources, in order: the cache; the mirror folder (`--mirror`, env
 * `CSCLIR_MIRROR`), whose file is copied into the cache while it is hashed, so
 * that the cache alone serves later offline runs; the network, with HTTP Range
 * resumption of a `.partial` file left by an earlier (even killed) process and
 * exponential back-off on transient failures. `offline` never touches the
 * network.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { statfs } from "node:fs/promises";
import { basename, dirname } from "node:path";
import {
  onPath,
  openBytes,
  Progress,
  sha256File,
  toPathError,
  UserError,
  withLock,
} from "../tasks/util/mod.ts";
import { DEFAULT_LOCK_FILE, pinHash, readLock, resolveCacheDir, urlPath } from "./cache.ts";
import { getDataset } from "./catalogue.ts";

/**
 * Where and how to fetch.
 *
 * @example
 * ```ts
 * declare const fetchOptions: FetchOptions;
 * fetchOptions.cacheDir;
 * ```
 */
export interface FetchOptions {
  /** Cache directory (default: see `resolveCacheDir`). */
  cacheDir?: string;
  /** Mirror folder laid out as `<host>/<decoded path>` (default: env `CSCLIR_MIRROR`). */
  mirror?: string;
  /** Never use the network; missing files are a {@linkcode MissingFilesError}. */
  offline?: boolean;
  /** Lock file of first-download hashes (default `datasets/sha256.lock.json`). */
  lockFile?: string;
  /** Retries after a transient failure (default 5). */
  retries?: number;
  /** Back-off before the first retry, doubled for each further one (default 1000 ms). */
  retryDelayMs?: number;
  /** Show progress lines (default: on a TTY). */
  progress?: boolean;
}

/** What a file must hash to; unknown fields are pinned in the lock file. */
export interface Expected {
  /** Lower-case hex sha256. */
  sha256?: string;
  /** Size in bytes. */
  size?: number;
}

/** Files that are neither cached nor mirrored while offline. */
export class MissingFilesError extends UserError {
  /** URLs of the missing files. */
  readonly urls: string[];

  /** Lists up to five URLs and the count of the rest. */
  constructor(urls: string[], cacheDir: string, mirror?: string) {
    const shown = urls.slice(0, 5).join(", ") +
      (urls.length > 5 ? ` and ${urls.length - 5} more` : "");
    super(
      `offline: ${urls.length} file(s) missing from the cache ${cacheDir}` +
        (mirror ? ` and the mirror ${mirror}` : " (no mirror set)") +
        `: ${shown}; run \`deno task fetch\` with network access or pass --mirror DIR`,
    );
    this.name = "MissingFilesError";
    this.urls = urls;
  }
}

/** A failure worth retrying (network error, 5xx, cut connection). */
class TransientError extends Error {}

const PROGRESS_MIN_BYTES = 8 << 20;

function mirrorOf(opts: FetchOptions): string | undefined {
  return opts.mirror ?? (Deno.env.get("CSCLIR_MIRROR") || undefined);
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const st = await Deno.stat(path);
    return st.isFile ? st.size : undefined;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function ensureFreeSpace(dir: string, needed: number, url: string): Promise<void> {
  if (!(needed > 0)) return;
  const st = await statfs(dir);
  const free = Number(st.bavail) * Number(st.bsize);
  if (needed > free) {
    throw new UserError(
      `not enough disk space in ${dir} for ${url}: need ${needed} bytes, ${free} free`,
    );
  }
}

/** Appends a byte stream to `file`, hashing it; returns the number of bytes written. */
async function pump(
  body: ReadableStream<Uint8Array>,
  file: Deno.FsFile,
  hash: Hash,
  progress?: Progress,
): Promise<number> {
  let n = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    let off = 0;
    while (off < chunk.length) off += await file.write(chunk.subarray(off));
    n += chunk.length;
    progress?.add(chunk.length);
  }
  return n;
}

function progressFor(url: string, total: number | undefined, opts: FetchOptions) {
  if (opts.progress === false || (total !== undefined && total < PROGRESS_MIN_BYTES)) {
    return undefined;
  }
  return new Progress({ label: basename(new URL(url).pathname), total, unit: "bytes" });
}

/** One download attempt, resuming `partial` with a Range request when it holds bytes. */
async function downloadOnce(
  url: string,
  partial: string,
  want: Expected,
  opts: FetchOptions,
): Promise<Expected & { sha256: string; size: number }> {
  let offset = (await sizeOf(partial)) ?? 0;
  if (want.size !== undefined && offset > want.size) offset = 0;
  let res: Response;
  try {
    res = await fetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {} });
  } catch (e) {
    throw new TransientError(`${url}: ${(e as Error).message}`);
  }
  if (res.status === 416 && offset > 0) {
    // The partial file does not fit the server's copy: start over.
    await res.body?.cancel();
    await Deno.remove(partial).catch(() => {});
    throw new TransientError(`${url}: range not satisfiable, restarting from 0`);
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    await res.body?.cancel();
    throw new TransientError(`${url}: HTTP ${res.status} ${res.statusText}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new UserError(`download failed: ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  let total: number | undefined;
  let append = false;
  if (res.status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
    if (!m || Number(m[1]) !== offset) {
      await res.body.cancel();
      await Deno.remove(partial).catch(() => {});
      throw new TransientError(`${url}: unexpected Content-Range, restarting from 0`);
    }
    append = true;
    if (m[2] !== "*") total = Number(m[2]);
  } else {
    offset = 0; // the server ignored the Range header
    const len = res.headers.get("content-length");
    if (len !== null) total = Number(len);
  }
  total = want.size ?? total;
  await ensureFreeSpace(dirname(partial), (total ?? 0) - offset, url);
  const hash = createHash("sha256");
  if (append) await sha256File(partial, hash);
  const file = await onPath(
    partial,
    () =>
      Deno.open(partial, append ? { append: true } : { write: true, create: true, truncate: true }),
  );
  const progress = progressFor(url, total, opts);
  progress?.set(offset);
  let written: number;
  try {
    written = await pump(res.body, file, hash, progress);
  } catch (e) {
    throw new TransientError(`${url}: connection lost: ${(e as Error).message}`);
  } finally {
    file.close();
    progress?.done();
  }
  const size = offset + written;
  if (total !== undefined && size < total) {
    throw new TransientError(`${url}: connection closed after ${size} of ${total} bytes`);
  }
  return { sha256: hash.digest("hex"), size };
}

async function download(
  url: string,
  partial: string,
  want: Expected,
  opts: FetchOptions,
): Promise<{ sha256: string; size: number }> {
  const retries = opts.retries ?? 5;
  const delay = opts.retryDelayMs ?? 1000;
  for (let attempt = 0;; attempt++) {
    try {
      return await downloadOnce(url, partial, want, opts);
    } catch (e) {
      if (!(e instanceof TransientError)) throw e;
      if (attempt >= retries) {
        throw new UserError(`download failed after ${attempt + 1} attempts: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, delay * 2 ** attempt));
    }
  }
}

async function copyFromMirror(
  src: string,
  partial: string,
  url: string,
  opts: FetchOptions,
): Promise<{ sha256: string; size: number }> {
  const size = (await sizeOf(src))!;
  await ensureFreeSpace(dirname(partial), size, url);
  const hash = createHash("sha256");
  const file = await onPath(
    partial,
    () => Deno.open(partial, { write: true, create: true, truncate: true }),
  );
  const progress = progressFor(url, size, opts);
  try {
    const n = await pump(await openBytes(src, { gunzip: false }), file, hash, progress)
      .catch((e) => Promise.reject(toPathError(e, partial)));
    return { sha256: hash.digest("hex"), size: n };
  } finally {
    file.close();
    progress?.done();
  }
}

/**
 * Returns the local path of `url`'s verified bytes, fetching them if needed.
 *
 * @example
 * ```ts
 * const url = "https://raw.githubusercontent.com/DexterZeng/CEA/dfdc53e2c4073fbcb9d23bad3dde7a798fe0d81a/data/en_de_15k_V1/ent_ids_1";
 * const path = await fetchUrl(url, { mirror: "../shared/mirror" }, { size: 760995 });
 * ```
 */
export async function fetchUrl(
  url: string,
  opts: FetchOptions = {},
  expect: Expected = {},
): Promise<string> {
  const cacheDir = resolveCacheDir(opts.cacheDir);
  const dest = urlPath(cacheDir, url);
  const lockFile = opts.lockFile ?? DEFAULT_LOCK_FILE;
  const pinned = expect.sha256 ? undefined : (await readLock(lockFile))[url];
  const want: Expected = {
    sha256: expect.sha256 ?? pinned?.sha256,
    size: expect.size ?? pinned?.size,
  };
  const bad = await checkCached(dest, want);
  if (bad === undefined) return dest;
  if (bad !== "missing") console.error(`${dest}: ${bad}; fetching it again`);
  await onPath(dest, () => Deno.mkdir(dirname(dest), { recursive: true }));
  // One fetch per file at a time: concurrent runs wait, then reuse the file the first one fetched.
  return await withLock(`${dest}.lock`, async () => {
    const now = await checkCached(dest, want);
    if (now === undefined) return dest;
    if (now !== "missing") await Deno.remove(dest);
    const partial = `${dest}.partial`;
    const mirror = mirrorOf(opts);
    const mirrorFile = mirror ? urlPath(mirror, url) : undefined;
    let got: { sha256: string; size: number };
    let from = "download";
    if (mirrorFile && (await sizeOf(mirrorFile)) !== undefined) {
      got = await copyFromMirror(mirrorFile, partial, url, opts);
      from = `mirror copy ${mirrorFile}`;
    } else if (opts.offline) {
      throw new MissingFilesError([url], cacheDir, mirror);
    } else {
      got = await download(url, partial, want, opts);
    }
    if (want.size !== undefined && got.size !== want.size) {
      await Deno.remove(partial).catch(() => {});
      throw new UserError(
        `${from} of ${url} has ${got.size} bytes, expected ${want.size}; it was discarded`,
      );
    }
    if (want.sha256 !== undefined && got.sha256 !== want.sha256) {
      await Deno.remove(partial).catch(() => {});
      throw new UserError(
        `${from} of ${url} failed verification: sha256 ${got.sha256}, expected ${want.sha256}` +
          (pinned ? ` (pinned in ${lockFile})` : "") + "; it was discarded",
      );
    }
    if (want.sha256 === undefined) await pinHash(lockFile, url, got);
    await Deno.rename(partial, dest);
    return dest;
  }, (owner) => console.error(`${url}: waiting for ${owner}, which is fetching it`));
}

/**
 * Why the cached file at `dest` cannot be used ("missing" when absent), or
 * undefined when it can: its size is checked always, its sha256 whenever one is
 * published or pinned (the mirror's 172 MB hash in about 0.5 s, so a same-size
 * edit of a cached download is caught on every run).
 */
async function checkCached(dest: string, want: Expected): Promise<string | undefined> {
  const size = await sizeOf(dest);
  if (size === undefined) return "missing";
  if (want.size !== undefined && size !== want.size) {
    return `cached download has ${size} bytes, expected ${want.size}`;
  }
  if (want.sha256 !== undefined && await sha256File(dest) !== want.sha256) {
    return "cached download does not match its sha256";
  }
  return undefined;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping result order. */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Fetches every file of a catalogue dataset; returns file name -> local path.
 * Offline, all missing files are reported together in one {@linkcode MissingFilesError}.
 *
 * @example
 * ```ts
 * const files = await fetchDataset("squad/v1.1/train", { mirror: "../shared/mirror", offline: true });
 * Object.keys(files).length;
 * ```
 */
export async function fetchDataset(
  id: string,
  opts: FetchOptions = {},
): Promise<Record<string, string>> {
  const entry = getDataset(id);
  const missing: string[] = [];
  const paths = await pool(entry.files, 4, async (f) => {
    try {
      return await fetchUrl(f.url, opts, { sha256: f.sha256, size: f.size });
    } catch (e) {
      if (!(e instanceof MissingFilesError)) throw e;
      missing.push(...e.urls);
      return "";
    }
  });
  if (missing.length > 0) {
    throw new MissingFilesError(missing, resolveCacheDir(opts.cacheDir), mirrorOf(opts));
  }
  return Object.fromEntries(entry.files.map((f, i) => [f.name, paths[i]]));
}

/** Result of {@linkcode verifyCache}. */
export interface VerifyReport {
  /** Files re-hashed and found good. */
  ok: number;
  /** Cached files that failed verification and were removed. */
  removed: string[];
  /** Files not in the cache. */
  missing: number;
}

/**
 * Re-hashes the cached files of datasets against their published or pinned
 * hashes; bad files are removed so that the next fetch replaces them.
 */
export async function verifyCache(ids: string[], opts: FetchOptions = {}): Promise<VerifyReport> {
  const cacheDir = resolveCacheDir(opts.cacheDir);
  const lock = await readLock(opts.lockFile ?? DEFAULT_LOCK_FILE);
  const report: VerifyReport = { ok: 0, removed: [], missing: 0 };
  const seen = new Set<string>();
  for (const id of ids) {
    for (const f of getDataset(id).files) {
      const path = urlPath(cacheDir, f.url);
      if (seen.has(path)) continue; // datasets may share a file
      seen.add(path);
      const size = await sizeOf(path);
      if (size === undefined) {
        report.missing++;
        continue;
      }
      const want = f.sha256 ?? lock[f.url]?.sha256;
      const wantSize = f.size ?? lock[f.url]?.size;
      const good = (wantSize === undefined || wantSize === size) &&
        (want === undefined || (await sha256File(path)) === want);
      if (good) report.ok++;
      else {
        await Deno.remove(path);
        report.removed.push(path);
      }
    }
  }
  return report;
}
