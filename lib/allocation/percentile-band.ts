import { requireArg } from "../core/errors.ts";

/** A percentile interval and the standard deviation of the resampled statistics. */
export interface PercentileBand {
  lo: number;
  hi: number;
  /** Sample standard deviation of the resampled statistics (the bootstrap standard error). */
  se: number;
}

/**
 * The α/2 and 1 − α/2 quantiles (linear interpolation between order
 * statistics, as in `bootstrap`) and the standard deviation of resampled
 * statistics.
 *
 * @param stats - resampled values (sorted in place)
 * @param alpha - two-sided level in (0, 1)
 * @throws InvalidArgumentError on fewer than 2 values or α outside (0, 1)
 * @example
 * percentileBand(Float64Array.from([3, 1, 2, 4, 5]), 0.5) // { lo: 2, hi: 4, se: 1.58… }
 * @see Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13 (percentile intervals)
 */
export function percentileBand(stats: Float64Array, alpha: number): PercentileBand {
  const n = stats.length;
  requireArg("percentileBand", n >= 2, "at least 2 resampled values", n);
  requireArg("percentileBand", alpha > 0 && alpha < 1, "alpha in (0, 1)", alpha);
  stats.sort();
  const q = (p: number) => {
    const pos = p * (n - 1);
    const i = Math.floor(pos);
    return (stats[i] as number) * (1 - (pos - i)) + (stats[Math.min(i + 1, n - 1)] as number) * (pos - i);
  };
  let mean = 0;
  for (const s of stats) mean += s;
  mean /= n;
  let v = 0;
  for (const s of stats) v += (s - mean) ** 2 / (n - 1);
  return { lo: q(alpha / 2), hi: q(1 - alpha / 2), se: Math.sqrt(v) };
}
