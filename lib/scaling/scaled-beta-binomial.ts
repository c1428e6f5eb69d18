import { requireArg } from "../core/errors.ts";
import { logChoose, logGamma } from "../core/math.ts";

/**
 * log P(C = c) under the scaled beta-binomial model: a problem's single-attempt success
 * probability is p = s·U with U ~ Beta(α, β) (so p ~ Beta(α, β) scaled to [0, s]), and its
 * count of correct attempts is C | p ~ Binomial(n, p). This is the likelihood of one
 * problem's counts, integrated over its unknown p.
 *
 * - s = 1: the beta-binomial pmf in closed form, C(n, c)·B(α + c, β + n − c)/B(α, β).
 * - s < 1: writing 1 − s·u = (1 − s) + s·(1 − u) and expanding (1 − s·u)^(n−c) binomially turns
 *   the integral ∫ (s·u)^c (1 − s·u)^(n−c) u^(α−1)(1 − u)^(β−1) du / B(α, β) into the finite sum
 *   C(n, c)·s^c·Σ_{j=0}^{m} C(m, j)(1 − s)^(m−j) s^j·B(α + c, β + j)/B(α, β), m = n − c.
 *   Every term is positive (no cancellation), so the sum is exact up to rounding: relative error
 *   of a few ulps per term, ≲ 1e-13 overall in tests, and the tail is truncated only once a
 *   geometric bound on it falls below 1e-17 of the sum. Terms are built by their ratio
 *   t_{j+1}/t_j = (m − j)/(j + 1) · s/(1 − s) · (β + j)/(α + β + c + j) and summed with rescaling,
 *   so nothing overflows or underflows. Cost O(n − c) per call (no numerical quadrature needed).
 *
 * With c = 0 and n = k (and C(k, 0) = 1) it is log E[(1 − p)^k], the log probability that all
 * k attempts fail — Schaeffer et al.'s predicted failure integral.
 *
 * @param n - attempts, a positive integer
 * @param c - correct attempts, 0 ≤ c ≤ n
 * @param alpha - Beta shape α > 0 (the left tail: density ∝ p^(α−1) near 0)
 * @param beta - Beta shape β > 0
 * @param scale - upper end s of the support, 0 < s ≤ 1 (default 1)
 * @returns the natural log of the probability
 * @throws InvalidArgumentError unless n, c are integers with 0 ≤ c ≤ n, α, β finite and > 0, 0 < s ≤ 1
 * @example
 * Math.exp(scaledBetaBinomialLogPmf(2, 1, 1, 1)) // 1/3: the uniform prior gives each count 1/(n + 1)
 * @see Schaeffer et al. 2025, "How Do Large Language Monkeys Get Their Power (Laws)?" (scaled Beta on [0, s], fit by the
 *   beta-binomial likelihood); FORMULAS.md "Why the power law appears"; Johnson, Kemp & Kotz, "Univariate Discrete
 *   Distributions" (3rd ed.), §6.2.2 (the beta-binomial pmf)
 */
export function scaledBetaBinomialLogPmf(n: number, c: number, alpha: number, beta: number, scale = 1): number {
  const fn = "scaledBetaBinomialLogPmf";
  requireArg(fn, Number.isSafeInteger(n) && n >= 1, "an integer n >= 1", n);
  requireArg(fn, Number.isSafeInteger(c) && c >= 0 && c <= n, `an integer c with 0 <= c <= n (n = ${n})`, c);
  requireArg(fn, alpha > 0 && Number.isFinite(alpha), "a finite alpha > 0", alpha);
  requireArg(fn, beta > 0 && Number.isFinite(beta), "a finite beta > 0", beta);
  requireArg(fn, scale > 0 && scale <= 1, "a scale s with 0 < s <= 1", scale);
  return logChoose(n, c) + logBinomialIntegral(n, c, alpha, beta, scale);
}

/** log B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln 10^250: the rescaling step of the series. */
const RESCALE_LOG = 250 * Math.LN10;
const RESCALE = 1e-250;

/**
 * log ∫ (s·u)^c (1 − s·u)^(n−c) dBeta(u; α, β) — the pmf without C(n, c). Unchecked: callers validate.
 * @internal
 */
export function logBinomialIntegral(n: number, c: number, alpha: number, beta: number, scale: number): number {
  const m = n - c;
  if (scale === 1) return logBeta(alpha + c, beta + m) - logBeta(alpha, beta);
  const q = scale / (1 - scale);
  const abc = alpha + beta + c;
  let logScale = (c === 0 ? 0 : c * Math.log(scale)) + m * Math.log1p(-scale) + logBeta(alpha + c, beta) - logBeta(alpha, beta);
  let term = 1;
  let sum = 1;
  for (let j = 0; j < m; j++) {
    const bound = ((m - j) / (j + 1)) * q; // ≥ every later term ratio, since (β + i)/(α + β + c + i) < 1
    if (bound < 1 && (term * bound) / (1 - bound) <= 1e-17 * sum) break;
    term *= (bound * (beta + j)) / (abc + j);
    sum += term;
    if (sum > 1e250) {
      term *= RESCALE;
      sum *= RESCALE;
      logScale += RESCALE_LOG;
    }
  }
  return logScale + Math.log(sum);
}
