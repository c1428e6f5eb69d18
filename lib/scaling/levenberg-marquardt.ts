import { choleskyFactor, choleskySolve } from "./linear-algebra.ts";

/** A least-squares problem min ‖r(u)‖² over u ∈ ℝᵖ with n residuals. */
export interface LeastSquaresProblem {
  n: number;
  p: number;
  /** Write r(u) into `out` ([n]); return false if r is undefined at u (e.g. a prediction is not finite). */
  residuals(u: Float64Array, out: Float64Array): boolean;
  /** Write ∂r/∂u at u into `out` ([n, p], row-major); `r` holds r(u). */
  jacobian(u: Float64Array, r: Float64Array, out: Float64Array): void;
  /**
   * Optional cap on |δuⱼ| per trial step ([p]; Infinity for none). A step that would exceed a
   * cap is shortened along its direction. Used for log- and logit-transformed parameters, where
   * one long Gauss–Newton step can send a parameter to its bound, where the gradient vanishes.
   */
  maxStep?: Float64Array;
}

/** Tolerances of {@link levenbergMarquardt}; every field has a default. */
export interface LevenbergMarquardtOptions {
  /** Most trial steps. Default 500. */
  maxIterations?: number;
  /** Stop when an accepted step reduced ‖r‖² by less than ftol relative, actual and predicted. Default 1e-14. */
  ftol?: number;
  /** Stop when the scaled step is below xtol relative to the scaled parameters. Default 1e-12. */
  xtol?: number;
  /** Stop when every scaled gradient component (cosine of r with a Jacobian column) is below gtol. Default 1e-12. */
  gtol?: number;
}

/** The outcome of one run of {@link levenbergMarquardt}. */
export interface LevenbergMarquardtResult {
  u: Float64Array;
  /** ‖r(u)‖². */
  sse: number;
  iterations: number;
  converged: boolean;
  reason: string;
}

/**
 * Minimise ‖r(u)‖² by Levenberg–Marquardt: each trial step solves
 * (JᵀJ + λ·D²)·δ = −Jᵀr, with Marquardt's diagonal scaling D² = diag(JᵀJ) (kept
 * at its running maximum, as MINPACK does, so the scaling never shrinks), and
 * λ adapted by the ratio of actual to predicted reduction (Nielsen's update).
 *
 * @param problem - residuals and their Jacobian
 * @param u0 - starting point, [p]
 * @param options - tolerances and the iteration cap
 * @returns the final point and why the search stopped; `converged` is false when
 *   the iteration cap was hit or no finite residuals exist at `u0`
 * @see Marquardt 1963, "An algorithm for least-squares estimation of nonlinear parameters", eq. 27–32 (scaled damping);
 *   Nielsen 1999, "Damping parameter in Marquardt's method", eq. 2.3 (the λ update);
 *   Moré 1978, "The Levenberg–Marquardt algorithm: implementation and theory" (scaling and stopping tests)
 */
