import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem } from "./chain-problem.ts";
import { formatSolution } from "./format.ts";
import { LEVELS, levelSpec } from "./level.ts";

describe("levels", () => {
  it("grow monotonically in steps and operand size", () => {
    for (let i = 1; i < LEVELS.length; i++) {
      const [a, b] = [LEVELS[i - 1]!, LEVELS[i]!];
      expect(b.steps).toBeGreaterThan(a.steps);
      expect(b.maxOperand).toBeGreaterThanOrEqual(a.maxOperand);
      expect(b.multipliers.length).toBeGreaterThanOrEqual(a.multipliers.length);
    }
    expect(LEVELS.length).toBeGreaterThanOrEqual(5);
  });

  it("has the longest solutions the TSDoc table states (steps × (digits + 6) + 4)", () => {
    const documented = [18, 25, 36, 52, 76, 94, 130, 184];
    LEVELS.forEach((spec, i) => expect(spec.steps * (String(spec.maxOperand).length + 6) + 4).toBe(documented[i]));
    // and no generated solution exceeds it
    const r = rng("level-lengths");
    LEVELS.forEach((spec, i) => {
      for (let k = 0; k < 50; k++) expect(formatSolution(generateProblem(r, spec)).length).toBeLessThanOrEqual(documented[i]!);
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
