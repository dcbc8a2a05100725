/**
 * Hashing shared by every stage: the content keys of the stage cache (sha256
 * over canonical JSON) and the FNV-1a string hash behind seeded, order-free
 * choices (MLIR languages, held-out lexicon splits, ranker n-gram buckets).
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { compareStrings } from "./compare.ts";
import { openBytes } from "./lines.ts";

/**
 * JSON with object keys sorted (Maps as objects), so equal values always hash the same.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2] }); // '{"a":[2],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v instanceof Map) v = Object.fromEntries(v);
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareStrings(a, b)));
    }
    return v;
  });
}

/**
 * Hex sha256 of a string or bytes.
 *
 * @example
 * ```ts
 * sha256Hex("abc").slice(0, 8); // "ba7816bf"
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Short hash of a content key: 16 hex digits of the sha256 of its canonical JSON.
 *
 * @example
 * ```ts
 * keyHash({ seed: 1, size: 10 }) === keyHash({ size: 10, seed: 1 }); // true
 * ```
 */
export function keyHash(key: unknown): string {
  return sha256Hex(canonicalJson(key)).slice(0, 16);
}

/**
 * The FNV-1a 32-bit offset basis.
 *
 * @example
 * ```ts
 * fnv1a("ab", 0, 2, FNV_OFFSET) === fnv1a("ab"); // true
 * ```
 */
export const FNV_OFFSET = 0x811c9dc5;

/**
 * FNV-1a 32-bit hash of the UTF-16 code units `text[start, end)`, from `basis`.
 *
 * @example
 * ```ts
 * fnv1a("a"); // 0xe40c292c
 * fnv1a("xab", 1, 3) === fnv1a("ab"); // true
 * ```
 */
export function fnv1a(text: string, start = 0, end = text.length, basis = FNV_OFFSET): number {
  let h = basis;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Hashes a file in a streaming pass (into `hash` when given, e.g. to go on
 * hashing bytes appended later).
 *
 * @example
 * ```ts
 * await sha256File("train.jsonl"); // 64 hex digits
 * ```
 */
export async function sha256File(path: string, hash: Hash = createHash("sha256")): Promise<string> {
  for await (const chunk of await openBytes(path, { gunzip: false })) hash.update(chunk);
  return hash.copy().digest("hex");
}
