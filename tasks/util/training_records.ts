/**
 * The one reader and writer of training records: JSON lines
 * `{qid, query, pid, passage, label}` (plus `queryLangs`, `passageLangs` after
 * code-switching), in that field order, validated line by line on reading.
 *
 * @module
 */

import { openAtomic } from "./atomic.ts";
import { InputError } from "./errors.ts";
import { parseJsonObject, readLines } from "./lines.ts";
import { firstLineIs } from "./output_guard.ts";
import type { SwitchedInstance, TrainingInstance } from "./records.ts";

/**
 * Checks that `value` is a training record; throws {@linkcode InputError} naming file and line.
 *
 * @example
 * ```ts
 * asInstance({ qid: 1, query: "q", pid: "p", passage: "t", label: 0 }, "<records>", 1).qid; // "1"
 * ```
 */
export function asInstance(value: unknown, file: string, line: number): TrainingInstance {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(file, line, "expected a JSON object {qid, query, pid, passage, label}");
  }
  const r = value as Record<string, unknown>;
  for (const f of ["qid", "pid"]) {
    if (typeof r[f] !== "string" && typeof r[f] !== "number") {
      throw new InputError(file, line, `expected field "${f}" (a string id)`);
    }
  }
  for (const f of ["query", "passage"]) {
    if (typeof r[f] !== "string") {
      throw new InputError(file, line, `expected field "${f}" (a string)`);
    }
  }
  if (r.label !== 0 && r.label !== 1) {
    throw new InputError(
      file,
      line,
      `expected field "label" (0 or 1), got ${JSON.stringify(r.label)}`,
    );
  }
  return {
    qid: String(r.qid),
    query: r.query as string,
    pid: String(r.pid),
    passage: r.passage as string,
    label: r.label,
  };
}

/**
 * Parses one JSON line into a training record; throws {@linkcode InputError} naming file and line.
 *
 * @example
 * ```ts
 * parseInstance('{"qid":"1","query":"q","pid":"p","passage":"t","label":1}', "t.jsonl", 1).label; // 1
 * ```
 */
export function parseInstance(text: string, file: string, line: number): TrainingInstance {
  return asInstance(parseJsonObject(text, file, line), file, line);
}

/**
 * Whether `path` is a training-records file (its first line is a record):
 * what `trainset` and `codeswitch` may replace without `--force`.
 *
 * @example
 * ```ts
 * if (await isTrainingRecordsFile("train.jsonl")) console.log("a training set");
 * ```
 */
export function isTrainingRecordsFile(path: string): Promise<boolean> {
  return firstLineIs(path, (line) => {
    try {
      parseInstance(line, path, 1);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A record as one JSON line with the paper's field order; switched records
 * keep their languages after it.
 *
 * @example
 * ```ts
 * formatInstance({ qid: "1", query: "q", pid: "p", passage: "t", label: 1 });
 * // '{"qid":"1","query":"q","pid":"p","passage":"t","label":1}\n'
 * ```
 */
export function formatInstance(r: TrainingInstance | SwitchedInstance): string {
  const base = { qid: r.qid, query: r.query, pid: r.pid, passage: r.passage, label: r.label };
  return JSON.stringify(
    "queryLangs" in r ? { ...base, queryLangs: r.queryLangs, passageLangs: r.passageLangs } : base,
  ) + "\n";
}

/**
 * Reads training records from a JSON-lines file, streaming and validating each line.
 *
 * @example
 * ```ts
 * for await (const r of readTrainingInstances("train.jsonl")) console.log(r.qid);
 * ```
 */
export async function* readTrainingInstances(path: string): AsyncGenerator<TrainingInstance> {
  for await (const { text, n } of readLines(path)) {
    if (text.trim() !== "") yield parseInstance(text, path, n);
  }
}

/**
 * Writes records as JSON lines, atomically (temp file + rename).
 *
 * @example
 * ```ts
 * await writeTrainingInstances("train.jsonl", [{ qid: "1", query: "q", pid: "p", passage: "t", label: 1 }]);
 * ```
 */
export async function writeTrainingInstances(
  path: string,
  records: Iterable<TrainingInstance>,
): Promise<void> {
  const w = await openAtomic(path);
  try {
    for (const r of records) await w.write(formatInstance(r));
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
}
