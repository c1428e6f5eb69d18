import { describe, expect, it } from "vitest";
import { exampleTokens, matchedSmallFlops, pretrainingTokens } from "./flops-match.ts";

describe("exampleTokens", () => {
  it("matches the token column of the LEVELS table (lib/tasks/level.ts)", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(exampleTokens)).toEqual([82, 94, 106, 130, 154, 154, 178, 202]);
  });
});

describe("pretrainingTokens", () => {
  it("is steps × batch × the mean example length over the recipe's level list", () => {
    // The shipped policies' level list: mean (82+94+106+130+154+154+178+202+82+94+106+130)/12 = 1512/12 = 126.
    expect(pretrainingTokens({ totalSteps: 2000, batchSize: 32, levels: [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4] })).toBe(8_064_000);
    expect(pretrainingTokens({ totalSteps: 10, batchSize: 2, levels: [1] })).toBe(1640);
  });
  it("rejects an empty level list and non-integer steps", () => {
    expect(() => pretrainingTokens({ totalSteps: 10, batchSize: 2, levels: [] })).toThrow("pretrainingTokens requires a non-empty level list, got []");
    expect(() => pretrainingTokens({ totalSteps: 1.5, batchSize: 2, levels: [1] })).toThrow("pretrainingTokens requires positive integer totalSteps and batchSize");
  });
});

describe("matchedSmallFlops", () => {
  it("equals Snell's closed form 2·P_s·t_L·(M + 3(M − 1)/R) when both models saw the same data (hand-derived)", () => {
    // P_s = 1, P_L = 10, D = 100, t_L = 10, R = 1: Q = 10 queries; 6·(1000 − 100)/10 = 540 on top of 2·10·10 = 200.
    expect(matchedSmallFlops({ params: 10, pretrainingTokens: 100 }, { params: 1, pretrainingTokens: 100 }, 10, 1)).toBe(740);
    // P_s = 2, P_L = 13 (M = 6.5), t_L = 7, R = 0.5: 2·2·7·(6.5 + 3·5.5/0.5) = 28 · 39.5 = 1106.
    expect(matchedSmallFlops({ params: 13, pretrainingTokens: 50 }, { params: 2, pretrainingTokens: 50 }, 7, 0.5)).toBeCloseTo(1106, 9);
  });
  it("tends to the larger model's own inference cost as R grows, and can fall below it when the small model pretrained more", () => {
    expect(matchedSmallFlops({ params: 10, pretrainingTokens: 100 }, { params: 1, pretrainingTokens: 100 }, 10, 1e12)).toBeCloseTo(200, 6);
    // P_s·D_s = 2000 > P_L·D_L = 1000: the small model already spent more on pretraining.
    expect(matchedSmallFlops({ params: 10, pretrainingTokens: 100 }, { params: 1, pretrainingTokens: 2000 }, 10, 1)).toBe(200 - 600);
  });
  it("rejects a non-positive ratio", () => {
    expect(() => matchedSmallFlops({ params: 10, pretrainingTokens: 100 }, { params: 1, pretrainingTokens: 100 }, 10, 0)).toThrow("matchedSmallFlops requires positive parameters, pretraining tokens, tokens per query and ratio R");
  });
});
