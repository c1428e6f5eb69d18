import { requireArg } from "../core/errors.ts";
import { evaluateHits, rankHits } from "./ranked-hits.ts";
import { subsetFirstWeights } from "./subset-first-weights.ts";

/**
 * Best-of-N@k without resampling: the expected correctness of the top-scored
 * sample in a uniformly random k-subset of the N samples.
 *
 * With samples sorted by score (descending) and correctness y_i, the top of a
 * random k-subset is sample i with probability C(N−i−1, k−1)/C(N, k), so
 * BoN@k = Σ_i y_i C(N−i−1, k−1)/C(N, k). **Ties**: tied samples are ordered
 * uniformly at random and the result averaged over those orders, which is exact
 * and equals giving each tie group its total weight times its mean correctness.
 *
 * @param scores - verifier score per sample (finite; higher is better)
 * @param correct - correctness per sample (boolean or 0/1)
 * @param k - budget, 1 ≤ k ≤ N
 * @returns BoN@k in [0, 1]
 * @throws InvalidArgumentError on mismatched lengths, non-finite scores or k outside [1, N]
 * @example
 * bestOfNAtK([0.9, 0.1], [false, true], 2) // 0
 * @see FORMULAS.md "Best-of-N@k without resampling" (sc-genrm-scaling, eval_utils.py)
 */
export function bestOfNAtK(scores: ArrayLike<number>, correct: ArrayLike<boolean | number>, k: number): number {
  const g = rankHits("bestOfNAtK", scores, correct);
  requireArg("bestOfNAtK", Number.isSafeInteger(k) && k >= 1 && k <= g.n, `an integer k with 1 <= k <= N (N = ${g.n})`, k);
  return evaluateHits(g, k, subsetFirstWeights(g.n, k));
}

/** {@link bestOfNAtK} at several budgets, sorting once. For many problems, {@link bestOfNCurves} computes the same values faster. */
export function bestOfNCurve(scores: ArrayLike<number>, correct: ArrayLike<boolean | number>, ks: readonly number[]): Float64Array {
  const g = rankHits("bestOfNCurve", scores, correct);
  const scratch = new Float64Array(g.n);
  return Float64Array.from(ks, (k) => {
    requireArg("bestOfNCurve", Number.isSafeInteger(k) && k >= 1 && k <= g.n, `integers k with 1 <= k <= N (N = ${g.n})`, k);
    return g.mean.length === 0 ? 0 : evaluateHits(g, k, subsetFirstWeights(g.n, k, scratch));
  });
}
