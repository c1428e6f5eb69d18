import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { expectedSubsetExtremes } from "./subset-extremes.ts";
import { subsets } from "./subsets.test-util.ts";

describe("expectedSubsetExtremes", () => {
  it("equals enumeration over every k-subset, with ties, for N ≤ 10", () => {
    const r = rng("extremes");
    for (let t = 0; t < 30; t++) {
      const n = 1 + r.int(10);
      const values = Array.from({ length: n }, () => r.int(6));
      for (let k = 1; k <= n; k++) {
        let mx = 0, mn = 0, c = 0;
        for (const s of subsets(n, k)) {
          mx += Math.max(...s.map((i) => values[i]!));
          mn += Math.min(...s.map((i) => values[i]!));
          c++;
        }
        const got = expectedSubsetExtremes(values, k);
        expect(Math.abs(got.max - mx / c)).toBeLessThan(1e-12);
        expect(Math.abs(got.min - mn / c)).toBeLessThan(1e-12);
      }
    }
    expect(() => expectedSubsetExtremes([1], 2)).toThrow("expectedSubsetExtremes requires an integer k with 1 <= k <= N (N = 1), got 2");
  });
});
