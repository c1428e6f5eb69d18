import { requireArg, requireEach } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { allocationBudgets, type AllocationAxis } from "./allocation-budgets.ts";
import { outcomeMatrix, type OutcomeMatrix, type OutcomeRow, type StrategyParams } from "./outcome-table.ts";
import { percentileBand } from "./percentile-band.ts";
import { splitFolds } from "./split-folds.ts";

/** Options of {@link computeOptimal}. */
export interface ComputeOptimalOptions {
  /** Random source: the folds draw from `rng.fork("folds")`, the bootstrap from `rng.fork("bootstrap")`. */
  rng: Rng;
  /** `"generations"` (default): budget B means the rows with `budget` = B. `"cost"`: any configuration whose mean `cost` on the training problems of a level is ≤ B. */
  axis?: AllocationAxis;
  /** Budgets of the curve. Generations: default every budget in the table (each strategy must have been run at each); cost: required. */
  budgets?: readonly number[];
  /** A fixed split into two halves (default: {@link splitFolds} stratified by level). */
  folds?: readonly [readonly string[], readonly string[]];
  /** Bootstrap resamples for the band. Default 1,000. */
  reps?: number;
  /** Two-sided level of the band: 0.05 gives 95%. Default 0.05. */
  alpha?: number;
}

/** What was chosen for one difficulty level on one half. */
export interface AllocationChoice {
  /** Chosen on `folds[trainFold]`, scored only on the other fold. */
  trainFold: 0 | 1;
  level: number;
  strategy: string;
  params: StrategyParams;
  /** The chosen configuration's generation budget. */
  budget: number;
  /** Its mean correctness on the training problems of this level. */
  trainAccuracy: number;
  /** Its mean correctness on the held-out problems of this level. */
  testAccuracy: number;
  testProblems: number;
}

/** One budget of the compute-optimal curve. */
export interface ComputeOptimalPoint {
  budget: number;
  /** Held-out accuracy, the mean of the two folds'. */
  accuracy: number;
  /** Bootstrap percentile band and standard error (problems resampled within each fold and level, choices re-made). */
  lo: number;
  hi: number;
  se: number;
  /** Held-out mean cost per problem of the chosen configurations (mean of the two folds), or null without costs. */
  meanCost: number | null;
  /** One choice per training fold and level. */
  choices: AllocationChoice[];
}

/** The compute-optimal curve and how it was made. */
export interface ComputeOptimalResult {
  axis: AllocationAxis;
  points: ComputeOptimalPoint[];
  /** The two halves of the problems. */
  folds: [string[], string[]];
  /** Difficulty levels present, ascending. */
  levels: number[];
}

/**
 * Compute-optimal allocation with Snell et al.'s 2-fold protocol: for every
 * budget and difficulty level, choose on one half of the problems the strategy
 * and hyperparameters with the best accuracy on that level (ties to the
 * configuration first seen in the table), score that choice on the other
 * half's problems of the level, swap the halves, and average the two held-out
 * accuracies. A problem's outcome is never used to choose its own strategy.
 * The band resamples problems within each (fold, level) cell and re-makes the
 * choices (on the cost axis, which configurations fit each budget is fixed by
 * the original training halves).
 *
 * @param rows - outcome table: one row per problem for each configuration (strategy × params × budget)
 * @param levels - difficulty level per problem id (e.g. `estimateDifficulty(...).levels`)
 * @param options - rng, axis, budgets, folds, band settings
 * @returns one point per budget, ascending: accuracy, band, cost and the choices behind it
 * @throws InvalidArgumentError on a malformed table (see {@link outcomeMatrix}), a problem without a level, folds that do not
 *   partition the problems, a level with no problem in one fold (an empty bin), strategies run at different budgets, a missing
 *   or unaffordable budget, or reps/alpha out of range
 * @example
 * const difficulty = estimateDifficulty(samples, { signal: "verifier" });
 * const curve = computeOptimal(rows, difficulty.levels, { rng: rng(1) });
 * curve.points.map((p) => [p.budget, p.accuracy, p.lo, p.hi]);
 * @see Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally…", §3.2 and §5.3 (compute-optimal strategy per difficulty bin, two-fold cross-validation)
 */
