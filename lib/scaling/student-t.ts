import { requireArg } from "../core/errors.ts";
import { logGamma } from "../core/math.ts";

/**
 * Quantile of Student's t distribution: the t with P(T ≤ t) = prob for ν degrees
 * of freedom. Inverts the CDF, P(T ≤ t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0,
 * by bisection on the exact regularized incomplete beta function.
 *
 * @param prob - probability in (0, 1), e.g. 0.975 for a two-sided 95% interval
 * @param dof - degrees of freedom ν > 0 (n − p for a least-squares fit)
 * @returns the quantile t
 * @throws InvalidArgumentError unless 0 < prob < 1 and dof > 0
 * @example
 * studentTQuantile(0.975, 10) // ≈ 2.228139
 * @see Abramowitz & Stegun 1964, eq. 26.7.1 (t CDF via the incomplete beta)
 */
export function studentTQuantile(prob: number, dof: number): number {
  requireArg("studentTQuantile", prob > 0 && prob < 1, "0 < prob < 1", prob);
  requireArg("studentTQuantile", dof > 0 && Number.isFinite(dof), "finite dof > 0", dof);
  if (prob < 0.5) return -studentTQuantile(1 - prob, dof);
  const cdf = (t: number) => 1 - 0.5 * regularizedBeta(dof / (dof + t * t), dof / 2, 0.5);
  let lo = 0;
  let hi = 1;
  while (cdf(hi) < prob) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (cdf(mid) < prob) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Regularized incomplete beta I_x(a, b), by the continued fraction (modified Lentz).
 *
 * @see Press et al., Numerical Recipes (3rd ed.), §6.4, eq. 6.4.5–6.4.6
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    for (const even of [true, false]) {
      const num = even ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + num * d;
      d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
      if (!even && Math.abs(c * d - 1) < 1e-16) return front * f;
    }
  }
  return front * f;
}
