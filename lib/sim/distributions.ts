import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";

/**
 * Gamma(shape, 1) deviate: Marsaglia & Tsang's squeeze method for shape ≥ 1,
 * boosted with U^(1/shape) for shape < 1.
 *
 * @see Marsaglia & Tsang 2000, "A Simple Method for Generating Gamma Variables", ACM TOMS 26(3)
 */
export function gammaSample(shape: number, rng: Rng): number {
  requireArg("gammaSample", shape > 0 && Number.isFinite(shape), "a finite shape > 0", shape);
  if (shape < 1) return gammaSample(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(α, β) deviate as X/(X+Y) with X ~ Gamma(α), Y ~ Gamma(β). */
export function betaSample(alpha: number, beta: number, rng: Rng): number {
  const x = gammaSample(alpha, rng);
  const y = gammaSample(beta, rng);
  return x + y === 0 ? 0 : x / (x + y);
}

/**
 * Inverse of the standard normal CDF: Acklam's rational approximation
 * (relative error below 1.15e-9 on (0, 1)) — ample for setting simulation
 * parameters such as a verifier's separation from its AUC.
 *
 * @throws InvalidArgumentError unless 0 < p < 1
 * @see P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function" (2003)
 */
export function normalQuantile(p: number): number {
  requireArg("normalQuantile", p > 0 && p < 1, "0 < p < 1", p);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const poly = (coef: number[], x: number) => coef.reduce((acc, k) => acc * x + k, 0);
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(c, q) / (poly(d, q) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -poly(c, q) / (poly(d, q) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(a, r) * q) / (poly(b, r) * r + 1);
  }
  return x;
}

/**
 * Standard normal CDF via a Chebyshev fit of erfc (fractional error below
 * 1.2e-7).
 *
 * @see Press et al., Numerical Recipes (2nd ed.), §6.2, erfcc
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function (Numerical Recipes' erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
