import { describe, expect, it } from "vitest";
import { estimateDifficulty } from "./estimate-difficulty.ts";

describe("estimateDifficulty", () => {
  // Hand-made: pass@1 a = 2/4, b = 0/2, c = 3/3, d = 1/4, e = 3/4; five problems, five bins → one per level, easiest first.
  const graded = [
    ...[1, 0, 1, 0].map((correct) => ({ problem: "a", correct })),
    ...[0, 0].map((correct) => ({ problem: "b", correct })),
    ...[1, 1, 1].map((correct) => ({ problem: "c", correct })),
    ...[0, 1, 0, 0].map((correct) => ({ problem: "d", correct })),
    ...[1, 1, 0, 1].map((correct) => ({ problem: "e", correct })),
  ];

  it("bins oracle pass@1 into quantile levels, level 1 the easiest (Snell et al. §3.2)", () => {
    const d = estimateDifficulty(graded, { signal: "oracle" });
    expect(d.problems).toEqual(["a", "b", "c", "d", "e"]);
    expect(d.signal).toEqual([0.5, 0, 1, 0.25, 0.75]);
    expect(d.level).toEqual([3, 5, 1, 4, 2]);
    expect([...d.levels]).toEqual([["a", 3], ["b", 5], ["c", 1], ["d", 4], ["e", 2]]);
    // Two bins of five: ranks 0–2 (c, e, a) are level 1, ranks 3–4 (d, b) level 2.
    expect(estimateDifficulty(graded, { signal: "oracle", bins: 2 }).level).toEqual([1, 2, 1, 2, 1]);
  });

  it("bins the mean verifier score without looking at correctness", () => {
    const scored = [
      { problem: "x", score: 0.9, correct: 0 },
      { problem: "y", score: 0.2, correct: 1 },
      { problem: "x", score: 0.7, correct: 0 },
      { problem: "y", score: 0.4, correct: 1 },
    ];
    const d = estimateDifficulty(scored, { signal: "verifier", bins: 2 });
    expect(d.signal[0]).toBeCloseTo(0.8, 15);
    expect(d.signal[1]).toBeCloseTo(0.3, 15);
    expect(d.level).toEqual([1, 2]); // the oracle would say the opposite
    expect(estimateDifficulty(scored, { signal: "oracle", bins: 2 }).level).toEqual([2, 1]);
  });

  it("names the missing or bad signal", () => {
    expect(() => estimateDifficulty([], { signal: "oracle" })).toThrow("estimateDifficulty requires at least one sample, got 0");
    expect(() => estimateDifficulty([{ problem: "a", correct: 1 }], { signal: "verifier", bins: 1 })).toThrow(
      'estimateDifficulty requires samples with a problem id and a finite score, got {"sample":0,"problem":"a","correct":1}',
    );
    expect(() => estimateDifficulty([{ problem: "a", correct: 2 }], { signal: "oracle", bins: 1 })).toThrow("samples with a problem id and correct in [0, 1]");
    expect(() => estimateDifficulty(graded, { signal: "oracle", bins: 6 })).toThrow("difficultyBins requires an integer bins in [1, problems = 5], got 6");
    expect(() => estimateDifficulty(graded, { signal: "pass" as "oracle" })).toThrow('estimateDifficulty requires signal "oracle" or "verifier", got "pass"');
  });
});
