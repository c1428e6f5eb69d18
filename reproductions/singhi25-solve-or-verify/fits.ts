import { fit } from "../../lib/scaling/fit.ts";
import { powerLaw } from "../../lib/scaling/laws/power-law.ts";

/** y ≈ A·C^b fitted to the compute-optimal S or V against budget C. */
export interface GrowthFit {
  /** Growth exponent b (= −α of lib/scaling's powerLaw). */
  exponent: number;
  /** Standard error of b. */
  stderr: number;
  /** Prefactor A. */
  prefactor: number;
  /** R² in log space. */
  r2: number;
  /** Points fitted. */
  points: number;
}

/**
 * Fit y = A·C^b by least squares in log–log space (lib/scaling `fit`, powerLaw, `space: "log"`), as
 * Singhi et al. fit S_opt ∝ C^a and V_opt ∝ C^b.
 *
 * @throws the fit's own errors (too few points, non-positive data)
 */
export function fitGrowth(budgets: readonly number[], ys: readonly number[]): GrowthFit {
  const r = fit(powerLaw, { x: [...budgets], y: [...ys] }, { space: "log" });
  return { exponent: -r.params.alpha, stderr: r.stderr.alpha, prefactor: r.params.A, r2: r.r2, points: r.n };
}
