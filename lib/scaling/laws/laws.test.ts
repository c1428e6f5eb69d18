import { describe, expect, it } from "vitest";
import type { Law, LawData } from "../law.ts";
import { chinchilla } from "./chinchilla.ts";
import { exponentiatedPowerLaw } from "./exponentiated-power-law.ts";
import { lineFit } from "./line-fit.ts";
import { logLinear } from "./log-linear.ts";
import { powerLawWithFloor } from "./power-law-with-floor.ts";
import { powerLaw } from "./power-law.ts";
import { saturatingExponential, ttspm } from "./saturating.ts";
import { sigmoidCompute } from "./sigmoid-compute.ts";

/** Each law, a parameter point and inputs at which to check it. */
const CATALOGUE: [Law, Record<string, number>, [number, number][]][] = [
  [powerLaw, { A: 250, alpha: 0.3 }, [[1e6, NaN], [3e8, NaN], [1e11, NaN]]],
  [powerLawWithFloor, { E: 1.7, A: 400, alpha: 0.34 }, [[1e6, NaN], [1e11, NaN]]],
  [exponentiatedPowerLaw, { a: -1.2, b: -0.4 }, [[1, NaN], [64, NaN], [8192, NaN]]],
  [chinchilla, { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 }, [[4e8, 8e9], [7e10, 1.4e12]]],
  [sigmoidCompute, { A: 0.6, B: 1.5, Cmid: 3e20, R0: 0.2 }, [[1e18, NaN], [3e20, NaN], [1e22, NaN]]],
  [logLinear, { a: 0.1, b: 0.05 }, [[1, NaN], [1e4, NaN]]],
  [ttspm, { A: 0.85, p: 0.12 }, [[1, NaN], [8, NaN], [40, NaN]]],
  [saturatingExponential, { A: 0.7, y0: 0.2, tau: 8000 }, [[500, NaN], [8000, NaN], [64000, NaN]]],
];

describe("laws catalogue", () => {
  for (const [law, params, points] of CATALOGUE) {
    it(`${law.name}: analytic Jacobian matches central differences`, () => {
      for (const [x, x2] of points) {
        const g = (law.jacobian as NonNullable<Law["jacobian"]>)(params, x, x2);
        for (const name of law.paramNames) {
          const h = 1e-6 * Math.abs(params[name] as number);
          const up = law.predict({ ...params, [name]: (params[name] as number) + h }, x, x2);
          const down = law.predict({ ...params, [name]: (params[name] as number) - h }, x, x2);
          const fd = (up - down) / (2 * h);
          expect(Math.abs((g[name] as number) - fd), `${name} at ${x}`).toBeLessThan(1e-6 * Math.max(1e-12, Math.abs(fd)) + 1e-14);
        }
      }
    });

    it(`${law.name}: documents its source and gives finite starts inside its bounds`, () => {
      expect(law.source).toMatch(/\d{4}/);
      const x = Float64Array.from(points, ([v]) => v);
      const data: LawData = {
        x,
        x2: law.inputs === 2 ? Float64Array.from(points, ([, v]) => v) : undefined,
        y: Float64Array.from(points, ([a, b]) => law.predict(params, a, b)),
      };
      const starts = law.initialGuesses(data);
      expect(starts.length).toBeGreaterThan(0);
      for (const s of starts) {
        for (const name of law.paramNames) {
          const v = s[name] as number;
          expect(Number.isFinite(v)).toBe(true);
          const b = law.bounds?.[name];
          if (b?.lower !== undefined) expect(v).toBeGreaterThanOrEqual(b.lower);
          if (b?.upper !== undefined) expect(v).toBeLessThanOrEqual(b.upper);
        }
      }
    });
  }

  it("sigmoidCompute's Jacobian stays finite far from the midpoint", () => {
    const g = sigmoidCompute.jacobian?.({ A: 0.6, B: 3, Cmid: 1e20, R0: 0.2 }, 1, NaN);
    for (const v of Object.values(g ?? {})) expect(Number.isFinite(v)).toBe(true);
  });

  it("lineFit recovers an exact line and skips non-finite pairs", () => {
    expect(lineFit([0, 1, 2, NaN], [1, 3, 5, 7])).toEqual({ intercept: 1, slope: 2 });
    expect(lineFit([], [])).toEqual({ intercept: 0, slope: 0 });
  });
});
