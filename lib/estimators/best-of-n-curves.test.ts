import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { bestOfNCurve } from "./best-of-n-at-k.ts";
import { bestOfNCurves } from "./best-of-n-curves.ts";
import { subsetMean } from "./subsets.test-util.ts";

describe("bestOfNCurves", () => {
  it("gives bestOfNCurve's values byte for byte: ties, several N, problems with no or all samples correct", () => {
    const r = rng("bon-curves");
    const problems = Array.from({ length: 40 }, (_, p) => {
      const n = [200, 57, 200, 1000][p % 4]!;
      const share = p % 7 === 0 ? 0 : p % 11 === 0 ? 1 : r.next();
      const levels = p % 3 === 0 ? 5 : 1e9; // few score levels → large tie groups
      return { scores: Float64Array.from({ length: n }, () => Math.floor(r.next() * levels) / levels), correct: Array.from({ length: n }, () => r.next() < share) };
    });
    const ks = [1, 2, 3, 10, 56, 57, 30];
    const curves = bestOfNCurves(problems, ks);
    problems.forEach((p, i) => {
      const one = bestOfNCurve(p.scores, p.correct, ks);
      ks.forEach((_, ki) => expect(Object.is(curves[i]![ki], one[ki])).toBe(true));
    });
  });

  it("equals the mean over every k-subset of its top sample's correctness (ties shared), for small N", () => {
    const problems = [
      { scores: [0.3, 0.9, 0.9, 0.1, 0.5], correct: [1, 0, 1, 1, 0] },
      { scores: [2, 2, 2, 2], correct: [true, false, false, false] },
      { scores: [1, 5, 3, 4], correct: [false, false, false, false] },
    ];
    const ks = [1, 2, 3, 4];
    const curves = bestOfNCurves(problems, ks);
    problems.forEach((p, i) => {
      ks.forEach((k, ki) => {
        const expected = subsetMean(p.scores.length, k, (s) => {
          const top = Math.max(...s.map((j) => p.scores[j]!));
          const tied = s.filter((j) => p.scores[j] === top);
          return tied.filter((j) => p.correct[j]).length / tied.length;
        });
        expect(Math.abs(curves[i]![ki]! - expected)).toBeLessThan(1e-15);
      });
    });
    // hand values: problem 2 is one tie group with 1 of 4 right → 0.25 at every k; problem 3 has none right
    for (const v of curves[1]!) expect(v).toBeCloseTo(0.25, 15);
    expect(Array.from(curves[2]!)).toEqual([0, 0, 0, 0]);
  });

  it("names the rule and the problem on bad input", () => {
    expect(() => bestOfNCurves([], [1])).toThrow("bestOfNCurves requires at least one problem, got 0");
    expect(() => bestOfNCurves([{ scores: [1, 2], correct: [true, false] }, { scores: [1, Number.NaN], correct: [true, false] }], [1])).toThrow(
      'bestOfNCurves requires finite scores, got "NaN at index 1 in problem 1"',
    );
    expect(() => bestOfNCurves([{ scores: [1, 2, 3], correct: [1, 0] }], [1])).toThrow('bestOfNCurves requires correct of the same length as scores (3), got "2 in problem 0"');
    expect(() => bestOfNCurves([{ scores: [1, 2, 3], correct: [1, 0, 0] }, { scores: [1, 2], correct: [1, 0] }], [3])).toThrow(
      "bestOfNCurves requires integers k with 1 <= k <= N for every problem (smallest N = 2), got 3",
    );
  });
});
