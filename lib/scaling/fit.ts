import { InvalidArgumentError, requireArg } from "../core/errors.ts";
import { checkFitData, type CheckedData, type FitData } from "./fit-data.ts";
import { FitConvergenceError } from "./fit-errors.ts";
import { fitProblem, toParams } from "./fit-problem.ts";
import { makeFitResult, type FitResult } from "./fit-result.ts";
import type { Law, Params } from "./law.ts";
import { levenbergMarquardt, type LevenbergMarquardtResult } from "./levenberg-marquardt.ts";
import { fitCovariance } from "./fit-covariance.ts";
import { paramTransform, type ParamTransform } from "./param-transform.ts";

/** Options of {@link fit}; every field has a default. */
export interface FitOptions<P extends string = string> {
  /** `"l2"` (default) or `"huber"` (robust; quadratic within `huberDelta`, linear beyond). */
  loss?: "l2" | "huber";
  /** Huber threshold δ, in units of the (weighted, fitting-space) residual. Default 1e-3, Hoffmann et al.'s value on log residuals. */
  huberDelta?: number;
  /** `"linear"` (default): fit y against f. `"log"`: fit log y against log f (needs y > 0 and f > 0). */
  space?: "linear" | "log";
  /** Trial steps per start. Default 500. */
  maxIterations?: number;
  /** Relative SSE-reduction tolerance. Default 1e-14. */
  ftol?: number;
  /** Relative step tolerance. Default 1e-12. */
  xtol?: number;
  /** Scaled-gradient tolerance. Default 1e-12. */
  gtol?: number;
  /** Starting points to use instead of the law's `initialGuesses`; each must lie strictly inside the bounds. */
  starts?: Params<P>[];
  /** Smallest eigenvalue ratio of the correlation-scaled JᵀJ accepted as non-singular. Default 1e-12. */
  singularTolerance?: number;
}

/**
 * Fit a scaling law by nonlinear least squares: Levenberg–Marquardt from each of
 * the law's starting points (or `options.starts`), keeping the lowest objective
 * among the starts that converged. Bounds are enforced by smooth transforms; the
 * covariance σ²(JᵀWJ)⁻¹, σ² = SSE/(n − p), is computed with the Jacobian in the
 * original parameters at the optimum — what scipy's `curve_fit` reports with
 * `sigma = 1/√w` and `absolute_sigma=False`. Under Huber loss it is the same
 * formula with the IRLS weights min(1, δ/|eᵢ|) folded into W and σ² (an approximation).
 *
 * @param law - the law, e.g. {@link powerLawWithFloor} or one made with {@link defineLaw}
 * @param data - x (or [x, x2] pairs), y and optional weights (1/σᵢ²)
 * @param options - loss, space, tolerances, starts (see {@link FitOptions})
 * @returns the fit (see {@link FitResult}); print it with `String(result)` or `result.table()`
 * @throws InvalidArgumentError for mismatched lengths, non-finite data, non-positive
 *   weights, n ≤ p points, non-positive data where the law or log space needs positive data,
 *   or a user start outside the bounds
 * @throws SingularFitError when JᵀJ is singular at the optimum (names the parameters not identified)
 * @throws FitConvergenceError when no start converged (with the best start's reason)
 * @example
 * const r = fit(powerLaw, { x: [1, 2, 4, 8], y: [1, 0.71, 0.5, 0.35] });
 * r.params.alpha // ≈ 0.5
 * console.log(String(r));
 * @see Marquardt 1963 (the algorithm); Hoffmann et al. 2022, §3.3 (Huber loss on log L, multi-start)
 */