export function levenbergMarquardt(problem: LeastSquaresProblem, u0: ArrayLike<number>, options: LevenbergMarquardtOptions = {}): LevenbergMarquardtResult {
  const { n, p } = problem;
  const maxIterations = options.maxIterations ?? 500;
  const ftol = options.ftol ?? 1e-14;
  const xtol = options.xtol ?? 1e-12;
  const gtol = options.gtol ?? 1e-12;
  let u = Float64Array.from(u0);
  let r = new Float64Array(n);
  let rTrial = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const a = new Float64Array(p * p);
  const g = new Float64Array(p);
  const d2 = new Float64Array(p);
  const done = (iterations: number, sse: number, converged: boolean, reason: string) => ({ u, sse, iterations, converged, reason });

  if (!problem.residuals(u, r)) return done(0, NaN, false, "the prediction is not finite at the start");
  let sse = sumSquares(r);
  let lambda = 1e-3;
  let nu = 2;
  let fresh = true;
  for (let iter = 1; iter <= maxIterations; iter++) {
    if (fresh) {
      if (sse === 0) return done(iter - 1, sse, true, "zero residual");
      problem.jacobian(u, r, jac);
      normalEquations(jac, r, n, p, a, g);
      let gmax = 0;
      for (let j = 0; j < p; j++) {
        const ajj = a[j * p + j] as number;
        d2[j] = Math.max(d2[j] as number, ajj);
        if (ajj > 0) gmax = Math.max(gmax, Math.abs(g[j] as number) / Math.sqrt(ajj * sse));
      }
      if (gmax <= gtol) return done(iter - 1, sse, true, `gradient below gtol (${gtol})`);
      fresh = false;
    }
    const damped = Float64Array.from(a);
    for (let j = 0; j < p; j++) damped[j * p + j] = (a[j * p + j] as number) + lambda * Math.max(d2[j] as number, 1e-300);
    const l = choleskyFactor(damped, p);
    if (l === undefined) {
      lambda *= nu;
      nu *= 2;
      continue;
    }
    const step = choleskySolve(l, p, g);
    if (problem.maxStep !== undefined) {
      let shrink = 1;
      for (let j = 0; j < p; j++) shrink = Math.min(shrink, (problem.maxStep[j] as number) / Math.abs(step[j] as number));
      if (shrink < 1) for (let j = 0; j < p; j++) step[j] = (step[j] as number) * shrink;
    }
    let stepNorm = 0;
    let uNorm = 0;
    const uTrial = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const dj = Math.sqrt(d2[j] as number);
      const sj = -(step[j] as number);
      uTrial[j] = (u[j] as number) + sj;
      stepNorm += (dj * sj) ** 2;
      uNorm += (dj * (u[j] as number)) ** 2;
    }
    const smallStep = Math.sqrt(stepNorm) <= xtol * (Math.sqrt(uNorm) + xtol);
    // predicted reduction of ‖r‖²: ‖r‖² − ‖r + Jδ‖² = −2δᵀg − δᵀAδ with δ = −step
    let predicted = 0;
    for (let j = 0; j < p; j++) {
      let aStep = 0;
      for (let k = 0; k < p; k++) aStep += (a[j * p + k] as number) * (step[k] as number);
      predicted += (step[j] as number) * (2 * (g[j] as number) - aStep);
    }
    const ok = problem.residuals(uTrial, rTrial);
    const sseTrial = ok ? sumSquares(rTrial) : Infinity;
    const actual = sse - sseTrial;
    const rho = predicted > 0 ? actual / predicted : -1;
    if (rho > 1e-4) {
      u = uTrial;
      [r, rTrial] = [rTrial, r];
      const previous = sse;
      sse = sseTrial;
      fresh = true;
      lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
      nu = 2;
      if (actual <= ftol * previous && predicted <= ftol * previous) return done(iter, sse, true, `relative SSE reduction below ftol (${ftol})`);
      if (smallStep) return done(iter, sse, true, `relative step below xtol (${xtol})`);
    } else {
      if (smallStep) return done(iter, sse, true, `relative step below xtol (${xtol})`);
      lambda *= nu;
      nu *= 2;
      if (!Number.isFinite(lambda) || lambda > 1e300) return done(iter, sse, false, "damping overflowed without reducing the SSE");
    }
  }
  return done(maxIterations, sse, false, `maximum of ${maxIterations} iterations reached`);
}

function sumSquares(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += (r[i] as number) ** 2;
  return s;
}

/** A = JᵀJ ([p, p]) and g = Jᵀr ([p]). */
function normalEquations(jac: Float64Array, r: Float64Array, n: number, p: number, a: Float64Array, g: Float64Array): void {
  a.fill(0);
  g.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = r[i] as number;
    for (let j = 0; j < p; j++) {
      const jij = jac[i * p + j] as number;
      g[j] = (g[j] as number) + jij * ri;
      for (let k = 0; k <= j; k++) a[j * p + k] = (a[j * p + k] as number) + jij * (jac[i * p + k] as number);
    }
  }
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) a[j * p + k] = a[k * p + j] as number;
}
