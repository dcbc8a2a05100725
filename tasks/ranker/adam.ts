/**
 * Adam (Kingma and Ba, 2015) on a flat float32 parameter vector: lazily on
 * the embedding rows a batch touched (as sparse Adam: untouched rows keep
 * their moments and weights) and densely on the small tensors.
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

/** The corrections of step `t` (1-based) at learning rate `lr`. */
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

function update(s: AdamState, o: number, gr: number, step: AdamStep): void {
  const { b1, b2, eps } = ADAM;
  s.m[o] = b1 * s.m[o] + (1 - b1) * gr;
  s.v[o] = b2 * s.v[o] + (1 - b2) * gr * gr;
  s.params[o] -= step.lr * s.m[o] * step.c1 / (Math.sqrt(s.v[o] * step.c2) + eps);
}

/**
 * Updates rows of width `dim` (row r is `[r * dim, (r + 1) * dim)`) from the
 * gradient accumulator `grad`, then zeroes those gradients and clears `seen`
 * for the rows, ready for the next step.
 */
export function adamRows(
  s: AdamState,
  grad: Float64Array,
  rows: readonly number[],
  dim: number,
  seen: Uint8Array,
  step: AdamStep,
): void {
  for (const row of rows) {
    for (let o = row * dim, end = o + dim; o < end; o++) {
      update(s, o, grad[o], step);
      grad[o] = 0;
    }
    seen[row] = 0;
  }
}

/** Updates `params[offset + j]` from `grad[j]` for every j. */
export function adamDense(s: AdamState, grad: Float64Array, offset: number, step: AdamStep): void {
  for (let j = 0; j < grad.length; j++) update(s, offset + j, grad[j], step);
}
