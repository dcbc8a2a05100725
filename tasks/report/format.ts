/**
 * Fixed-decimal formatting shared by every rendering.
 *
 * @module
 */

/** `x` (0-1 scale) × 100 with `decimals` decimals; -0 prints as 0. */
export function points(x: number, decimals: number): string {
  return (Math.round(x * 100 * 10 ** decimals) / 10 ** decimals + 0).toFixed(decimals);
}

/** Like {@linkcode points} with a leading `+` for positive values. */
export function signedPoints(x: number, decimals: number): string {
  const s = points(x, decimals);
  return Number(s) > 0 ? `+${s}` : s;
}

/** A p-value with 4 significant digits; empty for NaN. */
export function pValue(p: number): string {
  return Number.isNaN(p) ? "" : p === 0 ? "0" : p.toPrecision(4);
}

/** A confidence level as a percentage, e.g. `95` or `99.77`. */
export function percent(level: number): string {
  return String(Number((level * 100).toFixed(2)));
}
