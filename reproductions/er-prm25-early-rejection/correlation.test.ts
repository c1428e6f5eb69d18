import { describe, expect, it } from "vitest";
import { rng } from "../../lib/core/rng.ts";
import { fractionalRanks, pearson, spearman } from "./correlation.ts";

describe("pearson", () => {
  it("matches a hand computation: S_xy / √(S_xx · S_yy) = 11.5 / √(5 · 26.75)", () => {
    // x̄ = 2.5, ȳ = 5.25; deviations (−1.5, −0.5, 0.5, 1.5) and (−3.25, −1.25, 0.75, 3.75).
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 9])).toBeCloseTo(11.5 / Math.sqrt(5 * 26.75), 12);
  });

  it("is 1 and −1 on exact lines, unchanged by affine maps, NaN on a constant side", () => {
    const x = [0.3, 1.7, 2.2, 5, 8.1];
    expect(pearson(x, x.map((v) => 3 * v - 2))).toBeCloseTo(1, 12);
    expect(pearson(x, x.map((v) => -v))).toBeCloseTo(-1, 12);
    const y = [1, 0, 4, 2, 2];
    expect(pearson(x.map((v) => 10 * v + 7), y)).toBeCloseTo(pearson(x, y), 12);
    expect(pearson(x, [2, 2, 2, 2, 2])).toBeNaN();
  });

  it("refuses unequal lengths, single points and non-finite values", () => {
    expect(() => pearson([1, 2], [1])).toThrow('pearson requires two samples of the same length >= 2, got {"x":2,"y":1}');
    expect(() => pearson([1], [1])).toThrow("pearson requires two samples of the same length >= 2");
    expect(() => pearson([1, NaN], [1, 2])).toThrow("pearson requires finite values, got NaN");
  });
});

describe("spearman", () => {
  it("equals 1 − 6 Σd² / (n(n² − 1)) when there are no ties (random permutations)", () => {
    const r = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 3 + r.int(12);
      const a = r.shuffle(Array.from({ length: n }, (_, i) => i + 1));
      const b = r.shuffle(Array.from({ length: n }, (_, i) => i + 1));
      const d2 = a.reduce((s, v, i) => s + (v - (b[i] as number)) ** 2, 0);
      // Ranks of distinct values are the values' order; scale them to show ρ depends on order only.
      expect(spearman(a.map((v) => v * v), b.map((v) => Math.exp(v / 3)))).toBeCloseTo(1 - (6 * d2) / (n * (n * n - 1)), 12);
    }
  });

  it("gives tied values their mean rank (hand case: ranks (1, 2.5, 2.5, 4) vs (1, 3, 2, 4) → 4.5 / √(4.5 · 5))", () => {
    expect(fractionalRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });
});
