import { formatValue } from "../core/errors.ts";
import { MAX_UINT32 } from "./sample-row.ts";

/**
 * Value checks shared by the row parser, the builder and the table: each
 * returns `undefined` when the value is acceptable, else the problem as it
 * appears after `field "x": ` in a {@link DataError}.
 */

/** A finite number (rejects NaN, ±Infinity and non-numbers). */
export function checkFinite(v: unknown): string | undefined {
  return typeof v === "number" && Number.isFinite(v) ? undefined : `expected a finite number, got ${formatValue(v)}`;
}

/** A non-negative integer that fits a `Uint32Array` (sample indices, token counts). */
export function checkCount(v: unknown): string | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_UINT32
    ? undefined
    : `expected a non-negative integer below 2^32, got ${formatValue(v)}`;
}

/** An array whose every element passes `check`; reports the first bad element's index via `field[i]`. */
export function checkList(v: unknown, check: (x: unknown) => string | undefined): { index: number; problem: string } | undefined {
  if (!Array.isArray(v)) return { index: -1, problem: `expected an array of numbers, got ${formatValue(v)}` };
  for (let i = 0; i < v.length; i++) {
    const problem = check(v[i]);
    if (problem !== undefined) return { index: i, problem };
  }
  return undefined;
}
