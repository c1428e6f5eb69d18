import { requireArg } from "../core/errors.ts";
import { subsetFirstWeights } from "./subset-first-weights.ts";

/**
 * Expected maximum and minimum of a uniformly random k-subset of `values`
 * (without replacement), exactly: with values sorted ascending, the maximum
 * is the i-th smallest (0-based) with probability C(i, k−1)/C(N, k), and the
 * minimum with probability C(N−i−1, k−1)/C(N, k). Used for the wall time of
 * k parallel chains (the slowest decides) and of short-1@k (the fastest).
 *
 * @param values - e.g. chain lengths in tokens
 * @param k - subset size, 1 ≤ k ≤ N
 * @throws InvalidArgumentError for an empty input, non-finite values or k outside [1, N]
 * @example
 * expectedSubsetExtremes([1, 2, 3], 2) // { max: 8/3, min: 4/3 }
 */
export function expectedSubsetExtremes(values: ArrayLike<number>, k: number): { max: number; min: number } {
  const n = values.length;
  requireArg("expectedSubsetExtremes", n > 0, "at least one value", 0);
  requireArg("expectedSubsetExtremes", Number.isSafeInteger(k) && k >= 1 && k <= n, `an integer k with 1 <= k <= N (N = ${n})`, k);
  const sorted = Float64Array.from(values).sort();
  for (const v of sorted) requireArg("expectedSubsetExtremes", Number.isFinite(v), "finite values", v);
  // The minimum is the subset's first member in ascending order; the maximum its first in descending order.
  const w = subsetFirstWeights(n, k);
  let min = 0;
  let max = 0;
  for (let i = 0; i <= n - k; i++) {
    min += (w[i] as number) * (sorted[i] as number);
    max += (w[i] as number) * (sorted[n - 1 - i] as number);
  }
  return { max, min };
}
