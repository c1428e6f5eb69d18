import { fit } from "../../lib/scaling/fit.ts";
import { betaGeometricSaturation } from "./saturating-law.ts";

/** A {@link betaGeometricSaturation} fit to one curve. */
export interface SaturationFit {
  params: { A: number; F1: number; a: number; b: number };
  stderr: { A: number; F1: number; a: number; b: number };
  r2: number;
  /** Largest |curve − fit| over the fitted points. */
  maxAbsError: number;
  points: number;
}

/**
 * Fit the saturating family to a curve at the given budgets by least squares (lib/scaling `fit`).
 * Returns the error message instead of throwing, so one failed fit does not sink the run.
 */
export function fitSaturation(ns: readonly number[], ys: readonly number[]): SaturationFit | { error: string } {
  try {
    const r = fit(betaGeometricSaturation, { x: [...ns], y: [...ys] });
    let maxAbsError = 0;
    ns.forEach((n, i) => (maxAbsError = Math.max(maxAbsError, Math.abs((ys[i] as number) - r.predict(n)))));
    const { A, F1, a, b } = r.params;
    return { params: { A, F1, a, b }, stderr: { A: r.stderr.A, F1: r.stderr.F1, a: r.stderr.a, b: r.stderr.b }, r2: r.r2, maxAbsError, points: r.n };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
