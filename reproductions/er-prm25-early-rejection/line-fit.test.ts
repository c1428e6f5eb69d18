import { describe, expect, it } from "vitest";
import { fitLine } from "./line-fit.ts";

describe("fitLine", () => {
  it("recovers an exact line with r² = 1", () => {
    const fit = fitLine([0, 1, 2], [1, 3, 5]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.points).toBe(3);
  });

  it("matches a hand fit: slope S_xy/S_xx = 5.5/5, SS_res 2.7 of SS_tot 8.75", () => {
    // Residuals of ŷ = 1.1 + 1.1x at x = 0…3: −0.1, 0.8, −1.3, 0.6 (squares sum to 2.7).
    const fit = fitLine([0, 1, 2, 3], [1, 3, 2, 5]);
    expect(fit.slope).toBeCloseTo(1.1, 12);
    expect(fit.intercept).toBeCloseTo(1.1, 12);
    expect(fit.r2).toBeCloseTo(1 - 2.7 / 8.75, 12);
  });

  it("turns an exponential into a line in log space", () => {
    const taus = [1, 2, 3, 4, 5];
    const fit = fitLine(taus, taus.map((t) => Math.log(0.8 * Math.exp(-0.45 * t))));
    expect(fit.slope).toBeCloseTo(-0.45, 12);
    expect(Math.exp(fit.intercept)).toBeCloseTo(0.8, 12);
  });

  it("refuses constant x, unequal lengths and non-finite values", () => {
    expect(() => fitLine([2, 2, 2], [1, 2, 3])).toThrow("fitLine requires x values that are not all equal, got 2");
    expect(() => fitLine([1, 2], [1])).toThrow("fitLine requires x and y of the same length >= 2");
    expect(() => fitLine([1, 2], [1, -Infinity])).toThrow("fitLine requires finite values, got -Infinity");
  });
});
