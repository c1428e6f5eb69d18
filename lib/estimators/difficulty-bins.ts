import { requireArg, requireEach } from "../core/errors.ts";

/**
 * Difficulty levels by quantile (Snell et al. 2024): sort problems by a
 * difficulty signal — oracle pass@1 from many samples, or the mean verifier
 * score when no oracle exists at test time — and cut into `bins` equal-count
 * bins. Level 1 is the easiest (highest signal), level `bins` the hardest, as
 * in search-and-learn. Ties in the signal are ordered by problem index, so the
 * bins are reproducible (equal values may straddle a bin edge).
 *
 * @param signal - one value per problem; higher means easier
 * @param bins - number of levels (default 5)
 * @returns level (1…bins) per problem, in input order
 * @throws InvalidArgumentError for non-finite signal values or bins outside [1, problems]
 * @example
 * difficultyBins([0.9, 0.1, 0.5, 0.7, 0.3], 5) // Int32Array [1, 5, 3, 2, 4]
 * @see Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally", §3.2 (question difficulty)
 */
export function difficultyBins(signal: ArrayLike<number>, bins = 5): Int32Array {
  const n = signal.length;
  requireArg("difficultyBins", Number.isSafeInteger(bins) && bins >= 1 && bins <= n, `an integer bins in [1, problems = ${n}]`, bins);
  for (let i = 0; i < n; i++) requireEach("difficultyBins", Number.isFinite(signal[i]), "finite signal values", () => `${signal[i]} at index ${i}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (signal[b] as number) - (signal[a] as number) || a - b);
  const level = new Int32Array(n);
  order.forEach((p, rank) => (level[p] = Math.min(bins, Math.floor((rank * bins) / n) + 1)));
  return level;
}
