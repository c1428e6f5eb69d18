import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { selectCandidate } from "./select-answer.ts";

const c = (answer: string | null, score: number | null) => ({ answer, score });

describe("selectCandidate", () => {
  // Hand-made pool: answer "4" three times (scores 0.1, 0.2, 0.3 → total 0.6), "5" twice (0.9, 0.05 → 0.95), one missing answer (0.99).
  const pool = [c("4", 0.1), c("5", 0.9), c("4", 0.2), c(null, 0.99), c("4", 0.3), c("5", 0.05)];
  const all = pool.map((_, i) => i);

  it("naive takes the highest score, even without an answer; majority the most frequent answer; weighted the largest total", () => {
    expect(selectCandidate(pool, all, "naive", rng(1))).toBe(3);
    expect(selectCandidate(pool, all, "majority", rng(1))).toBe(0); // "4": 3 votes to 2; its first candidate
    expect(selectCandidate(pool, all, "weighted", rng(1))).toBe(1); // "5": 0.95 > 0.6
    expect(selectCandidate(pool, [0, 1, 2], "weighted", rng(1))).toBe(1); // 0.9 > 0.3
    expect(selectCandidate(pool, [3], "majority", rng(1))).toBe(-1); // a missing answer never votes
    expect(selectCandidate(pool, [], "naive", rng(1))).toBe(-1);
  });

  it("breaks ties uniformly at random", () => {
    const tied = [c("a", 0.5), c("b", 0.5), c("a", 0.2), c("b", 0.1)];
    for (const how of ["naive", "majority"] as const) {
      const picks = Array.from({ length: 400 }, (_, s) => selectCandidate(tied, [0, 1, 2, 3], how, rng(s)));
      const ones = picks.filter((i) => i === 1).length;
      expect(new Set(picks)).toEqual(new Set([0, 1]));
      expect(Math.abs(ones - 200)).toBeLessThan(4 * 10); // Binomial(400, ½): sd 10
    }
  });

  it("needs scores for naive and weighted selection, and valid indices", () => {
    expect(() => selectCandidate([c("a", null)], [0], "naive", rng(1))).toThrow('selectCandidate requires scored candidates for "naive" selection, got "score null at candidate 0"');
    expect(selectCandidate([c("a", null)], [0], "majority", rng(1))).toBe(0);
    expect(() => selectCandidate([c("a", 1)], [1], "naive", rng(1))).toThrow("pool indices in [0, 1)");
  });
});
