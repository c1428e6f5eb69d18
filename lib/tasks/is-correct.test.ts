import { describe, expect, it } from "vitest";
import { formatSolution, parseProblem } from "./format.ts";
import { isCorrect, isCorrectPrefix } from "./is-correct.ts";

const p = parseProblem("347+5-8*7"); // reference: +005=724533, -008=245433, *007=484034, #408

describe("isCorrect", () => {
  it("accepts only the whole reference trace", () => {
    expect(isCorrect(p, "+005=724533\n-008=245433\n*007=484034\n#408")).toBe(true);
    expect(isCorrect(p, "+005=724533\n-008=245433\n*007=484034\n#408\n")).toBe(true);
    expect(isCorrect(p, "#408")).toBe(false); // right answer, no trace
    expect(isCorrect(p, "+005=724533\n-008=205033\n*007=080034\n#408")).toBe(false); // right answer, wrong step
    expect(isCorrect(p, "+005=724533\n-008=245433\n*007=484034")).toBe(false); // no answer line
  });
});

describe("isCorrectPrefix", () => {
  it("accepts prefixes of the reference, including mid-line, and rejects divergent ones", () => {
    expect(isCorrectPrefix(p, "")).toBe(true);
    expect(isCorrectPrefix(p, "+005=7245")).toBe(true);
    expect(isCorrectPrefix(p, "+005=724533\n-008=245433\n")).toBe(true);
    expect(isCorrectPrefix(p, "+005=724534")).toBe(false);
    expect(isCorrectPrefix(p, `${formatSolution(p)}\n`)).toBe(false);
  });
});
