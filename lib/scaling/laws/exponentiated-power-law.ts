import { defineLaw } from "../law.ts";
import { lineFit } from "./line-fit.ts";

/**
 * Exponentiated power law for coverage under repeated sampling, c(k) = exp(a·k^b),
 * a < 0, b < 0: −log c(k) = −a·k^b is a power law in the number of samples k.
 *
 * Parameters: `a` (log coverage at k = 1, < 0), `b` (the exponent, < 0).
 * Starting values: the regression of log(−log c) on log k (points with 0 < c < 1), and its exponent halved and doubled.
 *
 * @example
 * fit(exponentiatedPowerLaw, { x: ks, y: coverage }).params.b // e.g. ≈ −0.4
 * @see Brown et al. 2024, "Large Language Monkeys: Scaling Inference Compute with Repeated Sampling" (coverage fitted by c ≈ exp(a·k^b));
 *   FORMULAS.md "Repeated sampling"
 */
export const exponentiatedPowerLaw = defineLaw({
  name: "exponentiatedPowerLaw",
  paramNames: ["a", "b"],
  source: "Brown et al. 2024: c(k) = exp(a·k^b)",
  bounds: { a: { upper: 0 }, b: { upper: 0 } },
  requiresPositiveX: true,
  requiresPositiveY: true,
  predict: (p, k) => Math.exp(p.a * Math.pow(k, p.b)),
  jacobian: (p, k) => {
    const kb = Math.pow(k, p.b);
    const c = Math.exp(p.a * kb);
    return { a: c * kb, b: c * p.a * kb * Math.log(k) };
  },
  initialGuesses: ({ x, y }) => {
    const lx = x.map(Math.log);
    const { intercept, slope } = lineFit(lx, y.map((c) => Math.log(-Math.log(c))));
    const b = slope < -1e-3 ? slope : -0.5;
    const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
    const level = intercept + slope * mx; // log(−a) + b·log k at the centre
    return [b, b / 2, 2 * b].map((bb) => ({ a: -Math.exp(level - bb * mx), b: bb }));
  },
});
