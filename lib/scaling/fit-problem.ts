import type { CheckedData } from "./fit-data.ts";
import type { Law, Params } from "./law.ts";
import type { LeastSquaresProblem } from "./levenberg-marquardt.ts";
import type { ParamTransform } from "./param-transform.ts";

/** How residuals are formed: the space of the comparison and the loss. */
export interface ResidualSpec {
  /** Compare log y with log f instead of y with f. */
  logSpace: boolean;
  /** Huber threshold δ on the (weighted, possibly log) residual; `undefined` for plain least squares. */
  huberDelta: number | undefined;
}

/** Largest change of a transformed (bounded) parameter's free variable per step: a factor e³ ≈ 20 for exp transforms. */
const MAX_FREE_STEP = 3;

/** The relative step of central differences, ε^(1/3). */
const FD_STEP = Math.cbrt(Number.EPSILON);
/** Smallest |θ| the relative step scales with, so a parameter driven to a bound at 0 still moves the prediction. */
const FD_FLOOR = 1e-6;

/** Parameter record from a vector, in the law's parameter order. */
export function toParams<P extends string>(law: Law<P>, theta: ArrayLike<number>): Params<P> {
  const rec = {} as Record<P, number>;
  law.paramNames.forEach((name, j) => (rec[name] = theta[j] as number));
  return rec;
}

/**
 * ∂f/∂θ at every point, [n, p] row-major: the law's analytic Jacobian when it has
 * one, central finite differences with relative step ε^(1/3)·max(|θⱼ|, 1e-6) otherwise.
 */
export function predictionJacobian(law: Law, theta: Float64Array, data: CheckedData, out: Float64Array): void {
  const n = data.x.length;
  const p = theta.length;
  const names = law.paramNames;
  if (law.jacobian !== undefined) {
    const params = toParams(law, theta);
    for (let i = 0; i < n; i++) {
      const g = law.jacobian(params, data.x[i] as number, data.x2 === undefined ? NaN : (data.x2[i] as number));
      for (let j = 0; j < p; j++) out[i * p + j] = g[names[j] as string] as number;
    }
    return;
  }
  const shifted = Float64Array.from(theta);
  for (let j = 0; j < p; j++) {
    const tj = theta[j] as number;
    const h = FD_STEP * Math.max(Math.abs(tj), FD_FLOOR);
    shifted[j] = tj + h;
    const up = toParams(law, shifted);
    shifted[j] = tj - h;
    const down = toParams(law, shifted);
    shifted[j] = tj;
    const width = tj + h - (tj - h);
    for (let i = 0; i < n; i++) {
      const xi = data.x[i] as number;
      const x2i = data.x2 === undefined ? NaN : (data.x2[i] as number);
      out[i * p + j] = (law.predict(up, xi, x2i) - law.predict(down, xi, x2i)) / width;
    }
  }
}

/**
 * The least-squares problem of fitting `law` to `data` in the unconstrained
 * variables u (θⱼ = transforms[j].toParam(uⱼ)). Residuals eᵢ = √wᵢ·(yᵢ − fᵢ), or
 * √wᵢ·(log yᵢ − log fᵢ) in log space; under Huber loss each eᵢ is replaced by
 * sign(eᵢ)·√(2δ|eᵢ| − δ²) beyond δ, so that ½Σrᵢ² is exactly the Huber loss.
 */
export function fitProblem(law: Law, data: CheckedData, transforms: readonly ParamTransform[], spec: ResidualSpec): LeastSquaresProblem {
  const n = data.x.length;
  const p = law.paramNames.length;
  const theta = new Float64Array(p);
  const e = new Float64Array(n);
  const df = new Float64Array(n * p);
  const sqrtW = data.w.map(Math.sqrt);
  const target = spec.logSpace ? data.y.map(Math.log) : data.y;
  const delta = spec.huberDelta;
  const setTheta = (u: Float64Array) => transforms.forEach((t, j) => (theta[j] = t.toParam(u[j] as number)));
  const raw = (out: Float64Array): boolean => {
    const params = toParams(law, theta);
    for (let i = 0; i < n; i++) {
      const f = law.predict(params, data.x[i] as number, data.x2 === undefined ? NaN : (data.x2[i] as number));
      const ft = spec.logSpace ? Math.log(f) : f;
      if (!Number.isFinite(ft)) return false;
      out[i] = (sqrtW[i] as number) * ((target[i] as number) - ft);
    }
    return true;
  };
  return {
    n,
    p,
    maxStep: Float64Array.from(transforms, (t) => (t.bounded ? MAX_FREE_STEP : Infinity)),
    residuals(u, out) {
      setTheta(u);
      if (!raw(out)) return false;
      if (delta !== undefined) for (let i = 0; i < n; i++) out[i] = huberResidual(out[i] as number, delta);
      return true;
    },
    jacobian(u, _r, out) {
      setTheta(u);
      raw(e);
      predictionJacobian(law, theta, data, df);
      const params = spec.logSpace ? toParams(law, theta) : undefined;
      for (let i = 0; i < n; i++) {
        let scale = -(sqrtW[i] as number);
        if (params !== undefined) scale /= law.predict(params, data.x[i] as number, data.x2 === undefined ? NaN : (data.x2[i] as number));
        if (delta !== undefined) scale *= huberSlope(e[i] as number, delta);
        for (let j = 0; j < p; j++) {
          out[i * p + j] = scale * (df[i * p + j] as number) * (transforms[j] as ParamTransform).derivative(u[j] as number);
        }
      }
    },
  };
}

/** sign(e)·√(2δ|e| − δ²) beyond δ, e within: half its square is the Huber loss of e. */
export function huberResidual(e: number, delta: number): number {
  const a = Math.abs(e);
  return a <= delta ? e : Math.sign(e) * Math.sqrt(2 * delta * a - delta * delta);
}

/** d huberResidual / de. */
function huberSlope(e: number, delta: number): number {
  const a = Math.abs(e);
  return a <= delta ? 1 : delta / Math.sqrt(2 * delta * a - delta * delta);
}
