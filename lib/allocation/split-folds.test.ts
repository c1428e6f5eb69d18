import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { splitFolds } from "./split-folds.ts";

describe("splitFolds", () => {
  const problems = Array.from({ length: 23 }, (_, i) => `q${i}`);
  // Levels of sizes 5, 5, 5, 4, 4 (odd, odd, odd, even, even).
  const levels = new Map(problems.map((p, i) => [p, 1 + (i % 5)]));

  it("partitions the problems, halves every level, and keeps the folds within one of each other", () => {
    for (let seed = 0; seed < 20; seed++) {
      const [a, b] = splitFolds(problems, levels, rng(seed));
      expect([...a, ...b].sort()).toEqual([...problems].sort());
      expect(Math.abs(a.length - b.length)).toBeLessThanOrEqual(1);
      for (const level of [1, 2, 3, 4, 5]) {
        const size = problems.filter((p) => levels.get(p) === level).length;
        const inA = a.filter((p) => levels.get(p) === level).length;
        expect([Math.floor(size / 2), Math.ceil(size / 2)]).toContain(inA);
      }
      // Folds list problems in input order.
      expect(a).toEqual(problems.filter((p) => a.includes(p)));
    }
  });

  it("is seeded: the same seed gives the same folds, other seeds other folds", () => {
    expect(splitFolds(problems, levels, rng(5))).toEqual(splitFolds(problems, levels, rng(5)));
    const distinct = new Set(Array.from({ length: 10 }, (_, s) => splitFolds(problems, levels, rng(s))[0].join()));
    expect(distinct.size).toBeGreaterThan(5);
  });

  it("refuses repeated ids and problems without a level", () => {
    expect(() => splitFolds(["a", "a"], new Map([["a", 1]]), rng(1))).toThrow("splitFolds requires distinct problem ids");
    expect(() => splitFolds(["a", "b"], new Map([["a", 1]]), rng(1))).toThrow('splitFolds requires a difficulty level for every problem, got "b"');
  });
});
