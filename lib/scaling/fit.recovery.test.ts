import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { fit } from "./fit.ts";
import type { Law, Params } from "./law.ts";
import { chinchilla } from "./laws/chinchilla.ts";
import { exponentiatedPowerLaw } from "./laws/exponentiated-power-law.ts";
import { powerLawWithFloor } from "./laws/power-law-with-floor.ts";
import { saturatingExponential, ttspm } from "./laws/saturating.ts";
import { sigmoidCompute } from "./laws/sigmoid-compute.ts";

/**
 * Coverage check (the frequentist calibration test of confidence intervals, e.g.
 * Wasserman, "All of Statistics", §6.3.2): simulate data from known parameters with
 * Gaussian noise over many seeds, fit each, and count how often the reported 95%
 * interval contains the true value. For a correct covariance this rate is ≈ 0.95;
 * with 200 seeds its binomial sd is ≈ 0.015, so [0.88, 0.99] is a tight band.
 */
const SEEDS = 200;

function coverage<P extends string>(law: Law<P>, truth: Params<P>, xs: (number | [number, number])[], noiseSd: number): Record<P, number> {
  const hits = Object.fromEntries(law.paramNames.map((n) => [n, 0])) as Record<P, number>;
  const root = rng(`recovery/${law.name}`);
  for (let s = 0; s < SEEDS; s++) {
    const r = root.fork(s);
    const y = xs.map((x) => (Array.isArray(x) ? law.predict(truth, x[0], x[1]) : law.predict(truth, x, NaN)) + r.normal(0, noiseSd));
    const result = fit(law, { x: xs as number[], y });
    for (const name of law.paramNames) {
      const [lo, hi] = result.interval(name);
      if (truth[name] >= lo && truth[name] <= hi) hits[name]++;
    }
  }
  for (const name of law.paramNames) hits[name] /= SEEDS;
  return hits;
}

function expectNominal(rates: Record<string, number>): void {
  for (const [name, rate] of Object.entries(rates)) {
    expect(rate, `coverage of ${name}`).toBeGreaterThanOrEqual(0.88);
    expect(rate, `coverage of ${name}`).toBeLessThanOrEqual(0.99);
  }
}

const logspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => 10 ** (a + ((b - a) * i) / (n - 1)));

describe("95% intervals cover the true parameters at the nominal rate (200 seeds)", () => {
  it("powerLawWithFloor, x in 1e6..1e11", () => {
    expectNominal(coverage(powerLawWithFloor, { E: 1.7, A: 400, alpha: 0.34 }, logspace(6, 11, 30), 0.005));
  });
  it("exponentiatedPowerLaw, k = 1..8192", () => {
    const ks = Array.from({ length: 14 }, (_, i) => 2 ** i);
    expectNominal(coverage(exponentiatedPowerLaw, { a: -1.2, b: -0.4 }, ks, 0.005));
  });
  it("sigmoidCompute, C in 1e18..1e22", () => {
    expectNominal(coverage(sigmoidCompute, { A: 0.6, B: 1.5, Cmid: 3e20, R0: 0.2 }, logspace(18, 22, 25), 0.01));
  });
  it("ttspm, N = 1..40", () => {
    expectNominal(coverage(ttspm, { A: 0.85, p: 0.12 }, Array.from({ length: 40 }, (_, i) => i + 1), 0.005));
  });
  it("saturatingExponential, tokens 500..64000", () => {
    const tokens = Array.from({ length: 30 }, (_, i) => 500 + (i * (64000 - 500)) / 29);
    expectNominal(coverage(saturatingExponential, { A: 0.7, y0: 0.2, tau: 8000 }, tokens, 0.005));
  });
  it("chinchilla, 6 x 6 grid of N and D", () => {
    const grid: [number, number][] = [];
    for (const n of logspace(7.5, 10.5, 6)) for (const d of logspace(9, 11.5, 6)) grid.push([n, d]);
    expectNominal(coverage(chinchilla, { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 }, grid, 0.01));
  });
});
