import { requireArg, requireEach } from "../core/errors.ts";
import type { Law, LawData } from "./law.ts";

/** Observations to fit: one x (or an [x, x2] pair for two-input laws) and one y per point. */
export interface FitData {
  /** Inputs: numbers for one-input laws, `[x, x2]` pairs for two-input laws (e.g. `[N, D]`). */
  x: ArrayLike<number> | readonly (readonly number[])[];
  /** Observed values, same length as x. */
  y: ArrayLike<number>;
  /** Optional positive weights (1/σᵢ² for known noise levels); default all 1. */
  weights?: ArrayLike<number>;
}

/** Validated, normalised data: typed columns plus weights. */
export interface CheckedData extends LawData {
  w: Float64Array;
}

/**
 * Validate fit data against a law and the fitting space, and copy it into typed columns.
 *
 * @throws InvalidArgumentError for mismatched lengths, non-finite values, non-positive
 *   weights, too few points (the fit needs more points than parameters, so that
 *   σ² = SSE/(n − p) exists), or non-positive x / y where the law or log space needs positive data
 */
export function checkFitData(fn: string, law: Law, data: FitData, logSpace: boolean): CheckedData {
  const inputs = law.inputs ?? 1;
  const n = data.x.length;
  const p = law.paramNames.length;
  requireArg(fn, data.y.length === n, `y of the same length as x (${n})`, data.y.length);
  if (data.weights !== undefined) requireArg(fn, data.weights.length === n, `weights of the same length as x (${n})`, data.weights.length);
  requireArg(fn, n > p, `more points than parameters (${p} for ${law.name})`, n);
  const x = new Float64Array(n);
  const x2 = inputs === 2 ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const xi = data.x[i];
    if (inputs === 2) {
      const ok = Array.isArray(xi) && xi.length === 2;
      requireEach(fn, ok, `[x, x2] pairs for the two-input law ${law.name}`, () => `${JSON.stringify(xi)} at index ${i}`);
      x[i] = (xi as readonly number[])[0] as number;
      (x2 as Float64Array)[i] = (xi as readonly number[])[1] as number;
    } else {
      requireEach(fn, typeof xi === "number", `numeric x for the one-input law ${law.name}`, () => `${JSON.stringify(xi)} at index ${i}`);
      x[i] = xi as number;
    }
  }
  const y = Float64Array.from(data.y);
  const w = data.weights === undefined ? new Float64Array(n).fill(1) : Float64Array.from(data.weights);
  const columns: [string, Float64Array | undefined][] = [["x", x], ["x2", x2], ["y", y], ["weights", w]];
  for (const [name, col] of columns) {
    if (col === undefined) continue;
    const i = col.findIndex((v) => !Number.isFinite(v));
    requireEach(fn, i < 0, `finite ${name} values`, () => `${col[i]} at index ${i}`);
  }
  const iw = w.findIndex((v) => !(v > 0));
  requireEach(fn, iw < 0, "positive weights", () => `${w[iw]} at index ${iw}`);
  if (law.requiresPositiveX) {
    for (const [name, col] of columns.slice(0, 2)) {
      if (col === undefined) continue;
      const i = col.findIndex((v) => !(v > 0));
      requireEach(fn, i < 0, `positive ${name} values (law ${law.name})`, () => `${col[i]} at index ${i}`);
    }
  }
  if (law.requiresPositiveY || logSpace) {
    const i = y.findIndex((v) => !(v > 0));
    const why = law.requiresPositiveY ? `law ${law.name}` : "log space";
    requireEach(fn, i < 0, `positive y values (${why})`, () => `${y[i]} at index ${i}`);
  }
  return { x, x2, y, w };
}
