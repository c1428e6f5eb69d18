import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { applyOp, generateProblem, makeProblem, referenceValues } from "./chain-problem.ts";
import { LEVELS, MODULUS } from "./level.ts";

describe("generateProblem", () => {
  it("is deterministic: the same seed gives the same problems", () => {
    for (let level = 1; level <= LEVELS.length; level++) {
      const a = rng(7).fork("p");
      const b = rng(7).fork("p");
      for (let i = 0; i < 20; i++) expect(generateProblem(a, level)).toEqual(generateProblem(b, level));
    }
    const c = rng(8).fork("p");
    const d = rng(7).fork("p");
    const texts = (r: typeof c) => Array.from({ length: 20 }, () => generateProblem(r, 5).text);
    expect(texts(c)).not.toEqual(texts(d));
  });

  it("respects its level's spec", () => {
    const r = rng("spec");
    LEVELS.forEach((spec, i) => {
      for (let k = 0; k < 100; k++) {
        const p = generateProblem(r, i + 1);
        expect(p.ops).toHaveLength(spec.steps);
        for (const op of p.ops) {
          if (op.kind === "*") expect(spec.multipliers).toContain(op.operand);
          else expect(op.operand >= 1 && op.operand <= spec.maxOperand).toBe(true);
        }
        if (spec.multipliers.length === 0) expect(p.ops.every((op) => op.kind !== "*")).toBe(true);
      }
    });
  });

  it("gives answers spread over the whole answer space (not guessable)", () => {
    const r = rng("spread");
    for (const level of [1, 6]) {
      const counts = new Map<number, number>();
      const n = 5000;
      for (let i = 0; i < n; i++) {
        const answer = referenceValues(generateProblem(r, level)).at(-1)!;
        counts.set(answer, (counts.get(answer) ?? 0) + 1);
      }
      // uniform over 1000 answers: ~993 distinct values in 5000 draws, the commonest ≈ 15
      expect(counts.size).toBeGreaterThan(950);
      expect(Math.max(...counts.values()) / n).toBeLessThan(0.01);
    }
  });
});

describe("applyOp / referenceValues", () => {
  it("computes modulo 1000, wrapping below zero", () => {
    expect(applyOp(998, { kind: "+", operand: 5 })).toBe(3);
    expect(applyOp(3, { kind: "-", operand: 8 })).toBe(995);
    expect(applyOp(347, { kind: "*", operand: 7 })).toBe(429); // 2429
    expect(referenceValues(makeProblem(347, [{ kind: "+", operand: 5 }, { kind: "-", operand: 8 }, { kind: "*", operand: 7 }]))).toEqual([352, 344, 408]);
  });

  it("multiplication by a unit never collapses: ×3, ×7, ×9 are bijections mod 1000", () => {
    for (const m of [3, 7, 9]) {
      const images = new Set(Array.from({ length: MODULUS }, (_, v) => applyOp(v, { kind: "*", operand: m })));
      expect(images.size).toBe(MODULUS);
    }
  });

  it("makeProblem writes the canonical text and rejects bad parts", () => {
    expect(makeProblem(7, [{ kind: "-", operand: 12 }]).text).toBe("007-12");
    expect(() => makeProblem(1000, [{ kind: "+", operand: 1 }])).toThrow("makeProblem requires an integer start in 0..999, got 1000");
    expect(() => makeProblem(1, [])).toThrow("makeProblem requires at least one op, got []");
    expect(() => makeProblem(1, [{ kind: "+", operand: 0 }])).toThrow("makeProblem requires integer operands in 1..999");
  });
});
