import { describe, expect, it } from "vitest";
import { logChoose } from "../core/math.ts";
import { subsetFirstWeights } from "./subset-first-weights.ts";
import { subsets } from "./subsets.test-util.ts";

describe("subsetFirstWeights", () => {
  it("equals C(n−i−1, k−1)/C(n, k) and the frequency of each first member over all k-subsets", () => {
    for (let n = 1; n <= 10; n++) {
      for (let k = 1; k <= n; k++) {
        const w = subsetFirstWeights(n, k);
        const first = new Array<number>(n).fill(0);
        let count = 0;
        for (const s of subsets(n, k)) {
          first[s[0]!]!++;
          count++;
        }
        expect(w.length).toBe(n - k + 1);
        w.forEach((v, i) => {
          expect(Math.abs(v - Math.exp(logChoose(n - i - 1, k - 1) - logChoose(n, k)))).toBeLessThan(1e-14);
          expect(Math.abs(v - first[i]! / count)).toBeLessThan(1e-14);
        });
      }
    }
  });

  it("fills a given buffer, and names bad arguments", () => {
    const buf = new Float64Array(8);
    const w = subsetFirstWeights(6, 2, buf);
    expect(w.buffer).toBe(buf.buffer);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(() => subsetFirstWeights(3, 4)).toThrow("subsetFirstWeights requires integers with 1 <= k <= n (n = 3), got 4");
    expect(() => subsetFirstWeights(6, 1, new Float64Array(2))).toThrow("subsetFirstWeights requires a buffer of at least 6 weights, got 2");
  });
});
