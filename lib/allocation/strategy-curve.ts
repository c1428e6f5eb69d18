import { requireArg } from "../core/errors.ts";
import { outcomeMatrix, paramsKey, type OutcomeRow, type StrategyParams } from "./outcome-table.ts";

/** One budget of a fixed configuration's curve. */
export interface StrategyCurvePoint {
  budget: number;
  /** Mean correctness over the table's problems. */
  accuracy: number;
  /** Mean cost per problem, or null when the rows carry no cost. */
  meanCost: number | null;
}

/**
 * Accuracy vs budget of one strategy with fixed hyperparameters, from an
 * outcome table: the baseline a compute-optimal curve is compared with (e.g.
 * best-of-N weighted). Every problem of the table counts once per budget.
 *
 * @param rows - outcome table (validated as by `computeOptimal`)
 * @param strategy - strategy name
 * @param params - its hyperparameters, matched exactly (default `{}`)
 * @returns one point per budget the configuration was run at, ascending
 * @throws InvalidArgumentError on a malformed table, or no rows for this strategy and params
 * @example
 * strategyCurve(rows, "best-of-n", { select: "weighted" }) // [{ budget: 1, accuracy: 0.41, meanCost: … }, …]
 */
export function strategyCurve(rows: readonly OutcomeRow[], strategy: string, params: StrategyParams = {}): StrategyCurvePoint[] {
  const m = outcomeMatrix("strategyCurve", rows);
  const want = paramsKey(params);
  const picked = m.configs.map((c, i) => [c, i] as const).filter(([c]) => c.strategy === strategy && paramsKey(c.params) === want);
  const known = [...new Set(m.configs.map((c) => `${c.strategy} ${paramsKey(c.params)}`))];
  requireArg("strategyCurve", picked.length > 0, `rows of strategy "${strategy}" with params ${want} (the table has: ${known.join("; ")})`, "none");
  const mean = (xs: Float64Array) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return picked
    .map(([c, i]) => ({ budget: c.budget, accuracy: mean(m.correct[i] as Float64Array), meanCost: m.cost === null ? null : mean(m.cost[i] as Float64Array) }))
    .sort((a, b) => a.budget - b.budget);
}
