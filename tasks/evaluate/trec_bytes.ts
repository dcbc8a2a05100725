/**
 * Byte-level reading of TREC run and qrels files, as trec_eval reads them:
 * fields are separated by C `isspace` bytes, ids are raw bytes compared like
 * `strcmp`, scores are parsed like C `atof`. Files are streamed in chunks
 * (plain or gzipped) and handed out line by line as byte ranges, so no line
 * becomes a string unless a caller asks for one.
 *
 * @module
 */

import { InputError } from "../util/mod.ts";
import { openBytes } from "../util/mod.ts";

/** Whether byte `b` is C `isspace` in the C locale (space, \t, \n, \v, \f, \r). */
export function isSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/**
 * `strcmp` of two byte ranges: negative, 0 or positive.
 *
 * @example
 * ```ts
 * const a = new TextEncoder().encode("\u{10000}"), b = new TextEncoder().encode("\uE000");
 * compareBytes(a, 0, a.length, b, 0, b.length); // > 0, unlike "\u{10000}" < "\uE000" in JS
 * ```
 */
export function compareBytes(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = a[as + i] - b[bs + i];
    if (d !== 0) return d;
  }
  return (ae - as) - (be - bs);
}

/**
 * A string with one char per byte (0-255): equal ids give equal keys and key
 * order is byte order, whatever the bytes (invalid UTF-8 included).
 *
 * @example
 * ```ts
 * byteKey(new Uint8Array([0x64, 0xff]), 0, 2); // "d\xff"
 * ```
 */
