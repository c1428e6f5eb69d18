import { requireArg } from "../../lib/core/errors.ts";

/**
 * Pearson's correlation coefficient r of paired samples: the covariance of x
 * and y over the product of their standard deviations (two passes: means
 * first, then centred sums, which keeps the rounding error of nearly constant
 * data small).
 *
 * @param xs - n values
 * @param ys - n values paired with `xs`
 * @returns r in [−1, 1], or NaN when either side is constant
 * @throws InvalidArgumentError unless the two have the same length ≥ 2 and every value is finite
 * @example
 * pearson([1, 2, 3, 4], [2, 4, 6, 9]); // 0.99438 = S_xy / √(S_xx · S_yy) = 11.5 / √(5 · 26.75)
 * @see any statistics text, e.g. Wasserman, "All of Statistics", §3.3
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  checkPairs("pearson", xs, ys);
  const { sxx, sxy, syy } = centredSums(xs, ys);
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * The means of paired samples and their centred sums of squares and products,
 * S_xx = Σ(x − x̄)², S_xy = Σ(x − x̄)(y − ȳ), S_yy = Σ(y − ȳ)², in two passes
 * (means first), which keeps the rounding error of nearly constant data small.
 * Shared by {@link pearson} and the least-squares line (`fitLine`). Unchecked:
 * the callers check lengths and values.
 *
 * @example
 * centredSums([1, 2, 3, 4], [2, 4, 6, 9]); // { mx: 2.5, my: 5.25, sxx: 5, sxy: 11.5, syy: 26.75 }
 */
export function centredSums(xs: readonly number[], ys: readonly number[]): { mx: number; my: number; sxx: number; sxy: number; syy: number } {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { mx, my, sxx, sxy, syy };
}

/**
 * Spearman's rank correlation ρ: Pearson's r of the ranks, tied values sharing
 * the mean of the ranks they span (the usual "fractional ranking", so ties
 * need no correction formula).
 *
 * @param xs - n values
 * @param ys - n values paired with `xs`
 * @returns ρ in [−1, 1], or NaN when either side is constant
 * @throws InvalidArgumentError unless the two have the same length ≥ 2 and every value is finite
 * @example
 * spearman([1, 2, 3, 4], [1, 3, 2, 4]); // 0.8 (= 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/60)
 * @see Spearman 1904, "The proof and measurement of association between two things"
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  checkPairs("spearman", xs, ys);
  return pearson(fractionalRanks(xs), fractionalRanks(ys));
}

/**
 * Ranks 1…n of `values` (smallest first), tied values sharing the mean of the ranks they span.
 *
 * @example
 * fractionalRanks([10, 20, 20, 5]); // [2, 3.5, 3.5, 1]
 */
export function fractionalRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = mean;
    i = j + 1;
  }
  return ranks;
}

function checkPairs(fn: string, xs: readonly number[], ys: readonly number[]): void {
  requireArg(fn, xs.length === ys.length && xs.length >= 2, "two samples of the same length >= 2", { x: xs.length, y: ys.length });
  requireArg(fn, xs.every(Number.isFinite) && ys.every(Number.isFinite), "finite values", [...xs, ...ys].find((v) => !Number.isFinite(v)));
}
