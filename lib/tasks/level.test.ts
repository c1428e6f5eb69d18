import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem } from "./chain-problem.ts";
import { encodeExample } from "./encode-example.ts";
import { formatSolution, PROMPT_SLOTS } from "./format.ts";
import { LEVELS, LEVELS_MAX_TOKENS, levelSpec } from "./level.ts";

describe("levels", () => {
  it("grow monotonically in steps, operand size and multipliers, each level harder in at least one", () => {
    for (let i = 1; i < LEVELS.length; i++) {
      const [a, b] = [LEVELS[i - 1]!, LEVELS[i]!];
      expect(b.steps).toBeGreaterThanOrEqual(a.steps);
      expect(b.maxOperand).toBeGreaterThanOrEqual(a.maxOperand);
      expect(b.multipliers.length).toBeGreaterThanOrEqual(a.multipliers.length);
      expect(b.steps > a.steps || b.maxOperand > a.maxOperand || b.multipliers.length > a.multipliers.length).toBe(true);
    }
    expect(LEVELS.length).toBeGreaterThanOrEqual(5);
  });

  it("has the solutions and sequences the TSDoc table states (steps × 12 + 4; prompts of PROMPT_SLOTS slots)", () => {
    const documented = [28, 40, 52, 76, 100, 100, 124, 148];
    const documentedTokens = [82, 94, 106, 130, 154, 154, 178, 202];
    LEVELS.forEach((spec, i) => expect(spec.steps * 12 + 4).toBe(documented[i]));
    LEVELS.forEach((spec, i) => expect(1 + 3 + 4 * Math.max(spec.steps, PROMPT_SLOTS) + 1 + documented[i]! + 1).toBe(documentedTokens[i]));
    expect(Math.max(...documentedTokens)).toBe(LEVELS_MAX_TOKENS);
    // and no generated solution exceeds it
    const r = rng("level-lengths");
    LEVELS.forEach((spec, i) => {
      for (let k = 0; k < 50; k++) {
        const p = generateProblem(r, spec);
        expect(formatSolution(p).length).toBe(documented[i]!);
        expect(encodeExample(p).lengthTokens).toBe(documentedTokens[i]!);
      }
    });
  });

  it("resolves level numbers and validates custom specs", () => {
    expect(levelSpec(1)).toEqual({ steps: 2, maxOperand: 9, multipliers: [] });
    expect(levelSpec({ steps: 5, maxOperand: 50, multipliers: [11] }).steps).toBe(5);
    expect(() => levelSpec(0)).toThrow("levelSpec requires a level in 1..8, got 0");
    expect(() => levelSpec(2.5)).toThrow("levelSpec requires a level in 1..8, got 2.5");
    expect(() => levelSpec({ steps: 0, maxOperand: 9, multipliers: [] })).toThrow("levelSpec requires integer steps in 1..64, got 0");
    expect(() => levelSpec({ steps: 3, maxOperand: 1000, multipliers: [] })).toThrow("maxOperand in 1..999, got 1000");
    // ×2 and ×5 are not units modulo 1000 (chains of them collapse to 0)
    expect(() => levelSpec({ steps: 3, maxOperand: 9, multipliers: [3, 2] })).toThrow("levelSpec requires multipliers that are units modulo 1000");
    expect(() => levelSpec({ steps: 3, maxOperand: 9, multipliers: [5] })).toThrow("units modulo 1000");
  });
});
