import { requireArg, requireEach } from "./errors.ts";

/**
 * log(Σ exp(xᵢ)) computed without overflow: shift by the maximum first.
 *
 * @param xs - values in log space; may contain `-Infinity`
 * @returns the log-sum-exp; `-Infinity` for an empty input or all `-Infinity`
 * @throws InvalidArgumentError if any value is NaN (`+Infinity` in the input returns `+Infinity`)
 * @example
 * logSumExp([Math.log(1), Math.log(3)]) // ≈ Math.log(4)
 * @see FlashAttention (Dao et al. 2022), online softmax: the same shift by the running max.
 */
export function logSumExp(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    requireEach("logSumExp", !Number.isNaN(x), "no NaN values", () => `NaN at index ${i}`);
    if (x > m) m = x;
  }
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp((xs[i] as number) - m);
  return m + Math.log(s);
}

/**
 * Natural log of the gamma function for x > 0: Lanczos approximation (g = 7,
 * 9 coefficients), relative error below 1e-14 over the range used here.
 *
 * @see Press et al., Numerical Recipes (3rd ed.), §6.1; coefficients of Godfrey's g = 7, n = 9 set.
 */
export function logGamma(x: number): number {
  requireArg("logGamma", x > 0 && Number.isFinite(x), "a finite x > 0", x);
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * log C(n, k), the log of the binomial coefficient, for integers 0 ≤ k ≤ n.
 *
 * Small k (≤ 64, or n − k ≤ 64) sums log((n − k + i) / i) directly, which is
 * accurate to a few ulps; larger k uses {@link logGamma}.
 *
 * @param n - total count, a non-negative safe integer
 * @param k - chosen count, 0 ≤ k ≤ n
 * @returns log C(n, k) (0 when k is 0 or n)
 * @throws InvalidArgumentError unless n, k are integers with 0 ≤ k ≤ n
 * @example
 * Math.exp(logChoose(5, 2)) // ≈ 10
 */
export function logChoose(n: number, k: number): number {
  requireArg("logChoose", Number.isSafeInteger(n) && n >= 0, "a non-negative integer n", n);
  requireArg("logChoose", Number.isSafeInteger(k) && k >= 0 && k <= n, `an integer k with 0 <= k <= n (n = ${n})`, k);
  const kk = Math.min(k, n - k);
  if (kk === 0) return 0;
  if (kk <= 64) {
    let s = 0;
    for (let i = 1; i <= kk; i++) s += Math.log1p((n - kk) / i);
    return s;
  }
  return logGamma(n + 1) - logGamma(kk + 1) - logGamma(n - kk + 1);
}
