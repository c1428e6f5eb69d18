import { describe, expect, it } from "vitest";
import { rng } from "../../lib/core/rng.ts";
import { offlineCurve, type ScoredPool } from "./offline-selection.ts";

// Four samples: answers 7 (right), 3, 3, none; PRM scores 0.9, 0.4, 0.4, 0.95.
const pool: ScoredPool = { answers: ["7", "3", "3", null], correct: [true, false, false, false], scores: { prm: [0.9, 0.4, 0.4, 0.95] } };

describe("offlineCurve", () => {
  it("best-of-N (naive) is the exact mean over k-subsets of the top-scored sample's correctness", () => {
    // k = 1: 1/4. k = 2: subsets with sample 0 and not sample 3: {0,1},{0,2} → 2/6. k = 3: only {0,1,2} → 1/4. k = 4: top is sample 3 → 0.
    expect(offlineCurve(pool, "bon-naive", "prm", [1, 2, 3, 4], 100, rng(1))).toEqual([0.25, 2 / 6, 0.25, 0]);
  });

  it("weighted majority sums scores per answer (enumerated by hand)", () => {
    // k = 2: {0,1} 7:0.9 vs 3:0.4 → right; {0,2} right; {0,3} right (3 has no answer); {1,2},{1,3},{2,3} wrong → 3/6.
    // k = 3: {0,1,2}: 0.9 vs 0.8 → right; {0,1,3},{0,2,3} right; {1,2,3} wrong → 3/4. k = 4: 0.9 vs 0.8 → 1.
    const got = offlineCurve(pool, "bon-weighted", "prm", [2, 3, 4], 100, rng(1));
    [0.5, 0.75, 1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });

  it("majority counts answers (k = 3: 7 wins only against a tie it breaks half the time)", () => {
    // k = 3 subsets: {0,1,2}: 3 wins → 0; {0,1,3},{0,2,3}: 7 vs 3 tie → 1/2 each; {1,2,3}: 0 → (0 + 0.5 + 0.5 + 0)/4 = 0.25.
    expect(offlineCurve(pool, "majority", null, [3], 100, rng(1))[0]).toBeCloseTo(0.25, 12);
  });

  it("names a reward model it has no scores for", () => {
    expect(() => offlineCurve(pool, "bon-naive", "orm", [1], 100, rng(1))).toThrow('offlineCurve requires scores of the reward model named, got {"rewardModel":"orm","scored":["prm"]}');
  });
});
