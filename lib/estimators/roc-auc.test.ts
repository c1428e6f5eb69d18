import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { rocAuc } from "./roc-auc.ts";

/** The definition, pair by pair: P(score₊ > score₋) + ½ P(tie). */
function pairwiseAuc(scores: number[], labels: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!labels[i]) return;
    scores.forEach((t, j) => {
      if (labels[j]) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe("rocAuc", () => {
  it("equals the pairwise definition on random arrays with many ties", () => {
    const r = rng("auc");
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + r.int(30);
      const scores = Array.from({ length: n }, () => r.int(5) / 4);
      const labels = Array.from({ length: n }, () => r.next() < 0.4);
      labels[0] = true;
      labels[1] = false;
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }
  });

  it("is 1 for perfect separation, 0 for reversed, 1/2 for constant scores", () => {
    expect(rocAuc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0);
    expect(rocAuc([3, 3, 3], [true, false, true])).toBe(0.5);
  });

  it("names what is wrong", () => {
    expect(() => rocAuc([1, 2], [true])).toThrow("rocAuc requires labels of the same length as scores (2), got 1");
    expect(() => rocAuc([1, NaN], [true, false])).toThrow("rocAuc requires finite scores, got \"NaN at index 1\"");
    expect(() => rocAuc([1, 2], [true, true])).toThrow("rocAuc requires at least one positive and one negative label, got \"2 positive, 0 negative\"");
  });
});
