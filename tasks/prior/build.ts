/**
 * The prior stage's work: pairs from the prior half of MUSE, alignment of the
 * ranker's embedding table, BLI P@1 before and after on held-out words, and
 * the table on disk.
 *
 * @module
 */

import { join } from "node:path";
import type { Lexicon } from "../../lexicons/mod.ts";
import { DEFAULT_CONFIG, type RankerConfig } from "../ranker/mod.ts";
import { InputError, type Lang, writeFileAtomic } from "../util/mod.ts";
import { alignEmbeddings, initialTable, PRIOR_DEFAULTS, type PriorOptions } from "./align.ts";
import { bliP1 } from "./bli.ts";
import { priorPairs } from "./pairs.ts";

/** File of the aligned embedding table (little-endian float32, `buckets x dim`). */
export const PRIOR_FILE = "embeddings.f32";
/** Held-out foreign words per language, in each of the dev and test splits. */
export const PRIOR_HELD_OUT = 500;

/**
 * What the prior stage records: its inputs' sizes, options, loss curve and BLI.
 *
 * @example
 * ```ts
 * declare const priorReport: PriorReport;
 * priorReport.bli.de.test;
 * ```
 */
export interface PriorReport {
  /** The options the table was aligned with. */
  options: PriorOptions;
  /** Held-out words per language and split. */
  heldOut: number;
  /** Training pairs per language. */
  trainPairs: Record<string, number>;
  /** Optimiser steps. */
  steps: number;
  /** Mean loss of each tenth of training. */
  lossCurve: number[];
  /** BLI P@1 per language: random initial table, then aligned on dev and test words. */
  bli: Record<string, { before: number; dev: number; test: number }>;
}

const r4 = (x: number) => Number(x.toFixed(4));

/**
 * The ranker settings an embedding table depends on (its shape and hashing):
 * part of the prior stage's key.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * priorConfigKey(DEFAULT_CONFIG).dim; // 32
 * ```
 */
export function priorConfigKey(cfg: RankerConfig): Record<string, number> {
  const { dim, buckets, minN, maxN, maxSlots, hashSeed } = cfg;
  return { dim, buckets, minN, maxN, maxSlots, hashSeed };
}

/**
 * Aligns the ranker's embedding table on the prior-half pairs of `lexicons`,
 * writes it to `dir/embeddings.f32` and reports BLI P@1 per language.
 *
 * @example
 * ```ts
 * import type { Lexicon } from "../../lexicons/mod.ts";
 * declare const priorHalves: Lexicon[];
 * const report = await buildPrior(priorHalves, "/tmp/prior");
 * report.bli.de.test;
 * ```
 */
export async function buildPrior(
  lexicons: readonly Lexicon[],
  dir: string,
  opts: { config?: RankerConfig; prior?: Partial<PriorOptions>; progress?: boolean } = {},
): Promise<PriorReport> {
  const cfg = opts.config ?? DEFAULT_CONFIG;
  const options = { ...PRIOR_DEFAULTS, ...opts.prior };
  const pairs = priorPairs(lexicons, PRIOR_HELD_OUT);
  if (pairs.train.length === 0) {
    throw new InputError("prior lexicons", undefined, "expected translation pairs");
  }
  const p = (emb: Float32Array, lang: Lang, split: "dev" | "test") =>
    r4(bliP1(cfg, emb, pairs[split].get(lang)!, pairs.english.get(lang)!));
  // BLI before alignment, on the table that is then aligned in place.
  const start = initialTable(cfg, options.seed);
  const before = new Map([...pairs.english.keys()].map((lang) => [lang, p(start, lang, "test")]));
  const aligned = await alignEmbeddings(cfg, pairs.train, options, opts.progress, start);
  const bli: PriorReport["bli"] = {};
  for (const lang of pairs.english.keys()) {
    bli[lang] = {
      before: before.get(lang)!,
      dev: p(aligned.embeddings, lang, "dev"),
      test: p(aligned.embeddings, lang, "test"),
    };
  }
  await writeFileAtomic(join(dir, PRIOR_FILE), new Uint8Array(aligned.embeddings.buffer));
  return {
    options,
    heldOut: PRIOR_HELD_OUT,
    trainPairs: Object.fromEntries(pairs.trainPairs),
    steps: aligned.steps,
    lossCurve: aligned.lossCurve,
    bli,
  };
}

/**
 * Reads a prior's embedding table, checking its size against `cfg`.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * const emb = await loadPrior("/tmp/prior", DEFAULT_CONFIG);
 * ```
 */
export async function loadPrior(dir: string, cfg: RankerConfig): Promise<Float32Array> {
  const path = join(dir, PRIOR_FILE);
  const bytes = await Deno.readFile(path);
  if (bytes.length !== cfg.buckets * cfg.dim * 4) {
    throw new InputError(path, undefined, `expected ${cfg.buckets * cfg.dim * 4} bytes`);
  }
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}
