/**
 * The stage cache: every cached stage writes its outputs into a directory
 * named by a hash of its content key (its inputs' keys and its configuration).
 * A stage whose directory exists is finished and is not run again, so an
 * interrupted pipeline resumes from the stages it completed. Outputs are built
 * with the one atomic directory writer, so a killed stage leaves no directory
 * that looks finished.
 *
 * @module
 */

import { join } from "node:path";
import { writeDirAtomic, writeFileAtomic } from "./atomic.ts";
import { canonicalJson, keyHash } from "./hash.ts";

/**
 * The outcome of {@linkcode cachedStage}.
 *
 * @example
 * ```ts
 * declare const stageResult: StageResult<unknown>;
 * stageResult.dir;
 * ```
 */
export interface StageResult<T> {
  /** Directory holding the stage's outputs. */
  dir: string;
  /** The value the stage returned (stored as `stage.json`). */
  value: T;
  /** Whether the outputs came from an earlier run. */
  cached: boolean;
}

/**
 * The directory of a stage's output: `<root>/<name>/<keyHash(key)>`.
 *
 * @example
 * ```ts
 * stageDir("/tmp/cache/stages", "trainset", { seed: 1 }); // "/tmp/cache/stages/trainset/<16 hex>"
 * ```
 */
export function stageDir(root: string, name: string, key: unknown): string {
  return join(root, name, keyHash(key));
}

/**
 * The finished output of a stage with this key, or undefined when there is none.
 *
 * @example
 * ```ts
 * const done = await readCachedStage<{ instances: number }>("/tmp/cache/stages", "trainset", { seed: 1 });
 * if (done) console.log(done.dir, done.value.instances);
 * ```
 */
export async function readCachedStage<T>(
  root: string,
  name: string,
  key: unknown,
): Promise<StageResult<T> | undefined> {
  const dir = stageDir(root, name, key);
  try {
    const value = JSON.parse(await Deno.readTextFile(join(dir, "stage.json"))).value as T;
    return { dir, value, cached: true };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Runs `build` unless a finished output for the same `key` exists.
 *
 * @param root cache root, e.g. `~/.cache/csclir-bench/stages`
 * @param name stage-cache namespace, the first path component under `root`
 * @param key everything the output depends on (input keys, options, seed)
 * @param build writes outputs into the given directory and returns a JSON-able summary
 * @example
 * ```ts
 * const root = await Deno.makeTempDir();
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
  const done = await readCachedStage<T>(root, name, key);
  if (done) return done;
  const dir = stageDir(root, name, key);
  const value = await writeDirAtomic(dir, async (tmp) => {
    const value = await build(tmp);
    await writeFileAtomic(join(tmp, "stage.json"), canonicalJson({ key, value }) + "\n");
    return value;
  });
  return { dir, value, cached: false };
}
