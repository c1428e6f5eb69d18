import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { logGamma } from "../core/math.ts";
import { passAtK } from "../estimators/pass-at-k.ts";
import { betaSample } from "../sim/distributions.ts";
import { fitBetaBinomial } from "./beta-binomial.ts";
import { impliedPowerLaw } from "./implied-power-law.ts";
import { predictPassAtK } from "./predict-pass-at-k.ts";

const params = (alpha: number, beta: number, scale = 1) => ({ params: { alpha, beta, scale } });

describe("predictPassAtK", () => {
  it("is k/(k + 1) for the uniform distribution (E[1 − (1 − p)^k] with p ~ U(0, 1))", () => {
    const ks = [1, 2, 3, 10, 1000];
    const got = predictPassAtK(params(1, 1), ks);
    ks.forEach((k, i) => expect(Math.abs((got[i] as number) - k / (k + 1))).toBeLessThan(1e-14));
  });

  for (const [alpha, beta, scale] of [
    [0.3, 2, 1],
    [0.5, 1.5, 0.6],
  ] as const) {
    it(`matches the average of unbiased passAtK over 20,000 simulated problems (alpha ${alpha}, beta ${beta}, s ${scale})`, () => {
      // Each problem: p ~ s·Beta(α, β), 64 attempts, c correct; passAtK(64, c, k) is unbiased for 1 − (1 − p)^k.
      const r = rng(`predict/${alpha}/${scale}`);
      const ks = [1, 4, 16, 64];
      const P = 20_000;
      const sums = new Float64Array(ks.length);
      const squares = new Float64Array(ks.length);
      for (let i = 0; i < P; i++) {
        const p = scale * betaSample(alpha, beta, r);
        let c = 0;
        for (let a = 0; a < 64; a++) if (r.next() < p) c++;
        ks.forEach((k, j) => {
          const v = passAtK(64, c, k);
          sums[j] = (sums[j] as number) + v;
          squares[j] = (squares[j] as number) + v * v;
        });
      }
      const predicted = predictPassAtK(params(alpha, beta, scale), ks);
      ks.forEach((k, j) => {
        const mean = (sums[j] as number) / P;
        const se = Math.sqrt(((squares[j] as number) / P - mean * mean) / P);
        expect(Math.abs((predicted[j] as number) - mean), `k = ${k}`).toBeLessThan(4 * se);
      });
    });
  }

  it("matches a Monte Carlo average of 1 − (1 − p)^k at large k, with s < 1", () => {
    const r = rng("predict-mc");
    const ks = [1000, 100_000];
    const draws = 200_000;
    const sums = new Float64Array(ks.length);
    for (let i = 0; i < draws; i++) {
      const p = 0.7 * betaSample(0.4, 3, r);
      ks.forEach((k, j) => (sums[j] = (sums[j] as number) + Math.pow(1 - p, k)));
    }
    const predicted = predictPassAtK(params(0.4, 3, 0.7), ks);
    ks.forEach((k, j) => {
      const fail = (sums[j] as number) / draws;
      // relative sd of the failure estimate is ≈ 1/√(draws·fail) for this heavy-tailed integrand
      expect(Math.abs(1 - (predicted[j] as number) - fail) / fail, `k = ${k}`).toBeLessThan(5 / Math.sqrt(draws * fail));
    });
  });

  it("refuses non-integer budgets and out-of-range parameters", () => {
    expect(() => predictPassAtK(params(1, 1), [0])).toThrow("predictPassAtK requires integer budgets k >= 1, got 0");
    expect(() => predictPassAtK(params(1, 1), [2.5])).toThrow("predictPassAtK requires integer budgets k >= 1, got 2.5");
    expect(() => predictPassAtK(params(1, 1, 0), [1])).toThrow("predictPassAtK requires a scale s with 0 < s <= 1, got 0");
    expect(() => predictPassAtK(params(-1, 1), [1])).toThrow(/predictPassAtK requires finite alpha > 0 and beta > 0/);
  });
});

describe("impliedPowerLaw", () => {
  for (const scale of [1, 0.5]) {
    it(`failure(k)·k^alpha tends to Γ(α+β)/Γ(β)·s^(−α) (s = ${scale})`, () => {
      const alpha = 0.35;
      const beta = 1.8;
      const fit = fitBetaBinomial([{ n: 10, c: 0 }, { n: 10, c: 3 }, { n: 10, c: 10 }, { n: 10, c: 1 }]);
      const law = impliedPowerLaw({ ...fit, params: { alpha, beta, scale } });
      expect(law.exponent).toBe(alpha);
      expect(law.b).toBe(-alpha);
      expect(law.coefficient).toBeCloseTo(Math.exp(logGamma(alpha + beta) - logGamma(beta)) * scale ** -alpha, 12);
      const ratio = (k: number) => ((1 - (predictPassAtK(params(alpha, beta, scale), [k])[0] as number)) * k ** alpha) / law.coefficient;
      // the correction is O(1/k): about 10× smaller per decade
      expect(Math.abs(ratio(1e5) - 1)).toBeLessThan(1e-4);
      expect(Math.abs(ratio(1e5) - 1)).toBeLessThan(Math.abs(ratio(1e3) - 1) / 50);
      // and −log pass@k has the same asymptote: −log(1 − f)/f = 1 + f/2 + O(f²) → 1 as the failure rate f → 0
      for (const k of [1e3, 1e5]) {
        const pass = predictPassAtK(params(alpha, beta, scale), [k])[0] as number;
        const fail = 1 - pass;
        expect(Math.abs((-Math.log(pass) * k ** alpha) / law.coefficient - 1)).toBeLessThan(fail);
      }
    });
  }

  it("carries the fit's uncertainty on alpha", () => {
    const r = rng("implied");
    const counts = Array.from({ length: 300 }, () => {
      const p = betaSample(0.3, 2, r);
      let c = 0;
      for (let i = 0; i < 50; i++) if (r.next() < p) c++;
      return { n: 50, c };
    });
    const fit = fitBetaBinomial(counts);
    const law = impliedPowerLaw(fit);
    expect(law.exponentStderr).toBe(fit.stderr.alpha);
    expect(law.exponentInterval).toEqual(fit.interval("alpha"));
    expect(law.exponentInterval[0]).toBeLessThan(0.3);
    expect(law.exponentInterval[1]).toBeGreaterThan(0.3);
  });
});