export function fit<P extends string>(law: Law<P>, data: FitData, options: FitOptions<P> = {}): FitResult<P> {
  const loss = options.loss ?? "l2";
  const space = options.space ?? "linear";
  requireArg("fit", loss === "l2" || loss === "huber", `loss "l2" or "huber"`, loss);
  requireArg("fit", space === "linear" || space === "log", `space "linear" or "log"`, space);
  const huberDelta = loss === "huber" ? (options.huberDelta ?? 1e-3) : undefined;
  if (huberDelta !== undefined) requireArg("fit", huberDelta > 0 && Number.isFinite(huberDelta), "a finite huberDelta > 0", huberDelta);
  const checked = checkFitData("fit", law, data, space === "log");
  const transforms = law.paramNames.map((name) => paramTransform(law.bounds?.[name]));
  const starts = startingPoints(law, checked, transforms, options.starts);
  const problem = fitProblem(law, checked, transforms, { logSpace: space === "log", huberDelta });

  let best: LevenbergMarquardtResult | undefined;
  let bestFailed: LevenbergMarquardtResult | undefined;
  for (const u0 of starts) {
    const run = levenbergMarquardt(problem, u0, options);
    if (run.converged) {
      if (best === undefined || run.sse < best.sse) best = run;
    } else if (bestFailed === undefined || !(run.sse >= bestFailed.sse)) {
      bestFailed = run;
    }
  }
  if (best === undefined) {
    const failed = bestFailed as LevenbergMarquardtResult;
    throw new FitConvergenceError(law.name, starts.length, failed.reason, failed.sse);
  }
  const theta = Float64Array.from(transforms, (t, j) => t.toParam(best.u[j] as number));
  const stats = fitCovariance(law, checked, theta, { logSpace: space === "log", huberDelta }, options.singularTolerance ?? 1e-12);
  const n = checked.x.length;
  const p = theta.length;
  const atBounds = law.paramNames.filter((name, j) => {
    const b = law.bounds?.[name];
    const se = Math.sqrt((stats.covariance[j] as number[])[j] as number);
    const distance = Math.min(Math.abs((theta[j] as number) - (b?.lower ?? -Infinity)), Math.abs((b?.upper ?? Infinity) - (theta[j] as number)));
    return distance <= 1e-6 * se;
  });
  return makeFitResult<P>({
    law: law.name,
    paramNames: law.paramNames,
    params: toParams(law, theta),
    covariance: stats.covariance,
    n,
    dof: n - p,
    sse: stats.sse,
    objective: best.sse,
    r2: 1 - stats.sse / stats.sst,
    aic: n * Math.log((2 * Math.PI * stats.sse) / n) + n + 2 * (p + 1),
    atBounds,
    iterations: best.iterations,
    converged: true,
    reason: best.reason,
    starts: starts.length,
    loss,
    space,
    predictAt: (params, x, x2) => law.predict(params, x, x2),
  });
}

/** Starting points in the unconstrained variables; law guesses on or past a bound are nudged inside. */
function startingPoints<P extends string>(
  law: Law<P>,
  data: CheckedData,
  transforms: readonly ParamTransform[],
  userStarts: Params<P>[] | undefined,
): Float64Array[] {
  const guesses = userStarts ?? law.initialGuesses(data);
  requireArg("fit", guesses.length > 0, `at least one starting point for ${law.name}`, guesses.length);
  return guesses.map((g) =>
    Float64Array.from(law.paramNames, (name, j) => {
      const t = transforms[j] as ParamTransform;
      const value = g[name];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new InvalidArgumentError("fit", `a finite starting value for every parameter of ${law.name}`, `${name} = ${value}`);
      }
      const u = t.toFree(value);
      if (Number.isFinite(u)) return u;
      if (userStarts !== undefined) throw new InvalidArgumentError("fit", `starting values strictly inside the bounds of ${law.name}`, `${name} = ${value}`);
      return t.toFree(nudgeInside(value, law.bounds?.[name]?.lower, law.bounds?.[name]?.upper));
    }),
  );
}

/** A value just inside open bounds (lower, upper). */
function nudgeInside(v: number, lower: number | undefined, upper: number | undefined): number {
  const gap = (b: number) => 1e-6 * Math.max(1, Math.abs(b));
  if (lower !== undefined && upper !== undefined) return Math.min(Math.max(v, lower + gap(lower) * Math.min(1, upper - lower)), upper - gap(upper) * Math.min(1, upper - lower));
  if (lower !== undefined) return Math.max(v, lower + gap(lower));
  if (upper !== undefined) return Math.min(v, upper - gap(upper));
  return v;
}
