/**
 * The stage cache: every cached stage writes its outputs into a directory
 * named by a hash of its content key (its inputs' keys and its configuration).
 * A stage whose directory exists and whose outputs pass verification is
 * finished and is not run again, so an interrupted pipeline resumes from the
 * stages it completed. Outputs are built with the one atomic directory writer,
 * so a killed stage leaves no directory that looks finished.
 *
 * `stage.json` (written last) holds the key, the value and the size and
 * sha256 of every output file. Reuse re-checks all of them: hashing is cheap
 * next to the stages (0.06-0.1 s for a 67 MB model on 2 cores, 3.4-5.9 s for
 * the 60 models of a full run, and a model is only read when a stage that
 * depends on it is rebuilt). A stage that fails
 * the check, or whose `stage.json` is unreadable, is rebuilt with a one-line
 * notice. Stages written before outputs were recorded are adopted once: their
 * outputs are recorded in a sidecar `stage.outputs.json` inside the directory
 * (the outputs and `stage.json` are not touched; a reader sees the sidecar
 * whole or not at all) and verified from then on. Builds hold a lock per
 * stage, so runs sharing a cache wait for each other instead of racing.
 *
 * @module
 */

import { basename, dirname, join, relative, sep } from "node:path";
import { writeDirAtomic, writeFileAtomic } from "./atomic.ts";
import { onPath } from "./fs_errors.ts";
import { canonicalJson, keyHash, sha256File } from "./hash.ts";
import { withLock } from "./lock.ts";

/** The record of a finished stage. */
const RECORD = "stage.json";
/** Output records of a stage adopted from before outputs were recorded. */
const SIDECAR = "stage.outputs.json";

/**
 * Size and sha256 of each output file of a stage, by path relative to its directory.
 *
 * @example
 * ```ts
 * const outputs: StageOutputs = { "run.txt": { size: 12, sha256: "ab…" } };
 * ```
 */
export type StageOutputs = Record<string, { size: number; sha256: string }>;

/**
 * How the cache reads and reports.
 *
 * @example
 * ```ts
 * const cacheOptions: CacheOptions = { log: (line) => console.error(line) };
 * ```
 */
export interface CacheOptions {
  /** Receives the one-line notices (default: stderr). */
  log?: (line: string) => void;
  /**
   * Check only that the stage record is readable: no hashing, no adoption
   * (for `plan`, which never writes the cache). Default false.
   */
  presenceOnly?: boolean;
}

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
  /** Whether the stage predates output records and was adopted by this read. */
  adopted?: boolean;
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
 * The size and sha256 of every file under `dir` but the stage's own records.
 *
 * @example
 * ```ts
 * const outputs = await recordOutputs("/tmp/cache/stages/evaluate/0123456789abcdef");
 * outputs["run.txt"]?.size;
 * ```
 */
export async function recordOutputs(dir: string): Promise<StageOutputs> {
  const files: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const path = join(d, e.name);
      if (e.isDirectory) await walk(path);
      else if (d !== dir || (e.name !== RECORD && e.name !== SIDECAR)) files.push(path);
    }
  };
  await onPath(dir, () => walk(dir));
  files.sort();
  const out: StageOutputs = {};
  for (const f of files) {
    const rel = relative(dir, f).split(sep).join("/");
    out[rel] = { size: (await Deno.stat(f)).size, sha256: await sha256File(f) };
  }
  return out;
}

/** Why `dir`'s outputs do not match their records, or undefined when they do. */
async function mismatch(dir: string, outputs: StageOutputs): Promise<string | undefined> {
  for (const [rel, want] of Object.entries(outputs)) {
    const path = join(dir, rel);
    let size: number;
    try {
      size = (await Deno.stat(path)).size;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return `${path} is missing`;
      throw e;
    }
    if (size !== want.size) return `${path} has ${size} bytes, recorded ${want.size}`;
    if (await sha256File(path) !== want.sha256) return `${path} does not match its recorded sha256`;
  }
  return undefined;
}

