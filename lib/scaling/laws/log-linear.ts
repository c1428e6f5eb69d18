import { defineLaw } from "../law.ts";
import { lineFit } from "./line-fit.ts";

/**
 * Log-linear law y = a + b·ln x: accuracy or acceptance rate against log compute,
 * log model size or log batch size.
 *
 * Parameters: `a` (the value at x = 1, units of y), `b` (change in y per e-fold of x).
 * Linear in its parameters, so the regression start is already the optimum.
 *
 * @example
 * fit(logLinear, { x: [1, 10, 100], y: [0.1, 0.3, 0.5] }).params.b // ≈ 0.0869
 * @see Yan et al. 2025 (speculative-decoding acceptance vs log pretraining tokens, draft size, batch); FORMULAS.md "Scaling-law forms"
 */
export const logLinear = defineLaw({
  name: "logLinear",
  paramNames: ["a", "b"],
  source: "Yan et al. 2025: y = a + b·ln x",
  requiresPositiveX: true,
  predict: (p, x) => p.a + p.b * Math.log(x),
  jacobian: (_p, x) => ({ a: 1, b: Math.log(x) }),
  initialGuesses: ({ x, y }) => {
    const { intercept, slope } = lineFit(x.map(Math.log), y);
    return [{ a: intercept, b: slope }];
  },
});
