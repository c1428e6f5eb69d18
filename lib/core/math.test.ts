import { describe, expect, it } from "vitest";
import { logChoose, logGamma, logSumExp } from "./math.ts";

/** Exact C(n, k) with BigInt, the reference for logChoose. */
function chooseBig(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** log of a BigInt to double precision (via its leading digits). */
function logBig(x: bigint): number {
  const s = x.toString();
  const head = Number(s.slice(0, 17));
  return Math.log(head) + (s.length - Math.min(17, s.length)) * Math.LN10;
}

describe("logSumExp", () => {
  it("equals log(Σ exp) where that does not overflow", () => {
    const xs = [0.5, -1.25, 2, 3.75];
    expect(logSumExp(xs)).toBeCloseTo(Math.log(xs.reduce((s, x) => s + Math.exp(x), 0)), 14);
  });
  it("survives values whose exp overflows", () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -Infinity])).toBe(-1000);
  });
  it("handles empty and all -Infinity inputs, and rejects NaN", () => {
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(() => logSumExp([1, Number.NaN])).toThrow("logSumExp requires no NaN values, got \"NaN at index 1\"");
  });
});

describe("logGamma", () => {
  it("matches log((n−1)!) exactly computed for integers", () => {
    let fact = 1n;
    for (let n = 1; n <= 60; n++) {
      if (n > 1) fact *= BigInt(n - 1);
      expect(Math.abs(logGamma(n) - logBig(fact))).toBeLessThan(1e-12 * Math.max(1, logBig(fact)));
    }
  });
  it("matches Γ(1/2) = √π (a known closed form)", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
  });
});

describe("logChoose", () => {
  it("matches exact BigInt binomials, for small and large k", () => {
    for (const [n, k] of [[5, 2], [50, 25], [200, 3], [1000, 500], [1_000_000, 7], [100_000, 99_990]] as const) {
      const exact = logBig(chooseBig(n, k));
      expect(Math.abs(logChoose(n, k) - exact)).toBeLessThan(1e-10 * Math.max(1, exact));
    }
  });
  it("is 0 at the edges and symmetric", () => {
    expect(logChoose(10, 0)).toBe(0);
    expect(logChoose(10, 10)).toBe(0);
    expect(logChoose(40, 13)).toBeCloseTo(logChoose(40, 27), 12);
  });
  it("rejects k > n and non-integers", () => {
    expect(() => logChoose(3, 4)).toThrow("logChoose requires an integer k with 0 <= k <= n (n = 3), got 4");
    expect(() => logChoose(2.5, 1)).toThrow("logChoose requires a non-negative integer n, got 2.5");
  });
});
