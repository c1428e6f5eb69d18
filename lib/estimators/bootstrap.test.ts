import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { bootstrap } from "./bootstrap.ts";
import { difficultyBins } from "./difficulty-bins.ts";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("bootstrap", () => {
  it("covers the true mean at about the nominal 95% rate over 200 datasets (normal data, n = 40)", () => {
    const r = rng("boot");
    let covered = 0;
    for (let t = 0; t < 200; t++) {
      const data = Array.from({ length: 40 }, () => r.normal(3, 2));
      const res = bootstrap(data, mean, { rng: r.fork(`b${t}`), reps: 400 });
      if (res.lo <= 3 && 3 <= res.hi) covered++;
    }
    // Percentile intervals undercover slightly at n = 40 (≈ 93–94%); binomial sd at 200 trials ≈ 1.6 points.
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThan(0.99);
  });

  it("reports the plain estimate, a standard error near σ/√n, and is reproducible", () => {
    const data = Array.from({ length: 100 }, (_, i) => i % 10);
    const a = bootstrap(data, mean, { rng: rng(1), reps: 2000 });
    expect(a.estimate).toBe(4.5);
    // σ of 0..9 is √8.25 ≈ 2.87; σ/√100 ≈ 0.287
    expect(a.se).toBeGreaterThan(0.25);
    expect(a.se).toBeLessThan(0.33);
    expect(bootstrap(data, mean, { rng: rng(1), reps: 2000 })).toEqual(a);
    expect(() => bootstrap([], mean, { rng: rng(1) })).toThrow("bootstrap requires at least one item, got 0");
  });
});

describe("difficultyBins", () => {
  it("cuts equal-count quantile bins, level 1 the easiest", () => {
    expect(Array.from(difficultyBins([0.9, 0.1, 0.5, 0.7, 0.3], 5))).toEqual([1, 5, 3, 2, 4]);
    const levels = difficultyBins(Array.from({ length: 100 }, (_, i) => i / 100), 5);
    for (let l = 1; l <= 5; l++) expect(levels.filter((x) => x === l).length).toBe(20);
    expect(levels[99]).toBe(1);
    expect(levels[0]).toBe(5);
    expect(() => difficultyBins([1, 2], 3)).toThrow("difficultyBins requires an integer bins in [1, problems = 2], got 3");
  });
});
