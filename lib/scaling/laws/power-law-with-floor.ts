import { defineLaw } from "../law.ts";
import { lineFit } from "./line-fit.ts";

/**
 * Power law with an irreducible floor, y = E + A·x^(−α), A > 0, α > 0.
 *
 * Parameters: `E` (the floor, the limit as x → ∞, units of y), `A` (scale), `alpha` (decay exponent).
 * Starting values: for several trial floors below min y, the log–log regression of y − E on x.
 *
 * @example
 * fit(powerLawWithFloor, { x, y }).params.E // the estimated floor
 * @see Hestness et al. 2017, "Deep Learning Scaling is Predictable, Empirically", §2 (power law plus irreducible error);
 *   FORMULAS.md "Scaling-law forms"
 */
export const powerLawWithFloor = defineLaw({
  name: "powerLawWithFloor",
  paramNames: ["E", "A", "alpha"],
  source: "Hestness et al. 2017: y = E + A·x^(−α)",
  bounds: { A: { lower: 0 }, alpha: { lower: 0 } },
  requiresPositiveX: true,
  predict: (p, x) => p.E + p.A * Math.pow(x, -p.alpha),
  jacobian: (p, x) => {
    const xa = Math.pow(x, -p.alpha);
    return { E: 1, A: xa, alpha: -p.A * xa * Math.log(x) };
  },
  initialGuesses: ({ x, y }) => {
    const lo = Math.min(...y);
    const range = Math.max(...y) - lo || Math.abs(lo) || 1;
    const floors = [lo - 0.01 * range, lo - 0.1 * range, lo - range, lo > 0 ? 0 : lo - 10 * range];
    const lx = x.map(Math.log);
    const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
    return floors.map((E) => {
      const fitLine = lineFit(lx, y.map((v) => Math.log(v - E)));
      const alpha = Math.max(-fitLine.slope, 0.05);
      const A = Math.exp(fitLine.intercept + (fitLine.slope + alpha) * mx);
      return { E, A, alpha };
    });
  },
});
