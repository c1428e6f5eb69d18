import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { extrapolate } from "./extrapolate.ts";
import type { Law } from "./law.ts";
import { chinchilla } from "./laws/chinchilla.ts";
import { exponentiatedPowerLaw } from "./laws/exponentiated-power-law.ts";
import { powerLawWithFloor } from "./laws/power-law-with-floor.ts";
import { powerLaw } from "./laws/power-law.ts";

const logspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => 10 ** (a + ((b - a) * i) / (n - 1)));
const floorTruth = { E: 1.7, A: 400, alpha: 0.34 };
const x = logspace(6, 11, 40);

/** Pooled coverage and mean max-relative-error of `law` extrapolated from x ≤ 1e9 over seeds; data from powerLawWithFloor + N(0, sd²). */
function study(law: Law, seeds: number, sd: number) {
  const root = rng(`extrapolate/${law.name}`);
  let inside = 0;
  let total = 0;
  let maxRel = 0;
  for (let s = 0; s < seeds; s++) {
    const r = root.fork(s);
    const y = x.map((v) => powerLawWithFloor.predict(floorTruth, v, NaN) + r.normal(0, sd));
    const result = extrapolate(law, { x, y }, { fitUpTo: 1e9 });
    inside += result.points.filter((q) => q.inside).length;
    total += result.points.length;
    maxRel += result.maxRelativeError / seeds;
  }
  return { coverage: inside / total, maxRel };
}

describe("extrapolate", () => {
  it("covers held-out points at about the nominal rate when the law is right (200 seeds, 16 held-out points each)", () => {
    const { coverage, maxRel } = study(powerLawWithFloor, 200, 0.003);
    expect(coverage).toBeGreaterThanOrEqual(0.92);
    expect(coverage).toBeLessThanOrEqual(0.98);
    expect(maxRel).toBeLessThan(0.01);
  });

  it("tells a misspecified law: a pure power law fitted to a power law with a floor misses the held-out points", () => {
    const { coverage, maxRel } = study(powerLaw, 50, 0.003);
    expect(coverage).toBeLessThan(0.2);
    expect(maxRel).toBeGreaterThan(0.1);
  });

  it("reports each held-out point, in log space too", () => {
    const ks = Array.from({ length: 14 }, (_, i) => 2 ** i);
    const r = rng("extrapolate-log");
    const y = ks.map((k) => exponentiatedPowerLaw.predict({ a: -1.2, b: -0.4 }, k, NaN) * Math.exp(r.normal(0, 0.002)));
    const result = extrapolate(exponentiatedPowerLaw, { x: ks, y }, { fitUpTo: 256, fitOptions: { space: "log" } });
    expect(result.fit.n).toBe(9);
    expect(result.points.map((q) => q.x)).toEqual([512, 1024, 2048, 4096, 8192]);
    for (const q of result.points) {
      expect(q.lower).toBeLessThan(q.predicted);
      expect(q.upper).toBeGreaterThan(q.predicted);
      expect(q.inside).toBe(q.observed >= q.lower && q.observed <= q.upper);
    }
    expect(String(result)).toMatch(/^exponentiatedPowerLaw fitted on 9 points \(x <= 256\), 5 held out: \d+\.\d% inside their 95% prediction intervals/);
  });

  it("orders two-input points by a user key (Chinchilla by compute 6·N·D)", () => {
    const grid: [number, number][] = [];
    for (const n of logspace(7.5, 10.5, 6)) for (const d of logspace(9, 11.5, 6)) grid.push([n, d]);
    const truth = { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 };
    const r = rng("extrapolate-chinchilla");
    const y = grid.map(([n, d]) => chinchilla.predict(truth, n, d) + r.normal(0, 0.005));
    const result = extrapolate(chinchilla, { x: grid, y }, { fitUpTo: 1e20, orderBy: (n, d) => 6 * n * d });
    expect(result.fit.n + result.points.length).toBe(36);
    for (const q of result.points) expect(6 * q.x * q.x2).toBeGreaterThan(1e20);
    expect(result.maxRelativeError).toBeLessThan(0.05);
  });

  it("refuses a prefix too small to fit, nothing to predict, and a bad level", () => {
    const y = x.map((v) => powerLawWithFloor.predict(floorTruth, v, NaN));
    expect(() => extrapolate(powerLawWithFloor, { x, y }, { fitUpTo: 2e6 })).toThrow("extrapolate requires more points with x <= fitUpTo than parameters (3 for powerLawWithFloor), got 3");
    expect(() => extrapolate(powerLawWithFloor, { x, y }, { fitUpTo: 1e12 })).toThrow("extrapolate requires at least one point beyond fitUpTo to predict, got 0");
    expect(() => extrapolate(powerLawWithFloor, { x, y }, { fitUpTo: 1e9, level: 1 })).toThrow("extrapolate requires 0 < level < 1, got 1");
    expect(() => extrapolate(powerLawWithFloor, { x, y: y.slice(1) }, { fitUpTo: 1e9 })).toThrow("extrapolate requires y of the same length as x (40), got 39");
  });
});
