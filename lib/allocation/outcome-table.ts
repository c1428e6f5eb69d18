import { requireArg, requireEach } from "../core/errors.ts";

/** Hyperparameters of one strategy run, as a flat record (e.g. `{ beamWidth: 4, select: "weighted" }`). */
export type StrategyParams = Readonly<Record<string, string | number | boolean>>;

/**
 * One row of an outcome table: how one configuration (strategy, hyperparameters,
 * budget) did on one problem. A table holds exactly one row per problem for
 * every configuration it mentions.
 */
export interface OutcomeRow {
  /** Problem id. */
  problem: string;
  /** Strategy name, e.g. `"best-of-n"`, `"beam"`. */
  strategy: string;
  /** Hyperparameters other than the budget. Default `{}`. */
  params?: StrategyParams;
  /** Generation budget N (samples or beams), > 0. */
  budget: number;
  /** 1 if the chosen answer was right, else 0 (an expected value in [0, 1] is also accepted). */
  correct: number;
  /** What the run spent on this problem, ≥ 0 — usually `ledger.flops`; needed for a cost axis. */
  cost?: number;
}

/** One configuration of a table: a strategy, its hyperparameters and a budget. */
export interface OutcomeConfig {
  strategy: string;
  params: StrategyParams;
  budget: number;
}

/** A validated outcome table as matrices: configuration × problem. */
export interface OutcomeMatrix {
  /** Problem ids in order of first appearance. */
  problems: string[];
  /** Configurations in order of first appearance. */
  configs: OutcomeConfig[];
  /** `correct[c][p]`. */
  correct: Float64Array[];
  /** `cost[c][p]`, or null when some row has no cost. */
  cost: Float64Array[] | null;
}

/**
 * The canonical form of hyperparameters: JSON with the names sorted.
 *
 * @example
 * paramsKey({ m: 4, agg: "last" }) // '{"agg":"last","m":4}'
 */
export function paramsKey(params: StrategyParams = {}): string {
  return JSON.stringify(Object.fromEntries(Object.keys(params).sort().map((k) => [k, params[k]])));
}

/**
 * The canonical key of a configuration: the strategy, its parameters sorted by name, and the budget.
 *
 * @example
 * configKey({ strategy: "beam", params: { m: 4, agg: "last" }, budget: 16 }) // 'beam {"agg":"last","m":4} @16'
 */
export function configKey(config: { strategy: string; params?: StrategyParams; budget: number }): string {
  return `${config.strategy} ${paramsKey(config.params)} @${config.budget}`;
}

/**
 * Validate an outcome table and lay it out as configuration × problem matrices.
 *
 * @param fn - the calling function's name, for error messages
 * @param rows - the table
 * @throws InvalidArgumentError on an empty table, a malformed row (empty ids, budget ≤ 0, correct outside [0, 1], negative cost),
 *   a configuration with two rows for one problem, or one missing a problem that other configurations have
 * @example
 * outcomeMatrix("myFn", [{ problem: "p1", strategy: "bon", budget: 4, correct: 1 }]).correct[0]; // Float64Array [1]
 */
export function outcomeMatrix(fn: string, rows: readonly OutcomeRow[]): OutcomeMatrix {
  requireArg(fn, rows.length > 0, "a non-empty outcome table", rows.length);
  const problemIndex = new Map<string, number>();
  const configIndex = new Map<string, number>();
  const configs: OutcomeConfig[] = [];
  const cells: number[][] = [];
  rows.forEach((r, i) => {
    const ok = typeof r.problem === "string" && r.problem !== "" && typeof r.strategy === "string" && r.strategy !== "" && Number.isFinite(r.budget) && r.budget > 0 && r.correct >= 0 && r.correct <= 1;
    requireEach(fn, ok && (r.cost === undefined || (Number.isFinite(r.cost) && r.cost >= 0)), "rows with a problem id, a strategy, budget > 0, correct in [0, 1] and cost >= 0", () => ({ row: i, ...r }));
    if (!problemIndex.has(r.problem)) problemIndex.set(r.problem, problemIndex.size);
    const key = configKey(r);
    if (!configIndex.has(key)) {
      configIndex.set(key, configs.length);
      configs.push({ strategy: r.strategy, params: { ...(r.params ?? {}) }, budget: r.budget });
      cells.push([]);
    }
    (cells[configIndex.get(key) as number] as number[]).push(i);
  });
  const problems = [...problemIndex.keys()];
  const withCost = rows.every((r) => r.cost !== undefined);
  const correct = configs.map(() => new Float64Array(problems.length).fill(NaN));
  const cost = withCost ? configs.map(() => new Float64Array(problems.length)) : null;
  cells.forEach((rowIds, c) => {
    for (const i of rowIds) {
      const r = rows[i] as OutcomeRow;
      const p = problemIndex.get(r.problem) as number;
      requireEach(fn, Number.isNaN((correct[c] as Float64Array)[p]), "one row per problem and configuration", () => `a second row for problem "${r.problem}" in ${configKey(r)} (row ${i})`);
      (correct[c] as Float64Array)[p] = r.correct;
      if (cost !== null) (cost[c] as Float64Array)[p] = r.cost as number;
    }
    const missing = problems.filter((_, p) => Number.isNaN((correct[c] as Float64Array)[p]));
    requireEach(fn, missing.length === 0, `every configuration run on all ${problems.length} problems`, () => `${configKey(configs[c] as OutcomeConfig)} missing ${JSON.stringify(missing.slice(0, 5))}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}`);
  });
  return { problems, configs, correct, cost };
}
