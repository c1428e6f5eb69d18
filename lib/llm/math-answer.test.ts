import { describe, expect, it } from "vitest";
import { extractMathAnswer, gradeMathAnswer, mathAnswersEqual, normalizeMathAnswer, parseRational } from "./math-answer.ts";

describe("extractMathAnswer", () => {
  it.each([
    ["so x = \\boxed{\\frac{1}{2}}.", "\\frac{1}{2}"],
    ["first \\boxed{3}, then \\boxed{4}", "4"], // the last one
    ["nested \\boxed{\\{1,2\\}} and \\boxed{a_{b}}", "a_{b}"],
    // GSM8K train/test answers end with "#### <number>" (Cobbe et al. 2021, the dataset's answer field)
    ["Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72", "72"],
    ["#### 1,200\n", "1,200"],
    ["\\boxed{5} beats #### 6", "5"],
    ["no answer here", null],
    ["unclosed \\boxed{5", null],
    ["####   \n", null],
  ])("%j → %j", (text, answer) => expect(extractMathAnswer(text)).toBe(answer));
});

describe("normalizeMathAnswer and mathAnswersEqual", () => {
  // [a, b, equal]
  const cases: [string, string, boolean][] = [
    ["1,000", "1000", true],
    ["1,234,567.50", "1234567.5", true],
    ["2.50", "2.5", true],
    ["3.0", "3", true],
    ["+7", "7", true],
    ["-7", "7", false],
    ["50\\%", "50", true],
    ["50%", "50", true],
    ["\\$18", "18", true],
    ["0.5", "\\frac{1}{2}", true],
    [".5", "1/2", true],
    ["\\dfrac{3}{4}", "\\frac34", true],
    ["\\tfrac{6}{8}", "0.75", true],
    ["-\\frac{1}{2}", "\\frac{-1}{2}", true],
    ["\\frac{1}{-2}", "-0.5", true],
    ["\\frac{2}{3}", "0.667", false],
    ["\\left( 1, 2 \\right)", "(1,2)", true],
    ["(1,2)", "(2,1)", false],
    ["$x = 5$", "5", true],
    ["10\\!000", "10000", true],
    ["90^\\circ", "90", true],
    ["90^{\\circ}", "90°", true],
    ["\\text{(B)}", "(B)", true],
    ["5 \\text{ cm}", "5cm", true],
    ["\\sqrt{2}", "\\sqrt{2}", true],
    ["\\sqrt{8}", "2\\sqrt{2}", false], // not a symbolic check
    ["4.", "4", true],
    ["1/0", "1/0", true], // not a number: compared as strings
  ];
  it.each(cases)("%j vs %j → %s", (a, b, equal) => {
    expect(mathAnswersEqual(a, b)).toBe(equal);
    expect(mathAnswersEqual(b, a)).toBe(equal);
  });

  it("gives canonical keys so equal answers vote together", () => {
    expect(["0.50", "\\frac{1}{2}", "2/4", "\\dfrac12"].map(normalizeMathAnswer)).toEqual(["1/2", "1/2", "1/2", "1/2"]);
    expect(normalizeMathAnswer("-\\frac{6}{4}")).toBe("-3/2");
    expect(normalizeMathAnswer("1,000.000")).toBe("1000");
    expect(normalizeMathAnswer("\\pi")).toBe("\\pi");
  });

  it("parses exact values with big integers", () => {
    expect(parseRational("\\frac{-6}{4}")).toEqual({ num: -3n, den: 2n });
    expect(parseRational("0.1")).toEqual({ num: 1n, den: 10n });
    expect(parseRational("123456789012345678901234567890")).toEqual({ num: 123456789012345678901234567890n, den: 1n });
    expect(parseRational("0")).toEqual({ num: 0n, den: 1n });
    expect(parseRational("1/0")).toBeNull();
    expect(parseRational(".")).toBeNull();
    expect(parseRational("x")).toBeNull();
  });
});

describe("gradeMathAnswer", () => {
  it.each([
    ["… the total is \\boxed{1,200}.", "1200", "1200", true],
    ["… the total is \\boxed{1,200}.", "She pays 1200.\n#### 1200", "1200", true], // GSM8K reference solution
    ["so \\boxed{\\dfrac{1}{2}}", "The probability is $\\boxed{\\frac{1}{2}}$.", "1/2", true], // MATH reference solution
    ["#### 71", "#### 72", "71", false],
    ["I do not know", "72", null, false],
  ])("%j against %j", (completion, truth, answer, correct) => {
    expect(gradeMathAnswer(completion, truth)).toEqual({ answer, correct });
  });
});