async function readJson(
  path: string,
): Promise<{ ok: true; json: unknown } | { ok: false; why: string }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: false, why: "missing" };
    throw e;
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, why: "not valid JSON (truncated?)" };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The finished, verified output of a stage with this key, or undefined when
 * there is none (or it failed verification, with a notice naming the file).
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
  opts: CacheOptions = {},
): Promise<StageResult<T> | undefined> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const dir = stageDir(root, name, key);
  const record = await onPath(join(dir, RECORD), () => readJson(join(dir, RECORD)));
  if (!record.ok) {
    if (record.why !== "missing") log(`${join(dir, RECORD)}: ${record.why}; rebuilding the stage`);
    return undefined;
  }
  if (!isObject(record.json) || !("value" in record.json)) {
    log(`${join(dir, RECORD)}: not a stage record; rebuilding the stage`);
    return undefined;
  }
  const value = record.json.value as T;
  if (opts.presenceOnly) return { dir, value, cached: true };
  let outputs = record.json.outputs as StageOutputs | undefined;
  if (outputs === undefined) {
    const sidecar = await onPath(join(dir, SIDECAR), () => readJson(join(dir, SIDECAR)));
    if (sidecar.ok && isObject(sidecar.json)) outputs = sidecar.json as StageOutputs;
  }
  if (outputs === undefined) {
    // Written before outputs were recorded: trusted once, verified from now on.
    await writeFileAtomic(join(dir, SIDECAR), canonicalJson(await recordOutputs(dir)) + "\n");
    return { dir, value, cached: true, adopted: true };
  }
  const bad = await mismatch(dir, outputs);
  if (bad) {
    log(`${bad}; rebuilding stage ${name}/${basename(dir)}`);
    return undefined;
  }
  return { dir, value, cached: true };
}

/**
 * Runs `build` unless a finished, verified output for the same `key` exists;
 * the arguments are {@linkcode buildStage}'s.
 *
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
  ...args: Parameters<typeof buildStage<T>>
): Promise<StageResult<T>> {
  const [root, name, key, , opts] = args;
  return await readCachedStage<T>(root, name, key, opts) ?? await buildStage(...args);
}

/**
 * Builds a stage that {@linkcode readCachedStage} found missing or invalid,
 * holding its lock (`<dir>.lock`). The cache is read again under the lock, so
 * a stage another run finished meanwhile is reused, not rebuilt.
 *
 * @param root cache root, e.g. `~/.cache/csclir-bench/stages`
 * @param name stage-cache namespace, the first path component under `root`
 * @param key everything the output depends on (input keys, options, seed)
 * @param build writes outputs into the given directory and returns a JSON-able summary
 * @param opts where notices go
 * @example
 * ```ts
 * const root = await Deno.makeTempDir();
 * const key = { seed: 1 };
 * const r = await readCachedStage(root, "trainset", key) ??
 *   await buildStage(root, "trainset", key, async (out) => {
 *     await Deno.writeTextFile(`${out}/train.jsonl`, "...");
 *     return { instances: 1 };
 *   });
 * ```
 */
export async function buildStage<T>(
  root: string,
  name: string,
  key: unknown,
  build: (dir: string) => Promise<T>,
  opts: CacheOptions = {},
): Promise<StageResult<T>> {
  const dir = stageDir(root, name, key);
  await onPath(dir, () => Deno.mkdir(dirname(dir), { recursive: true }));
  const log = opts.log ?? ((line: string) => console.error(line));
  return await withLock(`${dir}.lock`, async () => {
    // Quiet: a failed check was reported by the caller's read.
    const now = await readCachedStage<T>(root, name, key, { log: () => {} });
    if (now) return now;
    const value = await writeDirAtomic(dir, async (tmp) => {
      const value = await build(tmp);
      const outputs = await recordOutputs(tmp);
      await writeFileAtomic(join(tmp, RECORD), canonicalJson({ key, value, outputs }) + "\n");
      return value;
    });
    return { dir, value, cached: false };
  }, (owner) => log(`${name}/${basename(dir)}: waiting for ${owner}, which is building it`));
}
