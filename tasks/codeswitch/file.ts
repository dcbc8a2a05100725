/**
 * Code-switching a JSON-lines file in parallel: batches go to a pool of
 * workers and come back in submission order, so the output bytes do not
 * depend on the number of workers.
 *
 * @module
 */

import {
  checkNumberOption,
  guardExisting,
  InputError,
  isTrainingRecordsFile,
  openAtomic,
  Progress,
  readLines,
  refuseInputAsOutput,
  writeFileAtomic,
} from "../util/mod.ts";
import { type CodeSwitchOptions, compileOptions, type SwitchConfig } from "./options.ts";
import {
  type CodeSwitchStats,
  type Counters,
  emptyCounters,
  finishStats,
  mergeCounters,
} from "./stats.ts";
import { type Batch, switchBatch } from "./switch.ts";

/**
 * Options of {@linkcode codeSwitchFile}.
 *
 * @example
 * ```ts
 * declare const codeSwitchFileOptions: CodeSwitchFileOptions;
 * codeSwitchFileOptions.input;
 * ```
 */
export interface CodeSwitchFileOptions extends CodeSwitchOptions {
  /** Input JSON lines of training records (may be gzipped). */
  input: string;
  /** Output JSON lines; statistics go to `<output>.stats.json`. */
  output: string;
  /** Worker threads; 0 runs in process. Default: the number of cores. */
  workers?: number;
  /** Records per batch sent to a worker. Default 2,000. */
  batchSize?: number;
  /** Show a progress line (default: when stderr is a terminal). */
  progress?: boolean;
  /** Replace an existing output that is not a training-records file (`--force`). */
  force?: boolean;
}

/** Messages to the worker. */
export type WorkerRequest =
  | { type: "init"; config: SwitchConfig }
  | { type: "batch"; id: number; batch: Batch };

/** Messages from the worker. */
export type WorkerReply =
  | { type: "done"; id: number; output: string; counters: Counters }
  | { type: "error"; id: number; file?: string; line?: number; message: string; input: boolean };

/** A pool of switching workers that answer batches in submission order. */
class WorkerPool {
  #workers: Worker[] = [];
  #pending = new Map<
    number,
    { resolve: (r: { output: string; counters: Counters }) => void; reject: (e: Error) => void }
  >();
  #next = 0;

  constructor(n: number, config: SwitchConfig) {
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL("./worker.ts", import.meta.url).href, {
        type: "module",
      });
      w.onmessage = (e: MessageEvent<WorkerReply>) => this.#settle(e.data);
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.#failAll(new Error(`code-switching worker failed: ${e.message}`));
      };
      w.postMessage({ type: "init", config } satisfies WorkerRequest);
      this.#workers.push(w);
    }
  }

  run(batch: Batch): Promise<{ output: string; counters: Counters }> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#workers[id % this.#workers.length].postMessage(
        { type: "batch", id, batch } satisfies WorkerRequest,
      );
    });
  }

  close(): void {
    for (const w of this.#workers) w.terminate();
  }

  #settle(m: WorkerReply): void {
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (m.type === "done") p.resolve(m);
    else if (m.input) p.reject(new InputError(m.file!, m.line, m.message));
    else p.reject(new Error(m.message));
  }

  #failAll(e: Error): void {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}

/**
 * Code-switches a JSON-lines file of training records into `output`
 * (atomically) and writes `<output>.stats.json`. Streams in constant memory
 * apart from the lexicons; batches run on `workers` threads and are written
 * back in input order, so the bytes do not depend on the worker count.
 *
 * @example
 * ```ts
 * import { type Lexicon, stopwords } from "../../lexicons/mod.ts";
 * declare const lexicons: Map<string, Lexicon>;
 * const stats = await codeSwitchFile({
 *   variant: "ml-cs", languages: ["de", "ru", "ar", "es", "zh"], p: 0.5, seed: 1,
 *   queryLexicons: lexicons, stopwords: stopwords("en"), input: "train.jsonl",
 *   output: "train.ml-cs.jsonl",
 * });
 * console.log(stats.switchRate);
 * ```
 */
export async function codeSwitchFile(opts: CodeSwitchFileOptions): Promise<CodeSwitchStats> {
  const config = compileOptions(opts);
  const workers = checkNumberOption(
    "--workers",
    opts.workers ?? navigator.hardwareConcurrency ?? 1,
    {
      min: 0,
      max: 256,
      integer: true,
    },
  );
  const batchSize = checkNumberOption("batchSize", opts.batchSize ?? 2000, {
    min: 1,
    integer: true,
  });
  const input = [{ option: "IN", path: opts.input }];
  await refuseInputAsOutput(opts.output, input);
  await refuseInputAsOutput(`${opts.output}.stats.json`, input);
  await guardExisting(opts.output, {
    what: "training-records file",
    isOwn: isTrainingRecordsFile,
    force: opts.force,
  });
  const counters = emptyCounters();
  const pool = workers > 0 ? new WorkerPool(workers, config) : undefined;
  const run = (b: Batch): Promise<{ output: string; counters: Counters }> => {
    if (pool) {
      const p = pool.run(b);
      // Marked as handled: a failure surfaces when the batch's turn to be written comes.
      p.catch(() => {});
      return p;
    }
    const c = emptyCounters();
    return Promise.resolve({ output: switchBatch(config, b, c), counters: c });
  };
  const progress = new Progress({ label: `${config.variant} records`, enabled: opts.progress });
  const writer = await openAtomic(opts.output);
  // Bounded in-flight queue: memory stays constant, order is kept.
  const queue: Promise<{ output: string; counters: Counters }>[] = [];
  const maxInFlight = Math.max(2, 2 * workers);
  const drainOne = async () => {
    const r = await queue.shift()!;
    mergeCounters(counters, r.counters);
    progress.add(r.counters.records);
    await writer.write(r.output);
  };
  try {
    let batch: Batch = { file: opts.input, firstIndex: 0, lines: [], lineNumbers: [] };
    let index = 0;
    for await (const { text, n } of readLines(opts.input)) {
      if (text.trim() === "") continue;
      batch.lines.push(text);
      batch.lineNumbers.push(n);
      index++;
      if (batch.lines.length >= batchSize) {
        queue.push(run(batch));
        batch = { file: opts.input, firstIndex: index, lines: [], lineNumbers: [] };
        if (queue.length >= maxInFlight) await drainOne();
      }
    }
    if (batch.lines.length > 0) queue.push(run(batch));
    while (queue.length > 0) await drainOne();
    await writer.commit();
  } catch (e) {
    // Settle the rest so no rejection goes unhandled, then clean up.
    await Promise.allSettled(queue);
    await writer.abort();
    throw e;
  } finally {
    pool?.close();
    progress.done();
  }
  const stats = finishStats(config, counters);
  await writeFileAtomic(`${opts.output}.stats.json`, JSON.stringify(stats, null, 2) + "\n");
  return stats;
}
