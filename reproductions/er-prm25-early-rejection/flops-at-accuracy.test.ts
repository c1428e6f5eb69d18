import { describe, expect, it } from "vitest";
import { flopsAtAccuracy } from "./flops-at-accuracy.ts";

describe("flopsAtAccuracy", () => {
  it("interpolates linearly in log FLOPs between the points that bracket the accuracy", () => {
    const at = flopsAtAccuracy([100, 1000], [0.2, 0.4], 0.3);
    expect(at.reading).toBe("interpolated");
    expect(at.flops).toBeCloseTo(Math.sqrt(100 * 1000), 9); // halfway in log10: 10^2.5
    // Order of the points does not matter; a quarter of the way up lands a quarter of the way in log FLOPs.
    const q = flopsAtAccuracy([1000, 100], [0.4, 0.2], 0.25);
    expect(q.flops).toBeCloseTo(10 ** 2.25, 9);
  });

  it("takes the first crossing of a curve that dips", () => {
    const at = flopsAtAccuracy([1, 10, 100, 1000], [0.1, 0.5, 0.3, 0.6], 0.4);
    expect(at).toEqual({ flops: expect.closeTo(10 ** 0.75, 9), reading: "interpolated" });
  });

  it("says when the answer is only a bound", () => {
    expect(flopsAtAccuracy([100, 1000], [0.2, 0.4], 0.2)).toEqual({ flops: 100, reading: "at-most" });
    expect(flopsAtAccuracy([100, 1000], [0.2, 0.4], 0.1)).toEqual({ flops: 100, reading: "at-most" });
    expect(flopsAtAccuracy([100, 1000], [0.2, 0.4], 0.5)).toEqual({ flops: 1000, reading: "above-best" });
    // A curve that falls with compute: above its best accuracy, the cost of that best (the cheapest point having it).
    expect(flopsAtAccuracy([10, 100, 1000, 5000], [0.2, 0.4, 0.4, 0.1], 0.5)).toEqual({ flops: 100, reading: "above-best" });
    expect(flopsAtAccuracy([100, 1000], [0.2, 0.4], 0.4)).toEqual({ flops: 1000, reading: "interpolated" });
  });

  it("refuses mismatched or empty curves and non-positive FLOPs", () => {
    expect(() => flopsAtAccuracy([1, 2], [0.1], 0.1)).toThrow("flopsAtAccuracy requires one accuracy per FLOPs value, at least one point");
    expect(() => flopsAtAccuracy([], [], 0.1)).toThrow("flopsAtAccuracy requires one accuracy per FLOPs value");
    expect(() => flopsAtAccuracy([0, 2], [0.1, 0.2], 0.1)).toThrow("flopsAtAccuracy requires FLOPs > 0, got 0");
  });
});
