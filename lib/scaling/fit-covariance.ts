import type { CheckedData } from "./fit-data.ts";
import { SingularFitError } from "./fit-errors.ts";
import { predictionJacobian, toParams, type ResidualSpec } from "./fit-problem.ts";
import type { Law } from "./law.ts";
import { invertSpd, symmetricEigen } from "./linear-algebra.ts";

/** Covariance and sums of squares at an optimum. */
export interface FitCovariance {
  /** σ²·(JᵀWJ)⁻¹, [p][p]. */
  covariance: number[][];
  /** Weighted SSE in the fitting space. */
  sse: number;
  /** Weighted total sum of squares about the weighted mean, in the fitting space. */
  sst: number;
}

/**
 * Covariance of the fitted parameters θ (original space): σ²·(JᵀWJ)⁻¹ with
 * J = ∂(fitting-space prediction)/∂θ and σ² = Σwᵢeᵢ²/(n − p). Under Huber loss W
 * also carries the IRLS weights min(1, δ/|eᵢ|).
 *
 * @throws SingularFitError when the correlation-scaled JᵀWJ has an eigenvalue ratio
 *   below `tolerance`, naming the parameters with weight ≥ 0.1 in its null directions
 */
export function fitCovariance(law: Law, data: CheckedData, theta: Float64Array, spec: ResidualSpec, tolerance: number): FitCovariance {
  const n = data.x.length;
  const p = theta.length;
  const df = new Float64Array(n * p);
  predictionJacobian(law, theta, data, df);
  const params = toParams(law, theta);
  const t = (v: number) => (spec.logSpace ? Math.log(v) : v);
  let sse = 0;
  let robustSse = 0;
  let wSum = 0;
  let wMean = 0;
  const m = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const w = data.w[i] as number;
    const f = law.predict(params, data.x[i] as number, data.x2 === undefined ? NaN : (data.x2[i] as number));
    const ty = t(data.y[i] as number);
    const e = Math.sqrt(w) * (ty - t(f));
    const omega = spec.huberDelta === undefined || Math.abs(e) <= spec.huberDelta ? 1 : spec.huberDelta / Math.abs(e);
    sse += e * e;
    robustSse += omega * e * e;
    wSum += w;
    wMean += w * ty;
    const scale = (omega * w) / (spec.logSpace ? f * f : 1);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k <= j; k++) m[j * p + k] = (m[j * p + k] as number) + scale * (df[i * p + j] as number) * (df[i * p + k] as number);
    }
  }
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) m[j * p + k] = m[k * p + j] as number;
  wMean /= wSum;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (data.w[i] as number) * (t(data.y[i] as number) - wMean) ** 2;

  checkIdentified(law, m, p, tolerance);
  const inv = invertSpd(m, p);
  if (inv === undefined) throw new SingularFitError(law.name, law.paramNames, 0);
  const sigma2 = robustSse / (n - p);
  const covariance = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => sigma2 * (inv[j * p + k] as number)));
  return { covariance, sse, sst };
}

/** Throw {@link SingularFitError} unless the unit-diagonal scaling of M is well conditioned. */
function checkIdentified(law: Law, m: Float64Array, p: number, tolerance: number): void {
  const scale = Float64Array.from({ length: p }, (_, j) => Math.sqrt(m[j * p + j] as number));
  const dead = law.paramNames.filter((_, j) => !((scale[j] as number) > 0) || !Number.isFinite(scale[j] as number));
  if (dead.length > 0) throw new SingularFitError(law.name, dead, 0);
  const c = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) c[j * p + k] = (m[j * p + k] as number) / ((scale[j] as number) * (scale[k] as number));
  const { values, vectors } = symmetricEigen(c, p);
  const max = Math.max(...values);
  const ratio = Math.max(0, Math.min(...values)) / max;
  if (ratio >= tolerance) return;
  const weak = new Set<number>();
  values.forEach((v, col) => {
    if (v / max >= tolerance) return;
    for (let j = 0; j < p; j++) if (Math.abs(vectors[j * p + col] as number) >= 0.1) weak.add(j);
  });
  throw new SingularFitError(law.name, law.paramNames.filter((_, j) => weak.has(j)), ratio);
}
