import { requireArg } from "../core/errors.ts";

/**
 * Check the numbers of one series before they go into a figure: each must be
 * finite or NaN (NaN leaves a gap in a line), and on a log axis each finite
 * value must be positive. Returns a plain-array copy, so typed arrays
 * serialise to JSON as arrays.
 *
 * @param fn - the public function checking, named in errors (e.g. `"lineFigure"`)
 * @param values - the numbers to check
 * @param what - which values these are, e.g. `y values in series "acc"`
 * @param log - whether they are plotted on a log axis
 * @returns the values as a fresh `number[]`
 * @throws InvalidArgumentError naming `what`, the index and the offending value
 * @example
 * checkValues("lineFigure", [1, 2, 0], 'y values in series "acc"', true);
 * // throws: lineFigure requires positive y values in series "acc" on a log axis (index 2), got 0
 */
export function checkValues(fn: string, values: ArrayLike<number>, what: string, log: boolean): number[] {
  const out = Array.from(values);
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    if (typeof v !== "number" || v === Infinity || v === -Infinity) {
      requireArg(fn, false, `finite ${what} (index ${i})`, v);
    }
    if (log && !Number.isNaN(v)) requireArg(fn, v > 0, `positive ${what} on a log axis (index ${i})`, v);
  }
  return out;
}
