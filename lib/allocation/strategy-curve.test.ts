import { describe, expect, it } from "vitest";
import { rowsFrom } from "./allocation.test-util.ts";
import { strategyCurve } from "./strategy-curve.ts";

describe("strategyCurve", () => {
  const P = ["p1", "p2", "p3", "p4"];

  it("averages one configuration's outcomes and costs per budget (hand-computed)", () => {
    const rows = rowsFrom(P, { X: { 4: "1100", 1: "1000" }, Y: { 1: "1111" } }, { X: 2 });
    expect(strategyCurve([...rows].filter((r) => r.strategy === "X"), "X")).toEqual([
      { budget: 1, accuracy: 0.25, meanCost: 2 },
      { budget: 4, accuracy: 0.5, meanCost: 8 },
    ]);
    expect(strategyCurve(rows, "Y")).toEqual([{ budget: 1, accuracy: 1, meanCost: null }]); // Y's rows have no cost
  });

  it("matches hyperparameters exactly, in any key order", () => {
    const rows = [
      { problem: "a", strategy: "beam", params: { m: 4, agg: "last" }, budget: 16, correct: 1 },
      { problem: "a", strategy: "beam", params: { m: 2, agg: "last" }, budget: 16, correct: 0 },
    ];
    expect(strategyCurve(rows, "beam", { agg: "last", m: 4 })).toEqual([{ budget: 16, accuracy: 1, meanCost: null }]);
    expect(() => strategyCurve(rows, "beam", { m: 4 })).toThrow('strategyCurve requires rows of strategy "beam" with params {"m":4} (the table has: beam {"agg":"last","m":4}; beam {"agg":"last","m":2}), got "none"');
  });
});
