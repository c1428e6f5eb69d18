import { requireArg } from "../core/errors.ts";
import { checkFitData, type CheckedData, type FitData } from "./fit-data.ts";
import { predictionJacobian } from "./fit-problem.ts";
import type { FitResult } from "./fit-result.ts";
import { fit, type FitOptions } from "./fit.ts";
import type { Law } from "./law.ts";
import { studentTQuantile } from "./student-t.ts";

/** Options of {@link extrapolate}. */
export interface ExtrapolateOptions<P extends string = string> {
  /** Fit on the points whose ordering value is ≤ fitUpTo; predict the rest. */
  fitUpTo: number;
  /** The ordering value of a point. Default: its first input x (e.g. for Chinchilla pass `(n, d) => 6 * n * d`, compute). */
  orderBy?: (x: number, x2: number) => number;
  /** Level of the prediction intervals. Default 0.95. */
  level?: number;
  /** Options of the prefix fit (loss, space, starts, ...). */
  fitOptions?: FitOptions<P>;
}

/** One held-out point: what the prefix fit predicted and what was observed. */
export interface ExtrapolatedPoint {
  x: number;
  /** Second input of a two-input law; NaN otherwise. */
  x2: number;
  observed: number;
  predicted: number;
  /** The prediction interval at the chosen level, in the units of y. */
  lower: number;
  upper: number;
  /** lower ≤ observed ≤ upper. */
  inside: boolean;
  /** |predicted − observed| / |observed|. */
  relativeError: number;
}

/** What {@link extrapolate} returns. */
export interface ExtrapolateResult<P extends string = string> {
  /** The fit on the prefix. */
  fit: FitResult<P>;
  /** Held-out points, in input order. */
  points: ExtrapolatedPoint[];
  level: number;
  /** Fraction of held-out points inside their interval: ≈ level when the law holds and the noise is as in the prefix. */
  coverage: number;
  maxRelativeError: number;
  /** A one-line summary and a table of the held-out points. */
  toString(): string;
}

/**
 * Fit a law on the low-budget prefix of the data and check its predictions on the rest —
 * the test every scaling claim should pass. Each held-out point gets a prediction interval
 *
 *   ŷ ± t_{(1+level)/2, n−p} · √(gᵀΣg + σ²/wᵢ),
 *
 * with g = ∂f/∂θ at the point (the law's Jacobian, or central differences), Σ the fit's
 * covariance (the delta method for the uncertainty of the curve) and σ² = SSE/(n − p) the
 * residual variance of a new observation (wᵢ its weight, default 1). In log space the same
 * is done for log y (g divided by ŷ) and the interval is exponentiated. The intervals assume
 * the law is right: when it is wrong, coverage drops far below `level` — which is the point.
 *
 * @param law - the law to test
 * @param data - all points (x or [x, x2] pairs, y, optional weights)
 * @param options - `fitUpTo` (required), ordering, interval level, prefix-fit options
 * @returns the prefix fit, every held-out point with its interval, coverage and max relative error
 * @throws InvalidArgumentError for bad data (as {@link fit}), a level outside (0, 1), no held-out points,
 *   or no more prefix points than parameters
 * @throws FitConvergenceError, SingularFitError from the prefix fit
 * @example
 * const r = extrapolate(powerLawWithFloor, { x: compute, y: loss }, { fitUpTo: 1e20 });
 * r.coverage; r.maxRelativeError; console.log(String(r));
 * @see Seber & Wild, "Nonlinear Regression" (1989), §5.1 (prediction intervals from the linearised model);
 *   Hoffmann et al. 2022, §3.3 and Kaplan et al. 2020, §6 (fit small runs, predict large ones)
 */
