import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { groupAnswers } from "./answer-groups.ts";
import { weightedMajorityExact } from "./weighted-majority-exact.ts";
import { weightedMajorityMonteCarlo } from "./weighted-majority-monte-carlo.ts";
import { subsetMean } from "./subsets.test-util.ts";

/** Reference: mean over every k-subset of the weighted vote's chance of a correct answer (ties split, 0 if nobody votes). */
function reference(answers: (string | null)[], correct: boolean[], weights: number[], k: number): number {
  return subsetMean(answers.length, k, (s) => {
    const totals = new Map<string, number>();
    for (const i of s) if (answers[i] !== null) totals.set(answers[i]!, (totals.get(answers[i]!) ?? 0) + weights[i]!);
    const best = Math.max(0, ...totals.values());
    if (best <= 0) return 0;
    const top = [...totals.entries()].filter(([, t]) => t === best).map(([a]) => a);
    return top.filter((a) => correct[answers.indexOf(a)]).length / top.length;
  });
}

/** 14 samples over three answers and missing ones; weights in quarters, so sums are exact and ties happen. */
function smallCase(seed: string) {
  const r = rng(seed);
  const answers = Array.from({ length: 14 }, () => (r.next() < 0.15 ? null : ["x", "y", "z"][r.int(3)]!));
  const correct = answers.map((a) => a === "x");
  const weights = answers.map(() => r.int(5) / 4);
  return { answers, correct, weights, groups: groupAnswers("test", answers, correct) };
}

describe("weightedMajorityMonteCarlo", () => {
  it("agrees with exhaustive enumeration within 4 standard errors, on block, prefix and complement budgets", () => {
    const { answers, correct, weights, groups } = smallCase("wmc");
    // N = 14: k = 1…7 use the first k shuffled samples (k ≤ 3 also vote on more blocks), k = 8…14 the complement
    const ks = Array.from({ length: 14 }, (_, i) => i + 1);
    const mc = weightedMajorityMonteCarlo(groups, weights, ks, 4000, rng("wmc-draws"));
    ks.forEach((k, i) => {
      const exact = reference(answers, correct, weights, k);
      expect(Math.abs(weightedMajorityExact(groups, weights, k).value - exact)).toBeLessThan(1e-12);
      const est = mc[i]!;
      expect(Math.abs(est.value - exact)).toBeLessThan(4 * est.stderr + 1e-12);
      expect(est.evaluations).toBe(4000 * (k <= 7 ? Math.max(1, Math.floor(14 / k)) : 1));
    });
    expect(mc[13]!.stderr).toBe(0); // k = N: the complement of an empty prefix is every sample, every time
  });

  it("reports honest standard errors: over 200 seeds, the mean squared z-score is near 1", () => {
    // If blocks were counted as independent draws, or draws were not independent, z² would drift from 1.
    const { answers, correct, weights, groups } = smallCase("wmc-z4"); // values 0.38, 0.44, 0.53 at k = 2, 5, 10: every draw set varies
    const ks = [2, 5, 10];
    const exact = ks.map((k) => reference(answers, correct, weights, k));
    const z2 = ks.map(() => 0);
    const seeds = 200;
    for (let s = 0; s < seeds; s++) {
      weightedMajorityMonteCarlo(groups, weights, ks, 60, rng(`z-${s}`)).forEach((e, i) => {
        z2[i]! += ((e.value - exact[i]!) / e.stderr) ** 2 / seeds;
      });
    }
    // mean of 200 squared z-scores: about 1 ± 0.1 (sd of z² is about √2) when the errors are right
    for (const v of z2) {
      expect(v).toBeGreaterThan(0.7);
      expect(v).toBeLessThan(1.4);
    }
  });

  it("gives a budget the same value whichever other budgets are asked for", () => {
    const { weights, groups } = smallCase("wmc-nest");
    const all = weightedMajorityMonteCarlo(groups, weights, [1, 3, 6, 9, 13], 50, rng("nest"));
    for (const [i, k] of [1, 3, 6, 9, 13].entries()) {
      expect(weightedMajorityMonteCarlo(groups, weights, [k], 50, rng("nest"))[0]).toEqual(all[i]);
    }
  });

  it("a complement subset whose answer kept only zero weights casts no vote (no subtraction residue)", () => {
    // "right" has weights 0.1, 0.2, 0.7 and one 0; "wrong" only zeros. Index order sums 0.1 + 0.2 + 0.7 = 1, but
    // 0.7 + 0.1 + 0.2 = 0.9999999999999999, so subtracting the excluded three from the total could leave 1.1e-16
    // and hand "right" a vote that no sample cast. k = 4 of 7: the complement is the 3 excluded samples.
    const answers = ["right", "wrong", "right", "wrong", "right", "right", "wrong"];
    const correct = answers.map((a) => a === "right");
    const weights = [0.1, 0, 0.2, 0, 0.7, 0, 0];
    const groups = groupAnswers("test", answers, correct);
    const exact = reference(answers, correct, weights, 4);
    const est = weightedMajorityMonteCarlo(groups, weights, [4], 40_000, rng("residue"))[0]!;
    // the residue would add P(the three positive weights are excluded) = 1/35 times the share of orders that leave one
    expect(Math.abs(est.value - exact)).toBeLessThan(4 * est.stderr);
    expect(Math.abs(est.value - exact)).toBeLessThan(0.008);
  });
});
