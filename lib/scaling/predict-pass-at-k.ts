import { requireArg } from "../core/errors.ts";
import type { BetaBinomialFit } from "./beta-binomial-result.ts";
import { logBinomialIntegral } from "./scaled-beta-binomial.ts";

/**
 * Expected pass@k over problems under a fitted scaled Beta(α, β) on [0, s]:
 *
 *   pass@k = 1 − E[(1 − p)^k] = 1 − ∫_0^s (1 − p)^k · p^(α−1)(s − p)^(β−1) / (s^(α+β−1) B(α, β)) dp.
 *
 * For s = 1 the failure term is B(α, β + k)/B(α, β) in closed form; for s < 1 it is the
 * exact finite series of {@link scaledBetaBinomialLogPmf} with c = 0, n = k (O(k) per budget).
 * pass@k is formed as −expm1(log failure), so tiny values keep their relative accuracy.
 *
 * @param fit - a {@link BetaBinomialFit}, or any `{ params: { alpha, beta, scale } }`
 * @param ks - budgets, integers ≥ 1
 * @returns pass@k per budget, in the order of `ks`
 * @throws InvalidArgumentError for a k that is not an integer ≥ 1, or parameters out of range
 * @example
 * predictPassAtK({ params: { alpha: 1, beta: 1, scale: 1 } }, [1, 3]) // [0.5, 0.75]: E[1 − (1 − p)^k] = k/(k + 1)
 * @see Schaeffer et al. 2025, "How Do Large Language Monkeys Get Their Power (Laws)?" (the predicted failure integral);
 *   FORMULAS.md "Why the power law appears"
 */
export function predictPassAtK(fit: Pick<BetaBinomialFit, "params">, ks: readonly number[]): Float64Array {
  const { alpha, beta, scale } = fit.params;
  requireArg("predictPassAtK", alpha > 0 && Number.isFinite(alpha) && beta > 0 && Number.isFinite(beta), "finite alpha > 0 and beta > 0", { alpha, beta });
  requireArg("predictPassAtK", scale > 0 && scale <= 1, "a scale s with 0 < s <= 1", scale);
  return Float64Array.from(ks, (k) => {
    requireArg("predictPassAtK", Number.isSafeInteger(k) && k >= 1, "integer budgets k >= 1", k);
    return -Math.expm1(logBinomialIntegral(k, 0, alpha, beta, scale));
  });
}
