import { logGamma } from "../core/math.ts";
import type { BetaBinomialFit } from "./beta-binomial-result.ts";

/** The large-k power law a scaled Beta implies for the failure rate, 1 − pass@k ≈ coefficient·k^(−exponent). */
export interface ImpliedPowerLaw {
  /** The exponent: α, the Beta's left-tail shape. */
  exponent: number;
  /** Its standard error and 95% interval, from the fit (NaN / [α, α] when α was not fitted). */
  exponentStderr: number;
  exponentInterval: [number, number];
  /** Γ(α + β)/Γ(β)·s^(−α): the failure rate's prefactor. */
  coefficient: number;
  /** The same law as Brown et al.'s c(k) = exp(a·k^b): a = −coefficient, b = −exponent (valid for large k). */
  a: number;
  b: number;
}

/**
 * The power law in k that a fitted scaled Beta(α, β) on [0, s] implies for large budgets:
 *
 *   1 − pass@k = E[(1 − s·U)^k] ~ Γ(α + β)/Γ(β) · (s·k)^(−α)   as k → ∞,
 *
 * and since −log pass@k = −log(1 − failure) ~ failure, also −log pass@k ∝ k^(−α). Derivation:
 * substitute t = s·k·u in ∫ (1 − s·u)^k u^(α−1)(1 − u)^(β−1) du / B(α, β); for large k the
 * integrand concentrates near u = 0, where (1 − t/k)^k → e^(−t) and (1 − u)^(β−1) → 1, leaving
 * (s·k)^(−α)·Γ(α)/B(α, β). For s = 1 it is the large-k limit of the exact B(α, β + k)/B(α, β).
 * Only the left tail of the distribution of p matters: the exponent is α, whatever β and s are.
 *
 * @param fit - a {@link BetaBinomialFit}
 * @returns exponent α (with its uncertainty), prefactor, and Brown et al.'s (a, b)
 * @example
 * impliedPowerLaw(fitBetaBinomial(counts)).exponent // the exponent of −log coverage against k
 * @see Schaeffer et al. 2025, "How Do Large Language Monkeys Get Their Power (Laws)?" (a Beta left tail p^(α−1) gives
 *   −log pass@k ∝ k^(−α)); FORMULAS.md "Why the power law appears"; Brown et al. 2024 (c(k) = exp(a·k^b))
 */
export function impliedPowerLaw(fit: Pick<BetaBinomialFit, "params" | "stderr" | "interval">): ImpliedPowerLaw {
  const { alpha, beta, scale } = fit.params;
  const coefficient = Math.exp(logGamma(alpha + beta) - logGamma(beta) - alpha * Math.log(scale));
  return {
    exponent: alpha,
    exponentStderr: fit.stderr.alpha,
    exponentInterval: fit.interval("alpha"),
    coefficient,
    a: -coefficient,
    b: -alpha,
  };
}
