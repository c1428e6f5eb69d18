import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { referenceComputeOptimal, rowsFrom } from "./allocation.test-util.ts";
import { computeOptimal } from "./compute-optimal.ts";
import type { OutcomeRow } from "./outcome-table.ts";

// Four problems: p1, p2 easy (level 1), p3, p4 hard (level 2); fixed folds {p1, p3} | {p2, p4}.
const P = ["p1", "p2", "p3", "p4"];
const LEVELS = new Map([["p1", 1], ["p2", 1], ["p3", 2], ["p4", 2]]);
const FOLDS = [["p1", "p3"], ["p2", "p4"]] as const;
const opts = { rng: rng(1), folds: FOLDS, reps: 50 };

describe("computeOptimal", () => {
  it("picks the best strategy per level: X on the easy level, Y on the hard one (hand-computed)", () => {
    // X right on both easy problems, wrong on both hard ones; Y the opposite. Each alone scores 0.5; per level choice scores 1.
    const rows = rowsFrom(P, { X: { 4: "1100" }, Y: { 4: "0011" } });
    const res = computeOptimal(rows, LEVELS, opts);
    expect(res.points).toHaveLength(1);
    const pt = res.points[0]!;
    expect(pt.accuracy).toBe(1);
    expect([pt.lo, pt.hi, pt.se]).toEqual([1, 1, 0]); // every resample of a one-problem cell is that problem
    expect(pt.choices.map((c) => [c.trainFold, c.level, c.strategy, c.trainAccuracy, c.testAccuracy, c.testProblems])).toEqual([
      [0, 1, "X", 1, 1, 1],
      [0, 2, "Y", 1, 1, 1],
      [1, 1, "X", 1, 1, 1],
      [1, 2, "Y", 1, 1, 1],
    ]);
    expect(pt.meanCost).toBeNull();
    expect(res.levels).toEqual([1, 2]);
  });

  it("never scores a choice on the problems it was chosen on (a leaky protocol would report 0.25, not 0)", () => {
    // Level 1: X right only on p1 (fold 0), Y right only on p2 (fold 1). Level 2: nothing right.
    // Fold 0 picks X (1 vs 0 on p1) and scores it on p2: 0. Fold 1 picks Y and scores it on p1: 0.
    const rows = rowsFrom(P, { X: { 4: "1000" }, Y: { 4: "0100" } });
    const pt = computeOptimal(rows, LEVELS, opts).points[0]!;
    expect(pt.accuracy).toBe(0);
    const easy = pt.choices.filter((c) => c.level === 1);
    expect(easy.map((c) => [c.trainFold, c.strategy, c.trainAccuracy, c.testAccuracy])).toEqual([
      [0, "X", 1, 0],
      [1, "Y", 1, 0],
    ]);
  });

  it("breaks ties toward the configuration first seen in the table, per budget", () => {
    const rows = rowsFrom(P, { X: { 1: "1010", 4: "0000" }, Y: { 1: "1010", 4: "0101" } });
    const res = computeOptimal(rows, LEVELS, opts);
    expect(res.points.map((p) => p.budget)).toEqual([1, 4]);
    expect(res.points[0]!.choices.every((c) => c.strategy === "X")).toBe(true);
    // Budget 1: X everywhere; trained on fold 0, scored on p2, p4: 0; trained on fold 1, scored on p1, p3: 1.
    expect(res.points[0]!.accuracy).toBe(0.5);
    // Budget 4: fold 0 trains on p1, p3 where both strategies score 0 → X (tie), tested on p2, p4: 0.
    // Fold 1 trains on p2, p4 where Y wins both levels → tested on p1, p3: 0.
    expect(res.points[1]!.accuracy).toBe(0);
  });

  it("equals the plainly written 2-fold protocol on all 256 outcome tables of 4 problems × 2 strategies (exhaustive)", () => {
    for (let mask = 0; mask < 256; mask++) {
      const bits = Array.from({ length: 8 }, (_, i) => String((mask >> i) & 1)).join("");
      const rows = rowsFrom(P, { X: { 2: bits.slice(0, 4) }, Y: { 2: bits.slice(4) } });
      const got = computeOptimal(rows, LEVELS, { ...opts, reps: 2 }).points[0]!.accuracy;
      expect(got, bits).toBeCloseTo(referenceComputeOptimal(rows, LEVELS, FOLDS, 2), 12);
    }
  });

  it("matches the reference on a seeded random table with default (stratified, seeded) folds", () => {
    const r = rng("table");
    const problems = Array.from({ length: 30 }, (_, i) => `q${i}`);
    const levels = new Map(problems.map((p, i) => [p, 1 + (i % 5)]));
    const rows: OutcomeRow[] = [];
    for (const strategy of ["A", "B", "C"]) for (const budget of [1, 8]) for (const problem of problems) rows.push({ problem, strategy, budget, correct: r.next() < 0.5 ? 1 : 0 });
    const res = computeOptimal(rows, levels, { rng: rng(7), reps: 20 });
    for (const f of res.folds) expect(new Set(f.map((p) => levels.get(p)))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(res.folds[0].length + res.folds[1].length).toBe(30);
    for (const pt of res.points) expect(pt.accuracy).toBeCloseTo(referenceComputeOptimal(rows, levels, res.folds, pt.budget), 12);
  });

  it("gives a band whose standard error matches the stratified-bootstrap formula when there is nothing to choose", () => {
    // One configuration: accuracy = ½·mean(fold 0) + ½·mean(fold 1); resampling each (fold, level) cell of n problems with plug-in
    // variance σ² gives Var = Σ_cells n·σ²/(2·N_fold)² (Efron & Tibshirani 1993, ch. 6, for a sum of independent resampled means).
    const r = rng("one");
    const problems = Array.from({ length: 40 }, (_, i) => `q${i}`);
    const levels = new Map(problems.map((p, i) => [p, 1 + (i % 4)]));
    const rows = problems.map((problem) => ({ problem, strategy: "only", budget: 1, correct: r.next() < 0.6 ? 1 : 0 }));
    const res = computeOptimal(rows, levels, { rng: rng(3), reps: 2000 });
    let variance = 0;
    res.folds.forEach((fold) => {
      for (const level of [1, 2, 3, 4]) {
        const xs = fold.filter((p) => levels.get(p) === level).map((p) => (rows.find((x) => x.problem === p) as OutcomeRow).correct);
        const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
        const plugIn = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
        variance += (xs.length * plugIn) / (2 * fold.length) ** 2;
      }
    });
    const pt = res.points[0]!;
    expect(pt.se).toBeGreaterThan(0.9 * Math.sqrt(variance));
    expect(pt.se).toBeLessThan(1.1 * Math.sqrt(variance)); // 2,000 reps: the SE estimate's own relative error ≈ 1/√(2·2000) ≈ 1.6%
    expect(pt.lo).toBeLessThan(pt.accuracy);
    expect(pt.hi).toBeGreaterThan(pt.accuracy);
  });

  it("is deterministic: same seed, same bytes; another seed, other folds", () => {
    const r = rng("det");
    const problems = Array.from({ length: 20 }, (_, i) => `q${i}`);
    const levels = new Map(problems.map((p, i) => [p, 1 + (i % 5)]));
    const rows = ["A", "B"].flatMap((strategy) => problems.map((problem) => ({ problem, strategy, budget: 4, correct: r.next() < 0.5 ? 1 : 0, cost: 10 + r.int(5) })));
    const a = JSON.stringify(computeOptimal(rows, levels, { rng: rng(11), reps: 100 }));
    expect(JSON.stringify(computeOptimal(rows, levels, { rng: rng(11), reps: 100 }))).toBe(a);
    expect(JSON.stringify(computeOptimal(rows, levels, { rng: rng(12), reps: 100 }).folds)).not.toBe(JSON.stringify(JSON.parse(a).folds));
  });

  it("on the cost axis admits configurations whose mean training cost fits the budget, and reports held-out cost", () => {
    // Cheap (cost 1 per generation) is right on p1 and p3 only; Dear (cost 10 per generation) is right everywhere and comes
    // first in the table, so it also wins the ties.
    const rows = rowsFrom(P, { Dear: { 1: "1111" }, Cheap: { 1: "1010" } }, { Cheap: 1, Dear: 10 });
    const res = computeOptimal(rows, LEVELS, { ...opts, axis: "cost", budgets: [10, 1, 5] });
    expect(res.points.map((p) => [p.budget, p.accuracy, p.meanCost])).toEqual([
      [1, 0.5, 1], // only Cheap fits: fold 0 (trained on p1, p3) scores p2, p4: 0; fold 1 scores p1, p3: 1
      [5, 0.5, 1],
      [10, 1, 10], // Dear fits and wins
    ]);
    expect(() => computeOptimal(rows, LEVELS, { ...opts, axis: "cost", budgets: [0.5] })).toThrow(
      'computeOptimal requires a configuration within every budget at every level, got "none within 0.5 at level 1, fold 0 (cheapest mean cost 1)"',
    );
    expect(() => computeOptimal(rows, LEVELS, { ...opts, axis: "cost" })).toThrow("computeOptimal requires budgets for the cost axis, got undefined");
    const noCost = rowsFrom(P, { X: { 1: "1010" } });
    expect(() => computeOptimal(noCost, LEVELS, { ...opts, axis: "cost", budgets: [1] })).toThrow("computeOptimal requires a cost on every row for the cost axis");
  });

  it("refuses empty bins, mismatched budgets and incomplete tables, naming what is wrong", () => {
    const rows = rowsFrom(P, { X: { 1: "1010", 4: "1111" }, Y: { 4: "0101" } });
    expect(() => computeOptimal(rows, LEVELS, opts)).toThrow(
      'computeOptimal requires every strategy run at the same budgets (or pass budgets to use a common subset), got {"X":[1,4],"Y":[4]}',
    );
    expect(computeOptimal(rows, LEVELS, { ...opts, budgets: [4] }).points.map((p) => p.budget)).toEqual([4]);
    expect(() => computeOptimal(rows, LEVELS, { ...opts, budgets: [1] })).toThrow('computeOptimal requires every strategy run at each requested budget [1], got {"Y":[4]}');
    // Level 3 holds one problem: one fold has none of it.
    const lonely = new Map([...LEVELS, ["p4", 3]]);
    const ok = rowsFrom(P, { X: { 1: "1010" }, Y: { 1: "0101" } });
    expect(() => computeOptimal(ok, lonely, opts)).toThrow('computeOptimal requires every difficulty level in both folds (an empty bin has nothing to choose or score with), got "level 3 with no problem in fold 0"');
    expect(() => computeOptimal(ok, lonely, { rng: rng(1) })).toThrow(/every difficulty level in both folds .* got "level 3 with no problem in fold [01]"/);
    expect(() => computeOptimal(ok.slice(1), LEVELS, opts)).toThrow('computeOptimal requires every configuration run on all 4 problems, got "X {} @1 missing [\\"p1\\"]"');
    expect(() => computeOptimal([...ok, ok[0]!], LEVELS, opts)).toThrow('computeOptimal requires one row per problem and configuration, got "a second row for problem \\"p1\\" in X {} @1 (row 8)"');
    expect(() => computeOptimal(ok, new Map([["p1", 1]]), opts)).toThrow('computeOptimal requires a difficulty level for every problem, got ["p2","p3","p4"]');
    expect(() => computeOptimal(ok, LEVELS, { ...opts, folds: [["p1", "p2"], ["p2", "p3"]] })).toThrow("computeOptimal requires folds that split the table's 4 problems into two disjoint halves");
    expect(() => computeOptimal([], LEVELS, opts)).toThrow("computeOptimal requires a non-empty outcome table, got 0");
    expect(() => computeOptimal([{ problem: "p1", strategy: "X", budget: 1, correct: 2 }], LEVELS, opts)).toThrow("computeOptimal requires rows with a problem id, a strategy, budget > 0, correct in [0, 1] and cost >= 0");
  });
});
