/**
 * Seeded pseudo-random numbers. Streams are derived from (seed, index) with
 * SplitMix64-style mixing so that record i gets the same numbers whatever the
 * order or the worker that processes it; the generator is xoshiro128**.
 *
 * @module
 */

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A fast seeded generator (xoshiro128**), 32-bit state words.
 *
 * @example
 * ```ts
 * const r = Rng.forRecord(42, 7); // stream for record 7 under seed 42
 * r.next(); // float in [0, 1)
 * ```
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seeds the generator from one or more integers (e.g. seed and record index). */
  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    for (const s of seeds) {
      h = mix32(h ^ mix32((s >>> 0) + 0x7f4a7c15));
      h = mix32(h + Math.floor(s / 0x100000000));
    }
    this.#a = mix32(h + 1) | 1;
    this.#b = mix32(h + 2);
    this.#c = mix32(h + 3);
    this.#d = mix32(h + 4);
  }

  /** The stream for record `index` under `seed`; independent of processing order. */
  static forRecord(seed: number, index: number): Rng {
    return new Rng(seed, index);
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** Next float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal variate (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /**
   * Advances the stream as `count` calls of {@linkcode normal} would, without
   * computing them (draws that are replaced anyway).
   *
   * @example
   * ```ts
   * const a = new Rng(1), b = new Rng(1);
   * for (let i = 0; i < 3; i++) a.normal();
   * b.skipNormals(3);
   * a.next() === b.next(); // true
   * ```
   */
  skipNormals(count: number): void {
    for (let i = 0; i < count; i++) {
      while (this.nextUint32() === 0);
      this.nextUint32();
    }
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
