import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { fit } from "./fit.ts";
import { defineLaw } from "./law.ts";

describe("a user-defined law", () => {
  // y = a + b·√x, declared in a few lines: no Jacobian (central differences), no bounds.
  const sqrtLaw = defineLaw({
    name: "sqrtLaw",
    paramNames: ["a", "b"],
    predict: (p, x) => p.a + p.b * Math.sqrt(x),
    initialGuesses: () => [{ a: 0, b: 1 }],
  });

  const r = rng(7);
  const x = Array.from({ length: 40 }, (_, i) => i + 1);
  const y = x.map((v) => 2 + 0.5 * Math.sqrt(v) + r.normal(0, 0.01));

  it("fits, and matches the closed-form linear least squares in (1, √x)", () => {
    const result = fit(sqrtLaw, { x, y });
    // Ordinary least squares on the regressor s = √x.
    const s = x.map(Math.sqrt);
    const ms = s.reduce((a, v) => a + v, 0) / s.length;
    const my = y.reduce((a, v) => a + v, 0) / y.length;
    const b = s.reduce((a, v, i) => a + (v - ms) * ((y[i] as number) - my), 0) / s.reduce((a, v) => a + (v - ms) ** 2, 0);
    expect(result.params.b).toBeCloseTo(b, 9);
    expect(result.params.a).toBeCloseTo(my - b * ms, 9);
    expect(result.predict(16)).toBeCloseTo(result.params.a + 4 * result.params.b, 12);
    expect(result.r2).toBeGreaterThan(0.99);
  });

  it("prints as a readable fixed-width table", () => {
    const result = fit(sqrtLaw, { x, y });
    const lines = result.table().split("\n");
    expect(lines[0]).toMatch(/^param\s+value\s+stderr\s+95% low\s+95% high$/);
    expect(lines.map((l) => l.length)).toEqual([lines[0]?.length, lines[0]?.length, lines[0]?.length]);
    expect(lines[1]).toMatch(/^a\s+2\.\d{5}\s+0\.00\d+\s+/);
    const text = String(result);
    expect(text.split("\n")[0]).toMatch(/^sqrtLaw fit \(l2\): n = 40, SSE = .*, R² = 0\.99\d+, AIC = -?\d+\.\d{3}; converged \(.+\) after \d+ iterations, best of 1 starts$/);
    expect(text).toContain(result.table());
    expect(result.table(0.9).split("\n")[0]).toContain("90% low");
  });

  it("respects bounds declared on a parameter", () => {
    const positiveSlope = defineLaw({ ...sqrtLaw, name: "positiveSlope", bounds: { b: { lower: 0 } }, initialGuesses: () => [{ a: 0, b: 1 }] });
    const falling = x.map((v) => 3 - 0.2 * Math.sqrt(v) + r.normal(0, 0.01));
    // The unconstrained optimum has b < 0: the bounded fit ends on the bound and says so.
    const result = fit(positiveSlope, { x, y: falling });
    expect(result.params.b).toBeGreaterThan(0);
    expect(result.params.b).toBeLessThan(1e-9);
    expect(result.atBounds).toEqual(["b"]);
    expect(String(result).split("\n")[0]).toMatch(/; at a bound: b$/);
    expect(fit(sqrtLaw, { x, y }).atBounds).toEqual([]);
  });
});