export function byteKey(buf: Uint8Array, s: number, e: number): string {
  return e - s <= 64
    ? String.fromCharCode.apply(null, buf.subarray(s, e) as unknown as number[])
    : String.fromCharCode(...buf.subarray(s, e));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes an id that is printed (a query id) as UTF-8; other bytes are an
 * {@linkcode InputError}, as they could not be printed back unchanged.
 *
 * @example
 * ```ts
 * utf8Id(new TextEncoder().encode("q1"), 0, 2, "run.txt", 3); // "q1"
 * ```
 */
export function utf8Id(buf: Uint8Array, s: number, e: number, file: string, line: number): string {
  let ascii = true;
  for (let i = s; i < e; i++) if (buf[i] >= 0x80) ascii = false;
  if (ascii) return byteKey(buf, s, e);
  try {
    return utf8.decode(buf.subarray(s, e));
  } catch {
    throw new InputError(file, line, "query id is not valid UTF-8 (query ids are printed)");
  }
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}

function isHexDigit(b: number): boolean {
  return isDigit(b) || ((b | 32) >= 97 && (b | 32) <= 102);
}

function hexValue(b: number): number {
  return b <= 57 ? b - 48 : (b | 32) - 87;
}

/** Whether the bytes at `p` spell `word` (ASCII, case-insensitive). */
function matchWord(buf: Uint8Array, p: number, e: number, word: string): boolean {
  if (e - p < word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((buf[p + i] | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * C `atof` (glibc `strtod`) of a byte range with no leading space: the longest
 * prefix that is a decimal or hexadecimal float, `inf`, `infinity` or `nan`;
 * 0 when there is none. So `0b11` gives 0, `1e3x` 1000, `abc` 0, `0x1p3` 8.
 *
 * @example
 * ```ts
 * const b = new TextEncoder().encode("1e3x");
 * atof(b, 0, b.length); // 1000
 * ```
 */
export function atof(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  let sign = 1;
  if (p < e && (buf[p] === 43 || buf[p] === 45)) sign = buf[p++] === 45 ? -1 : 1;
  if (p + 1 < e && buf[p] === 48 && (buf[p + 1] | 32) === 120) {
    const hex = atofHex(buf, p + 2, e);
    if (!Number.isNaN(hex)) return sign * hex;
  }
  // Fast path: up to 15 significant digits, no exponent -> one correctly rounded division.
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let q = p;
  while (q < e && isDigit(buf[q])) mant = mant * 10 + buf[q++] - 48, digits++;
  if (q < e && buf[q] === 46) {
    q++;
    while (q < e && isDigit(buf[q])) mant = mant * 10 + buf[q++] - 48, digits++, frac++;
  }
  if (digits === 0) {
    if (matchWord(buf, p, e, "infinity") || matchWord(buf, p, e, "inf")) return sign * Infinity;
    if (matchWord(buf, p, e, "nan")) return NaN;
    return 0;
  }
  const exponent = q < e && (buf[q] | 32) === 101;
  if (!exponent && digits <= 15 && frac <= 22) return sign * (mant / POW10[frac]);
  // General path: JavaScript's Number() is correctly rounded like strtod; hand it the C prefix.
  if (exponent) {
    let r = q + 1;
    if (r < e && (buf[r] === 43 || buf[r] === 45)) r++;
    if (r < e && isDigit(buf[r])) {
      while (r < e && isDigit(buf[r])) r++;
      q = r;
    }
  }
  return sign * Number(byteKey(buf, p, q));
}

/** Hexadecimal float after `0x` (C99 `strtod`); NaN when no hex digit follows. */
function atofHex(buf: Uint8Array, p: number, e: number): number {
  let mant = 0n;
  let digits = 0;
  let scale = 0;
  while (p < e && isHexDigit(buf[p])) mant = mant * 16n + BigInt(hexValue(buf[p++])), digits++;
  if (p < e && buf[p] === 46) {
    p++;
    while (p < e && isHexDigit(buf[p])) {
      mant = mant * 16n + BigInt(hexValue(buf[p++]));
      digits++;
      scale -= 4;
    }
  }
  if (digits === 0) return NaN;
  if (p < e && (buf[p] | 32) === 112) {
    let r = p + 1;
    let expSign = 1;
    if (r < e && (buf[r] === 43 || buf[r] === 45)) expSign = buf[r++] === 45 ? -1 : 1;
    if (r < e && isDigit(buf[r])) {
      let x = 0;
      while (r < e && isDigit(buf[r])) x = Math.min(1e6, x * 10 + buf[r++] - 48);
      scale += expSign * x;
    }
  }
  // Number(bigint) rounds once; the power of two is exact unless the result is subnormal.
  return mant === 0n ? 0 : Number(mant) * 2 ** scale;
}

/**
 * Receives complete lines: the byte range `[start, end)` of `buf` ends with
 * `\n`, and its first line has number `line` (1-based). Returns the number of
 * lines in the range.
 */
export type BlockHandler = (buf: Uint8Array, start: number, end: number, line: number) => number;

/**
 * Streams a file (gunzipped when it ends in `.gz`) as blocks of whole lines,
 * in constant memory; a last line without `\n` gets one. Returns the number
 * of bytes read. Read errors become `PathError`s naming the file.
 *
 * @example
 * ```ts
 * let lines = 0;
 * await forEachBlock("run.txt", (buf, s, e) => {
 *   let n = 0;
 *   for (let i = s; i < e; i++) if (buf[i] === 10) n++;
 *   lines += n;
 *   return n;
 * });
 * ```
 */
export async function forEachBlock(path: string, onBlock: BlockHandler): Promise<number> {
  let carry: Uint8Array | null = null;
  let line = 1;
  let total = 0;
  const join = (a: Uint8Array | null, b: Uint8Array): Uint8Array => {
    if (a === null) return b.slice();
    const joined = new Uint8Array(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    return joined;
  };
  for await (const chunk of await openBytes(path)) {
    total += chunk.length;
    const last = chunk.lastIndexOf(10);
    if (last === -1) {
      carry = join(carry, chunk);
      continue;
    }
    let start = 0;
    if (carry !== null) {
      start = chunk.indexOf(10) + 1;
      const joined = join(carry, chunk.subarray(0, start));
      line += onBlock(joined, 0, joined.length, line);
      carry = null;
    }
    if (start <= last) line += onBlock(chunk, start, last + 1, line);
    if (last + 1 < chunk.length) carry = chunk.slice(last + 1);
  }
  if (carry !== null) {
    const joined = join(carry, new Uint8Array([10]));
    onBlock(joined, 0, joined.length, line);
  }
  return total;
}

/** Receives one line as the byte range `[start, end)` of `buf` (no `\n`) and its 1-based number. */
export type LineHandler = (buf: Uint8Array, start: number, end: number, line: number) => void;

/**
 * Streams the lines of a file as byte ranges (see {@linkcode forEachBlock});
 * returns the number of bytes read.
 *
 * @example
 * ```ts
 * let lines = 0;
 * await forEachLine("qrels.txt", () => lines++);
 * ```
 */
export function forEachLine(path: string, onLine: LineHandler): Promise<number> {
  return forEachBlock(path, (buf, s, e, line) => {
    let n = 0;
    for (let nl = buf.indexOf(10, s); nl !== -1 && nl < e; nl = buf.indexOf(10, s)) {
      onLine(buf, s, nl, line + n++);
      s = nl + 1;
    }
    return n;
  });
}

/**
 * End of the field starting at `p`: the index of the next `isspace` byte. The
 * line must end in a space or `\n` within `buf`. A NUL byte is an
 * {@linkcode InputError}: trec_eval would cut the field there.
 *
 * @example
 * ```ts
 * const b = new TextEncoder().encode("q1 Q0\n");
 * fieldEnd(b, 0, "run.txt", 1); // 2
 * ```
 */
export function fieldEnd(buf: Uint8Array, p: number, file: string, line: number): number {
  while (true) {
    const b = buf[p];
    if (b > 32) p++;
    else if (b === 32 || (b >= 9 && b <= 13)) return p;
    else if (b === 0 || b === undefined) {
      if (b === 0) throw new InputError(file, line, "NUL byte in a field");
      return p;
    } else p++;
  }
}

/**
 * Splits `[s, e)` at `isspace` bytes into at most `max` fields, writing their
 * bounds to `starts`/`ends`; returns the number of fields found (`max + 1`
 * when there are more). A NUL byte is an {@linkcode InputError}.
 *
 * @example
 * ```ts
 * const starts = new Int32Array(6), ends = new Int32Array(6);
 * const b = new TextEncoder().encode("q1 Q0 d1 1 2.5 run");
 * splitFields(b, 0, b.length, starts, ends, 6, "run.txt", 1); // 6
 * ```
 */
export function splitFields(
  buf: Uint8Array,
  s: number,
  e: number,
  starts: Int32Array,
  ends: Int32Array,
  max: number,
  file: string,
  line: number,
): number {
  let n = 0;
  let p = s;
  while (true) {
    while (p < e && isSpace(buf[p])) p++;
    if (p === e) return n;
    if (n === max) return n + 1;
    starts[n] = p;
    p = Math.min(e, fieldEnd(buf, p, file, line));
    ends[n++] = p;
  }
}
