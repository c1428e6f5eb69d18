import { describe, expect, it } from "vitest";
import { budgetMatches, strategyCurves, toRows } from "./analysis.ts";
import type { StrategyOutcome } from "./tiny-searches.ts";

const out = (strategy: string, budget: number, correct: number[]): StrategyOutcome => ({ strategy, params: { m: 1 }, budget, correct, flops: correct.map((_, p) => 10 * budget + p) });

describe("strategyCurves", () => {
  it("averages each configuration over all problems and within each bin, budgets ascending", () => {
    const outcomes = [out("beam", 4, [1, 0, 0, 1]), out("beam", 2, [1, 1, 0, 0]), out("bon", 2, [0.5, 0.5, 0, 1])];
    const [beam, bon] = strategyCurves(outcomes, [1, 1, 2, 2], 2);
    expect(beam?.budgets).toEqual([2, 4]);
    expect(beam?.accuracy).toEqual([0.5, 0.5]);
    // bin 1 = problems 0, 1; bin 2 = problems 2, 3 (hand-counted)
    expect(beam?.perBin).toEqual([[1, 0.5], [0, 0.5]]);
    expect(beam?.meanFlops).toEqual([21.5, 41.5]);
    expect(bon?.perBin).toEqual([[0.5], [0.5]]);
  });
});

describe("toRows", () => {
  it("writes one row per problem and configuration with correctness and FLOPs", () => {
    expect(toRows([out("beam", 2, [1, 0])], ["a", "b"])).toEqual([
      { problem: "a", strategy: "beam", params: { m: 1 }, budget: 2, correct: 1, cost: 20 },
      { problem: "b", strategy: "beam", params: { m: 1 }, budget: 2, correct: 0, cost: 21 },
    ]);
  });
});

describe("budgetMatches", () => {
  it("finds, for each best-of-N budget, where the compute-optimal curve first reaches its accuracy (log interpolation)", () => {
    const optimal = [2, 4, 16].map((budget, i) => ({ budget, accuracy: [0.2, 0.4, 0.5][i] as number, lo: 0, hi: 1, meanFlops: null, chosen: [[], []] as [string[], string[]] }));
    const bon = { name: "bon", strategy: "bon", budgets: [2, 16], accuracy: [0.1, 0.3], meanFlops: [0, 0], perBin: [] };
    const m = budgetMatches(optimal, bon);
    // 0.1 is reached at the first point, N = 2; 0.3 halfway between 0.2 (N = 2) and 0.4 (N = 4) in log N: N = 2^1.5.
    expect(m[0]).toEqual({ budget: 2, bestOfN: 0.1, matchBudget: 2, ratio: 1 });
    expect(m[1]?.matchBudget).toBeCloseTo(2 ** 1.5, 12);
    expect(m[1]?.ratio).toBeCloseTo(16 / 2 ** 1.5, 12);
    expect(budgetMatches(optimal, { ...bon, accuracy: [0.1, 0.9] })[1]).toEqual({ budget: 16, bestOfN: 0.9, matchBudget: null, ratio: null });
  });
});
