import { describe, expect, it } from "vitest";
import { rng } from "../core/rng.ts";
import { coverageCurve } from "./coverage-curve.ts";
import { subsetMean } from "./subsets.test-util.ts";
import { naivePassAtK, passAtK } from "./pass-at-k.ts";

/** Exact 1 − C(n−c,k)/C(n,k) with BigInt rational arithmetic, rounded to a double at the end. */
function passAtKExact(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let num = 1n; // C(n−c, k)·k! as a falling product, over C(n, k)·k!
  let den = 1n;
  for (let j = 0; j < k; j++) {
    num *= BigInt(n - c - j);
    den *= BigInt(n - j);
  }
  const scale = 10n ** 40n;
  const fail = Number((num * scale) / den) / 1e40;
  return 1 - fail;
}

describe("passAtK", () => {
  it("equals the fraction of k-subsets containing a correct sample, for every (n ≤ 12, c, k)", () => {
    for (let n = 1; n <= 12; n++) {
      for (let c = 0; c <= n; c++) {
        const correct = Array.from({ length: n }, (_, i) => i < c);
        for (let k = 1; k <= n; k++) {
          const enumerated = subsetMean(n, k, (s) => (s.some((i) => correct[i]) ? 1 : 0));
          expect(Math.abs(passAtK(n, c, k) - enumerated)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it("matches exact rational arithmetic to 1e-12 for n up to 10,000", () => {
    for (const [n, c, k] of [[10_000, 1, 1], [10_000, 3, 5000], [10_000, 9000, 2], [10_000, 17, 300], [5000, 2500, 2500], [9999, 1, 9999]] as const) {
      expect(Math.abs(passAtK(n, c, k) - passAtKExact(n, c, k))).toBeLessThan(1e-12);
    }
  });

  it("is accurate in relative terms when pass@k is tiny (n = 10⁶, c = 1, k = 1 gives 1e-6)", () => {
    expect(passAtK(1_000_000, 1, 1)).toBeCloseTo(1e-6, 18);
    expect(passAtK(1_000_000, 1, 3) / 3e-6).toBeCloseTo(1, 12);
  });

  it("edges: all wrong is 0, enough right is 1; bad input names the rule", () => {
    expect(passAtK(5, 0, 3)).toBe(0);
    expect(passAtK(5, 3, 3)).toBe(1);
    expect(passAtK(10, 1, 5)).toBeCloseTo(0.5, 15);
    expect(() => passAtK(5, 1, 6)).toThrow("passAtK requires an integer k with 1 <= k <= n (n = 5), got 6");
    expect(() => passAtK(5, 6, 1)).toThrow("passAtK requires an integer c with 0 <= c <= n (n = 5), got 6");
    expect(() => passAtK(0, 0, 1)).toThrow("passAtK requires an integer n >= 1, got 0");
  });
});

describe("coverageCurve", () => {
  it("equals the mean of passAtK over problems, on both the shared-n fast path and the direct path", () => {
    const counts = [0, 1, 2, 7, 50, 99, 100, 3, 3, 0].map((c) => ({ n: 100, c }));
    const mixed = [...counts, { n: 40, c: 5 }];
    const ks = [1, 2, 5, 10, 40];
    for (const set of [counts, mixed]) {
      const curve = coverageCurve(set, ks);
      ks.forEach((k, i) => {
        const direct = set.reduce((s, { n, c }) => s + passAtK(n, c, k), 0) / set.length;
        expect(Math.abs(curve[i]! - direct)).toBeLessThan(1e-13);
      });
    }
  });

  it("shared-n fast path stays within 2e-12 of passAtK at n = 10⁴ (running-product error bound c·1.2e-16)", () => {
    const counts = [1, 17, 500, 5000, 9000, 9990].map((c) => ({ n: 10_000, c }));
    const ks = [1, 10, 100, 1000, 9000];
    const curve = coverageCurve(counts, ks);
    ks.forEach((k, i) => {
      const direct = counts.reduce((s, { n, c }) => s + passAtK(n, c, k), 0) / counts.length;
      expect(Math.abs(curve[i]! - direct)).toBeLessThan(2e-12);
    });
  });

  it("early stop at underflow and one buffer for every (n, k) give the plain running product's exact bytes", () => {
    // Reference: the product written out afresh for every problem, no early stop, no shared buffer.
    const plain = (n: number, c: number, k: number) => {
      if (c > n - k) return 1;
      let fail = 1;
      for (let j = 1; j <= c; j++) fail *= 1 - k / (n - j + 1);
      return 1 - fail;
    };
    const r = rng("coverage-bytes");
    // two sizes of n on the shared path (≥ 4 problems each), the larger one second so the buffer must grow,
    // and budgets whose products underflow to 0 long before the largest c (k = 2000, c ≈ 9990)
    const counts = [...Array.from({ length: 6 }, () => ({ n: 300, c: r.int(301) })), ...Array.from({ length: 8 }, () => ({ n: 10_000, c: 9000 + r.int(1001) })), { n: 10_000, c: 0 }];
    const ks = [1, 7, 150, 299, 300, 2, 250];
    const curve = coverageCurve(counts, ks);
    ks.forEach((k, i) => {
      let total = 0;
      for (const { n, c } of counts) total += plain(n, c, k);
      expect(Object.is(curve[i], total / counts.length)).toBe(true);
    });
    const steep = coverageCurve(Array.from({ length: 5 }, () => ({ n: 10_000, c: 7000 })), [2000]);
    expect(steep[0]).toBe(1); // C(3000, 2000)/C(10⁴, 2000) ≈ e^−2400 underflows: pass@k = 1 in double precision
  });

  it("rejects a k larger than some problem's n and empty input", () => {
    expect(() => coverageCurve([{ n: 10, c: 1 }, { n: 5, c: 1 }], [6])).toThrow("coverageCurve requires every k in [1, smallest n = 5], got 6");
    expect(() => coverageCurve([], [1])).toThrow("coverageCurve requires at least one problem, got 0");
    expect(() => coverageCurve([{ n: 3, c: 4 }], [1])).toThrow(/counts with 0 <= c <= n/);
  });
});

describe("naivePassAtK", () => {
  it("is biased low in expectation while passAtK is exact (Binomial expectation computed in closed form)", () => {
    // E over c ~ Binomial(n, p) of each estimator, against the truth 1 − (1 − p)^k.
    const [n, p, k] = [20, 0.05, 10];
    let naive = 0;
    let unbiased = 0;
    for (let c = 0; c <= n; c++) {
      let pmf = Math.pow(1 - p, n - c) * Math.pow(p, c);
      for (let i = 1; i <= c; i++) pmf *= (n - c + i) / i;
      naive += pmf * naivePassAtK(n, c, k);
      unbiased += pmf * passAtK(n, c, k);
    }
    const truth = 1 - Math.pow(1 - p, k);
    expect(Math.abs(unbiased - truth)).toBeLessThan(1e-12);
    expect(truth - naive).toBeGreaterThan(0.05);
  });
});
