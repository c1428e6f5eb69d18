import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TtcError } from "../core/errors.ts";
import { FitConvergenceError, SingularFitError } from "./fit-errors.ts";
import { fit } from "./fit.ts";
import { defineLaw } from "./law.ts";
import { chinchilla } from "./laws/chinchilla.ts";
import { exponentiatedPowerLaw } from "./laws/exponentiated-power-law.ts";
import { logLinear } from "./laws/log-linear.ts";
import { powerLawWithFloor } from "./laws/power-law-with-floor.ts";

const x = [1, 2, 4, 8, 16, 32];
const y = x.map((v) => 1 + 2 * v ** -0.5);

describe("fit refuses bad data with a specific message", () => {
  const cases: [string, () => unknown, string][] = [
    ["mismatched y", () => fit(logLinear, { x, y: y.slice(1) }), "fit requires y of the same length as x (6), got 5"],
    ["mismatched weights", () => fit(logLinear, { x, y, weights: [1, 1] }), "fit requires weights of the same length as x (6), got 2"],
    ["too few points", () => fit(powerLawWithFloor, { x: [1, 2, 3], y: [3, 2, 1] }), "fit requires more points than parameters (3 for powerLawWithFloor), got 3"],
    ["NaN in y", () => fit(logLinear, { x, y: [1, 2, NaN, 4, 5, 6] }), 'fit requires finite y values, got "NaN at index 2"'],
    ["Infinity in x", () => fit(logLinear, { x: [1, 2, 3, Infinity, 5, 6], y }), 'fit requires finite x values, got "Infinity at index 3"'],
    ["NaN weight", () => fit(logLinear, { x, y, weights: [1, 1, 1, 1, 1, NaN] }), 'fit requires finite weights values, got "NaN at index 5"'],
    ["zero weight", () => fit(logLinear, { x, y, weights: [1, 0, 1, 1, 1, 1] }), 'fit requires positive weights, got "0 at index 1"'],
    ["x <= 0 for a law that needs x > 0", () => fit(logLinear, { x: [1, 2, 0, 4, 5, 6], y }), 'fit requires positive x values (law logLinear), got "0 at index 2"'],
    ["y <= 0 for a law that needs y > 0", () => fit(exponentiatedPowerLaw, { x, y: [0.5, 0.6, -0.1, 0.8, 0.9, 0.95] }), 'fit requires positive y values (law exponentiatedPowerLaw), got "-0.1 at index 2"'],
    ["y <= 0 in log space", () => fit(powerLawWithFloor, { x, y: [3, 2, 1, 0, 1, 1] }, { space: "log" }), 'fit requires positive y values (log space), got "0 at index 3"'],
    ["numbers for a two-input law", () => fit(chinchilla, { x, y }), 'fit requires [x, x2] pairs for the two-input law chinchilla, got "1 at index 0"'],
    ["pairs for a one-input law", () => fit(logLinear, { x: x.map((v) => [v, v]), y }), 'fit requires numeric x for the one-input law logLinear, got "[1,1] at index 0"'],
    ["unknown loss", () => fit(logLinear, { x, y }, { loss: "l1" as "l2" }), 'fit requires loss "l2" or "huber", got "l1"'],
    ["unknown space", () => fit(logLinear, { x, y }, { space: "log10" as "log" }), 'fit requires space "linear" or "log", got "log10"'],
    ["bad huberDelta", () => fit(logLinear, { x, y }, { loss: "huber", huberDelta: 0 }), "fit requires a finite huberDelta > 0, got 0"],
    ["start outside the bounds", () => fit(powerLawWithFloor, { x, y }, { starts: [{ E: 1, A: -2, alpha: 0.5 }] }), 'fit requires starting values strictly inside the bounds of powerLawWithFloor, got "A = -2"'],
    ["start missing a value", () => fit(logLinear, { x, y }, { starts: [{ a: 1 } as { a: number; b: number }] }), 'fit requires a finite starting value for every parameter of logLinear, got "b = undefined"'],
    ["no starts", () => fit(logLinear, { x, y }, { starts: [] }), "fit requires at least one starting point for logLinear, got 0"],
  ];
  for (const [label, run, message] of cases) {
    it(label, () => {
      expect(run).toThrow(InvalidArgumentError);
      expect(run).toThrow(message);
    });
  }
});

