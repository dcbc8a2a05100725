/**
 * A map that keeps its most recently used entries: at most `capacity`, the
 * least recently used leaving first.
 *
 * @module
 */

/**
 * Least-recently-used map. `get` and `set` make an entry the most recent;
 * `set` returns the values it pushed out, for the caller to release.
 *
 * @example
 * ```ts
 * const lru = new LruMap<string, number>(1);
 * lru.set("a", 1);
 * lru.set("b", 2); // [1]: "a" left
 * lru.get("a"); // undefined
 * ```
 */
export class LruMap<K, V> {
  readonly #capacity: number;
  // Insertion order is recency.
  readonly #map = new Map<K, V>();

  /** An empty map holding at most `capacity` entries. */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The value of `key`, now the most recent, or undefined. */
  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  /** Sets `key` as the most recent; returns the values pushed out beyond the capacity. */
  set(key: K, value: V): V[] {
    this.#map.delete(key);
    this.#map.set(key, value);
    const out: V[] = [];
    for (const [k, v] of this.#map) {
      if (this.#map.size <= this.#capacity) break;
      this.#map.delete(k);
      out.push(v);
    }
    return out;
  }

  /** Removes `key` if it is there. */
  delete(key: K): void {
    this.#map.delete(key);
  }

  /** Removes every entry; returns their values. */
  clear(): V[] {
    const out = [...this.#map.values()];
    this.#map.clear();
    return out;
  }
}
