import { requireArg } from "../core/errors.ts";

/**
 * For positions 0 … n−1 in some order, the probability that a uniformly random
 * k-subset's first member is position i: C(n−i−1, k−1) / C(n, k) for
 * i = 0 … n−k (and 0 beyond). Best-of-N@k (first = top-scored), short-1@k
 * (first = shortest) and the expected minimum or maximum of a k-subset all sum
 * values against these weights. Computed by the ratio recurrence
 * w_0 = k/n, w_{i+1} = w_i (n−i−k)/(n−i−1): no binomials, no overflow.
 *
 * @param n - positions, n ≥ 1
 * @param k - subset size, 1 ≤ k ≤ n
 * @param out - optional buffer of length ≥ n − k + 1 to fill instead of allocating
 * @returns the weights for i = 0 … n−k (a view of `out` when given); they sum to 1
 * @throws InvalidArgumentError unless 1 ≤ k ≤ n are integers, or if `out` is too short
 * @see FORMULAS.md "Best-of-N@k without resampling"
 */
export function subsetFirstWeights(n: number, k: number, out?: Float64Array): Float64Array {
  requireArg("subsetFirstWeights", Number.isSafeInteger(k) && Number.isSafeInteger(n) && k >= 1 && k <= n, `integers with 1 <= k <= n (n = ${n})`, k);
  const len = n - k + 1;
  requireArg("subsetFirstWeights", out === undefined || out.length >= len, `a buffer of at least ${len} weights`, out?.length);
  const w = out ? out.subarray(0, len) : new Float64Array(len);
  let v = k / n;
  for (let i = 0; i < len; i++) {
    w[i] = v;
    v = i + 1 < n ? (v * (n - i - k)) / (n - i - 1) : 0;
  }
  return w;
}
