/**
 * Progress reporting for long work: a single self-overwriting line on stderr
 * with done/total, rate and ETA. Silent when stderr is not a TTY or `CI` is set,
 * so logs and CI output stay clean.
 *
 * @module
 */

/** What is being counted: bytes are shown in binary units, items as plain counts. */
export type ProgressUnit = "bytes" | "items";

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /** Label shown at the start of the line. */
  label: string;
  /** Expected total, if known (enables percentage and ETA). */
  total?: number;
  /** Unit of the counts. Default `"items"`. */
  unit?: ProgressUnit;
  /** Force on or off; default: on when stderr is a TTY and `CI` is unset. */
  enabled?: boolean;
}

/**
 * Whether progress output should be shown in this process by default: when
 * stderr is a TTY, `CI` is unset and `CSCLIR_PROGRESS` is not `0` (a job pool
 * sets it for its children, whose lines would interleave with the pool's own).
 */
export function progressEnabled(): boolean {
  try {
    return Deno.stderr.isTerminal() && !Deno.env.get("CI") &&
      Deno.env.get("CSCLIR_PROGRESS") !== "0";
  } catch {
    return false;
  }
}

/** Formats a count in the given unit, e.g. `1.5 GiB` or `12.3k`. */
export function formatCount(n: number, unit: ProgressUnit): string {
  if (unit === "bytes") {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function formatSeconds(s: number): string {
  if (!isFinite(s)) return "?";
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : `${m}m${String(sec).padStart(2, "0")}s`;
}

/**
 * A throttled progress line (at most ~5 redraws per second).
 *
 * @example
 * ```ts
 * const p = new Progress({ label: "download", total: 1 << 20, unit: "bytes" });
 * p.add(65536);
 * p.done();
 * ```
 */
export class Progress {
  #opts: ProgressOptions;
  #done = 0;
  #start = performance.now();
  #last = 0;
  #enabled: boolean;
  #encoder = new TextEncoder();

  /** Starts a progress line. */
  constructor(opts: ProgressOptions) {
    this.#opts = opts;
    this.#enabled = opts.enabled ?? progressEnabled();
  }

  /** Adds `n` to the count and redraws if due. */
  add(n: number): void {
    this.#done += n;
    const now = performance.now();
    if (this.#enabled && now - this.#last > 200) {
      this.#last = now;
      this.#draw(now);
    }
  }

  /** Sets the absolute count (e.g. when resuming from a partial file). */
  set(n: number): void {
    this.#done = n;
  }

  /** Finishes the line. */
  done(): void {
    if (!this.#enabled) return;
    this.#draw(performance.now());
    Deno.stderr.writeSync(this.#encoder.encode("\n"));
  }

  #draw(now: number): void {
    const { label, total, unit = "items" } = this.#opts;
    const secs = (now - this.#start) / 1000;
    const rate = secs > 0 ? this.#done / secs : 0;
    let line = `${label}: ${formatCount(this.#done, unit)}`;
    if (total !== undefined && total > 0) {
      const pct = (100 * this.#done / total).toFixed(1);
      const eta = rate > 0 ? (total - this.#done) / rate : Infinity;
      line += ` / ${formatCount(total, unit)} (${pct}%) ETA ${formatSeconds(eta)}`;
    }
    line += ` ${formatCount(rate, unit)}/s`;
    Deno.stderr.writeSync(this.#encoder.encode(`\r\x1b[2K${line}`));
  }
}
