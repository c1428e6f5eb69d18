import { requireArg } from "../../lib/core/errors.ts";
import { centredSums } from "./correlation.ts";

/** An ordinary least-squares line y ≈ intercept + slope · x. */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination 1 − SS_res / SS_tot (1 when y is constant and fitted exactly). */
  r2: number;
  /** Points the fit used. */
  points: number;
}

/**
 * Fit a straight line by ordinary least squares. Fitting log P against τ this
 * way tests whether P falls exponentially in τ: P ≈ e^intercept · e^(slope·τ),
 * and r² says how well a single exponential describes the points.
 *
 * @param xs - n ≥ 2 abscissae, not all equal
 * @param ys - n ordinates
 * @throws InvalidArgumentError on different lengths, fewer than 2 points, non-finite values or constant x
 * @example
 * fitLine([0, 1, 2], [1, 3, 5]); // { slope: 2, intercept: 1, r2: 1, points: 3 }
 * @see Draper & Smith, "Applied Regression Analysis", ch. 1 (simple linear regression)
 */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  requireArg("fitLine", xs.length === ys.length && xs.length >= 2, "x and y of the same length >= 2", { x: xs.length, y: ys.length });
  requireArg("fitLine", [...xs, ...ys].every(Number.isFinite), "finite values", [...xs, ...ys].find((v) => !Number.isFinite(v)));
  const { mx, my, sxx, sxy, syy } = centredSums(xs, ys);
  requireArg("fitLine", sxx > 0, "x values that are not all equal", xs[0]);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // SS_res = SS_tot − slope · S_xy for the least-squares line.
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - (syy - slope * sxy) / syy);
  return { slope, intercept, r2, points: xs.length };
}
