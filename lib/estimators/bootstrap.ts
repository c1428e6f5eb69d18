import { requireArg } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";

export interface BootstrapOptions {
  /** Random source (required: every stochastic function takes one). */
  rng: Rng;
  /** Resamples. Default 1,000. */
  reps?: number;
  /** Two-sided level: 0.05 gives a 95% percentile interval. Default 0.05. */
  alpha?: number;
}

export interface BootstrapResult {
  /** The statistic on the original items. */
  estimate: number;
  /** Percentile interval bounds. */
  lo: number;
  hi: number;
  /** Standard deviation of the resampled statistics (the bootstrap standard error). */
  se: number;
}

/**
 * Percentile bootstrap over items (usually problems): resample the items with
 * replacement `reps` times, recompute `statistic`, and report the α/2 and
 * 1 − α/2 quantiles.
 *
 * @param items - the units to resample (e.g. per-problem records)
 * @param statistic - maps a resampled list to a number (e.g. mean pass@k)
 * @throws InvalidArgumentError for no items, reps < 2, or α outside (0, 1)
 * @example
 * bootstrap(perProblemPass, (xs) => xs.reduce((a, b) => a + b, 0) / xs.length, { rng: rng(1) })
 * @see Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13 (percentile intervals)
 */
export function bootstrap<T>(items: readonly T[], statistic: (sample: T[]) => number, options: BootstrapOptions): BootstrapResult {
  requireArg("bootstrap", items.length > 0, "at least one item", 0);
  const reps = options.reps ?? 1000;
  const alpha = options.alpha ?? 0.05;
  requireArg("bootstrap", Number.isSafeInteger(reps) && reps >= 2, "an integer reps >= 2", reps);
  requireArg("bootstrap", alpha > 0 && alpha < 1, "alpha in (0, 1)", alpha);
  const estimate = statistic([...items]);
  const stats = new Float64Array(reps);
  const sample: T[] = new Array<T>(items.length);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < items.length; i++) sample[i] = items[options.rng.int(items.length)] as T;
    stats[r] = statistic(sample);
  }
  stats.sort();
  const q = (p: number) => {
    const pos = p * (reps - 1);
    const i = Math.floor(pos);
    const frac = pos - i;
    return (stats[i] as number) * (1 - frac) + (stats[Math.min(i + 1, reps - 1)] as number) * frac;
  };
  let mean = 0;
  for (const s of stats) mean += s / reps;
  let v = 0;
  for (const s of stats) v += (s - mean) ** 2 / (reps - 1);
  return { estimate, lo: q(alpha / 2), hi: q(1 - alpha / 2), se: Math.sqrt(v) };
}
