/**
 * Atomic output: everything is written to a temporary file beside the target
 * and renamed into place only when complete, so an interrupted stage never
 * leaves a half-written file where a finished one is expected.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { PathError } from "./errors.ts";
import { onPath, toPathError } from "./fs_errors.ts";
import { ownerAlive, tempName as tempPath, tempOwner, thisOwner } from "./lock.ts";

/**
 * Writes `data` to `path` atomically, creating parent directories.
 *
 * @example
 * ```ts
 * await writeFileAtomic("out/stage.json", '{"done":true}\n');
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await onPath(path, () => Deno.mkdir(dirname(path), { recursive: true }));
  const tmp = tempPath(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw toPathError(e, path);
  }
}

/** A buffered writer to a temporary file that becomes `path` on {@linkcode AtomicWriter.commit}. */
export interface AtomicWriter {
  /** Appends text (buffered). */
  write(text: string): Promise<void>;
  /** Flushes, closes and renames into place. */
  commit(): Promise<void>;
  /** Closes and deletes the temporary file. */
  abort(): Promise<void>;
}

/**
 * Opens a streaming atomic writer, for outputs too large to hold in memory.
 *
 * @example
 * ```ts
 * const w = await openAtomic("out/train.jsonl");
 * try {
 *   await w.write('{"qid":"1"}\n');
 *   await w.commit();
 * } catch (e) {
 *   await w.abort();
 *   throw e;
 * }
 * ```
 */
export async function openAtomic(path: string): Promise<AtomicWriter> {
  await onPath(path, () => Deno.mkdir(dirname(path), { recursive: true }));
  const tmp = tempPath(path);
  const file = await onPath(
    path,
    () => Deno.open(tmp, { write: true, create: true, truncate: true }),
  );
  const enc = new TextEncoder();
  let buf: string[] = [];
  let size = 0;
  let closed = false;
  const flush = async () => {
    if (buf.length === 0) return;
    const bytes = enc.encode(buf.join(""));
    buf = [];
    size = 0;
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
  };
  return {
    async write(text: string) {
      buf.push(text);
      size += text.length;
      if (size >= 1 << 20) await onPath(path, flush);
    },
    async commit() {
      await onPath(path, flush);
      file.close();
      closed = true;
      await onPath(path, () => Deno.rename(tmp, path));
    },
    async abort() {
      if (!closed) file.close();
      closed = true;
      await Deno.remove(tmp).catch(() => {});
    },
  };
}

/**
 * Builds a directory atomically: `build` fills a temporary directory beside
 * `dir`, then two renames swap it in (`dir` → `<dir>.old-<pid>`, temporary →
 * `dir`) and the old one is removed; if the second rename fails the old one is
 * renamed back. Leftovers of dead processes are cleared first: their
 * temporary directories are removed and an `.old-` directory is renamed back
 * when a kill between the two renames left `dir` missing. Live processes'
 * temporary directories are left alone. On failure nothing of the build remains.
 *
 * @example
 * ```ts
 * const n = await writeDirAtomic("out/model", async (tmp) => {
 *   await Deno.writeTextFile(`${tmp}/config.json`, "{}\n");
 *   return 1;
 * });
 * ```
 */
export async function writeDirAtomic<T>(
  dir: string,
  build: (tmp: string) => Promise<T>,
): Promise<T> {
  const tmp = tempPath(dir);
  const old = `${dir}.old-${Deno.pid}`;
  await onPath(dir, async () => {
    // Creating `tmp` first makes a file in place of the parent a "not a directory" error.
    await Deno.mkdir(tmp, { recursive: true });
    await sweepLeftovers(dir);
  });
  try {
    // Errors of `build` are its own (it knows which path failed); only the swap is ours.
    const value = await build(tmp);
    let replaced = false;
    await onPath(dir, async () => {
      try {
        await Deno.rename(dir, old);
        replaced = true;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      try {
        await Deno.rename(tmp, dir);
      } catch (e) {
        if (replaced) await Deno.rename(old, dir);
        throw e;
      }
    });
    if (replaced) {
      await Deno.remove(old, { recursive: true }).catch((e) => {
        throw new PathError(
          old,
          `the new ${basename(dir)} is in place but its predecessor could not be removed ` +
            `(${(e as Error).message}); remove it by hand`,
        );
      });
    }
    return value;
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}

/** Clears what dead processes left beside `dir` (see {@linkcode writeDirAtomic}). */
async function sweepLeftovers(dir: string): Promise<void> {
  const base = basename(dir);
  for await (const e of Deno.readDir(dirname(dir))) {
    const path = join(dirname(dir), e.name);
    const tmpOwner = tempOwner(base, e.name);
    if (tmpOwner && !ownerAlive(tmpOwner)) {
      await Deno.remove(path, { recursive: true }).catch(ignoreNotFound);
    }
    const m = e.name.startsWith(`${base}.old-`) && /^\d+$/.exec(e.name.slice(base.length + 5));
    if (m && !ownerAlive({ host: thisOwner().host, pid: Number(m[0]) })) {
      // Killed between its two renames: the old version is the complete one.
      await Deno.rename(path, dir).catch(() => Deno.remove(path, { recursive: true }))
        .catch(ignoreNotFound);
    }
  }
}

function ignoreNotFound(e: unknown): void {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}
