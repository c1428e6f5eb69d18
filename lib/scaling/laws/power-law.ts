import { defineLaw } from "../law.ts";
import { lineFit } from "./line-fit.ts";

/**
 * Power law y = A·x^(−α), A > 0. A straight line in log–log coordinates with slope −α.
 *
 * Parameters: `A` (the value at x = 1, units of y), `alpha` (the decay exponent; negative for growth).
 * Starting values: the log–log regression, and the same exponent halved and doubled.
 *
 * @example
 * fit(powerLaw, { x: [1, 10, 100], y: [2, 1.0, 0.5] }).params.alpha // ≈ 0.301
 * @see Kaplan et al. 2020, "Scaling Laws for Neural Language Models", eq. 1.1–1.3; FORMULAS.md "Scaling-law forms"
 */
export const powerLaw = defineLaw({
  name: "powerLaw",
  paramNames: ["A", "alpha"],
  source: "Kaplan et al. 2020, eq. 1.1: y = A·x^(−α)",
  bounds: { A: { lower: 0 } },
  requiresPositiveX: true,
  requiresPositiveY: true,
  predict: (p, x) => p.A * Math.pow(x, -p.alpha),
  jacobian: (p, x) => {
    const xa = Math.pow(x, -p.alpha);
    return { A: xa, alpha: -p.A * xa * Math.log(x) };
  },
  initialGuesses: ({ x, y }) => {
    const { intercept, slope } = lineFit(x.map(Math.log), y.map(Math.log));
    const alpha = -slope;
    // Keep A consistent with the data's geometric centre when the exponent changes.
    const lx = x.reduce((s, v) => s + Math.log(v), 0) / x.length;
    const ly = intercept + slope * lx;
    return [alpha, alpha / 2, alpha * 2 || 1].map((a) => ({ A: Math.exp(ly + a * lx), alpha: a }));
  },
});
