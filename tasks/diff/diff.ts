/**
 * Compares two result versions (`results/<profile>/<version>/`) cell by cell.
 * CSV rows are matched by their key columns ({@linkcode KEY_COLUMNS}), or by
 * row number when a file has none; other files are compared byte for byte.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { join, relative } from "node:path";
import { canonicalJson, InputError, parseJsonObject, toPathError } from "../util/mod.ts";

/** Columns that identify a row; every other column is a value cell. */
export const KEY_COLUMNS: readonly string[] = ["id", "method", "setting", "pair", "measure"];

/** One changed CSV cell (or a row/column present on one side only, with "" on the other). */
export interface CellChange {
  /** File path relative to the version directory. */
  file: string;
  /** Row key: the key columns joined by " / " (or `row N`). */
  key: string;
  /** Column name. */
  column: string;
  /** Old value ("" when absent). */
  old: string;
  /** New value ("" when absent). */
  new: string;
  /** new − old when both are numbers. */
  delta?: number;
}

/** A whole-file difference. */
export interface FileChange {
  /** File path relative to the version directory. */
  file: string;
  /** What happened to it. */
  status: "added" | "removed" | "changed";
}

/**
 * Manifest fields that make up a run's configuration (everything that
 * changes results).
 *
 * @example
 * ```ts
 * CONFIG_FIELDS.includes("seeds"); // true
 * ```
 */
export const CONFIG_FIELDS: readonly string[] = [
  "profile",
  "scale",
  "seeds",
  "p",
  "seedChoice",
  "configTag",
  "wikititles",
];

/** A configuration field that differs between the two versions' manifests. */
export interface ConfigChange {
  /** Manifest field. */
  field: string;
  /** Old value as JSON ("" when absent). */
  old: string;
  /** New value as JSON ("" when absent). */
  new: string;
}

/** Result of {@linkcode diffVersions}. */
export interface VersionDiff {
  /** Configuration fields that differ (from `manifest.json`), listed first by {@linkcode formatDiff}. */
  config: ConfigChange[];
  /** Changed CSV cells in file, row and column order. */
  cells: CellChange[];
  /** Files added, removed, or (non-CSV) changed. */
  files: FileChange[];
  /** True when anything differs. */
  differ: boolean;
}

type Row = Record<string, string>;

function parseCsv(file: string, text: string): { columns: string[]; rows: Row[] } {
  try {
    const records: string[][] = parse(text, { relax_column_count: false });
    const [columns = [], ...body] = records;
    return {
      columns,
      rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ""]))),
    };
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new InputError(file, line, `expected a CSV table (${(e as Error).message})`);
  }
}

function decimals(s: string): number {
  const dot = s.indexOf(".");
  return dot === -1 || /e/i.test(s) ? 0 : s.length - dot - 1;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Cell-by-cell differences of two CSV texts of the same file.
 *
 * @example
 * ```ts
 * diffCsv("main.csv", "method,mean\nZS,1.0\n", "method,mean\nZS,1.5\n");
 * // [{ file: "main.csv", key: "ZS", column: "mean", old: "1.0", new: "1.5", delta: 0.5 }]
 * ```
 */
export function diffCsv(
  file: string,
  oldText: string,
  newText: string,
  paths = [file, file],
): CellChange[] {
  const a = parseCsv(paths[0], oldText);
  const b = parseCsv(paths[1], newText);
  const keyCols = KEY_COLUMNS.filter((k) => a.columns.includes(k) && b.columns.includes(k));
  const keyOf = (r: Row, i: number) =>
    keyCols.length ? keyCols.map((k) => r[k]).join(" / ") : `row ${i + 1}`;
  const index = (rows: Row[], path: string) => {
    const m = new Map<string, Row>();
    rows.forEach((r, i) => {
      const k = keyOf(r, i);
      if (m.has(k)) throw new InputError(path, i + 2, `duplicate row key "${k}"`);
      m.set(k, r);
    });
    return m;
  };
  const ra = index(a.rows, paths[0]);
  const rb = index(b.rows, paths[1]);
  const keys = [...ra.keys(), ...[...rb.keys()].filter((k) => !ra.has(k))];
  const columns = [...a.columns, ...b.columns.filter((c) => !a.columns.includes(c))]
    .filter((c) => !keyCols.includes(c));
  const out: CellChange[] = [];
  for (const key of keys) {
    for (const column of columns) {
      const o = ra.get(key)?.[column] ?? "";
      const n = rb.get(key)?.[column] ?? "";
      if (o === n) continue;
      const change: CellChange = { file, key, column, old: o, new: n };
      if (NUMBER.test(o) && NUMBER.test(n)) {
        const places = Math.max(decimals(o), decimals(n));
        change.delta = Number((Number(n) - Number(o)).toFixed(Math.min(places, 20)));
      }
      out.push(change);
    }
  }
  return out;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.isFile) out.push(relative(dir, p));
    }
  };
  try {
    if (!(await Deno.stat(dir)).isDirectory) throw new Deno.errors.NotFound();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(dir, undefined, "expected a result version directory");
    }
    throw e;
  }
  await walk(dir);
  return out.sort();
}

