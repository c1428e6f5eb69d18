import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { betaSample, gammaSample, normalCdf, normalQuantile } from "./distributions.ts";

describe("distributions", () => {
  it("gamma has mean k and variance k (shape above and below 1)", () => {
    const r = rng("gamma");
    for (const k of [0.3, 1, 4.5]) {
      const xs = Array.from({ length: 60_000 }, () => gammaSample(k, r));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
      expect(Math.abs(mean - k) / k).toBeLessThan(0.03);
      expect(Math.abs(v - k) / k).toBeLessThan(0.06);
    }
  });

  it("beta has mean α/(α+β) and variance αβ/((α+β)²(α+β+1))", () => {
    const r = rng("beta");
    for (const [a, b] of [[0.122, 0.645], [2, 5]] as const) {
      const xs = Array.from({ length: 60_000 }, () => betaSample(a, b, r));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      expect(Math.abs(mean - a / (a + b))).toBeLessThan(0.006);
      expect(Math.abs(v - (a * b) / ((a + b) ** 2 * (a + b + 1)))).toBeLessThan(0.004);
      expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    }
  });

  it("normalQuantile matches table values and inverts normalCdf", () => {
    // Φ⁻¹(0.975) = 1.959963984540054 and Φ⁻¹(0.8413447460685429) = 1 (standard normal tables)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 8);
    for (const p of [1e-6, 0.01, 0.3, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    expect(() => normalQuantile(1)).toThrow("normalQuantile requires 0 < p < 1, got 1");
  });
});
