import { describe, expect, it } from "vitest";
import { budgetRatioToMatch } from "./budget-ratio.ts";

describe("budgetRatioToMatch", () => {
  const curve = [
    { budget: 16, accuracy: 0.8 },
    { budget: 1, accuracy: 0.2 },
    { budget: 4, accuracy: 0.5 },
  ];

  it("interpolates in log budget where the curve first reaches the baseline's final accuracy (hand-computed)", () => {
    // Target 0.65 lies halfway from 0.5 (budget 4) to 0.8 (budget 16): log b = (log 4 + log 16)/2 → b = 8; ratio 64/8 = 8.
    const m = budgetRatioToMatch(curve, [{ budget: 64, accuracy: 0.65 }, { budget: 4, accuracy: 0.3 }])!;
    expect(m.targetAccuracy).toBe(0.65);
    expect(m.baselineBudget).toBe(64);
    expect(m.matchBudget).toBeCloseTo(8, 12);
    expect(m.ratio).toBeCloseTo(8, 12);
    // Target 0.3: a third of the way from 0.2 (budget 1) to 0.5 (budget 4): b = 4^(1/3); ratio 256 / 4^(1/3).
    expect(budgetRatioToMatch(curve, [{ budget: 256, accuracy: 0.3 }])!.ratio).toBeCloseTo(256 / Math.cbrt(4), 10);
  });

  it("takes the first crossing, does not extrapolate below the first budget, and is undefined when never reached", () => {
    const wiggly = [{ budget: 1, accuracy: 0.1 }, { budget: 2, accuracy: 0.7 }, { budget: 4, accuracy: 0.4 }, { budget: 8, accuracy: 0.9 }];
    expect(budgetRatioToMatch(wiggly, [{ budget: 8, accuracy: 0.7 }])!.matchBudget).toBe(2);
    expect(budgetRatioToMatch(curve, [{ budget: 64, accuracy: 0.1 }])).toEqual({ targetAccuracy: 0.1, baselineBudget: 64, matchBudget: 1, ratio: 64 });
    expect(budgetRatioToMatch(curve, [{ budget: 64, accuracy: 0.81 }])).toBeUndefined();
  });

  it("refuses empty curves, non-positive and repeated budgets", () => {
    expect(() => budgetRatioToMatch([], [{ budget: 1, accuracy: 0 }])).toThrow("budgetRatioToMatch requires a non-empty curve");
    expect(() => budgetRatioToMatch(curve, [])).toThrow("budgetRatioToMatch requires a non-empty baseline");
    expect(() => budgetRatioToMatch([{ budget: 0, accuracy: 0.1 }], [{ budget: 1, accuracy: 0 }])).toThrow("distinct budgets > 0");
    expect(() => budgetRatioToMatch([...curve, { budget: 4, accuracy: 0.6 }], [{ budget: 1, accuracy: 0 }])).toThrow("distinct budgets > 0");
  });
});