export function computeOptimal(rows: readonly OutcomeRow[], levels: ReadonlyMap<string, number>, options: ComputeOptimalOptions): ComputeOptimalResult {
  const fn = "computeOptimal";
  const m = outcomeMatrix(fn, rows);
  const reps = options.reps ?? 1000;
  const alpha = options.alpha ?? 0.05;
  requireArg(fn, Number.isSafeInteger(reps) && reps >= 2, "an integer reps >= 2", reps);
  requireArg(fn, alpha > 0 && alpha < 1, "alpha in (0, 1)", alpha);
  const missing = m.problems.filter((p) => levels.get(p) === undefined);
  requireArg(fn, missing.length === 0, "a difficulty level for every problem", missing.slice(0, 5));
  const axis = options.axis ?? "generations";
  const budgets = allocationBudgets(fn, m, axis, options.budgets);
  const folds = options.folds ? checkFolds(fn, m.problems, options.folds) : splitFolds(m.problems, levels, options.rng.fork("folds"));
  const levelList = [...new Set(m.problems.map((p) => levels.get(p) as number))].sort((a, b) => a - b);
  const index = new Map(m.problems.map((p, i) => [p, i]));
  // cells[f][l]: problem indices of fold f at level levelList[l]
  const cells = folds.map((fold) => levelList.map((level) => fold.filter((p) => levels.get(p) === level).map((p) => index.get(p) as number)));
  cells.forEach((byLevel, f) =>
    byLevel.forEach((c, l) => requireEach(fn, c.length > 0, "every difficulty level in both folds (an empty bin has nothing to choose or score with)", () => `level ${levelList[l]} with no problem in fold ${f}`)),
  );
  const eligible = cells.map((byLevel, f) => byLevel.map((train, l) => budgets.map((b) => eligibleConfigs(fn, m, axis, b, train, `level ${levelList[l]}, fold ${f}`))));
  const run = (cs: number[][][]) => evaluate(m, cs, eligible, budgets.length);
  const base = run(cells);
  const boot = bootstrapCurves(options.rng.fork("bootstrap"), cells, reps, run, budgets.length);
  const points = budgets.map((budget, b): ComputeOptimalPoint => {
    const band = percentileBand(boot[b] as Float64Array, alpha);
    const choices = base.choices[b]!.map(({ f, l, c, train, test }): AllocationChoice => {
      const cfg = m.configs[c]!;
      return { trainFold: f as 0 | 1, level: levelList[l] as number, strategy: cfg.strategy, params: cfg.params, budget: cfg.budget, trainAccuracy: train, testAccuracy: test, testProblems: cells[1 - f]![l]!.length };
    });
    return { budget, accuracy: base.accuracy[b] as number, ...band, meanCost: m.cost === null ? null : (base.cost[b] as number), choices };
  });
  return { axis, points, folds: [[...folds[0]], [...folds[1]]], levels: levelList };
}

interface Evaluation {
  accuracy: Float64Array;
  cost: Float64Array;
  choices: { f: number; l: number; c: number; train: number; test: number }[][];
}

/** Choose per (fold, level, budget) on the fold, score on the other fold; average the two folds. */
function evaluate(m: OutcomeMatrix, cells: number[][][], eligible: number[][][][], budgetCount: number): Evaluation {
  const accuracy = new Float64Array(budgetCount);
  const cost = new Float64Array(budgetCount);
  const choices: Evaluation["choices"] = Array.from({ length: budgetCount }, () => []);
  for (let f = 0; f < 2; f++) {
    const testTotal = cells[1 - f]!.reduce((a, c) => a + c.length, 0);
    cells[f]!.forEach((train, l) => {
      const test = cells[1 - f]![l]!;
      const mean = (row: Float64Array, idx: number[]) => idx.reduce((a, i) => a + (row[i] as number), 0) / idx.length;
      const trainAcc = new Map<number, number>();
      for (let b = 0; b < budgetCount; b++) {
        let best = -1;
        for (const c of eligible[f]![l]![b]!) {
          if (!trainAcc.has(c)) trainAcc.set(c, mean(m.correct[c] as Float64Array, train));
          if (best < 0 || (trainAcc.get(c) as number) > (trainAcc.get(best) as number)) best = c;
        }
        const testAcc = mean(m.correct[best] as Float64Array, test);
        accuracy[b]! += (testAcc * test.length) / testTotal / 2;
        if (m.cost !== null) cost[b]! += (mean(m.cost[best] as Float64Array, test) * test.length) / testTotal / 2;
        choices[b]!.push({ f, l, c: best, train: trainAcc.get(best) as number, test: testAcc });
      }
    });
  }
  return { accuracy, cost, choices };
}

/** Configurations that fit budget `b` on the training problems `train`, in table order. */
function eligibleConfigs(fn: string, m: OutcomeMatrix, axis: AllocationAxis, b: number, train: readonly number[], where: string): number[] {
  const out: number[] = [];
  let cheapest = Infinity;
  m.configs.forEach((cfg, c) => {
    if (axis === "generations") {
      if (cfg.budget === b) out.push(c);
      return;
    }
    const spent = train.reduce((a, i) => a + ((m.cost as Float64Array[])[c]![i] as number), 0) / train.length;
    cheapest = Math.min(cheapest, spent);
    if (spent <= b) out.push(c);
  });
  requireEach(fn, out.length > 0, "a configuration within every budget at every level", () => `none within ${b} at ${where} (cheapest mean cost ${cheapest})`);
  return out;
}

/** Resample each (fold, level) cell with replacement `reps` times; accuracy per budget per resample. */
function bootstrapCurves(r: Rng, cells: number[][][], reps: number, run: (cs: number[][][]) => Evaluation, budgetCount: number): Float64Array[] {
  const out = Array.from({ length: budgetCount }, () => new Float64Array(reps));
  for (let k = 0; k < reps; k++) {
    const resampled = cells.map((byLevel) => byLevel.map((c) => Array.from({ length: c.length }, () => c[r.int(c.length)] as number)));
    const acc = run(resampled).accuracy;
    for (let b = 0; b < budgetCount; b++) out[b]![k] = acc[b] as number;
  }
  return out;
}

/** The folds as given, checked to partition the problems. */
function checkFolds(fn: string, problems: readonly string[], folds: readonly [readonly string[], readonly string[]]): [string[], string[]] {
  const all = [...folds[0], ...folds[1]];
  const known = new Set(problems);
  const ok = all.length === problems.length && new Set(all).size === all.length && all.every((p) => known.has(p));
  requireArg(fn, ok, `folds that split the table's ${problems.length} problems into two disjoint halves`, { fold0: folds[0].length, fold1: folds[1].length, distinct: new Set(all).size, unknown: all.filter((p) => !known.has(p)).slice(0, 5) });
  return [[...folds[0]], [...folds[1]]];
}
