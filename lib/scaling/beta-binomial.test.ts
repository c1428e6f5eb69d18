import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../core/errors.ts";
import { rng, type Rng } from "../core/rng.ts";
import type { ProblemCounts } from "../estimators/coverage-curve.ts";
import { betaSample } from "../sim/distributions.ts";
import { fitBetaBinomial } from "./beta-binomial.ts";
import type { BetaBinomialParam } from "./beta-binomial-result.ts";
import { FitConvergenceError } from "./fit-errors.ts";

/** Problems with p = s·Beta(α, β) (gamma-ratio sampler) and c ~ Binomial(n, p) by n Bernoulli draws. */
function simulate(r: Rng, problems: number, n: number, alpha: number, beta: number, scale = 1): ProblemCounts[] {
  return Array.from({ length: problems }, () => {
    const p = scale * betaSample(alpha, beta, r);
    let c = 0;
    for (let i = 0; i < n; i++) if (r.next() < p) c++;
    return { n, c };
  });
}

/**
 * Coverage of the reported 95% intervals over seeds (the frequentist calibration test, as in
 * fit.recovery.test.ts): with S seeds the binomial sd of the rate is √(.95·.05/S).
 */
function coverage(seeds: number, truth: Record<BetaBinomialParam, number>, problems: number, n: number, fitScale: boolean) {
  const names: BetaBinomialParam[] = fitScale ? ["alpha", "beta", "scale"] : ["alpha", "beta"];
  const hits = Object.fromEntries(names.map((k) => [k, 0])) as Record<BetaBinomialParam, number>;
  const root = rng(`beta-binomial/${fitScale}`);
  for (let s = 0; s < seeds; s++) {
    const counts = simulate(root.fork(s), problems, n, truth.alpha, truth.beta, truth.scale);
    const fit = fitBetaBinomial(counts, { fitScale });
    for (const k of names) {
      const [lo, hi] = fit.interval(k);
      if (truth[k] >= lo && truth[k] <= hi) hits[k]++;
    }
  }
  for (const k of names) hits[k] /= seeds;
  return hits;
}

describe("fitBetaBinomial", () => {
  it("95% intervals of (alpha, beta) cover the truth at the nominal rate (200 seeds, 300 problems x 50 attempts)", () => {
    const rates = coverage(200, { alpha: 0.3, beta: 2, scale: 1 }, 300, 50, false);
    for (const [k, rate] of Object.entries(rates)) {
      expect(rate, k).toBeGreaterThanOrEqual(0.9);
      expect(rate, k).toBeLessThanOrEqual(0.99);
    }
  });

  it("with the scale fitted, intervals of (alpha, beta, s) cover the truth (60 seeds, 400 problems x 100 attempts)", () => {
    const rates = coverage(60, { alpha: 0.5, beta: 1.5, scale: 0.6 }, 400, 100, true);
    for (const [k, rate] of Object.entries(rates)) {
      expect(rate, k).toBeGreaterThanOrEqual(0.85);
    }
  });

  it("reports the scale at its bound and refits with s = 1 when the data have no ceiling below 1", () => {
    // Half the problems always solved in 100 attempts: any s < 1 costs them a factor ≤ s^100 each.
    const counts = [...Array.from({ length: 100 }, () => ({ n: 100, c: 100 })), ...Array.from({ length: 100 }, (_, i) => ({ n: 100, c: i }))];
    const fit = fitBetaBinomial(counts, { fitScale: true });
    expect(fit.atBounds).toEqual(["scale"]);
    expect(fit.params.scale).toBe(1);
    expect(fit.free).toEqual(["alpha", "beta"]);
    expect(Number.isNaN(fit.stderr.scale)).toBe(true);
    const plain = fitBetaBinomial(counts);
    expect(Math.abs(fit.params.alpha - plain.params.alpha)).toBeLessThan(1e-6);
  });

  it("uses the counts' likelihood: c = 0 problems pull alpha down where point estimates c/n could not", () => {
    // Half the problems never solved in 20 attempts: a method of moments on c/n sees p = 0 there.
    const counts = [...Array.from({ length: 50 }, () => ({ n: 20, c: 0 })), ...Array.from({ length: 50 }, (_, i) => ({ n: 20, c: 1 + (i % 19) }))];
    const fit = fitBetaBinomial(counts);
    expect(fit.params.alpha).toBeLessThan(0.5);
    expect(fit.converged).toBe(true);
    // The maximum: the log-likelihood falls in every direction.
    expect(fit.logLikelihood).toBeLessThan(0);
  });

  it("prints a readable table", () => {
    const fit = fitBetaBinomial(simulate(rng("table"), 200, 30, 0.5, 2));
    const text = String(fit);
    expect(text).toMatch(/^scaled beta-binomial fit: 200 problems, log-likelihood = -\d+\.\d{4}; converged/);
    expect(text).toMatch(/\nalpha +\d\.\d+ +\d\.\d+/);
    expect(text).toMatch(/\nscale +1\.00000 +fixed/);
  });

  it("refuses bad counts and degenerate data with a specific message", () => {
    const ok = [{ n: 10, c: 1 }, { n: 10, c: 0 }, { n: 10, c: 4 }];
    expect(() => fitBetaBinomial([...ok, { n: 10, c: 11 }])).toThrow('fitBetaBinomial requires counts with integers 0 <= c <= n, n >= 1, got {"problem":3,"n":10,"c":11}');
    expect(() => fitBetaBinomial([...ok, { n: 0, c: 0 }])).toThrow(InvalidArgumentError);
    expect(() => fitBetaBinomial([...ok, { n: 10, c: 1.5 }])).toThrow(InvalidArgumentError);
    expect(() => fitBetaBinomial(ok.slice(0, 2))).toThrow("fitBetaBinomial requires more problems than fitted parameters (2), got 2");
    expect(() => fitBetaBinomial(ok, { fitScale: true })).toThrow("fitBetaBinomial requires more problems than fitted parameters (3), got 3");
    expect(() => fitBetaBinomial([{ n: 5, c: 0 }, { n: 8, c: 0 }, { n: 9, c: 0 }])).toThrow('fitBetaBinomial requires at least one problem with c > 0 (with none the Beta collapses onto p = 0), got "every c = 0"');
    expect(() => fitBetaBinomial([{ n: 5, c: 5 }, { n: 8, c: 8 }, { n: 9, c: 9 }])).toThrow("at least one problem with c < n");
    expect(() => fitBetaBinomial(ok, { scale: 0 })).toThrow("fitBetaBinomial requires a scale s with 0 < s <= 1, got 0");
  });

  it("raises FitConvergenceError when the counts are underdispersed (no Beta fits: alpha, beta -> infinity)", () => {
    const same = Array.from({ length: 40 }, () => ({ n: 10, c: 5 }));
    expect(() => fitBetaBinomial(same)).toThrow(FitConvergenceError);
    expect(() => fitBetaBinomial(same)).toThrow(/diverged .*no overdispersion/);
  });
});
