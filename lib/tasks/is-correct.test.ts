import { describe, expect, it } from "vitest";
import { formatSolution, parseProblem } from "./format.ts";
import { isCorrect, isCorrectPrefix } from "./is-correct.ts";

const p = parseProblem("347+5-8*7"); // reference: +5=352, -8=344, *7=408, #408

describe("isCorrect", () => {
  it("accepts only the whole reference trace", () => {
    expect(isCorrect(p, "+5=352\n-8=344\n*7=408\n#408")).toBe(true);
    expect(isCorrect(p, "+5=352\n-8=344\n*7=408\n#408\n")).toBe(true);
    expect(isCorrect(p, "#408")).toBe(false); // right answer, no trace
    expect(isCorrect(p, "+5=352\n-8=300\n*7=408\n#408")).toBe(false); // right answer, wrong step
    expect(isCorrect(p, "+5=352\n-8=344\n*7=408")).toBe(false); // no answer line
  });
});

describe("isCorrectPrefix", () => {
  it("accepts prefixes of the reference, including mid-line, and rejects divergent ones", () => {
    expect(isCorrectPrefix(p, "")).toBe(true);
    expect(isCorrectPrefix(p, "+5=35")).toBe(true);
    expect(isCorrectPrefix(p, "+5=352\n-8=344\n")).toBe(true);
    expect(isCorrectPrefix(p, "+5=353")).toBe(false);
    expect(isCorrectPrefix(p, `${formatSolution(p)}\n`)).toBe(false);
  });
});
