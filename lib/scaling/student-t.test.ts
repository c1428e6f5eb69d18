import { describe, expect, it } from "vitest";
import { regularizedBeta, studentTQuantile } from "./student-t.ts";

describe("studentTQuantile", () => {
  it("matches the closed forms for 1 and 2 degrees of freedom", () => {
    for (const p of [0.6, 0.95, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 11); // Cauchy
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 12);
    }
  });
  // Reference values: scipy.stats.t.ppf (scipy 1.10.1), itself accurate to ~1e-9.
  it.each([
    [0.975, 3, 3.182446305284263],
    [0.975, 10, 2.2281388519649385],
    [0.975, 30, 2.0422724563012373],
    [0.95, 5, 2.015048372669157],
    [0.5, 7, 0],
  ])("t(%f; %i) = %f", (p, dof, want) => {
    expect(studentTQuantile(p, dof)).toBeCloseTo(want, 8);
  });
  it("is antisymmetric and tends to the normal quantile", () => {
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-studentTQuantile(0.975, 4), 12);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959963984540054, 5);
  });
  it("refuses probabilities outside (0, 1) and non-positive dof", () => {
    expect(() => studentTQuantile(1, 3)).toThrow("studentTQuantile requires 0 < prob < 1, got 1");
    expect(() => studentTQuantile(0.9, 0)).toThrow("studentTQuantile requires finite dof > 0, got 0");
  });
  it("regularizedBeta: I_x(1, 1) = x, I_x(2, 3) by its polynomial", () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    const x = 0.4; // I_x(2, 3) = 6x² − 8x³ + 3x⁴
    expect(regularizedBeta(x, 2, 3)).toBeCloseTo(6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4, 14);
  });
});