export function extrapolate<P extends string>(law: Law<P>, data: FitData, options: ExtrapolateOptions<P>): ExtrapolateResult<P> {
  const fn = "extrapolate";
  const level = options.level ?? 0.95;
  requireArg(fn, level > 0 && level < 1, "0 < level < 1", level);
  requireArg(fn, typeof options.fitUpTo === "number" && !Number.isNaN(options.fitUpTo), "a numeric fitUpTo", options.fitUpTo);
  const logSpace = options.fitOptions?.space === "log";
  const all = checkFitData(fn, law, data, logSpace);
  const order = options.orderBy ?? ((x: number) => x);
  const n = all.x.length;
  const x2At = (i: number) => (all.x2 === undefined ? NaN : (all.x2[i] as number));
  const isPrefix = Array.from({ length: n }, (_, i) => order(all.x[i] as number, x2At(i)) <= options.fitUpTo);
  const prefix = pick(all, isPrefix);
  const rest = pick(all, isPrefix.map((v) => !v));
  const p = law.paramNames.length;
  requireArg(fn, prefix.x.length > p, `more points with x <= fitUpTo than parameters (${p} for ${law.name})`, prefix.x.length);
  requireArg(fn, rest.x.length > 0, "at least one point beyond fitUpTo to predict", 0);

  const prefixData: FitData = {
    x: all.x2 === undefined ? prefix.x : Array.from(prefix.x, (v, i) => [v, (prefix.x2 as Float64Array)[i] as number]),
    y: prefix.y,
    ...(data.weights === undefined ? {} : { weights: prefix.w }),
  };
  const fitted = fit(law, prefixData, options.fitOptions);
  const theta = Float64Array.from(law.paramNames, (name) => fitted.params[name]);
  const g = new Float64Array(rest.x.length * p);
  predictionJacobian(law, theta, rest, g);
  const sigma2 = fitted.sse / fitted.dof;
  const t = studentTQuantile((1 + level) / 2, fitted.dof);
  const points = Array.from(rest.x, (x, i): ExtrapolatedPoint => {
    const x2 = rest.x2 === undefined ? NaN : (rest.x2[i] as number);
    const predicted = law.predict(fitted.params, x, x2);
    let curveVariance = 0;
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) curveVariance += (g[i * p + j] as number) * ((fitted.covariance[j] as number[])[k] as number) * (g[i * p + k] as number);
    }
    if (logSpace) curveVariance /= predicted * predicted;
    const half = t * Math.sqrt(curveVariance + sigma2 / (rest.w[i] as number));
    const [lower, upper] = logSpace ? [predicted * Math.exp(-half), predicted * Math.exp(half)] : [predicted - half, predicted + half];
    const observed = rest.y[i] as number;
    return { x, x2, observed, predicted, lower, upper, inside: observed >= lower && observed <= upper, relativeError: Math.abs(predicted - observed) / Math.abs(observed) };
  });
  const coverage = points.filter((q) => q.inside).length / points.length;
  const maxRelativeError = Math.max(...points.map((q) => q.relativeError));
  return {
    fit: fitted,
    points,
    level,
    coverage,
    maxRelativeError,
    toString() {
      const pct = `${+(level * 100).toFixed(2)}%`;
      const head = `${law.name} fitted on ${fitted.n} points (x <= ${options.fitUpTo}), ${points.length} held out: ${(coverage * 100).toFixed(1)}% inside their ${pct} prediction intervals, max relative error ${maxRelativeError.toPrecision(3)}`;
      const rows = points.map((q) => [q.x, q.observed, q.predicted, q.lower, q.upper].map((v) => v.toPrecision(6)).concat(q.inside ? "yes" : "NO"));
      const header = ["x", "observed", "predicted", "low", "high", "inside"];
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
      const line = (cells: string[]) => cells.map((s, c) => s.padStart(widths[c] as number)).join("  ");
      return [head, line(header), ...rows.map(line)].join("\n");
    },
  };
}

/** The rows of checked data where keep[i]. */
function pick(d: CheckedData, keep: boolean[]): CheckedData {
  const f = (col: Float64Array) => col.filter((_, i) => keep[i]);
  return { x: f(d.x), x2: d.x2 === undefined ? undefined : f(d.x2), y: f(d.y), w: f(d.w) };
}
