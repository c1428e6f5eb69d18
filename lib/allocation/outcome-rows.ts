import { requireArg } from "../core/errors.ts";
import type { Ledger } from "../strategies/ledger.ts";
import type { SearchResult } from "../strategies/search-types.ts";
import type { OutcomeRow, StrategyParams } from "./outcome-table.ts";

/** Options of {@link outcomeRows}. */
export interface OutcomeRowsOptions {
  /** Strategy name written on every row. */
  strategy: string;
  /** Hyperparameters written on every row (the budget excluded). Default `{}`. */
  params?: StrategyParams;
  /** The generation budget the strategy ran with (N). */
  budget: number;
  /** Whether a problem's chosen answer is right. */
  isCorrect: (prompt: string, answer: string | null) => boolean;
  /** The id of problem `index` with this prompt. Default: the prompt. */
  problemId?: (prompt: string, index: number) => string;
  /** What a problem's ledger counts as its cost. Default `ledger.flops` (0 for an unpriced ledger). */
  cost?: (ledger: Ledger) => number;
}

/**
 * Turn one strategy run into outcome-table rows for `computeOptimal`: one row
 * per problem with its correctness and the cost its ledger recorded.
 *
 * @param result - what a strategy (bestOfN, beamSearch, …) returned
 * @param options - labels of the run, grading, id and cost functions
 * @returns one row per problem, in the result's order
 * @throws InvalidArgumentError on a budget that is not > 0 or an empty strategy name
 * @example
 * const res = await beamSearch(world.prompts, collab, { n: 16, beamWidth: 4, extractAnswer: world.extractAnswer });
 * outcomeRows(res, { strategy: "beam", params: { beamWidth: 4 }, budget: 16, isCorrect: world.isCorrect });
 */
export function outcomeRows(result: SearchResult, options: OutcomeRowsOptions): OutcomeRow[] {
  requireArg("outcomeRows", typeof options.strategy === "string" && options.strategy !== "", "a strategy name", options.strategy);
  requireArg("outcomeRows", Number.isFinite(options.budget) && options.budget > 0, "a budget > 0", options.budget);
  const id = options.problemId ?? ((prompt: string) => prompt);
  const cost = options.cost ?? ((l: Ledger) => l.flops);
  return result.problems.map((p, i) => ({
    problem: id(p.prompt, i),
    strategy: options.strategy,
    params: { ...(options.params ?? {}) },
    budget: options.budget,
    correct: options.isCorrect(p.prompt, p.answer) ? 1 : 0,
    cost: cost(p.ledger),
  }));
}
