import { describe, expect, it } from "vitest";
import { percentileBand } from "./percentile-band.ts";

describe("percentileBand", () => {
  it("interpolates between order statistics and reports the sample standard deviation (hand-computed)", () => {
    // 1…5: the 25% and 75% points are the 2nd and 4th order statistics; sd = √(10/4).
    const b = percentileBand(Float64Array.from([3, 1, 5, 2, 4]), 0.5);
    expect(b.lo).toBe(2);
    expect(b.hi).toBe(4);
    expect(b.se).toBeCloseTo(Math.sqrt(2.5), 14);
    // 0, 10 at α = 0.5: positions 0.25 and 0.75 → 2.5 and 7.5.
    expect(percentileBand(Float64Array.from([10, 0]), 0.5)).toMatchObject({ lo: 2.5, hi: 7.5 });
    expect(percentileBand(Float64Array.from([0.3, 0.3, 0.3]), 0.05)).toEqual({ lo: 0.3, hi: 0.3, se: 0 });
  });

  it("refuses too few values and α outside (0, 1)", () => {
    expect(() => percentileBand(Float64Array.from([1]), 0.05)).toThrow("percentileBand requires at least 2 resampled values, got 1");
    expect(() => percentileBand(Float64Array.from([1, 2]), 1)).toThrow("percentileBand requires alpha in (0, 1), got 1");
  });
});
