import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { coverageCurve } from "../estimators/coverage-curve.ts";
import { simToSampleTable } from "./to-sample-table.ts";
import { simulateWorld } from "./world.ts";

describe("simToSampleTable", () => {
  it("keeps every column, and the table's counts give the same coverage as the raw samples", () => {
    const world = simulateWorld(
      { problems: 12, samplesPerProblem: 30, difficulty: { alpha: 1, beta: 2 }, distractors: { count: 3, zipf: 1 }, missingRate: 0.2, verifier: { auc: 0.7 }, lengths: { medianTokens: 100, sigma: 0.3, correctShorterBy: 0.1 } },
      rng(1),
    );
    const table = simToSampleTable(world);
    expect(table.size).toBe(360);
    expect(table.problemIds()).toEqual(world.map((p) => p.id));
    world.forEach((p, i) => {
      expect(Array.from(table.correctOf(i))).toEqual(Array.from(p.correct));
      expect(Array.from(table.scoresOf(i))).toEqual(Array.from(p.scores));
      expect(table.answersOf(i)).toEqual(p.answers);
      expect(table.meta(i).groundTruth).toBe(p.truth);
    });
    const fromTable = coverageCurve(table, [1, 5, 30]);
    const direct = coverageCurve(world.map((p) => ({ n: 30, c: p.correct.reduce((a, b) => a + b, 0) })), [1, 5, 30]);
    expect(Array.from(fromTable)).toEqual(Array.from(direct));
  });
});
