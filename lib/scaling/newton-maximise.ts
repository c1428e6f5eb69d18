import { choleskyFactor, choleskySolve } from "./linear-algebra.ts";

/** Options of {@link newtonMaximise}; every field has a default. */
export interface NewtonMaximiseOptions {
  /** Most Newton iterations. Default 200. */
  maxIterations?: number;
  /** Stop when the predicted gain gᵀ(−H)⁻¹g/2 falls below tolerance·(1 + |f|). Default 1e-12. */
  tolerance?: number;
  /** Finite-difference step in every coordinate. Default 1e-4 (the coordinates should be O(1): logs, logits). */
  step?: number;
  /** Largest change of any coordinate per iteration. Default 3. */
  maxStep?: number;
}

/** Outcome of {@link newtonMaximise}. */
export interface NewtonMaximiseResult {
  x: Float64Array;
  /** f(x). */
  value: number;
  /** Gradient at x (central differences). */
  gradient: Float64Array;
  /** Hessian at x (central differences), [p, p] row-major. */
  hessian: Float64Array;
  iterations: number;
  converged: boolean;
  reason: string;
}

/**
 * Maximise a smooth function of a few unconstrained variables by damped Newton steps
 * with a finite-difference gradient and Hessian: each step solves (−H + λ·I)δ = g,
 * λ shrinking after a step that raises f and growing (×4) after one that does not, or
 * when −H + λI is not positive definite. Suited to log-likelihoods of 2–4 parameters
 * in log/logit coordinates; the Hessian at the optimum is the observed information's negative.
 *
 * @param f - the objective; may return NaN or −Infinity where undefined (such points are rejected)
 * @param x0 - start, [p]
 * @see Nocedal & Wright, "Numerical Optimization" (2nd ed.), §3.4 (Newton with Hessian modification), §8.1 (finite-difference derivatives)
 */
export function newtonMaximise(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NewtonMaximiseOptions = {}): NewtonMaximiseResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-12;
  const h = options.step ?? 1e-4;
  const maxStep = options.maxStep ?? 3;
  const p = x0.length;
  let x = Float64Array.from(x0);
  let value = f(x);
  let lambda = 1e-3;
  const done = (iterations: number, converged: boolean, reason: string, known?: { gradient: Float64Array; hessian: Float64Array }): NewtonMaximiseResult => {
    const { gradient, hessian } = known ?? derivatives(f, x, value, h);
    return { x, value, gradient, hessian, iterations, converged, reason };
  };
  if (!Number.isFinite(value)) return { x, value, gradient: new Float64Array(p), hessian: new Float64Array(p * p), iterations: 0, converged: false, reason: "the objective is not finite at the start" };
  for (let iter = 1; iter <= maxIterations; iter++) {
    const known = derivatives(f, x, value, h);
    const { gradient: g, hessian: hess } = known;
    if (newtonDecrement(hess, g, p) / 2 <= tolerance * (1 + Math.abs(value))) return done(iter - 1, true, "predicted gain below tolerance", known);
    let accepted = false;
    for (let tries = 0; tries < 60 && !accepted; tries++) {
      const a = new Float64Array(p * p);
      let diag = 0;
      for (let j = 0; j < p; j++) diag = Math.max(diag, Math.abs(hess[j * p + j] as number));
      for (let i = 0; i < p * p; i++) a[i] = -(hess[i] as number);
      for (let j = 0; j < p; j++) a[j * p + j] = (a[j * p + j] as number) + lambda * Math.max(diag, 1e-12);
      const l = choleskyFactor(a, p);
      if (l === undefined) {
        lambda = Math.max(lambda * 4, 1e-6);
        continue;
      }
      const delta = choleskySolve(l, p, g);
      let shrink = 1;
      for (let j = 0; j < p; j++) shrink = Math.min(shrink, maxStep / Math.abs(delta[j] as number));
      const trial = Float64Array.from(x, (v, j) => v + shrink * (delta[j] as number));
      const trialValue = f(trial);
      if (trialValue >= value) {
        x = trial;
        value = trialValue;
        lambda = Math.max(lambda / 3, 1e-12);
        accepted = true;
      } else {
        lambda = Math.max(lambda * 4, 1e-6);
      }
    }
    if (!accepted) return done(iter, false, "no step raised the objective");
  }
  return done(maxIterations, false, `maximum of ${maxIterations} iterations reached`);
}

/** gᵀ(−H)⁻¹g, or Infinity when −H is not positive definite. */
function newtonDecrement(hess: Float64Array, g: Float64Array, p: number): number {
  const l = choleskyFactor(hess.map((v) => -v), p);
  if (l === undefined) return Infinity;
  const d = choleskySolve(l, p, g);
  let s = 0;
  for (let j = 0; j < p; j++) s += (g[j] as number) * (d[j] as number);
  return s;
}

/** Central-difference gradient and Hessian of f at x (f(x) = fx), step h in every coordinate. */
export function derivatives(f: (x: Float64Array) => number, x: Float64Array, fx: number, h: number): { gradient: Float64Array; hessian: Float64Array } {
  const p = x.length;
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const at = (dj: number, j: number, dk: number, k: number) => {
    const y = Float64Array.from(x);
    y[j] = (y[j] as number) + dj * h;
    y[k] = (y[k] as number) + dk * h;
    return f(y);
  };
  for (let j = 0; j < p; j++) {
    const up = at(1, j, 0, j);
    const down = at(-1, j, 0, j);
    gradient[j] = (up - down) / (2 * h);
    hessian[j * p + j] = (up - 2 * fx + down) / (h * h);
    for (let k = 0; k < j; k++) {
      const v = (at(1, j, 1, k) - at(1, j, -1, k) - at(-1, j, 1, k) + at(-1, j, -1, k)) / (4 * h * h);
      hessian[j * p + k] = v;
      hessian[k * p + j] = v;
    }
  }
  return { gradient, hessian };
}
