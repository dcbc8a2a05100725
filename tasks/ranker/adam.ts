/**
 * Adam (Kingma and Ba, 2015) on a flat float32 parameter vector: lazily on
 * the embedding rows a batch touched (as sparse Adam: untouched rows keep
 * their moments and weights; see {@linkcode RowGrads}) and densely on the
 * small tensors.
 *
 * @module
 */

/** Adam's decay rates and epsilon. */
export const ADAM = Object.freeze({ b1: 0.9, b2: 0.999, eps: 1e-8 });

/** Learning rate and bias corrections of one step. */
export interface AdamStep {
  /** Learning rate. */
  lr: number;
  /** 1 / (1 - b1^t). */
  c1: number;
  /** 1 / (1 - b2^t). */
  c2: number;
}

/**
 * The corrections of step `t` (1-based) at learning rate `lr`.
 *
 * @example
 * ```ts
 * adamStep(5e-3, 1).c1; // 10: 1 / (1 - 0.9)
 * ```
 */
export function adamStep(lr: number, t: number): AdamStep {
  return { lr, c1: 1 / (1 - ADAM.b1 ** t), c2: 1 / (1 - ADAM.b2 ** t) };
}

/** Parameters and both moment vectors, of equal length. */
export interface AdamState {
  /** Parameters. */
  params: Float32Array;
  /** First moments. */
  m: Float32Array;
  /** Second moments. */
  v: Float32Array;
}

/**
 * Adam on `params[p0, p0 + n)` from `grad[g0, g0 + n)`. The arrays and
 * constants are read once into locals (the element loop is the hottest of
 * training); the arithmetic is unchanged, moments re-read as stored (float32).
 */
function adamSpan(
  s: AdamState,
  grad: Float64Array,
  g0: number,
  p0: number,
  n: number,
  step: AdamStep,
): void {
  const { params, m, v } = s;
  const { lr, c1, c2 } = step;
  const { b1, b2, eps } = ADAM;
  const a1 = 1 - b1, a2 = 1 - b2;
  for (let j = 0; j < n; j++) {
    const gr = grad[g0 + j], o = p0 + j;
    m[o] = b1 * m[o] + a1 * gr;
    v[o] = b2 * v[o] + a2 * gr * gr;
    params[o] -= lr * m[o] * c1 / (Math.sqrt(v[o] * c2) + eps);
  }
}

/**
 * One step's gradient of the embedding rows a thread owns, kept compact: the
 * rows in first-touch order, each with its own `dim` sums in a small buffer
 * (a few MB that stay in cache, where a full `buckets x dim` table is tens of
 * MB read at random). Sums are added in the same order as into a full table,
 * so the bits are the same.
 *
 * @example
 * ```ts
 * const acc = new RowGrads(8, 2);
 * acc.grad[acc.slot(5) + 1] += 1; // row 5, second component
 * acc.rows; // [5]
 * ```
 */
export class RowGrads {
  /** Rows touched this step, in first-touch order. */
  readonly rows: number[] = [];
  /** Sums of row `rows[i]` at `[i * dim, (i + 1) * dim)`. */
  grad: Float64Array;
  readonly #dim: number;
  // Position of each row in `rows`, -1 when untouched.
  readonly #index: Int32Array;

  /** An empty accumulator for a table of `buckets` rows of width `dim`. */
  constructor(buckets: number, dim: number) {
    this.#dim = dim;
    this.#index = new Int32Array(buckets).fill(-1);
    this.grad = new Float64Array(1024 * dim);
  }

  /** Offset of `row`'s sums in {@linkcode grad}, added (zeroed) on first touch. */
  slot(row: number): number {
    let i = this.#index[row];
    if (i < 0) {
      i = this.#index[row] = this.rows.length;
      this.rows.push(row);
      if ((i + 1) * this.#dim > this.grad.length) {
        const grown = new Float64Array(2 * this.grad.length);
        grown.set(this.grad);
        this.grad = grown;
      }
    }
    return i * this.#dim;
  }

  /** Adam on every touched row (in row order, which reads the tables front to back), then empties. */
  apply(s: AdamState, step: AdamStep): void {
    const D = this.#dim, rows = this.rows, n = rows.length;
    // Rows sorted with their positions packed in (a typed array's own sort needs no comparator).
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = rows[i] * n + i;
    keys.sort();
    for (let k = 0; k < n; k++) {
      const i = keys[k] % n;
      adamSpan(s, this.grad, i * D, rows[i] * D, D, step);
      this.#index[rows[i]] = -1;
    }
    this.grad.fill(0, 0, rows.length * D);
    rows.length = 0;
  }
}

/** Updates `params[offset + j]` from `grad[j]` for every j. */
export function adamDense(s: AdamState, grad: Float64Array, offset: number, step: AdamStep): void {
  adamSpan(s, grad, 0, offset, grad.length, step);
}
