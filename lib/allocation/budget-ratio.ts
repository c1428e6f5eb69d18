import { requireArg } from "../core/errors.ts";

/** A point of an accuracy-vs-budget curve. */
export interface BudgetPoint {
  /** Budget, > 0 (generations, FLOPs, ...; both curves on the same axis). */
  budget: number;
  accuracy: number;
}

/** Where a curve first reaches a baseline's final accuracy. */
export interface BudgetMatch {
  /** The baseline's accuracy at its largest budget. */
  targetAccuracy: number;
  /** The baseline's largest budget. */
  baselineBudget: number;
  /** The budget at which the curve first reaches the target (interpolated in log budget). */
  matchBudget: number;
  /** baselineBudget / matchBudget: how many times less budget the curve needs (Snell et al.'s "4× less compute"). */
  ratio: number;
}

/**
 * The budget ratio at which a curve (e.g. compute-optimal) first matches a
 * baseline's final accuracy (e.g. best-of-N at its largest budget). Walking
 * the curve by budget, at the first point with accuracy ≥ the target the
 * budget is interpolated linearly in log budget between it and the point
 * before (no extrapolation: a first point already at the target matches at
 * its own budget).
 *
 * @param curve - the curve to test, any order, distinct budgets
 * @param baseline - the reference curve; only its largest budget's point is used
 * @returns the match, or undefined when the curve never reaches the target
 * @throws InvalidArgumentError on an empty curve or baseline, budgets ≤ 0 or repeated in `curve`, non-finite accuracies
 * @example
 * budgetRatioToMatch([{ budget: 4, accuracy: 0.5 }, { budget: 16, accuracy: 0.8 }], [{ budget: 64, accuracy: 0.65 }])
 * // { targetAccuracy: 0.65, baselineBudget: 64, matchBudget: 8, ratio: 8 }
 * @see Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally…", §5.3 (compute-optimal search matches best-of-N with about 4× less compute)
 */
export function budgetRatioToMatch(curve: readonly BudgetPoint[], baseline: readonly BudgetPoint[]): BudgetMatch | undefined {
  const fn = "budgetRatioToMatch";
  const valid = (ps: readonly BudgetPoint[]) => ps.length > 0 && ps.every((p) => Number.isFinite(p.budget) && p.budget > 0 && Number.isFinite(p.accuracy));
  requireArg(fn, valid(curve) && new Set(curve.map((p) => p.budget)).size === curve.length, "a non-empty curve of distinct budgets > 0 with finite accuracies", curve);
  requireArg(fn, valid(baseline), "a non-empty baseline of budgets > 0 with finite accuracies", baseline);
  const last = baseline.reduce((a, p) => (p.budget > a.budget ? p : a));
  const sorted = [...curve].sort((a, b) => a.budget - b.budget);
  const i = sorted.findIndex((p) => p.accuracy >= last.accuracy);
  if (i < 0) return undefined;
  const hit = sorted[i] as BudgetPoint;
  let matchBudget = hit.budget;
  if (i > 0) {
    const prev = sorted[i - 1] as BudgetPoint;
    const t = (last.accuracy - prev.accuracy) / (hit.accuracy - prev.accuracy);
    matchBudget = Math.exp(Math.log(prev.budget) + t * (Math.log(hit.budget) - Math.log(prev.budget)));
  }
  return { targetAccuracy: last.accuracy, baselineBudget: last.budget, matchBudget, ratio: last.budget / matchBudget };
}
