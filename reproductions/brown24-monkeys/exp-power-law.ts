import { fit } from "../../lib/scaling/fit.ts";
import { exponentiatedPowerLaw } from "../../lib/scaling/laws/exponentiated-power-law.ts";

/** c(k) = exp(a·k^b) fitted to a coverage curve. */
export interface ExpPowerLawFit {
  a: number;
  b: number;
  /** Standard errors of a and b (σ²(JᵀJ)⁻¹). */
  aStderr: number;
  bStderr: number;
  /** R² of the fit in coverage units. */
  r2: number;
  /** Largest |c(k) − fit(k)| over the fitted points, in coverage units. */
  maxAbsError: number;
}

/** exp(a·k^b): the fitted coverage at k. */
export function expPowerLaw(p: { a: number; b: number }, k: number): number {
  return Math.exp(p.a * Math.pow(k, p.b));
}

/**
 * Fit Brown et al.'s exponentiated power law to coverage by nonlinear least
 * squares in coverage units (Levenberg–Marquardt, lib/scaling), over the points
 * with 0 < c < 1.
 *
 * @see Brown et al. 2024, §3 (exponentiated power law); FORMULAS.md "Exponentiated power law"
 */
export function fitExpPowerLaw(ks: readonly number[], coverage: readonly number[]): ExpPowerLawFit {
  const keep = ks.map((_, i) => i).filter((i) => (coverage[i] as number) > 0 && (coverage[i] as number) < 1);
  const res = fit(exponentiatedPowerLaw, { x: keep.map((i) => ks[i] as number), y: keep.map((i) => coverage[i] as number) });
  const { a, b } = res.params;
  let maxAbsError = 0;
  keep.forEach((i) => (maxAbsError = Math.max(maxAbsError, Math.abs((coverage[i] as number) - expPowerLaw({ a, b }, ks[i] as number)))));
  return { a, b, aStderr: res.stderr.a, bStderr: res.stderr.b, r2: res.r2, maxAbsError };
}
