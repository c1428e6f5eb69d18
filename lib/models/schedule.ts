import { requireArg } from "../core/errors.ts";

/** Options of {@link cosineSchedule}. */
export interface CosineScheduleOptions {
  /** Peak learning rate. */
  peak: number;
  /** Steps of linear warm-up from peak/warmup to peak (default 0). */
  warmupSteps?: number;
  /** Step at which the cosine reaches its floor. */
  totalSteps: number;
  /** Floor as a fraction of the peak (default 0.1). */
  minRatio?: number;
}

/**
 * Learning rate at a step (0-based): linear warm-up, then cosine decay from
 * `peak` to `minRatio·peak` at `totalSteps`, flat after.
 *
 * @throws InvalidArgumentError on a negative step or invalid options
 * @example
 * cosineSchedule(0, { peak: 1e-3, warmupSteps: 10, totalSteps: 100 }); // 1e-4
 */
export function cosineSchedule(step: number, options: CosineScheduleOptions): number {
  const { peak, totalSteps } = options;
  const warmup = options.warmupSteps ?? 0;
  const minRatio = options.minRatio ?? 0.1;
  requireArg("cosineSchedule", Number.isInteger(step) && step >= 0, "a non-negative integer step", step);
  requireArg("cosineSchedule", peak > 0 && warmup >= 0 && totalSteps > warmup && minRatio >= 0 && minRatio <= 1, "peak > 0, 0 ≤ warmupSteps < totalSteps, minRatio in [0, 1]", options);
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / (totalSteps - warmup));
  return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
