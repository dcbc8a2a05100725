/**
 * What `fetch` prints after downloading: each dataset run through its loader
 * and its counts set against the published ones (the catalogue's counts and,
 * for XQuAD-R, the table of the LAReQA README).
 *
 * @module
 */

import { resolveCacheDir } from "./cache.ts";
import { getDataset, resolveDatasetIds } from "./catalogue.ts";
import { fetchDataset, type FetchOptions, verifyCache } from "./download.ts";
import { loadLareqa, parseLareqaReadmeTable } from "./lareqa.ts";
import { readQrels, readQueries } from "./mmarco.ts";
import { loadSquadExplorer } from "./squad.ts";

/** Counts of one loaded dataset. */
export interface DatasetSummary {
  /** Dataset id. */
  id: string;
  /** Counts found by the loader, by name (questions, candidates, ...). */
  counts: Record<string, number>;
  /** Published counts to compare with, by the same names. */
  published: Record<string, number>;
  /** Total bytes of the dataset's files. */
  bytes: number;
  /** Files present but not scanned (too large to read just for a summary). */
  notScanned: string[];
}

/** Whether every published count equals the loader's count. */
export function summaryMatches(s: DatasetSummary): boolean {
  return Object.entries(s.published).every(([k, v]) => s.counts[k] === v);
}

async function count<T>(it: AsyncIterable<T>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

/** Loads a fetched dataset (`files`: name -> path from `fetchDataset`) and counts it. */
export async function summarizeDataset(
  id: string,
  files: Record<string, string>,
): Promise<DatasetSummary> {
  const entry = getDataset(id);
  let bytes = 0;
  for (const path of Object.values(files)) bytes += (await Deno.stat(path)).size;
  const s: DatasetSummary = { id, counts: {}, published: {}, bytes, notScanned: [] };
  const lang = entry.lang ?? "en";
  switch (entry.loader) {
    case "lareqa": {
      const scheme = id.startsWith("xquad-r/") ? "position" : "first-question";
      const set = await loadLareqa(files.data, lang, scheme);
      s.counts = {
        questions: set.queries.length,
        candidates: set.documents.length,
        paragraphs: set.paragraphs.length,
      };
      s.published = { ...entry.counts };
      if (files.readme) {
        const row = parseLareqaReadmeTable(await Deno.readTextFile(files.readme)).get(lang);
        if (row) Object.assign(s.published, row);
      }
      break;
    }
    case "squad-explorer": {
      const set = await loadSquadExplorer(files);
      s.counts = {
        articles: set.articles,
        paragraphs: set.paragraphs.length,
        questions: set.total,
        kept: set.questions.length,
        ambiguous: set.dropped.ambiguous,
        "not-found": set.dropped.notFound,
      };
      s.published = { ...entry.counts };
      break;
    }
    case "mmarco-dev": {
      s.counts = {
        queries: await count(readQueries(files.queries, lang)),
        qrels: await count(readQrels(files.qrels)),
      };
      s.published = { queries: entry.counts!.queries, qrels: entry.counts!.qrels };
      s.notScanned = ["collection"];
      break;
    }
    default:
      s.notScanned = Object.keys(files);
  }
  return s;
}

/** Renders summaries as an aligned plain-text table, one dataset a line. */
export function formatSummaries(summaries: DatasetSummary[]): string {
  const width = Math.max(...summaries.map((s) => s.id.length));
  return summaries.map((s) => {
    const counts = Object.entries(s.counts).map(([k, v]) => {
      const want = s.published[k];
      return want === undefined || want === v ? `${k} ${v}` : `${k} ${v} (published ${want})`;
    });
    if (s.notScanned.length > 0) counts.push(`not scanned: ${s.notScanned.join(", ")}`);
    const mb = (s.bytes / 1e6).toFixed(1);
    const verdict = Object.keys(s.published).length === 0
      ? ""
      : summaryMatches(s)
      ? "  [matches published counts]"
      : "  [MISMATCH with published counts]";
    return `${s.id.padEnd(width)}  ${mb} MB  ${counts.join(", ")}${verdict}`;
  }).join("\n");
}

/** Options of {@linkcode fetchAndSummarize}. */
export interface FetchRunOptions extends FetchOptions {
  /** Re-hash cached files first; bad ones are removed and fetched again. */
  verify?: boolean;
}

/**
 * The `fetch` command: resolves ids and prefixes, optionally re-verifies the
 * cache, fetches every dataset and returns the printed report.
 *
 * @example
 * ```ts
 * console.log(await fetchAndSummarize(["xquad-r"], { mirror: "../shared/mirror", offline: true }));
 * ```
 */
export async function fetchAndSummarize(
  patterns: string[],
  opts: FetchRunOptions = {},
): Promise<string> {
  const ids = resolveDatasetIds(patterns);
  const lines: string[] = [];
  if (opts.verify) {
    const r = await verifyCache(ids, opts);
    lines.push(
      `verify: ${r.ok} file(s) good, ${r.removed.length} bad and removed, ${r.missing} not cached`,
    );
    for (const path of r.removed) lines.push(`  removed ${path}`);
  }
  const summaries: DatasetSummary[] = [];
  for (const id of ids) summaries.push(await summarizeDataset(id, await fetchDataset(id, opts)));
  lines.push(`cache: ${resolveCacheDir(opts.cacheDir)}`, formatSummaries(summaries));
  return lines.join("\n");
}
