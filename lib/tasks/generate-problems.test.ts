import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem } from "./chain-problem.ts";
import { generateProblems } from "./generate-problems.ts";
import { splitOf } from "./split.ts";

describe("generateProblems", () => {
  it("is deterministic and returns the requested count", () => {
    const a = generateProblems({ rng: rng(3), level: 4, count: 200 });
    const b = generateProblems({ rng: rng(3), level: 4, count: 200 });
    expect(a).toHaveLength(200);
    expect(a).toEqual(b);
  });

  it("never puts a test problem in train, whatever the seeds (many samples, easy levels)", () => {
    // Levels 1–2 have few distinct problems (1000 starts × 18² or 18³ op lists), so same-text collisions
    // between independently seeded sets are common: exactly the case a split must handle.
    for (const level of [1, 2, 3]) {
      const train = generateProblems({ rng: rng("train-seed"), level, count: 20000 });
      const test = generateProblems({ rng: rng("test-seed"), level, count: 2000, split: "test" });
      const trainTexts = new Set(train.map((p) => p.text));
      expect(trainTexts.size).toBe(train.length); // unique by default
      expect(test.every((p) => !trainTexts.has(p.text))).toBe(true);
      expect(train.every((p) => splitOf(p.text) === "train")).toBe(true);
      expect(test.every((p) => splitOf(p.text) === "test")).toBe(true);
      if (level === 1) {
        // without the split, the two seeds' problems would collide (≈ 20000 × 2000 / 324000 ≈ 120 expected)
        const r = rng("test-seed").fork("raw");
        let collisions = 0;
        for (let i = 0; i < 2000; i++) if (trainTexts.has(generateProblem(r, 1).text)) collisions++;
        expect(collisions).toBeGreaterThan(20);
      }
    }
  });

  it("cycles through a list of levels, each from its own stream", () => {
    const mixed = generateProblems({ rng: rng(5), level: [1, 8], count: 10 });
    expect(mixed.map((p) => p.ops.length)).toEqual([2, 12, 2, 12, 2, 12, 2, 12, 2, 12]);
    const onlyFirst = generateProblems({ rng: rng(5), level: [1], count: 5 });
    expect(mixed.filter((_, i) => i % 2 === 0)).toEqual(onlyFirst);
  });

  it("can keep duplicates, and refuses a count its spec cannot supply", () => {
    const tiny = { steps: 1, maxOperand: 1, multipliers: [] };
    // 1000 starts × 2 ops = 2000 texts, ~200 of them test
    expect(() => generateProblems({ rng: rng(1), level: tiny, count: 300, split: "test" })).toThrow(
      "generateProblems requires a level with at least 300 distinct test problems",
    );
    expect(generateProblems({ rng: rng(1), level: tiny, count: 300, split: "test", unique: false })).toHaveLength(300);
    expect(() => generateProblems({ rng: rng(1), level: 1, count: -1 })).toThrow("generateProblems requires a non-negative integer count, got -1");
    expect(() => generateProblems({ rng: rng(1), level: [], count: 1 })).toThrow("generateProblems requires at least one level, got []");
  });
});
