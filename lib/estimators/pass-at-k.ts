import { requireArg } from "../core/errors.ts";

/**
 * The unbiased pass@k estimator: the probability that at least one of k
 * samples drawn without replacement from n samples, c of them correct, is correct.
 *
 *   pass@k = 1 − C(n−c, k) / C(n, k)
 *
 * Computed as −expm1(Σ log1p(·)) over whichever of the two product forms has
 * fewer terms — C(n−c,k)/C(n,k) = ∏_{i=n−c+1}^{n} (1 − k/i) = ∏_{j=0}^{k−1} (1 − c/(n−j)) —
 * so it is accurate to a few ulps, relative, even when pass@k is tiny, for n up to 10⁶ and beyond.
 *
 * @param n - samples drawn (a positive integer)
 * @param c - correct samples among them, 0 ≤ c ≤ n
 * @param k - budget, 1 ≤ k ≤ n
 * @returns pass@k in [0, 1]; exactly 1 when n − c < k and exactly 0 when c = 0
 * @throws InvalidArgumentError unless n, c, k are integers with 0 ≤ c ≤ n and 1 ≤ k ≤ n
 * @example
 * passAtK(10, 1, 5) // 0.5
 * @see Chen et al. 2021, "Evaluating Large Language Models Trained on Code", eq. 1 and its numerically stable form
 */
export function passAtK(n: number, c: number, k: number): number {
  requireArg("passAtK", Number.isSafeInteger(n) && n >= 1, "an integer n >= 1", n);
  requireArg("passAtK", Number.isSafeInteger(c) && c >= 0 && c <= n, `an integer c with 0 <= c <= n (n = ${n})`, c);
  requireArg("passAtK", Number.isSafeInteger(k) && k >= 1 && k <= n, `an integer k with 1 <= k <= n (n = ${n})`, k);
  if (n - c < k) return 1;
  if (c === 0) return 0;
  return -Math.expm1(logFailAll(n, c, k));
}

/** log C(n−c, k)/C(n, k) — the log probability that all k draws are wrong — for n − c ≥ k. */
export function logFailAll(n: number, c: number, k: number): number {
  let s = 0;
  if (c <= k) {
    for (let i = n - c + 1; i <= n; i++) s += Math.log1p(-k / i);
  } else {
    for (let j = 0; j < k; j++) s += Math.log1p(-c / (n - j));
  }
  return s;
}

/**
 * The plug-in estimate 1 − (1 − c/n)^k: pass@k of a sampler whose success
 * rate is exactly the observed c/n. It is **biased** (by Jensen's inequality it
 * underestimates pass@k on average for k > 1) and is here for teaching and
 * comparison; use {@link passAtK} for estimates.
 *
 * @throws InvalidArgumentError unless n ≥ 1, 0 ≤ c ≤ n and k ≥ 1 (k may exceed n)
 * @see Chen et al. 2021, §2.1 (why the naive estimator is biased)
 */
export function naivePassAtK(n: number, c: number, k: number): number {
  requireArg("naivePassAtK", Number.isSafeInteger(n) && n >= 1, "an integer n >= 1", n);
  requireArg("naivePassAtK", Number.isSafeInteger(c) && c >= 0 && c <= n, `an integer c with 0 <= c <= n (n = ${n})`, c);
  requireArg("naivePassAtK", Number.isSafeInteger(k) && k >= 1, "an integer k >= 1", k);
  return 1 - Math.pow(1 - c / n, k);
}
