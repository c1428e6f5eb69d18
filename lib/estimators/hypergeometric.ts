import { requireArg } from "../core/errors.ts";
import { logGamma } from "../core/math.ts";
import type { Rng } from "../core/rng.ts";

/**
 * Draw from the hypergeometric distribution: the number of marked items among
 * `draws` taken without replacement from `population` items of which `marked`
 * are marked. Exact inversion that starts at the mode and walks outward
 * (mode, mode+1, mode−1, …) with the pmf ratio recurrence, so it costs
 * O(standard deviation) and never underflows at the tails that matter.
 *
 * @param population - N ≥ 0
 * @param marked - K, 0 ≤ K ≤ N
 * @param draws - n, 0 ≤ n ≤ N
 * @param rng - the random source
 * @returns an integer in [max(0, n − (N − K)), min(n, K)]
 * @throws InvalidArgumentError on out-of-range arguments
 */
export function hypergeometric(population: number, marked: number, draws: number, rng: Rng): number {
  requireArg("hypergeometric", Number.isSafeInteger(population) && population >= 0, "an integer population >= 0", population);
  requireArg("hypergeometric", Number.isSafeInteger(marked) && marked >= 0 && marked <= population, "0 <= marked <= population", marked);
  requireArg("hypergeometric", Number.isSafeInteger(draws) && draws >= 0 && draws <= population, "0 <= draws <= population", draws);
  const lo = Math.max(0, draws - (population - marked));
  const hi = Math.min(draws, marked);
  if (lo === hi) return lo;
  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (marked + 1)) / (population + 2))));
  // log C(a, b) through log Γ: O(1), relative error ~1e-14 — ample for drawing, and the hot path of Monte Carlo majority@k.
  const lc = (a: number, b: number) => logGamma(a + 1) - logGamma(b + 1) - logGamma(a - b + 1);
  const logPmf = (x: number) => lc(marked, x) + lc(population - marked, draws - x) - lc(population, draws);
  // ratio p(x+1)/p(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1))
  const up = (x: number) => ((marked - x) * (draws - x)) / ((x + 1) * (population - marked - draws + x + 1));
  const u = rng.next();
  let pUp = Math.exp(logPmf(mode));
  let pDown = pUp;
  let acc = pUp;
  if (u < acc) return mode;
  let xUp = mode;
  let xDown = mode;
  while (xUp < hi || xDown > lo) {
    if (xUp < hi) {
      pUp *= up(xUp);
      xUp++;
      acc += pUp;
      if (u < acc) return xUp;
    }
    if (xDown > lo) {
      pDown /= up(xDown - 1);
      xDown--;
      acc += pDown;
      if (u < acc) return xDown;
    }
  }
  // Rounding left a sliver of probability unassigned: give it to the mode.
  return mode;
}
