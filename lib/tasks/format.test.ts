import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { generateProblem, makeProblem } from "./chain-problem.ts";
import { checkSteps } from "./check-steps.ts";
import { formatPrompt, formatSolution, formatStep, parseProblem, unpairDigits } from "./format.ts";
import { isCorrect } from "./is-correct.ts";
import { LEVELS } from "./level.ts";

describe("format", () => {
  it("lays out prompt and solution as documented", () => {
    const p = makeProblem(347, [{ kind: "+", operand: 5 }, { kind: "-", operand: 8 }, { kind: "*", operand: 7 }]);
    expect(formatPrompt(p)).toBe(`347+005-008*007${".".repeat(36)}\n`);
    expect(parseProblem(formatPrompt(p))).toEqual(p);
    expect(parseProblem("347+5-8*7")).toEqual(p);
    expect(formatSolution(p)).toBe("+005=724533\n-008=245433\n*007=484034\n#408");
    expect(formatSolution(makeProblem(5, [{ kind: "-", operand: 5 }]))).toBe("-005=500000\n#000");
    expect(formatStep(999, { kind: "+", operand: 12 }, 11)).toBe("+012=919190");
    expect(unpairDigits("919190")).toEqual({ input: 999, result: 11 });
    expect(unpairDigits(formatStep(347, { kind: "*", operand: 7 }, 429).split("=")[1]!)).toEqual({ input: 347, result: 429 });
    expect(() => unpairDigits("12345")).toThrow("unpairDigits requires six digits");
  });

  it("every level's problems parse back from their prompts and their reference solutions check", () => {
    const r = rng("format-levels");
    for (let level = 1; level <= LEVELS.length; level++) {
      for (let i = 0; i < 100; i++) {
        const p = generateProblem(r, level);
        expect(parseProblem(formatPrompt(p))).toEqual(p);
        const solution = formatSolution(p);
        expect(solution.split("\n")).toHaveLength(p.ops.length + 1);
        const check = checkSteps(p, solution);
        expect(check.correct).toBe(true);
        expect(check.firstWrongStep).toBeNull();
        expect(check.correctSteps).toBe(p.ops.length);
        expect(check.lines.every((l) => l.status === "ok")).toBe(true);
        expect(isCorrect(p, solution)).toBe(true);
      }
    }
  });

  it("parseProblem rejects non-canonical texts", () => {
    for (const bad of ["", "34+5", "347", "347+05", "347+1000", "347/5", "347+5\n\n", " 347+5"]) {
      expect(() => parseProblem(bad)).toThrow("parseProblem requires a problem text");
    }
  });
});
