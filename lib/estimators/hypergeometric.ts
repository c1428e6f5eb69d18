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
 * @example
 * hypergeometric(50, 18, 20, rng(1)) // an integer in [0, 18], 7 on average
 */
export function hypergeometric(population: number, marked: number, draws: number, rng: Rng): number {
  requireArg("hypergeometric", Number.isSafeInteger(population) && population >= 0, "an integer population >= 0", population);
  requireArg("hypergeometric", Number.isSafeInteger(marked) && marked >= 0 && marked <= population, "0 <= marked <= population", marked);
  requireArg("hypergeometric", Number.isSafeInteger(draws) && draws >= 0 && draws <= population, "0 <= draws <= population", draws);
  return drawHypergeometric(population, marked, draws, rng, undefined);
}

/**
 * log Γ(x) at integers x = 1 … size − 1, each computed by {@link logGamma} on first use and kept, so
 * repeated draws from one population (Monte Carlo majority@k) stop paying for the Lanczos sums. The
 * values are exactly logGamma's, so draws are identical with and without the table.
 */
export class LogGammaTable {
  private readonly values: Float64Array;

  /** @param size - one past the largest integer argument that will be asked for (N + 2 for populations ≤ N) */
  constructor(size: number) {
    this.values = new Float64Array(size).fill(Number.NaN);
  }

  /** logGamma(x) for an integer 1 ≤ x < size (other arguments are computed, not kept). */
  at(x: number): number {
    if (x >= this.values.length) return logGamma(x);
    const v = this.values[x] as number;
    if (v === v) return v;
    return (this.values[x] = logGamma(x));
  }
}

/**
 * {@link hypergeometric} without the argument checks, for callers whose arguments are valid by
 * construction, with an optional {@link LogGammaTable}.
 */
export function drawHypergeometric(population: number, marked: number, draws: number, rng: Rng, table: LogGammaTable | undefined): number {
  const lo = Math.max(0, draws - (population - marked));
  const hi = Math.min(draws, marked);
  if (lo === hi) return lo;
  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (marked + 1)) / (population + 2))));
  // log pmf at the mode through log Γ: O(1), relative error ~1e-14 — ample for drawing, and the hot path of Monte Carlo majority@k.
  const logPmf = logChooseGamma(marked, mode, table) + logChooseGamma(population - marked, draws - mode, table) - logChooseGamma(population, draws, table);
  const u = rng.next();
  let pUp = Math.exp(logPmf);
  let pDown = pUp;
  let acc = pUp;
  if (u < acc) return mode;
  let xUp = mode;
  let xDown = mode;
  while (xUp < hi || xDown > lo) {
    if (xUp < hi) {
      pUp *= ratioUp(population, marked, draws, xUp);
      xUp++;
      acc += pUp;
      if (u < acc) return xUp;
    }
    if (xDown > lo) {
      pDown /= ratioUp(population, marked, draws, xDown - 1);
      xDown--;
      acc += pDown;
      if (u < acc) return xDown;
    }
  }
  // Rounding left a sliver of probability unassigned: give it to the mode.
  return mode;
}

/** log C(a, b) through log Γ (module level, not a closure: no allocation per draw). */
function logChooseGamma(a: number, b: number, table: LogGammaTable | undefined): number {
  if (table) return table.at(a + 1) - table.at(b + 1) - table.at(a - b + 1);
  return logGamma(a + 1) - logGamma(b + 1) - logGamma(a - b + 1);
}

/** pmf ratio p(x+1)/p(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)). */
function ratioUp(population: number, marked: number, draws: number, x: number): number {
  return ((marked - x) * (draws - x)) / ((x + 1) * (population - marked - draws + x + 1));
}
