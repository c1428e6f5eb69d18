import { budgetRatioToMatch } from "../../lib/allocation/budget-ratio.ts";
import { computeOptimal } from "../../lib/allocation/compute-optimal.ts";
import { paramsKey, type OutcomeRow } from "../../lib/allocation/outcome-table.ts";
import type { Rng } from "../../lib/core/rng.ts";
import type { StrategyOutcome } from "./tiny-searches.ts";

/** One strategy's accuracy and FLOPs against the budget, overall and per difficulty bin. */
export interface StrategyCurve {
  /** e.g. `beam {"beamWidth":4}`. */
  name: string;
  strategy: string;
  budgets: number[];
  accuracy: number[];
  meanFlops: number[];
  /** `perBin[b][i]`: accuracy on bin b + 1 (1 easiest) at budgets[i]. */
  perBin: number[][];
}

/** One budget of a compute-optimal curve (held-out accuracy, Snell et al.'s 2-fold protocol). */
export interface OptimalPoint {
  budget: number;
  accuracy: number;
  lo: number;
  hi: number;
  meanFlops: number | null;
  /** Per training fold, the configuration chosen for each bin, e.g. `"beam@4"`. */
  chosen: [string[], string[]];
}

/** Where compute-optimal first reaches best-of-N's accuracy at one of best-of-N's budgets. */
export interface BudgetMatchPoint {
  budget: number;
  bestOfN: number;
  /** Interpolated budget (log scale) at which the compute-optimal curve first reaches it, or null. */
  matchBudget: number | null;
  /** budget / matchBudget, or null. */
  ratio: number | null;
}

/** Outcomes as the rows `computeOptimal` takes (one per problem and configuration). */
export function toRows(outcomes: readonly StrategyOutcome[], ids: readonly string[]): OutcomeRow[] {
  return outcomes.flatMap((o) => ids.map((problem, p) => ({ problem, strategy: o.strategy, params: o.params, budget: o.budget, correct: o.correct[p] as number, cost: o.flops[p] as number })));
}

/** Group outcomes by strategy and parameters into curves, with per-bin accuracy for `bins` (1-based levels per problem). */
export function strategyCurves(outcomes: readonly StrategyOutcome[], bins: readonly number[], binCount: number): StrategyCurve[] {
  const names = [...new Set(outcomes.map((o) => `${o.strategy} ${paramsKey(o.params)}`))];
  const mean = (xs: readonly number[], keep: (p: number) => boolean) => {
    let s = 0;
    let n = 0;
    xs.forEach((x, p) => {
      if (keep(p)) (s += x), n++;
    });
    return n === 0 ? 0 : s / n;
  };
  return names.map((name) => {
    const runs = outcomes.filter((o) => `${o.strategy} ${paramsKey(o.params)}` === name).sort((a, b) => a.budget - b.budget);
    return {
      name,
      strategy: (runs[0] as StrategyOutcome).strategy,
      budgets: runs.map((o) => o.budget),
      accuracy: runs.map((o) => mean(o.correct, () => true)),
      meanFlops: runs.map((o) => mean(o.flops, () => true)),
      perBin: Array.from({ length: binCount }, (_, b) => runs.map((o) => mean(o.correct, (p) => bins[p] === b + 1))),
    };
  });
}

/** The compute-optimal curve by generation budget for the given bins, summarised for the results. */
export function optimalCurve(rows: readonly OutcomeRow[], ids: readonly string[], bins: readonly number[], reps: number, r: Rng): OptimalPoint[] {
  const levels = new Map(ids.map((id, p) => [id, bins[p] as number]));
  const res = computeOptimal(rows, levels, { rng: r, reps });
  return res.points.map((pt) => {
    const chosen: [string[], string[]] = [[], []];
    for (const c of pt.choices) chosen[c.trainFold].push(`${c.strategy}@${c.budget}`);
    return { budget: pt.budget, accuracy: pt.accuracy, lo: pt.lo, hi: pt.hi, meanFlops: pt.meanCost, chosen };
  });
}

/**
 * For every budget B of best-of-N, the budget at which the compute-optimal
 * curve first reaches best-of-N's accuracy at B, and the ratio B / that budget
 * (Snell et al.'s "4× less compute").
 */
export function budgetMatches(optimal: readonly OptimalPoint[], bestOfN: StrategyCurve): BudgetMatchPoint[] {
  const curve = optimal.map((p) => ({ budget: p.budget, accuracy: p.accuracy }));
  return bestOfN.budgets.map((budget, i) => {
    const accuracy = bestOfN.accuracy[i] as number;
    const m = budgetRatioToMatch(curve, [{ budget, accuracy }]);
    return { budget, bestOfN: accuracy, matchBudget: m?.matchBudget ?? null, ratio: m?.ratio ?? null };
  });
}
