import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { bestOfNAtK, bestOfNCurve } from "./best-of-n-at-k.ts";
import { subsets } from "./subsets.test-util.ts";

/**
 * Reference: average over every k-subset and every order of the tied samples
 * (all permutations of tie-break priorities) of the top sample's correctness.
 * Implemented as: within a subset, the top score's tied members are equally likely.
 */
function bonReference(scores: number[], correct: boolean[], k: number): number {
  let total = 0;
  let count = 0;
  for (const s of subsets(scores.length, k)) {
    const top = Math.max(...s.map((i) => scores[i]!));
    const tied = s.filter((i) => scores[i] === top);
    total += tied.filter((i) => correct[i]).length / tied.length;
    count++;
  }
  return total / count;
}

describe("bestOfNAtK", () => {
  it("equals exhaustive enumeration over k-subsets, with random ties, for N ≤ 12", () => {
    const r = rng("bon");
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + r.int(12);
      const scores = Array.from({ length: n }, () => r.int(4) / 4); // few distinct values → many ties
      const correct = Array.from({ length: n }, () => r.next() < 0.4);
      for (let k = 1; k <= n; k++) {
        expect(Math.abs(bestOfNAtK(scores, correct, k) - bonReference(scores, correct, k))).toBeLessThan(1e-12);
      }
    }
  });

  it("k = 1 is the mean correctness and k = N picks the top tie group", () => {
    const scores = [0.2, 0.9, 0.9, 0.1];
    const correct = [true, true, false, true];
    expect(bestOfNAtK(scores, correct, 1)).toBeCloseTo(0.75, 15);
    expect(bestOfNAtK(scores, correct, 4)).toBeCloseTo(0.5, 15);
  });

  it("the curve equals pointwise calls; bad input names the rule", () => {
    const scores = [3, 1, 2, 2, 5];
    const correct = [1, 0, 1, 0, 0];
    const ks = [1, 2, 3, 4, 5];
    expect(Array.from(bestOfNCurve(scores, correct, ks))).toEqual(ks.map((k) => bestOfNAtK(scores, correct, k)));
    expect(() => bestOfNAtK([1, 2], [true], 1)).toThrow("bestOfNAtK requires correct of the same length as scores (2), got 1");
    expect(() => bestOfNAtK([1, Number.NaN], [true, false], 1)).toThrow('bestOfNAtK requires finite scores, got "NaN at index 1"');
    expect(() => bestOfNAtK([1, 2], [true, false], 3)).toThrow("bestOfNAtK requires an integer k with 1 <= k <= N (N = 2), got 3");
  });
});
