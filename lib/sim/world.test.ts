import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { simulateWorld, type SimWorldConfig } from "./world.ts";

const base: SimWorldConfig = {
  problems: 200,
  samplesPerProblem: 100,
  difficulty: { alpha: 2, beta: 3 },
  distractors: { count: 5, zipf: 1.2 },
  missingRate: 0.1,
  verifier: { auc: 0.8 },
  lengths: { medianTokens: 1000, sigma: 0.4, correctShorterBy: 0.3 },
};

/** Empirical AUC: P(score of a random right sample > score of a random wrong one), by ranks. */
function auc(scores: number[], correct: boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let pos = 0;
  order.forEach(([, i], r) => {
    if (correct[i]) {
      rankSum += r + 1;
      pos++;
    }
  });
  const neg = scores.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

describe("simulateWorld", () => {
  it("is deterministic, and adding problems does not change earlier ones", () => {
    const a = simulateWorld(base, rng(1));
    const b = simulateWorld(base, rng(1));
    expect(a).toEqual(b);
    const more = simulateWorld({ ...base, problems: 210 }, rng(1));
    expect(more.slice(0, 200)).toEqual(a);
  });

  it("draws p from the configured Beta, so mean accuracy ≈ α/(α+β)", () => {
    const world = simulateWorld(base, rng(2));
    const acc = world.reduce((s, p) => s + p.correct.reduce((a, b) => a + b, 0), 0) / (200 * 100);
    expect(Math.abs(acc - 0.4)).toBeLessThan(0.03);
  });

  it("gives the verifier the configured AUC (0.8 ± 0.01 over 20k samples), with or without answer-shared noise", () => {
    for (const answerShare of [0, 0.5]) {
      const world = simulateWorld({ ...base, problems: 400, verifier: { auc: 0.8, answerShare } }, rng(3));
      const scores = world.flatMap((p) => Array.from(p.scores));
      const correct = world.flatMap((p) => Array.from(p.correct, (c) => c === 1));
      expect(Math.abs(auc(scores, correct) - 0.8)).toBeLessThan(0.01);
    }
  });

  it("answer-shared noise makes copies of an answer score alike (within-answer score correlation ≈ share)", () => {
    const world = simulateWorld({ ...base, problems: 300, difficulty: { alpha: 1, beta: 50 }, missingRate: 0, verifier: { auc: 0.8, answerShare: 0.6 } }, rng(5));
    // Logit scores of two different samples with the same wrong answer: correlation ≈ 0.6.
    const pairs: [number, number][] = [];
    const logit = (x: number) => Math.log(x / (1 - x));
    for (const p of world) {
      const byAnswer = new Map<string, number[]>();
      p.answers.forEach((a, s) => { if (a && !p.correct[s]) byAnswer.set(a, [...(byAnswer.get(a) ?? []), logit(p.scores[s]!)]); });
      for (const xs of byAnswer.values()) if (xs.length >= 2) pairs.push([xs[0]!, xs[1]!]);
    }
    const mx = pairs.reduce((s, [x]) => s + x, 0) / pairs.length;
    const my = pairs.reduce((s, [, y]) => s + y, 0) / pairs.length;
    let sxy = 0, sxx = 0, syy = 0;
    for (const [x, y] of pairs) { sxy += (x - mx) * (y - my); sxx += (x - mx) ** 2; syy += (y - my) ** 2; }
    expect(Math.abs(sxy / Math.sqrt(sxx * syy) - 0.6)).toBeLessThan(0.08);
  });

  it("makes right answers shorter (log-ratio ≈ correctShorterBy), wrong answers distractors or missing", () => {
    const world = simulateWorld(base, rng(4));
    let lr = 0, lw = 0, nr = 0, nw = 0, missing = 0;
    for (const p of world) {
      p.tokens.forEach((t, s) => {
        if (p.correct[s]) { lr += Math.log(t); nr++; } else { lw += Math.log(t); nw++; }
        if (p.answers[s] === null) missing++;
        if (p.correct[s]) expect(p.answers[s]).toBe(p.truth);
        else expect(p.answers[s]).not.toBe(p.truth);
      });
    }
    expect(Math.abs(lw / nw - lr / nr - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(missing / nw - 0.1)).toBeLessThan(0.01);
  });

  it("rejects impossible configurations with the rule", () => {
    expect(() => simulateWorld({ ...base, verifier: { auc: 0.4 } }, rng(1))).toThrow("simulateWorld requires a verifier auc in (0.5, 1), got 0.4");
    expect(() => simulateWorld({ ...base, problems: 0 }, rng(1))).toThrow("simulateWorld requires a positive integer number of problems, got 0");
  });
});