describe("fit refuses fits it cannot trust", () => {
  it("names the parameters a singular JᵀJ leaves unidentified (a and b enter only as a·b)", () => {
    const product = defineLaw({ name: "product", paramNames: ["a", "b", "c"], predict: (p, v) => p.a * p.b * v + p.c, initialGuesses: () => [{ a: 1, b: 1, c: 0 }] });
    const run = () => fit(product, { x, y: x.map((v) => 3 * v + 1) });
    expect(run).toThrow(SingularFitError);
    expect(run).toThrow(/^fit requires identifiable parameters \(a non-singular JᵀJ at the optimum\), got product with a, b not identified \(eigenvalue ratio /);
    try {
      run();
    } catch (e) {
      expect((e as SingularFitError).parameters).toEqual(["a", "b"]);
    }
  });

  it("names a parameter the prediction does not depend on", () => {
    const idle = defineLaw({ name: "idle", paramNames: ["a", "unused"], predict: (p, v) => p.a * v, initialGuesses: () => [{ a: 1, unused: 5 }] });
    expect(() => fit(idle, { x, y: x.map((v) => 2 * v + 0.01 * Math.sin(v)) })).toThrow(
      "fit requires identifiable parameters (a non-singular JᵀJ at the optimum), got idle with unused not identified (eigenvalue ratio 0.00e+0)",
    );
  });

  it("reports non-convergence after all starts, with the best start's reason", () => {
    const run = () => fit(powerLawWithFloor, { x, y: y.map((v, i) => v + 0.01 * (i % 2)) }, { maxIterations: 2 });
    expect(run).toThrow(FitConvergenceError);
    expect(run).toThrow(/^fit requires convergence from at least one start, got powerLawWithFloor unconverged from all 4 starts \(best: maximum of 2 iterations reached; SSE [0-9.e-]+\)$/);
  });

  it("reports a start where the law is not finite", () => {
    const blowUp = defineLaw({ name: "blowUp", paramNames: ["a"], predict: (p, v) => Math.log(p.a) * v, initialGuesses: () => [{ a: -1 }] });
    expect(() => fit(blowUp, { x, y })).toThrow("fit requires convergence from at least one start, got blowUp unconverged from all 1 starts (best: the prediction is not finite at the start; SSE NaN)");
  });

  it("every refusal is a TtcError", () => {
    expect(() => fit(logLinear, { x, y: [] })).toThrow(TtcError);
  });
});

describe("defineLaw checks declarations", () => {
  const base = { name: "l", predict: () => 0, initialGuesses: () => [] };
  it.each([
    [() => defineLaw({ ...base, paramNames: [] }), "defineLaw requires at least one parameter name, got []"],
    [() => defineLaw({ ...base, paramNames: ["a", "a"] }), 'defineLaw requires distinct parameter names, got ["a","a"]'],
    [() => defineLaw({ ...base, paramNames: ["a"], inputs: 3 as 1 }), "defineLaw requires inputs of 1 or 2, got 3"],
    [() => defineLaw({ ...base, paramNames: ["a"], bounds: { b: { lower: 0 } } as object }), 'defineLaw requires bounds on known parameters (a), got "b"'],
    [() => defineLaw({ ...base, paramNames: ["a"], bounds: { a: { lower: 1, upper: 1 } } }), 'defineLaw requires lower < upper in the bounds of a, got {"lower":1,"upper":1}'],
  ])("%#", (run, message) => {
    expect(run).toThrow(message);
  });
});
