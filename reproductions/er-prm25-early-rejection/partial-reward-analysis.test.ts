import { describe, expect, it } from "vitest";
import { fitLine } from "./line-fit.ts";
import { discardsBest, keepCount, partialRewardAnalysis } from "./partial-reward-analysis.ts";

// Hand-made rounds: HAND[r][i] = scores of candidate i after 1, 2, … tokens of its step (last = full step).
const HAND: number[][][] = [
  // A
  [
    [0.5, 0.9, 0.2],
    [0.5, 0.1, 0.8], // the best full step
    [0.5, 0.5, 0.5],
    [0.5, 0.3, 0.3],
  ],
  [[0.2, 0.7], [0.6]], // B: candidate 1's step ended after one token: its partial score is its final one
  [[0.4, 0.4]], // C: one candidate, nothing to reject
];

describe("partialRewardAnalysis", () => {
  it("counts discards of the best candidate by hand (keep 1/4 of A, ½ of B)", () => {
    const a = partialRewardAnalysis(HAND, { taus: [1, 2, 3, 4], keepFraction: 0.25 });
    // keep ⌈0.25 · 4⌉ = 1 in A, ⌈0.25 · 2⌉ = 1 in B; C has one candidate and is not contested.
    expect(a.rounds).toBe(2);
    expect(a.candidates).toBe(7);
    // τ=1: A all tied → keeps candidate 0 (final 0.2): discard; B keeps candidate 1 (0.6 > 0.2): discard.
    // τ=2: A keeps candidate 0 (0.9): discard; B keeps candidate 0 (0.7 > 0.6), the best: kept.
    // τ=3, 4: partial = final in both rounds: never.
    expect(a.discarded).toEqual([2, 1, 0, 0]);
    expect(a.discardProbability).toEqual([1, 0.5, 0, 0]);
    expect(a.logDiscardFit).toBeNull(); // only two τ with P > 0
  });

  it("pools (partial, final) pairs over every candidate and reads a step that ended early at its end", () => {
    const a = partialRewardAnalysis(HAND, { taus: [2, 3], keepFraction: 0.25 });
    // τ = 3 is every step's full length: partial = final, r = ρ = 1.
    expect(a.pearson[1]).toBeCloseTo(1, 12);
    expect(a.spearman[1]).toBeCloseTo(1, 12);
    // τ = 2 by hand: partial (0.9, 0.1, 0.5, 0.3, 0.7, 0.6, 0.4) against final (0.2, 0.8, 0.5, 0.3, 0.7, 0.6, 0.4).
    const px = [0.9, 0.1, 0.5, 0.3, 0.7, 0.6, 0.4];
    const fy = [0.2, 0.8, 0.5, 0.3, 0.7, 0.6, 0.4];
    const mx = px.reduce((s, v) => s + v, 0) / 7;
    const my = fy.reduce((s, v) => s + v, 0) / 7;
    const sxy = px.reduce((s, v, i) => s + (v - mx) * ((fy[i] as number) - my), 0);
    const sxx = px.reduce((s, v) => s + (v - mx) ** 2, 0);
    const syy = fy.reduce((s, v) => s + (v - my) ** 2, 0);
    expect(a.pearson[0]).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
    // Within rounds at τ = 2: A's ranks (4,1,3,2) vs (1,4,3,2): ρ = 1 − 6·18/60 = −0.8; B: (2,1) vs (2,1): 1; C has one candidate.
    expect(a.withinRoundSpearman[0]).toBeCloseTo((-0.8 + 1) / 2, 12);
  });

  it("fits ln P against τ where P > 0 (P = 3/4, 2/4, 1/4, 0 by construction)", () => {
    // Round k: candidate 0 has the best final score; candidate 1 leads the partial scores for τ ≤ 3 − k.
    const rounds = [0, 1, 2, 3].map((k) => [
      [0.5, 0.5, 0.5, 0.9],
      [...[1, 2, 3].map((t): number => (t <= 3 - k ? 0.7 : 0.3)), 0.1],
    ]);
    const a = partialRewardAnalysis(rounds, { taus: [1, 2, 3, 4], keepFraction: 0.5 });
    expect(a.discardProbability).toEqual([0.75, 0.5, 0.25, 0]);
    expect(a.logDiscardFit).toEqual(fitLine([1, 2, 3], [Math.log(0.75), Math.log(0.5), Math.log(0.25)]));
  });

  it("refuses bad τ and keep fractions", () => {
    expect(() => partialRewardAnalysis(HAND, { taus: [0], keepFraction: 0.5 })).toThrow("partialRewardAnalysis requires taus that are positive integers, got [0]");
    expect(() => partialRewardAnalysis(HAND, { taus: [1], keepFraction: 0 })).toThrow("partialRewardAnalysis requires keepFraction in (0, 1], got 0");
  });
});

describe("discardsBest", () => {
  it("keeps the best partial scores, ties to the earlier candidate, and counts equal finals as best", () => {
    expect(discardsBest([0.9, 0.1, 0.5], [0.2, 0.8, 0.4], 1 / 3)).toBe(true);
    expect(discardsBest([0.9, 0.1, 0.5], [0.2, 0.8, 0.4], 1)).toBe(false);
    expect(discardsBest([0.5, 0.5], [0.1, 0.9], 0.5)).toBe(true); // tie: keeps candidate 0
    expect(discardsBest([0.5, 0.9], [0.7, 0.7], 0.5)).toBe(false); // two equally best: keeping either is fine
    expect([keepCount(4, 0.25), keepCount(5, 0.25), keepCount(3, 0.01), keepCount(8, 0.125)]).toEqual([1, 2, 1, 1]);
  });
});