/**
 * Compares two result version directories.
 *
 * @example
 * ```ts
 * const d = await diffVersions("results/xquad-r/v1", "results/xquad-r/v2");
 * if (d.differ) console.log(formatDiff(d));
 * ```
 */
export async function diffVersions(oldDir: string, newDir: string): Promise<VersionDiff> {
  const [fa, fb] = await Promise.all([listFiles(oldDir), listFiles(newDir)]);
  const files: FileChange[] = [];
  const cells: CellChange[] = [];
  for (const f of [...new Set([...fa, ...fb])].sort()) {
    if (!fb.includes(f)) {
      files.push({ file: f, status: "removed" });
      continue;
    }
    if (!fa.includes(f)) {
      files.push({ file: f, status: "added" });
      continue;
    }
    const [pa, pb] = [join(oldDir, f), join(newDir, f)];
    const [a, b] = await Promise.all([Deno.readFile(pa), Deno.readFile(pb)]);
    if (a.length === b.length && a.every((x, i) => x === b[i])) continue;
    if (f.endsWith(".csv")) {
      const dec = new TextDecoder();
      cells.push(...diffCsv(f, dec.decode(a), dec.decode(b), [pa, pb]));
    } else {
      files.push({ file: f, status: "changed" });
    }
  }
  const config = await diffConfig(oldDir, newDir);
  return {
    config,
    cells,
    files,
    differ: config.length > 0 || cells.length > 0 || files.length > 0,
  };
}

async function readManifest(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, "manifest.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {}; // older versions may have none
    throw toPathError(e, path);
  }
  return parseJsonObject(text, path, 1);
}

async function diffConfig(oldDir: string, newDir: string): Promise<ConfigChange[]> {
  const [a, b] = await Promise.all([readManifest(oldDir), readManifest(newDir)]);
  const show = (v: unknown) => v === undefined ? "" : canonicalJson(v);
  return CONFIG_FIELDS.map((field) => ({ field, old: show(a[field]), new: show(b[field]) }))
    .filter((c) => c.old !== c.new);
}

/**
 * Human-readable listing: one line per file change and per changed cell.
 *
 * @example
 * ```ts
 * const d = await diffVersions("results/xquad-r/v0.1.0", "results/xquad-r/v0.2.0");
 * console.log(formatDiff(d));
 * ```
 */
export function formatDiff(d: VersionDiff): string {
  if (!d.differ) return "no differences\n";
  const lines = d.config.length === 0 ? [] : [
    "the two versions differ in configuration:",
    ...d.config.map((c) => `  ${c.field}: ${c.old || "∅"} -> ${c.new || "∅"}`),
  ];
  lines.push(...d.files.map((f) => `${f.status.padEnd(8)} ${f.file}`));
  for (const c of d.cells) {
    const delta = c.delta === undefined ? "" : ` (${c.delta > 0 ? "+" : ""}${c.delta})`;
    lines.push(`${c.file} [${c.key}] ${c.column}: ${c.old || "∅"} -> ${c.new || "∅"}${delta}`);
  }
  return lines.join("\n") + "\n";
}
