/**
 * Bilingual lexicon induction with the ranker's own word vectors: the share
 * of held-out foreign words whose nearest English word (cosine) is a gold
 * translation.
 *
 * @module
 */

import type { RankerConfig } from "../ranker/mod.ts";
import { SlotCache, unitVector } from "./align.ts";
import type { Gold } from "./pairs.ts";

/**
 * P@1 of foreign -> English retrieval over `english` (the search space).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../ranker/mod.ts";
 * const cfg = { ...DEFAULT_CONFIG, dim: 4, buckets: 64 };
 * const emb = new Float32Array(64 * 4).map((_, i) => Math.sin(i));
 * const p = bliP1(cfg, emb, new Map([["hund", new Set(["dog"])]]), ["dog", "cat"]);
 * p >= 0 && p <= 1; // true
 * ```
 */
export function bliP1(
  cfg: RankerConfig,
  embeddings: Float32Array,
  gold: Gold,
  english: readonly string[],
): number {
  if (gold.size === 0) return NaN;
  const D = cfg.dim, slots = new SlotCache(cfg);
  const en = new Float64Array(english.length * D);
  english.forEach((w, i) => unitVector(embeddings, D, slots.get(w), en, i * D));
  const q = new Float64Array(D);
  let hits = 0;
  for (const [x, ens] of gold) {
    unitVector(embeddings, D, slots.get(x), q, 0);
    let best = -Infinity, arg = -1;
    for (let i = 0; i < english.length; i++) {
      let dot = 0;
      for (let t = 0; t < D; t++) dot += q[t] * en[i * D + t];
      if (dot > best) best = dot, arg = i;
    }
    if (arg >= 0 && ens.has(english[arg])) hits++;
  }
  return hits / gold.size;
}
