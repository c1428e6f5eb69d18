import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { aggregateScores } from "./aggregate-scores.ts";

describe("aggregateScores", () => {
  // Hand-computed: last 0.8, min 0.5, prod 0.9·0.5·0.8 = 0.36, mean 2.2/3.
  const s = [0.9, 0.5, 0.8];
  it("computes last, min, prod and mean", () => {
    expect(aggregateScores(s, "last")).toBe(0.8);
    expect(aggregateScores(s)).toBe(0.8);
    expect(aggregateScores(s, "min")).toBe(0.5);
    expect(aggregateScores(s, "prod")).toBeCloseTo(0.36, 15);
    expect(aggregateScores(s, "mean")).toBeCloseTo(2.2 / 3, 15);
  });

  it("leaves an outcome verifier's single score unchanged", () => {
    for (const how of ["last", "min", "prod", "mean"] as const) expect(aggregateScores([0.3], how)).toBe(0.3);
  });

  it("refuses empty lists, scores outside [0, 1] and unknown aggregations", () => {
    expect(() => aggregateScores([])).toThrow("aggregateScores requires at least one step score, got []");
    expect(() => aggregateScores([0.5, 1.5])).toThrow("1.5 at step 1");
    expect(() => aggregateScores([0.5], "max" as never)).toThrow(InvalidArgumentError);
  });
});
