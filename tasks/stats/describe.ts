/**
 * Descriptive helpers shared by every test: mean and sample variance.
 *
 * @module
 */

/** Arithmetic mean; 0 for an empty sample. *
 * @example
 * ```ts
 * import { mean } from "./mod.ts";
 * mean([1, 2, 3]); // 2
 * ```
 */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length ? s / x.length : 0;
}

/** Sample variance (n - 1 denominator); 0 with fewer than 2 values. *
 * @example
 * ```ts
 * import { variance } from "./mod.ts";
 * variance([1, 2, 3]); // 1
 * ```
 */
export function variance(x: ArrayLike<number>): number {
  if (x.length < 2) return 0;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  return ss / (x.length - 1);
}

/** Sample standard deviation; 0 with fewer than 2 values. *
 * @example
 * ```ts
 * import { sd } from "./mod.ts";
 * sd([1, 2, 3]); // 1
 * ```
 */
export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** `b - a` element-wise; throws a RangeError when the lengths differ. *
 * @example
 * ```ts
 * import { differences } from "./mod.ts";
 * differences([1, 2], [3, 3]); // Float64Array [2, 1]
 * ```
 */
export function differences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  }
  const d = new Float64Array(a.length);
  for (let i = 0; i < d.length; i++) d[i] = b[i] - a[i];
  return d;
}
