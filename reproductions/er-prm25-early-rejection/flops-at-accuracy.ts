import { requireArg } from "../../lib/core/errors.ts";

/** How a baseline's FLOPs at a given accuracy were read off its curve. */
export type FlopsReading =
  /** Interpolated between two measured points (linear in log FLOPs). */
  | "interpolated"
  /** The baseline's cheapest point is already at least that accurate: it needs at most its smallest FLOPs. */
  | "at-most"
  /**
   * No measured point is that accurate: the FLOPs are those of the cheapest point with the baseline's best
   * accuracy (the other method matches that accuracy and more).
   */
  | "above-best";

/** The baseline's FLOPs at an accuracy, and how they were read. */
export interface FlopsAtAccuracy {
  flops: number;
  reading: FlopsReading;
}

/**
 * The FLOPs a baseline method needs to reach `accuracy`, read off its measured
 * (FLOPs, accuracy) points: the first crossing of the piecewise-linear curve
 * through the points sorted by FLOPs, interpolated linearly in log FLOPs (the
 * axis accuracy-vs-compute plots use). Below the cheapest point the answer is
 * an upper bound (`"at-most"`). Above the best accuracy it is the cost of the
 * baseline's best accuracy (`"above-best"`; not its most expensive point,
 * since a baseline's accuracy can fall with compute). Dividing it by another
 * method's FLOPs gives "equal (or better) accuracy at r× fewer FLOPs".
 *
 * @param flops - the baseline's FLOPs per point (> 0)
 * @param accuracies - its accuracy per point
 * @param accuracy - the accuracy to reach
 * @throws InvalidArgumentError on different lengths, no points, or FLOPs not positive and finite
 * @example
 * flopsAtAccuracy([100, 1000], [0.2, 0.4], 0.3); // { flops: 316.2…, reading: "interpolated" } (halfway in log FLOPs)
 * flopsAtAccuracy([100, 1000, 5000], [0.2, 0.4, 0.3], 0.5); // { flops: 1000, reading: "above-best" }
 * @see Cheshmi et al. 2025 (arXiv 2508.01969): "1.4×–9× reduction in inference FLOPs without degrading final performance"
 */
export function flopsAtAccuracy(flops: readonly number[], accuracies: readonly number[], accuracy: number): FlopsAtAccuracy {
  requireArg("flopsAtAccuracy", flops.length === accuracies.length && flops.length > 0, "one accuracy per FLOPs value, at least one point", { flops: flops.length, accuracies: accuracies.length });
  requireArg("flopsAtAccuracy", flops.every((f) => Number.isFinite(f) && f > 0), "FLOPs > 0", flops.find((f) => !(Number.isFinite(f) && f > 0)));
  const order = flops.map((_, i) => i).sort((a, b) => (flops[a] as number) - (flops[b] as number));
  const f = order.map((i) => flops[i] as number);
  const a = order.map((i) => accuracies[i] as number);
  if ((a[0] as number) >= accuracy) return { flops: f[0] as number, reading: "at-most" };
  for (let i = 0; i + 1 < f.length; i++) {
    const [a0, a1] = [a[i] as number, a[i + 1] as number];
    if (a0 < accuracy && a1 >= accuracy) {
      if (a1 === accuracy) return { flops: f[i + 1] as number, reading: "interpolated" };
      const t = (accuracy - a0) / (a1 - a0);
      const logF = Math.log(f[i] as number) * (1 - t) + Math.log(f[i + 1] as number) * t;
      return { flops: Math.exp(logF), reading: "interpolated" };
    }
  }
  const best = Math.max(...a);
  return { flops: f[a.indexOf(best)] as number, reading: "above-best" };
}
