/**
 * Content-addressed stage cache: every pipeline stage writes its outputs into
 * a directory named by a hash of its inputs and configuration. A stage whose
 * directory exists is finished and is not run again, so an interrupted
 * pipeline resumes from the stages it completed. Outputs are built in a
 * temporary directory and renamed into place, so a killed stage leaves no
 * directory that looks finished.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../util/mod.ts";

/** JSON with object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v instanceof Map) v = Object.fromEntries(v);
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
    }
    return v;
  });
}

/** Hex sha256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Short hash of a stage key (16 hex digits of the sha256 of its canonical JSON). */
export function keyHash(key: unknown): string {
  return sha256Hex(canonicalJson(key)).slice(0, 16);
}

/** The outcome of {@linkcode cachedStage}. */
export interface StageResult<T> {
  /** Directory holding the stage's outputs. */
  dir: string;
  /** The value the stage returned (stored as `stage.json`). */
  value: T;
  /** Whether the outputs came from an earlier run. */
  cached: boolean;
}

/**
 * Runs `build` unless a finished output for the same `key` exists.
 *
 * @param root cache root, e.g. `~/.cache/csclir-bench/stages`
 * @param name stage name, the first path component under `root`
 * @param key everything the output depends on (input hashes, options, seed)
 * @param build writes outputs into the given directory and returns a JSON-able summary
 * @example
 * ```ts
 * const { dir, value } = await cachedStage(root, "trainset", { seed: 1 }, async (out) => {
 *   await Deno.writeTextFile(`${out}/train.jsonl`, "...");
 *   return { instances: 1 };
 * });
 * ```
 */
export async function cachedStage<T>(
  root: string,
  name: string,
  key: unknown,
  build: (dir: string) => Promise<T>,
): Promise<StageResult<T>> {
  const dir = join(root, name, keyHash(key));
  try {
    const value = JSON.parse(await Deno.readTextFile(join(dir, "stage.json"))).value as T;
    return { dir, value, cached: true };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  // Leftovers of killed runs of this stage would otherwise pile up beside it.
  const base = `${basename(dir)}.tmp-`;
  await Deno.mkdir(dirname(dir), { recursive: true });
  for await (const e of Deno.readDir(dirname(dir))) {
    if (e.name.startsWith(base)) await Deno.remove(join(dirname(dir), e.name), { recursive: true });
  }
  const tmp = `${dir}.tmp-${Deno.pid}`;
  await Deno.mkdir(tmp, { recursive: true });
  try {
    const value = await build(tmp);
    await writeFileAtomic(join(tmp, "stage.json"), canonicalJson({ key, value }) + "\n");
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.rename(tmp, dir);
    return { dir, value, cached: false };
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}
